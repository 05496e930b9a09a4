import type { Report } from '../report/report.js';
import type { Palette } from './palette.js';

export interface RenderOptions {
  /** Colours for formats that have them (text); PLAIN when writing to a file or a pipe. */
  palette: Palette;
}

/**
 * One output format: a pure function of the report. It yields the output in pieces, so a report
 * far larger than one JavaScript string can hold is still written whole.
 */
export interface Renderer {
  name: string;
  /** One line for `--help`. */
  describe: string;
  render(report: Report, options: RenderOptions): Iterable<string>;
}

/** The whole output as one string: for tests and small reports. */
export function renderToString(renderer: Renderer, report: Report, options: RenderOptions): string {
  let text = '';
  for (const piece of renderer.render(report, options)) text += piece;
  return text;
}
