import { jsonRenderer } from './json.js';
import { junitRenderer } from './junit.js';
import { markdownRenderer } from './markdown.js';
import { sarifRenderer } from './sarif.js';
import type { Renderer } from './renderer.js';
import { textRenderer } from './text.js';

/** Every output format, by the name `--format` takes; the order is the one `--help` shows. */
export const RENDERERS = {
  text: textRenderer,
  json: jsonRenderer,
  markdown: markdownRenderer,
  sarif: sarifRenderer,
  junit: junitRenderer,
} as const satisfies Record<string, Renderer>;

export type Format = keyof typeof RENDERERS;

export const FORMATS = Object.keys(RENDERERS) as Format[];

export type { Renderer, RenderOptions } from './renderer.js';
