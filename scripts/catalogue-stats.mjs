#!/usr/bin/env node
// Prints the stateful catalogue's counts by provider file, category and severity (Markdown tables).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = 'policies/catalogue';
const byFile = [];
const byCategory = {};
const bySeverity = {};
const byDeletion = {};
let protections = 0;
for (const name of readdirSync(dir).filter((file) => file.endsWith('.json')).sort()) {
  const file = JSON.parse(readFileSync(join(dir, name), 'utf8'));
  const entries = Object.values(file.types);
  byFile.push([name, file.provider.join(', '), entries.length, Object.keys(file.not_stateful ?? {}).length]);
  for (const entry of entries) {
    byCategory[entry.category] = (byCategory[entry.category] ?? 0) + 1;
    bySeverity[entry.severity] = (bySeverity[entry.severity] ?? 0) + 1;
    byDeletion[entry.deletion ?? 'destroys'] = (byDeletion[entry.deletion ?? 'destroys'] ?? 0) + 1;
    if ((entry.protection ?? []).length > 0) protections += 1;
  }
}
const table = (head, rows) => [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
const sorted = (counts) => Object.entries(counts).sort((a, b) => b[1] - a[1]);
const total = byFile.reduce((sum, row) => sum + row[2], 0);
const negatives = byFile.reduce((sum, row) => sum + row[3], 0);
console.log(`${total} stateful types, ${negatives} on the negative list, ${protections} with protection attributes.\n`);
console.log(table(['file', 'providers', 'stateful', 'negative'], byFile), '\n');
console.log(table(['category', 'types'], sorted(byCategory)), '\n');
console.log(table(['severity', 'types'], sorted(bySeverity)), '\n');
console.log(table(['deletion', 'types'], sorted(byDeletion)));
