import { changeSetDigest } from '../approval/digest.js';
import { builtinCatalogue } from '../catalogue/data.js';
import { planChanges } from '../plan/changes.js';
import { loadPlan } from '../plan/load-plan.js';

export interface DigestRequest {
  plan: string;
  terraformBin?: string;
  stdin?: () => Buffer;
  cwd?: string;
}

export interface DigestOutcome {
  digest: string;
  /** 2 when the plan errored: its digest names an incomplete change set. */
  exitCode: 0 | 2;
}

/** `tfguard digest`: the change-set digest, a function of the plan and the catalogue alone (docs/digest.md). */
export async function runDigest(request: DigestRequest): Promise<DigestOutcome> {
  const { checked } = await loadPlan(request.plan, { terraformBin: request.terraformBin, stdin: request.stdin, ...(request.cwd !== undefined ? { cwd: request.cwd } : {}) });
  const digest = changeSetDigest(planChanges(checked.raw), builtinCatalogue());
  return { digest, exitCode: checked.raw.errored === true ? 2 : 0 };
}
