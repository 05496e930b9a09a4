import { jsonSafe } from '../shared/escape.js';
import type { Renderer } from './renderer.js';

const BATCH = 1000;

/**
 * The versioned report (schemas/report-v1.schema.json): compact JSON on one line, unsafe
 * characters escaped. Byte for byte what JSON.stringify(report) gives, but written a key at a time
 * and long lists a batch at a time, so no single string grows with the plan.
 */
export const jsonRenderer: Renderer = {
  name: 'json',
  describe: 'the versioned report (schemas/report-v1.schema.json)',
  *render(report) {
    let separator = '{';
    for (const [key, value] of Object.entries(report)) {
      if (value === undefined) continue;
      const name = `${separator}${JSON.stringify(key)}:`;
      separator = ',';
      if (!Array.isArray(value) || value.length <= BATCH) {
        yield jsonSafe(`${name}${JSON.stringify(value)}`);
        continue;
      }
      yield `${name}[`;
      for (let start = 0; start < value.length; start += BATCH) {
        const batch = value.slice(start, start + BATCH).map((item) => JSON.stringify(item) ?? 'null');
        yield jsonSafe(`${start === 0 ? '' : ','}${batch.join(',')}`);
      }
      yield ']';
    }
    yield separator === '{' ? '{}\n' : '}\n';
  },
};
