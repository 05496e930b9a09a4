import type { PlanFacts } from '../plan/plan-facts.js';
import type { Finding } from '../policy/evaluate.js';

export type Verdict = 'allow' | 'warn' | 'block' | 'error';

/** An errored plan is never a pass, whatever its findings. */
export function decideVerdict(facts: PlanFacts, findings: readonly Finding[]): Verdict {
  if (facts.errored) return 'error';
  if (findings.some((finding) => finding.effect === 'block' && !finding.approved)) return 'block';
  return findings.length > 0 ? 'warn' : 'allow';
}

export const EXIT_CODES: Record<Verdict, 0 | 1 | 2> = { allow: 0, warn: 0, block: 1, error: 2 };
