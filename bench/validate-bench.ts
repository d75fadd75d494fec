/**
 * Validation cost per record: the 169 rules and the quality score on generated surveys.
 *
 *   npm run bench validate [-- --rows 30000]
 */
import { parseArgs } from 'node:util';
import { generateSurveys } from '../src/domain/generator/index.js';
import { validateSurvey } from '../src/validate/index.js';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '30000' } } });
const rows = Number(values.rows);
const surveys = [...generateSurveys({ seed: 3, count: rows })].map((s) => s.values);
const runs: number[] = [];
let invalid = 0;
for (let r = 0; r < 5; r++) {
  invalid = 0;
  const t = performance.now();
  for (const v of surveys) if (!validateSurvey(v).valid) invalid += 1;
  runs.push(performance.now() - t);
}
const median = [...runs].sort((a, b) => a - b)[2]!;
console.log(JSON.stringify({ rows, invalid, median_ms: Math.round(median), us_per_record: Number(((median * 1000) / rows).toFixed(1)), records_per_s: Math.round(rows / (median / 1000)) }));
