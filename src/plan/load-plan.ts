import { parseDocument } from './parse-document.js';
import { readPlanText, type ReadOptions } from './read-input.js';
import { validatePlan, type CheckedPlan } from './validate-plan.js';

export interface LoadedPlan {
  checked: CheckedPlan;
  /** How the plan is named in reports and errors: the path as given, or `<stdin>`. */
  source: string;
}

/** Reads, parses and checks a plan from a path (or `-`): the I/O edge of the pipeline. */
export async function loadPlan(spec: string, options: ReadOptions = {}): Promise<LoadedPlan> {
  const { text, source } = await readPlanText(spec, options);
  return { checked: checkPlanText(text, source), source };
}

/** Parses and checks plan JSON text already in memory. */
export function checkPlanText(text: string, source = '<plan>'): CheckedPlan {
  return validatePlan(parseDocument(text, source), source);
}
