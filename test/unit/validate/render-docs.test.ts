import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../../src/validate/index.js';
import {
  VALIDATION_DOCS_PATH,
  formattedValidationDocs,
  renderValidationDocs,
} from '../../../src/validate/render-docs.js';

describe('renderValidationDocs', () => {
  it('lists every rule id with its severity and kind', () => {
    const md = renderValidationDocs();
    for (const r of RULES) expect(md).toContain(`| \`${r.id}\` | ${r.severity} | ${r.kind} |`);
    expect(md).toContain('## Quality score');
  });

  it('matches docs/validation.md (regenerate with `npx tsx src/validate/render-docs.ts`)', async () => {
    expect(readFileSync(VALIDATION_DOCS_PATH, 'utf8')).toBe(await formattedValidationDocs());
  });
});
