import type { Renderer } from './renderer.js';

/**
 * Every output format, by the name `--format` takes, in the order `--help` shows, each loaded on
 * first use: a run that prints text does not parse the Markdown, SARIF and JUnit renderers (and the
 * diff library) at start-up. `RENDERERS` in ./index.ts holds them all at once, for the library,
 * the Action bundle and tests.
 */
export const RENDERER_LOADERS = {
  text: async () => (await import('./text.js')).textRenderer,
  json: async () => (await import('./json.js')).jsonRenderer,
  markdown: async () => (await import('./markdown.js')).markdownRenderer,
  sarif: async () => (await import('./sarif.js')).sarifRenderer,
  junit: async () => (await import('./junit.js')).junitRenderer,
} as const satisfies Record<string, () => Promise<Renderer>>;

export type Format = keyof typeof RENDERER_LOADERS;

export const FORMATS = Object.keys(RENDERER_LOADERS) as Format[];

export function loadRenderer(format: Format): Promise<Renderer> {
  return RENDERER_LOADERS[format]();
}
