/**
 * JSON.parse keeps the last of two equal keys without a word, so a policy with a duplicated
 * rule name would silently lose a rule. This scans JSON text (already known to parse) for keys
 * repeated within one object and returns their paths and lines.
 */
export interface DuplicateKey {
  path: string[];
  line: number;
}

export function findDuplicateKeys(text: string): DuplicateKey[] {
  const duplicates: DuplicateKey[] = [];
  const stack: { keys: Set<string> | null; path: string[]; key?: string }[] = [];
  let line = 1;
  let expectingKey = false;
  for (let index = 0; index < text.length; index += 1) {
    const ch = text[index]!;
    if (ch === '\n') line += 1;
    else if (ch === '{' || ch === '[') {
      const parent = stack.at(-1);
      const path = parent ? (parent.key !== undefined ? [...parent.path, parent.key] : parent.path) : [];
      stack.push({ keys: ch === '{' ? new Set() : null, path });
      expectingKey = ch === '{';
    } else if (ch === '}' || ch === ']') {
      stack.pop();
      expectingKey = false;
    } else if (ch === ',') {
      expectingKey = stack.at(-1)?.keys !== null;
    } else if (ch === '"') {
      let end = index + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const frame = stack.at(-1);
      if (expectingKey && frame?.keys) {
        const key = JSON.parse(text.slice(index, end + 1)) as string;
        if (frame.keys.has(key)) duplicates.push({ path: [...frame.path, key], line });
        frame.keys.add(key);
        frame.key = key;
        expectingKey = false;
      }
      for (let scan = index; scan < end; scan += 1) if (text[scan] === '\n') line += 1;
      index = end;
    }
  }
  return duplicates;
}
