// Bundles the CLI and the library with esbuild (type-checking is `npm run typecheck`).
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: 'linked',
  legalComments: 'none',
  // yargs and ajv are CommonJS-free ESM or fine to bundle; some deps still `require` node built-ins.
  banner: { js: "import { createRequire as __tfguardRequire } from 'node:module'; const require = __tfguardRequire(import.meta.url);" },
  logLevel: 'warning',
};

await build({ ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js' });
await build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/index.js' });
chmodSync('dist/cli.js', 0o755);
