import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { configurationAddressOf, sarifUri, type ResourceLocation } from '../render/sarif.js';

export interface LocateOptions {
  /** What URIs are relative to; default: the nearest folder at or above `dir` holding `.git`, else `dir`. */
  root?: string;
}

/**
 * Where the configuration in `dir` declares each resource of `addresses` (instance addresses as the
 * plan gives them), for SARIF locations: a map from configuration address
 * (`module.a.aws_db_instance.main`) to the file, as a URI relative to the repository root, and the
 * line of its `resource "TYPE" "NAME" {` (or `data`) block.
 *
 * A line scan, not an HCL parser, and best effort: what it cannot find is simply left out (the
 * result then points at the plan file), and nothing here ever fails the check. Limits:
 * - only `*.tf` files directly in a module's folder (not `*.tf.json`, not OpenTofu's `*.tofu`);
 *   the first declaration wins, `override.tf` and `*_override.tf` are read last;
 * - module calls are followed only when their `source` is a local path (`./…`, `../…`) written as a
 *   plain string on its own line; registry, git and other remote modules are not located, nor
 *   anything outside the repository root;
 * - blocks are recognised at the top level by tracking braces outside strings, template
 *   interpolations, comments and heredocs; configuration generated at run time (`-generate-config-out`,
 *   CDKTF) is located only if the files are in the checkout.
 */
export function locateResources(dir: string, addresses: readonly string[], options: LocateOptions = {}): Map<string, ResourceLocation> {
  const start = resolve(dir);
  const root = resolve(options.root ?? findRepositoryRoot(start));
  const modules = new Map<string, ScannedModule>();
  const scanned = (folder: string): ScannedModule => {
    let module = modules.get(folder);
    if (module === undefined) {
      module = scanModule(folder);
      modules.set(folder, module);
    }
    return module;
  };
  const locations = new Map<string, ResourceLocation>();
  for (const address of new Set(addresses.map(configurationAddressOf))) {
    const parsed = parseConfigurationAddress(address);
    if (parsed === undefined) continue;
    let folder: string | undefined = start;
    for (const name of parsed.modules) {
      folder = scanned(folder).calls.get(name);
      if (folder === undefined) break;
    }
    if (folder === undefined) continue;
    const block = scanned(folder).blocks.get(parsed.block);
    if (block === undefined) continue;
    const uri = repositoryUri(root, block.file);
    if (uri !== undefined) locations.set(address, { uri, line: block.line });
  }
  return locations;
}

/** The nearest folder at or above `dir` that holds `.git` (a folder, or a file in worktrees and submodules); `dir` when none does. */
export function findRepositoryRoot(dir: string): string {
  const start = resolve(dir);
  for (let current = start; ; current = dirname(current)) {
    if (existsSync(join(current, '.git'))) return current;
    if (dirname(current) === current) return start;
  }
}

/** `file` as a URI relative to `root` (forward slashes, percent-encoded); undefined when it lies outside `root`. */
export function repositoryUri(root: string, file: string): string | undefined {
  const path = relative(resolve(root), resolve(file));
  if (path === '' || path === '..' || path.startsWith(`..${sep}`) || isAbsolute(path)) return undefined;
  return sarifUri(path.split(sep).join('/'));
}

interface ScannedModule {
  /** `TYPE.NAME` for managed resources, `data.TYPE.NAME` for data sources. */
  blocks: Map<string, { file: string; line: number }>;
  /** Module call name → the folder of its local source. */
  calls: Map<string, string>;
}

/** `module.a.module.b.aws_db_instance.main` → modules [a, b], block `aws_db_instance.main`. */
function parseConfigurationAddress(address: string): { modules: string[]; block: string } | undefined {
  const segments = address.split('.');
  const modules: string[] = [];
  let index = 0;
  while (segments[index] === 'module' && index + 1 < segments.length) {
    modules.push(segments[index + 1]!);
    index += 2;
  }
  const rest = segments.slice(index);
  const isBlock = rest.length === 2 ? rest[0] !== 'data' : rest.length === 3 && rest[0] === 'data';
  return isBlock && rest.every((segment) => segment !== '') ? { modules, block: rest.join('.') } : undefined;
}

const MAX_FILE_BYTES = 8 * 1024 * 1024;

function scanModule(folder: string): ScannedModule {
  const module: ScannedModule = { blocks: new Map(), calls: new Map() };
  for (const file of configurationFiles(folder)) {
    let text: string;
    try {
      if (statSync(file).size > MAX_FILE_BYTES) continue;
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    scanFile(text, file, folder, module);
  }
  return module;
}

/** The module's `*.tf` files, sorted, override files last (Terraform merges them into earlier declarations). */
function configurationFiles(folder: string): string[] {
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) => name.endsWith('.tf'));
  } catch {
    return [];
  }
  const isOverride = (name: string): boolean => name === 'override.tf' || name.endsWith('_override.tf');
  const files = names.filter((name) => {
    try {
      return statSync(join(folder, name)).isFile();
    } catch {
      return false;
    }
  });
  const sorted = (list: string[]) => [...list].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [...sorted(files.filter((name) => !isOverride(name))), ...sorted(files.filter(isOverride))].map((name) => join(folder, name));
}

const LABEL = String.raw`(?:"((?:[^"\\]|\\.)*)"|([A-Za-z_][\w-]*))`;
const RESOURCE_HEADER = new RegExp(String.raw`^\s*(resource|data)\s+${LABEL}\s+${LABEL}\s*\{`);
const MODULE_HEADER = new RegExp(String.raw`^\s*module\s+${LABEL}\s*\{`);
const SOURCE_LINE = /^\s*source\s*=\s*"((?:[^"\\]|\\.)*)"/;
/** A top-level block keyword at column 0: brace tracking restarts there, so one misread line cannot hide the rest of the file. */
const TOP_LEVEL = /^(?:resource|data|module|variable|output|locals|provider|terraform|moved|import|removed|check)\b/;

const unquote = (quoted: string | undefined, bare: string | undefined): string => quoted?.replace(/\\(.)/g, '$1') ?? bare ?? '';

function scanFile(text: string, file: string, folder: string, into: ScannedModule): void {
  const state: ScanState = { depth: 0, inComment: false, heredoc: undefined };
  let moduleCall: string | undefined;
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    if (state.heredoc !== undefined) {
      if (line.trim() === state.heredoc) state.heredoc = undefined;
      continue;
    }
    if (!state.inComment && TOP_LEVEL.test(line)) state.depth = 0;
    if (!state.inComment && state.depth === 0) {
      moduleCall = undefined;
      const resource = RESOURCE_HEADER.exec(line);
      if (resource) {
        const key = `${resource[1] === 'data' ? 'data.' : ''}${unquote(resource[2], resource[3])}.${unquote(resource[4], resource[5])}`;
        if (!into.blocks.has(key)) into.blocks.set(key, { file, line: index + 1 });
      }
      const call = MODULE_HEADER.exec(line);
      if (call) moduleCall = unquote(call[1], call[2]);
    } else if (!state.inComment && state.depth === 1 && moduleCall !== undefined) {
      const source = SOURCE_LINE.exec(line);
      if (source && !into.calls.has(moduleCall)) {
        const path = unquote(source[1], undefined);
        if (path.startsWith('./') || path.startsWith('../')) into.calls.set(moduleCall, resolve(folder, path));
      }
    }
    trackLine(line, state);
  }
}

interface ScanState {
  /** Braces open at the start of the next line, counted outside strings and comments. */
  depth: number;
  inComment: boolean;
  /** The terminator of the heredoc that starts on the next line. */
  heredoc: string | undefined;
}

/**
 * Counts the line's braces that open and close blocks. Inside a string, `${…}` and `%{…}` open a
 * template expression whose own strings and braces nest; `#`, `//` and `/* … *\/` are comments
 * only outside strings. HCL strings end at the line's end, so nothing unbalanced carries over.
 */
function trackLine(line: string, state: ScanState): void {
  const frames: { kind: 'string' | 'template'; braces: number }[] = [];
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index]!;
    const next = line[index + 1];
    if (state.inComment) {
      if (char === '*' && next === '/') {
        state.inComment = false;
        index += 1;
      }
      continue;
    }
    const top = frames[frames.length - 1];
    if (top?.kind === 'string') {
      if (char === '\\') index += 1;
      else if (char === '"') frames.pop();
      else if ((char === '$' || char === '%') && next === '{') {
        if (line[index - 1] === char) continue; // `$${` and `%%{` are literal
        frames.push({ kind: 'template', braces: 0 });
        index += 1;
      }
      continue;
    }
    if (char === '"') frames.push({ kind: 'string', braces: 0 });
    else if (char === '#' || (char === '/' && next === '/')) return;
    else if (char === '/' && next === '*') {
      state.inComment = true;
      index += 1;
    } else if (char === '<' && next === '<' && top === undefined) {
      const heredoc = /^<<-?([A-Za-z_][\w-]*)\s*$/.exec(line.slice(index));
      if (heredoc) {
        state.heredoc = heredoc[1]!;
        return;
      }
    } else if (char === '{') {
      if (top) top.braces += 1;
      else state.depth += 1;
    } else if (char === '}') {
      if (top && top.braces > 0) top.braces -= 1;
      else if (top) frames.pop();
      else state.depth = Math.max(0, state.depth - 1);
    }
  }
}
