/**
 * tfguard's contract, checked by fast-check on mutations of real plans (the committed Terraform
 * 1.11.4 fixtures, the provider-typed derivations, the examples), run in process through the real
 * CLI code (`main()`):
 *
 *   1. the exit code is 0, 1 or 2, and there is never a stack trace or an "internal error";
 *   2. never exit 0 when the mutation added a destructive action;
 *   3. no value marked sensitive appears in any output (text, JSON and every other --format);
 *   4. no raw control, C1, DEL, bidi or zero-width character in any output (the same formats);
 *   5. reproducible: a fixed seed, and the same answer to the same input.
 *
 * The oracles (oracles.ts) read the mutated document itself, with a JSON reader that keeps every
 * value of a doubled key, and never ask tfguard's code. Property 2's expectation, for every
 * resource_changes entry whose `mode` is not exactly "data" in some reading:
 *   - actions that are not exactly ["no-op"], ["create"], ["read"] or ["update"] in some reading
 *     (missing, not a list, unknown names, prototype names included) on a type the catalogue
 *     (policies/catalogue/*.json) calls stateful: exit 1 with a blocking finding for the address,
 *     or exit 2;
 *   - ["forget"], ["create","forget"], ["forget","create"] (the object survives; the built-in
 *     policy's stateful-forget rule is advisory), or any of the above on a type not known to be
 *     stateful: a finding for the address, or exit 2;
 *   - the same for a resource prior_state holds that neither planned_values nor resource_changes
 *     accounts for (unless the plan is targeted, complete: false, or lists no planned resource, as
 *     a refresh-only plan does);
 *   - and text that is not JSON never exits 0.
 *
 * Seeded: TFGUARD_PROPERTY_SEED (default below) and TFGUARD_PROPERTY_RUNS (cases per property)
 * give a longer run on demand, e.g.
 *   TFGUARD_PROPERTY_RUNS=5000 TFGUARD_SKIP_BUILD=1 npx vitest run test/property
 * A failure prints fast-check's shrunk counterexample (the seed file and the mutations, as data)
 * and what tfguard printed. To replay one, give its seed and path:
 *   TFGUARD_PROPERTY_SEED=… TFGUARD_PROPERTY_PATH='…' TFGUARD_SKIP_BUILD=1 npx vitest run test/property -t '^… 2\.'
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMATS } from '../../src/render/index.js';
import { runMain } from '../helpers/run-main.js';
import { decodeBytes, hasDuplicateKeys, parseWithDuplicates, pathOf, type JValue } from './json-dup.js';
import {
  build,
  damage,
  dupMutation,
  encoding,
  hidingMutation,
  hostileMutation,
  secretMutation,
  structuralMutation,
  targetSpec,
  truncation,
  type Case,
} from './mutations.js';
import {
  checkDestructive,
  destructiveExpectations,
  findLeaks,
  firstUnsafe,
  INTERNAL_ERROR,
  printableStrings,
  RAW_UNSAFE,
  secretAnchors,
  sensitiveStrings,
  STACK_TRACE,
  WORKFLOW_COMMAND_LINE,
} from './oracles.js';
import { FIXTURE_SECRET, SEEDS, type JsonObject } from './seeds.js';
import { isObject } from './marks.js';

const DEFAULT_SEED = 20_250_808;
const DEFAULT_RUNS = 100;

function envInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got ${JSON.stringify(raw)}`);
  return value;
}

const SEED = envInteger('TFGUARD_PROPERTY_SEED', DEFAULT_SEED);
const RUNS = envInteger('TFGUARD_PROPERTY_RUNS', DEFAULT_RUNS);
const REPLAY_PATH = process.env.TFGUARD_PROPERTY_PATH || undefined;
const settings = (): fc.Parameters<unknown> => (REPLAY_PATH === undefined ? { seed: SEED, numRuns: RUNS } : { seed: SEED, numRuns: RUNS, path: REPLAY_PATH });
/** vitest's per-test timeout, grown with the number of cases (a long run takes about 10 ms a case). */
const TIMEOUT = 30_000 + RUNS * 40;

/** Every format --format takes, from tfguard's renderer registry, so a new one is covered without editing this file. */
const ALL_FORMATS: readonly string[] = FORMATS;
/** Text and JSON run on every case of properties 3 and 4; each case also runs one of the others. */
const OTHER_FORMATS = ALL_FORMATS.filter((format) => format !== 'text' && format !== 'json');
const formatsFor = (extra: string | undefined): string[] => ['text', 'json', ...(extra === undefined ? [] : [extra])];
const otherFormat: fc.Arbitrary<string | undefined> = OTHER_FORMATS.length > 0 ? fc.constantFrom(...OTHER_FORMATS) : fc.constant(undefined);
type Result = Awaited<ReturnType<typeof runMain>>;

let cwd = '';
beforeAll(() => {
  // An empty working directory: no .tfguard.hcl / .tfguard.json to discover, so the built-in default applies.
  cwd = mkdtempSync(join(tmpdir(), 'tfguard-property-'));
});
afterAll(() => {
  rmSync(cwd, { recursive: true, force: true });
});

function run(bytes: Buffer, format: string, provenance?: 'ai' | 'human'): Promise<Result> {
  return runMain(['--format', format, ...(provenance ? ['--provenance', provenance] : []), '-'], { input: bytes, cwd });
}

const clip = (text: string, max = 700): string => JSON.stringify(text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);
const printed = (result: Result): string => `exit ${result.status}\n  stdout: ${clip(result.stdout)}\n  stderr: ${clip(result.stderr)}`;

const NOT_JSON = Symbol('not JSON');

/**
 * The document as the oracles read it (every duplicate kept), or NOT_JSON. Checks that the
 * oracles' reader accepts exactly what JSON.parse accepts, so an oracle never judges a document
 * tfguard could not even read the same way.
 */
function oracleRead(bytes: Buffer): JValue | typeof NOT_JSON {
  const text = decodeBytes(bytes);
  let mine: JValue | typeof NOT_JSON = NOT_JSON;
  try {
    mine = parseWithDuplicates(text).value;
  } catch {
    // not JSON
  }
  let valid = true;
  try {
    JSON.parse(text);
  } catch {
    valid = false;
  }
  if ((mine !== NOT_JSON) !== valid) throw new Error(`test harness: the oracle's JSON reader and JSON.parse disagree (JSON.parse: ${valid ? 'valid' : 'invalid'})`);
  return mine;
}

/** `arbitrary` in one case out of `oneIn`, else null. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, oneIn: number): fc.Arbitrary<T | null> =>
  fc.oneof({ arbitrary: fc.constant(null), weight: oneIn - 1 }, { arbitrary, weight: 1 });

const allSeeds = SEEDS.map((seed) => seed.name);
const managedSeeds = SEEDS.filter((seed) => Array.isArray(seed.doc.resource_changes) && seed.doc.resource_changes.some((entry) => (entry as { mode?: unknown }).mode === 'managed')).map(
  (seed) => seed.name,
);
const secretSeeds = SEEDS.filter((seed) => JSON.stringify(seed.doc).includes(FIXTURE_SECRET)).map((seed) => seed.name);

/** A case with every kind of mutation: structural, duplicate keys, damage, encodings, truncation. */
const anyCase: fc.Arbitrary<Case> = fc.record({
  seed: fc.constantFrom(...allSeeds),
  mutations: fc.array(fc.oneof({ arbitrary: structuralMutation, weight: 4 }, { arbitrary: secretMutation, weight: 1 }), { maxLength: 4 }),
  text: fc.array(dupMutation, { maxLength: 2 }),
  damage: sometimes(damage, 6),
  encoding,
  truncate: sometimes(truncation, 8),
});

function countCases(property: string, counter: { cases: number; note?: () => string }): void {
  console.log(`property ${property}: ${counter.cases} cases (seed ${SEED}, numRuns ${RUNS})${counter.note ? `; ${counter.note()}` : ''}`);
}

describe('tfguard contract on mutated real plans (fast-check)', () => {
  it('0. every unmutated seed meets properties 2 and 3 (and the oracles read real plans right)', async () => {
    // The oracles' reader keeps both values of a doubled key, and where each member sits.
    const doubled = parseWithDuplicates('{"a":{"actions":["delete"],"actions":["no-op"]}}', (key) => key === 'actions');
    expect(doubled.members.map((member) => [pathOf(member.link), member.keyStart, member.valueEnd])).toEqual([
      [['a', 'actions'], 6, 26],
      [['a', 'actions'], 27, 46],
    ]);
    expect(secretSeeds.length).toBeGreaterThanOrEqual(2);
    for (const seed of SEEDS) {
      const bytes = Buffer.from(JSON.stringify(seed.doc));
      const root = oracleRead(bytes);
      expect(root, seed.name).not.toBe(NOT_JSON);
      const result = await run(bytes, 'json', 'ai');
      const problems = checkDestructive(root as JValue, result);
      expect(problems, `${seed.name}: ${printed(result)}`).toEqual([]);
      expect(findLeaks(result.stdout + result.stderr, sensitiveStrings(seed.doc), printableStrings(seed.doc)), seed.name).toEqual([]);
    }
  });

  it('1. the exit code is always 0, 1 or 2, and never a stack trace or an internal error', async () => {
    const counter = { cases: 0 };
    try {
      await fc.assert(
        fc.asyncProperty(anyCase, fc.constantFrom(...ALL_FORMATS), fc.constantFrom<'ai' | 'human' | undefined>(undefined, 'ai', 'human'), async (testCase, format, provenance) => {
          counter.cases++;
          const { bytes } = build(testCase);
          const result = await run(bytes, format, provenance);
          if (![0, 1, 2].includes(result.status ?? -1) || STACK_TRACE.test(result.stderr) || INTERNAL_ERROR.test(result.stderr)) {
            throw new Error(`tfguard --format ${format}${provenance ? ` --provenance ${provenance}` : ''}: ${printed(result)}`);
          }
        }),
        settings(),
      );
    } finally {
      countCases('1 (exit codes, no stack traces)', counter);
    }
  }, TIMEOUT);

  it('2. never exit 0 when the mutation added a destructive action (--provenance ai)', async () => {
    const counter = { cases: 0, withDestructive: 0, notJson: 0 };
    const note = (): string => `${counter.withDestructive} carried a destructive or not-understood change, ${counter.notJson} were not JSON`;
    const caseArb: fc.Arbitrary<Case> = fc.record({
      seed: fc.constantFrom(...managedSeeds),
      target: targetSpec,
      mutations: fc.array(structuralMutation, { maxLength: 2 }),
      text: fc.array(hidingMutation, { maxLength: 2 }),
      damage: sometimes(damage, 12),
      encoding,
      truncate: sometimes(truncation, 12),
    });
    try {
      await fc.assert(
        fc.asyncProperty(caseArb, async (testCase) => {
          counter.cases++;
          const built = build(testCase);
          const root = oracleRead(built.bytes);
          const result = await run(built.bytes, 'json', 'ai');
          const context = `target ${JSON.stringify(built.targetAddress)}\n  ${printed(result)}`;
          if (root === NOT_JSON) {
            counter.notJson++;
            if (result.status === 0) throw new Error(`input that is not JSON was allowed (exit 0); ${context}`);
            return;
          }
          if (destructiveExpectations(root).length > 0) counter.withDestructive++;
          const problems = checkDestructive(root, result);
          if (problems.length > 0) throw new Error(`${problems.join('\n')}\n  ${context}`);
        }),
        settings(),
      );
    } finally {
      countCases('2 (destructive never allowed)', { ...counter, note });
    }
  }, TIMEOUT);

  it('3. no value marked sensitive appears in stdout or stderr, in any format (text, JSON and the others)', async () => {
    const counter = { cases: 0, withSecrets: 0 };
    const caseArb: fc.Arbitrary<Case> = fc.record({
      seed: fc.oneof({ arbitrary: fc.constantFrom(...secretSeeds), weight: 3 }, { arbitrary: fc.constantFrom(...allSeeds), weight: 1 }),
      mutations: fc
        .tuple(fc.array(secretMutation, { minLength: 1, maxLength: 2 }), fc.array(structuralMutation, { maxLength: 2 }))
        .map(([secrets, others]) => [...secrets, ...others]),
      text: fc.array(dupMutation, { maxLength: 1 }),
      damage: sometimes(damage, 3),
      encoding,
      truncate: sometimes(truncation, 4),
    });
    try {
      await fc.assert(
        fc.asyncProperty(caseArb, fc.constantFrom<'ai' | 'human' | undefined>(undefined, 'ai', 'human'), otherFormat, async (testCase, provenance, extra) => {
          counter.cases++;
          const built = build(testCase, secretAnchors);
          const { sensitive, printable } = secretsOf(built.doc, built.bytes);
          if (sensitive.size > 0) counter.withSecrets++;
          for (const format of formatsFor(extra)) {
            const result = await run(built.bytes, format, provenance);
            const leaks = findLeaks(`${result.stdout}\n${result.stderr}`, sensitive, printable);
            if (leaks.length > 0) {
              throw new Error(`--format ${format}: sensitive value ${leaks.map((leak) => `${JSON.stringify(leak.secret)} (found ${JSON.stringify(leak.found)})`).join(', ')} printed\n  ${printed(result)}`);
            }
          }
        }),
        settings(),
      );
    } finally {
      countCases('3 (no sensitive value printed)', { ...counter, note: () => `${counter.withSecrets} held values marked sensitive; each run in text, JSON and one of ${OTHER_FORMATS.join('/') || 'no other format'}` });
    }
  }, TIMEOUT);

  it('4. no raw control, DEL, C1, bidi or zero-width character in any output (text, JSON and the others)', async () => {
    const counter = { cases: 0 };
    const caseArb: fc.Arbitrary<Case> = fc.record({
      seed: fc.constantFrom(...allSeeds),
      mutations: fc
        .tuple(fc.array(hostileMutation, { minLength: 1, maxLength: 4 }), fc.array(structuralMutation, { maxLength: 2 }))
        .map(([hostile, others]) => [...hostile, ...others]),
      text: fc.array(dupMutation, { maxLength: 1 }),
      damage: sometimes(damage, 8),
      encoding,
      truncate: sometimes(truncation, 10),
    });
    try {
      await fc.assert(
        fc.asyncProperty(caseArb, fc.constantFrom<'ai' | 'human' | undefined>(undefined, 'ai', 'human'), otherFormat, async (testCase, provenance, extra) => {
          counter.cases++;
          const { bytes } = build(testCase);
          for (const format of formatsFor(extra)) {
            const result = await run(bytes, format, provenance);
            for (const [stream, text] of [
              ['stdout', result.stdout],
              ['stderr', result.stderr],
            ] as const) {
              const unsafe = firstUnsafe(text);
              if (unsafe) throw new Error(`--format ${format}: raw ${unsafe} on ${stream} (exit ${result.status})`);
              const command = WORKFLOW_COMMAND_LINE.exec(text);
              if (command) {
                throw new Error(`--format ${format}: a line of ${stream} starts with ${JSON.stringify(command[0])}: input text broke a line (exit ${result.status}) ${clip(text.slice(Math.max(0, command.index - 80), command.index + 80))}`);
              }
            }
          }
        }),
        settings(),
      );
    } finally {
      countCases('4 (no raw unsafe characters)', { ...counter, note: () => `each run in text, JSON and one of ${OTHER_FORMATS.join('/') || 'no other format'}` });
    }
  }, TIMEOUT);

  it('5. reproducible: the seed fixes the cases, and tfguard answers the same input the same way', async () => {
    const counter = { cases: 0 };
    const runs = Math.max(1, Math.ceil(RUNS / 10));
    const first = fc.sample(anyCase, { seed: SEED, numRuns: runs });
    const second = fc.sample(anyCase, { seed: SEED, numRuns: runs });
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    try {
      await fc.assert(
        fc.asyncProperty(anyCase, fc.constantFrom(...ALL_FORMATS), async (testCase, format) => {
          counter.cases++;
          const once = build(testCase).bytes;
          const again = build(testCase).bytes;
          if (!once.equals(again)) throw new Error('test harness: the same case built two different inputs');
          const a = await run(once, format, 'ai');
          const b = await run(again, format, 'ai');
          if (a.status !== b.status || a.stdout !== b.stdout || a.stderr !== b.stderr) throw new Error(`two runs differ:\n  ${printed(a)}\n  ${printed(b)}`);
        }),
        { seed: SEED, numRuns: runs },
      );
    } finally {
      countCases('5 (reproducible)', counter);
    }
  }, TIMEOUT);
});

/**
 * The sensitive and the printable-by-design strings of what tfguard reads. Text damage that leaves
 * valid JSON changes the document (a comma inside a key can unmark a value), so a document that
 * still parses is judged as it parses; with doubled keys, both readings count (a string marked in
 * either is sensitive, one printable in either may be printed). A document that no longer parses
 * is judged by the one it was made from: none of its bytes may be quoted.
 */
function secretsOf(before: JsonObject, bytes: Buffer): { sensitive: Set<string>; printable: string[] } {
  const read = oracleRead(bytes);
  if (read === NOT_JSON) return { sensitive: sensitiveStrings(before), printable: printableStrings(before) };
  const parsed = JSON.parse(decodeBytes(bytes)) as unknown;
  const after: JsonObject = isObject(parsed) ? parsed : {};
  if (!hasDuplicateKeys(read)) return { sensitive: sensitiveStrings(after), printable: printableStrings(after) };
  return {
    sensitive: new Set([...sensitiveStrings(before), ...sensitiveStrings(after)]),
    printable: [...printableStrings(before), ...printableStrings(after)],
  };
}
