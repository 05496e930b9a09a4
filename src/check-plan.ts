import { analyzePlan, type Analysis, type AnalyzeOptions } from './analyze.js';
import { parseDocument } from './plan/parse-document.js';
import { readPlanText, type ReadOptions } from './plan/read-input.js';
import { validatePlan, type CheckedPlan } from './plan/validate-plan.js';

/** Reads, parses and checks a plan from a path (or `-`): the I/O edge of the pipeline. */
export async function loadPlan(spec: string, options: ReadOptions = {}): Promise<{ checked: CheckedPlan; source: string }> {
  const { text, source } = await readPlanText(spec, options);
  return { checked: checkPlanText(text, source), source };
}

/** Parses and checks plan JSON text already in memory. */
export function checkPlanText(text: string, source = '<plan>'): CheckedPlan {
  return validatePlan(parseDocument(text, source), source);
}

export async function analyzePlanFile(spec: string, options: AnalyzeOptions & ReadOptions): Promise<Analysis & { source: string }> {
  const { checked, source } = await loadPlan(spec, options);
  return { ...analyzePlan(checked, options), source };
}
