import type { Format } from './formats.js';
import { jsonRenderer } from './json.js';
import { junitRenderer } from './junit.js';
import { markdownRenderer } from './markdown.js';
import type { Renderer } from './renderer.js';
import { sarifRenderer } from './sarif.js';
import { textRenderer } from './text.js';

/** Every renderer at once, by format name (./formats.ts lists the formats and loads one lazily). */
export const RENDERERS = {
  text: textRenderer,
  json: jsonRenderer,
  markdown: markdownRenderer,
  sarif: sarifRenderer,
  junit: junitRenderer,
} as const satisfies Record<Format, Renderer>;

export { FORMATS, loadRenderer, type Format } from './formats.js';
export type { Renderer, RenderOptions } from './renderer.js';
