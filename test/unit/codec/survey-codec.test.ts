import { describe, expect, it } from 'vitest';
import { Survey } from '../../../src/gen/surveystream/v1/survey.js';
import { SURVEY_FIELDS, protoToCamel } from '../../../src/domain/fields.js';
import { surveyFromProto, surveyToProto } from '../../../src/domain/survey-codec.js';
import { recordFromJson, recordToJson } from '../../../src/domain/survey-json.js';

describe('field table', () => {
  it('maps every dictionary column to a generated proto property', () => {
    const props = Object.keys(Survey.fromPartial({}));
    for (const f of SURVEY_FIELDS) expect(props).toContain(protoToCamel(f.proto));
    expect(SURVEY_FIELDS).toHaveLength(73);
  });
});

describe('survey codec', () => {
  const record = {
    meta: { submissionId: 's1', deviceId: 'DEV-0001', fieldOfficerId: 'FO-001', surveyDate: '2025-01-06', appVersion: '2.3.1', schemaVersion: '1' },
    values: { District: 'Kanungu', HouseholdSize: 5, Season2VegatableIncome: 10.5, 'HHIncome+Consumption+Residues/Day': 1.9, food_banana_wilt_diseases: '1 2', TimeToOPD: null },
  };

  it('round-trips a record through the wire format', () => {
    const { survey, errors } = surveyToProto(record);
    expect(errors).toEqual([]);
    const back = surveyFromProto(Survey.decode(Survey.encode(survey).finish()));
    expect(back.meta.submissionId).toBe('s1');
    for (const [k, v] of Object.entries(record.values)) expect(back.values[k]).toBe(v);
  });

  it('reports values that cannot travel in a typed message', () => {
    const { errors } = surveyToProto({ ...record, values: { HouseholdSize: 'abc', District: 5, daily_meals: 2.5 } });
    expect(errors).toHaveLength(3);
  });

  it('reads and writes the JSON form with original names and metadata', () => {
    const json = recordToJson(record);
    expect(json['submission_id']).toBe('s1');
    const { record: back, unknownKeys } = recordFromJson({ ...json, extra: 1, Season2VegetableIncome: 3 });
    expect(unknownKeys).toEqual(['extra']);
    expect(back.values['Season2VegatableIncome']).toBe(3);
  });
});
