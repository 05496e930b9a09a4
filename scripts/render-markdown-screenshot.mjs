// Renders a tfguard Markdown report the way a reviewer sees it: the report (a JSON report, rendered
// with src/render/markdown.ts, or a .md file as it is) through `marked` into a small GitHub-like HTML
// page, and, when /usr/bin/chromium exists (Debian: apt-get install -y chromium), a PNG screenshot of
// it taken headless. Look at the PNG before changing the layout; do not commit it.
//
//   node scripts/render-markdown-screenshot.mjs test/golden/environment-recreation.report.json [--max-length 65536] [--out DIR] [--height 2400]
//
// Writes DIR/<name>.md, DIR/<name>.html and DIR/<name>.png (DIR defaults to .tmp/screenshots/).
// Mermaid blocks are drawn when a mermaid.min.js is found (MERMAID_JS, or node_modules/mermaid);
// otherwise they show as code, as in any Markdown viewer without Mermaid.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { marked } from 'marked';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const option = (name) => {
  const index = args.indexOf(name);
  if (index < 0) return undefined;
  const [value] = args.splice(index, 2).slice(1);
  return value;
};
const maxLength = option('--max-length');
const height = option('--height') ?? '2400';
const outDir = resolve(option('--out') ?? join(root, '.tmp', 'screenshots'));
const [input] = args;
if (!input) {
  console.error('usage: node scripts/render-markdown-screenshot.mjs <report.json | report.md> [--max-length N] [--out DIR]');
  process.exit(2);
}

/** The renderer straight from the TypeScript source, bundled to a temporary module: no build of dist/ needed. */
async function loadRenderer() {
  const dir = mkdtempSync(join(tmpdir(), 'tfguard-md-'));
  const outfile = join(dir, 'markdown.mjs');
  await build({ entryPoints: [join(root, 'src/render/markdown.ts')], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'error' });
  try {
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const name = basename(input).replace(/\.report\.json$|\.json$|\.md$/, '');
const markdown = input.endsWith('.json')
  ? (await loadRenderer()).renderMarkdown(JSON.parse(readFileSync(input, 'utf8')), {
      marker: '<!-- tfguard -->',
      ...(maxLength ? { maxLength: Number(maxLength), reportLocation: 'the job summary' } : {}),
    })
  : readFileSync(input, 'utf8');

const mermaidJs = [process.env.MERMAID_JS, join(root, 'node_modules/mermaid/dist/mermaid.min.js')].find((path) => path && existsSync(path));
const mermaid = mermaidJs
  ? `<script src="${pathToFileURL(mermaidJs).href}"></script>
<script>
  for (const block of document.querySelectorAll('pre > code.language-mermaid')) {
    const target = document.createElement('div');
    target.className = 'mermaid';
    target.textContent = block.textContent;
    block.parentElement.replaceWith(target);
  }
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default' });
  mermaid.run();
</script>`
  : '';

// A few of GitHub's own Markdown styles (github-markdown-css, light): enough to judge the layout.
const css = `
body { margin: 0; background: #fff; color: #1f2328; font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
.comment { max-width: 880px; margin: 24px auto; border: 1px solid #d1d9e0; border-radius: 6px; padding: 16px 24px; }
h2 { font-size: 1.5em; border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; margin: 0 0 16px; }
h3 { font-size: 1.25em; margin: 24px 0 16px; } h4 { font-size: 1em; margin: 24px 0 12px; }
p, ul, pre, blockquote, details { margin: 0 0 16px; } ul { padding-left: 2em; } li + li { margin-top: .25em; }
code { font: 85% ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #818b981f; border-radius: 6px; padding: .2em .4em; }
pre { background: #f6f8fa; border-radius: 6px; padding: 16px; overflow: auto; } pre code { background: none; padding: 0; font-size: 85%; }
blockquote { border-left: .25em solid #d1d9e0; color: #59636e; padding: 0 1em; }
details summary { cursor: pointer; color: #0969da; } .mermaid { margin: 0 0 16px; }
.language-diff .add { color: #116329; background: #dafbe1; } .language-diff .del { color: #82071e; background: #ffebe9; }
`;
// GitHub colours diff lines; a plain viewer would not, so do the same here to judge the diff blocks.
const colourDiffs = `<script>
  for (const block of document.querySelectorAll('code.language-diff')) {
    block.innerHTML = block.innerHTML.split('\\n').map((line) => line.startsWith('+') ? '<span class="add">' + line + '</span>' : line.startsWith('-') ? '<span class="del">' + line + '</span>' : line).join('\\n');
  }
</script>`;

const body = marked.parse(markdown, { gfm: true, async: false });
const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>${name}</title><style>${css}</style></head>
<body><div class="comment">
${body}
</div>
${colourDiffs}
${mermaid}
</body></html>
`;

mkdirSync(outDir, { recursive: true });
const htmlPath = join(outDir, `${name}.html`);
writeFileSync(join(outDir, `${name}.md`), markdown);
writeFileSync(htmlPath, html);
console.log(`${htmlPath} (${markdown.length} characters of Markdown)`);

const chromium = '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.log('no /usr/bin/chromium: no screenshot (apt-get install -y chromium)');
  process.exit(0);
}
const png = join(outDir, `${name}.png`);
const result = spawnSync(
  chromium,
  [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
    '--hide-scrollbars', '--allow-file-access-from-files', '--virtual-time-budget=5000',
    `--screenshot=${png}`, `--window-size=1200,${height}`, pathToFileURL(htmlPath).href,
  ],
  { encoding: 'utf8', timeout: 120_000 },
);
if (result.status !== 0 || !existsSync(png)) {
  console.error(`chromium failed (${result.status}): ${result.stderr.trim().split('\n').slice(-3).join(' / ')}`);
  process.exit(1);
}
console.log(png);
