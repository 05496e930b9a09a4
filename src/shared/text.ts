/** Text without a leading byte-order mark (editors on Windows write one; JSON.parse and hcl2json reject it). */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
