import { describe, expect, it } from 'vitest';
import { generateSurveys } from '../../../src/domain/generator/index.js';
import {
  featurizeBatch,
  fitSpec,
  honestV1Template,
  sourceColumns,
} from '../../../src/featurize/index.js';

// The default spec must read columns that real (here: generated) surveys actually carry.
describe('honest-v1 on generated surveys', () => {
  const rows = [...generateSurveys({ seed: 5, count: 500 })].map((s) => s.values);

  it('reads only columns that are present and mostly filled', () => {
    for (const column of sourceColumns(honestV1Template())) {
      const filled = rows.filter((v) => v[column] !== null && v[column] !== undefined).length;
      expect(filled / rows.length, column).toBeGreaterThan(0.5);
    }
  });

  it('featurizes every row without NaN', () => {
    const spec = fitSpec(honestV1Template(), rows);
    const m = featurizeBatch(spec, rows);
    expect(m.rows).toBe(500);
    expect(m.data.every((x) => Number.isFinite(x))).toBe(true);
  });
});
