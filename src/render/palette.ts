export interface Palette {
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

const COLOURS: Palette = {
  red: wrap(31, 39),
  yellow: wrap(33, 39),
  green: wrap(32, 39),
  cyan: wrap(36, 39),
  bold: wrap(1, 22),
  dim: wrap(2, 22),
};

const identity = (text: string) => text;
const PLAIN: Palette = { red: identity, yellow: identity, green: identity, cyan: identity, bold: identity, dim: identity };

/** Colours only on a terminal, and never when NO_COLOR is set (https://no-color.org); FORCE_COLOR forces them. */
export function choosePalette(isTTY: boolean, env: NodeJS.ProcessEnv): Palette {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return PLAIN;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== '') return COLOURS;
  return isTTY && env.TERM !== 'dumb' ? COLOURS : PLAIN;
}

export { PLAIN };
