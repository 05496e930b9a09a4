import type { CompiledSignals } from './signals.js';

/**
 * The process environment as evidence: coding agents set variables for the commands they run
 * (CLAUDECODE=1, GEMINI_CLI=1, CODEX_SANDBOX, …; see policies/ai-signals.json). Only the variables
 * some signal names are kept, so no other part of the environment (tokens, secrets) travels further.
 */
export function environmentFacts(env: NodeJS.ProcessEnv, signals: CompiledSignals): Record<string, string> {
  const facts: Record<string, string> = {};
  for (const signal of signals.environment) {
    const name = signal.name;
    if (name === undefined) continue;
    const value = env[name];
    if (value !== undefined && value !== '') facts[name] = value;
  }
  return facts;
}
