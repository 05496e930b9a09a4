// Build: generates the schema validators, compiles the default policy from policies/default.hcl,
// then bundles the CLI and the library with esbuild (type-checking is `npm run typecheck`).
import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { build } from 'esbuild';
import { jsonAsParse } from './esbuild-plugins.mjs';

const common = {
  plugins: [jsonAsParse],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  legalComments: 'none',
  // @cdktf/hcl2json reads its WebAssembly next to itself at run time, so it cannot be bundled;
  // it is a dependency, loaded with import() only when an HCL file is read.
  external: ['@cdktf/hcl2json'],
  // Some bundled CommonJS dependencies still `require` node built-ins.
  banner: { js: "import { createRequire as __tfguardRequire } from 'node:module'; const require = __tfguardRequire(import.meta.url);" },
  logLevel: 'warning',
};

execFileSync(process.execPath, ['scripts/generate-validators.mjs'], { stdio: 'inherit' });
await build({ ...common, entryPoints: ['scripts/compile-default-policy.ts'], outfile: '.tmp/compile-default-policy.mjs' });
execFileSync(process.execPath, ['.tmp/compile-default-policy.mjs'], { stdio: 'inherit' });

// Code splitting: what only policy files, policy tests or binary plans need sits in chunks that
// load on first use, so a run on the built-in default parses less code at start-up.
rmSync('dist', { recursive: true, force: true });
await build({
  ...common,
  sourcemap: 'linked',
  splitting: true,
  entryPoints: { cli: 'src/bin.ts', index: 'src/index.ts' },
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
});
chmodSync('dist/cli.js', 0o755);
