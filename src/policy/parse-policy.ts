import { TfguardError, TfguardErrors } from '../shared/errors.js';
import { jsonSyntaxProblem } from '../shared/json-syntax.js';
import { hclSyntaxError, unwrapBlocks, type BlockSpec } from './blocks.js';
import { findDuplicateKeys } from '../shared/json-duplicates.js';
import { stripBom } from '../shared/text.js';

export type PolicyFormat = 'hcl' | 'json';

export interface ParsedFile {
  source: string;
  text: string;
  format: PolicyFormat;
  /** The document in the JSON model (HCL blocks unwrapped), not yet validated. */
  data: unknown;
  /** Problems found while unwrapping blocks (a block given twice), reported with the validation errors. */
  problems: { path: string[]; message: string }[];
}

export function formatOf(path: string): PolicyFormat | undefined {
  if (/\.hcl$/i.test(path)) return 'hcl';
  if (/\.json$/i.test(path)) return 'json';
  return undefined;
}

/** Parses the text of an HCL or JSON file into the JSON model. Throws with every problem found. */
export async function parseModelFile(text: string, source: string, format: PolicyFormat, blocks: BlockSpec): Promise<ParsedFile> {
  const body = stripBom(text);
  if (isEmpty(body, format)) {
    throw new TfguardError(source, 'the file is empty', 'Write at least one block or field; see docs/policy.md');
  }
  if (format === 'json') return { source, text: body, format, data: parseJson(body, source), problems: [] };

  // Loaded only when an HCL file is read: it gunzips and starts a 1.7 MB WebAssembly module.
  const { parse } = await import('@cdktf/hcl2json').catch((error: Error) => {
    throw new TfguardError(source, `cannot load the HCL parser @cdktf/hcl2json (${error.message.split('\n')[0]})`, 'Reinstall tfguard with its dependencies, or write the policy in JSON');
  });
  let raw: unknown;
  try {
    raw = await parse(source, body);
  } catch (error) {
    throw hclSyntaxError(error instanceof Error ? error.message : String(error), source);
  }
  const { value, problems } = unwrapBlocks(raw, blocks);
  return { source, text: body, format, data: value, problems };
}

function isEmpty(text: string, format: PolicyFormat): boolean {
  const code = format === 'hcl' ? text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(#|\/\/).*$/gm, '') : text;
  return code.trim() === '';
}

function parseJson(text: string, source: string): unknown {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const { line, detail } = jsonSyntaxProblem(text, error as Error);
    throw new TfguardError(line ? `${source}:${line}` : source, `invalid JSON: ${detail}`, 'Fix the syntax');
  }
  const duplicates = findDuplicateKeys(text);
  if (duplicates.length > 0) {
    throw new TfguardErrors(
      duplicates.map(
        (duplicate) => new TfguardError(`${source}:${duplicate.line}`, `${duplicate.path.filter((step) => typeof step === 'string').join('.')}: defined twice (JSON keeps only the last one)`, 'Give each its own name, or merge them'),
      ),
    );
  }
  return data;
}
