// Bundles the CLI and the library with esbuild (type-checking is `npm run typecheck`).
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/**
 * Bundles JSON data (the catalogue, the default policy) as `JSON.parse('…')` instead of object
 * literals: V8 parses a JSON string far faster than the same data as JavaScript, which keeps
 * start-up small.
 */
const jsonAsParse = {
  name: 'json-as-parse',
  setup(builder) {
    builder.onLoad({ filter: /\.json$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      return { contents: `export default JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(text)))});`, loader: 'js' };
    });
  },
};

const common = {
  plugins: [jsonAsParse],
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
