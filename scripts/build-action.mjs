// Builds the GitHub Action into action-dist/, which is committed: the runner runs
// action-dist/index.js as it is and never installs dependencies.
//
//   node scripts/build-action.mjs           rebuild action-dist/
//   node scripts/build-action.mjs --check   rebuild into a temporary folder; exit 1 when the committed action-dist/ differs
//
// action-dist/ holds one unsplit ESM bundle (tfguard, @actions/core, octokit and @cdktf/hcl2json
// inside), the HCL parser's WebAssembly beside it, a package.json that makes index.js an ES module
// wherever the folder is, and the licences of what the bundle holds.
// Reads src/policy/generated/, which `npm run build` writes.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { jsonAsParse } from './esbuild-plugins.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'action-dist');
const HCL2JSON = join(ROOT, 'node_modules', '@cdktf', 'hcl2json');
const WASM = 'main.wasm.gz';

/**
 * @cdktf/hcl2json reads `<its lib>/../main.wasm.gz`. Bundled, its `__dirname` would not exist (ESM)
 * or point elsewhere, so the one line that names the file is pointed at the bundle's own folder,
 * where the build copies the file. Fails the build when the line is not found exactly once
 * (the package is pinned; a new version must be looked at).
 */
const hcl2jsonWasmBeside = {
  name: 'hcl2json-wasm-beside-the-bundle',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]@cdktf[\\/]hcl2json[\\/]lib[\\/]bridge\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const wasmPath = '(0, path_1.join)(__dirname, "..", "main.wasm.gz")';
      const found = text.split(wasmPath).length - 1;
      if (found !== 1) throw new Error(`${args.path}: expected the line that reads main.wasm.gz once, found it ${found} times; check the @cdktf/hcl2json upgrade`);
      return { contents: text.replace(wasmPath, `(0, path_1.join)(__tfguardBundleDir, ${JSON.stringify(WASM)})`), loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

const BANNER = [
  "import { createRequire as __tfguardCreateRequire } from 'node:module';",
  "import { dirname as __tfguardDirname } from 'node:path';",
  "import { fileURLToPath as __tfguardFileURLToPath } from 'node:url';",
  // Bundled CommonJS dependencies still `require` node built-ins.
  'const require = __tfguardCreateRequire(import.meta.url);',
  'const __tfguardBundleDir = __tfguardDirname(__tfguardFileURLToPath(import.meta.url));',
].join('\n');

async function buildInto(outdir) {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ['src/action/main.ts'],
    outfile: join(outdir, 'index.js'),
    bundle: true,
    splitting: false,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    plugins: [jsonAsParse, hcl2jsonWasmBeside],
    // wasm_exec's fallback for Node < 16 (`globalThis.performance ??= require("performance")`), never taken.
    external: ['performance'],
    banner: { js: BANNER },
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  const bundle = readFileSync(join(outdir, 'index.js'), 'utf8');
  // An ES module has no __dirname: any left would throw when reached (the HCL parser's, once).
  if (/\b__dirname\b|\b__filename\b/u.test(bundle)) throw new Error('action-dist/index.js still refers to __dirname or __filename, which an ES module does not have');
  copyFileSync(join(HCL2JSON, WASM), join(outdir, WASM));
  writeFileSync(join(outdir, 'package.json'), `${JSON.stringify({ type: 'module', private: true }, null, 2)}\n`);
  writeFileSync(join(outdir, 'LICENSES.txt'), licences(result.metafile));
}

/** The licence of every package the bundle holds, from its package.json and LICENSE file. */
function licences(metafile) {
  const packages = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /^(.*node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/u.exec(input);
    if (match) packages.set(match[1], true);
  }
  const sections = [...packages.keys()].sort().map((folder) => {
    const manifest = JSON.parse(readFileSync(join(ROOT, folder, 'package.json'), 'utf8'));
    const licenceFile = readdirSync(join(ROOT, folder)).find((name) => /^(licen[cs]e|copying)(\.|$)/iu.test(name));
    const text = licenceFile ? readFileSync(join(ROOT, folder, licenceFile), 'utf8').trim() : `${manifest.license ?? 'no licence given'} (no licence file in the package)`;
    return `${manifest.name}@${manifest.version} (${manifest.license ?? 'unknown'})\n\n${text}\n`;
  });
  return `Packages bundled into action-dist/index.js and their licences.\n@cdktf/hcl2json (MPL-2.0): source at https://github.com/hashicorp/terraform-cdk/tree/main/packages/%40cdktf/hcl2json; ${WASM} is its WebAssembly, copied unchanged.\n\n${'-'.repeat(72)}\n${sections.join(`\n${'-'.repeat(72)}\n`)}`;
}

/** Files of a folder, relative paths, sorted. */
function filesOf(folder) {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath ?? entry.path, entry.name)))
    .sort();
}

if (!existsSync(join(ROOT, 'src', 'policy', 'generated', 'default-policy.json'))) {
  console.error('build-action: src/policy/generated/ is missing; run `npm run build` first (it generates the validators and the default policy)');
  process.exit(1);
}

if (process.argv.includes('--check')) {
  const fresh = mkdtempSync(join(tmpdir(), 'tfguard-action-dist-'));
  try {
    await buildInto(fresh);
    const committed = filesOf(OUT);
    const expected = filesOf(fresh);
    const differing = [...new Set([...committed, ...expected])]
      .sort()
      .filter((file) => !committed.includes(file) || !expected.includes(file) || !readFileSync(join(OUT, file)).equals(readFileSync(join(fresh, file))));
    if (differing.length > 0) {
      console.error(`build-action --check: action-dist/ is stale (${differing.join(', ')} differ${differing.length === 1 ? 's' : ''} from a fresh build). Run \`node scripts/build-action.mjs\` and commit action-dist/.`);
      process.exit(1);
    }
    console.log('build-action --check: action-dist/ is up to date');
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
} else {
  await buildInto(OUT);
}
