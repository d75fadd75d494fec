import { describe, expect, it } from 'vitest';
import { archiveKey, groupByPartition, partitionOf } from '../../../src/archive/partition.js';
import { protectJson } from '../../../src/archive/archive-record.js';
import { PiiProtector, generateKeySpec, parseKeyRing } from '../../../src/protect/pii.js';

describe('archive partitions', () => {
  it('partitions by UTC stream date and hour', () => {
    expect(partitionOf(Date.parse('2026-03-01T23:59:59.999Z'))).toBe('date=2026-03-01/hour=23');
    expect(partitionOf(Date.parse('2026-03-02T00:00:00Z'))).toBe('date=2026-03-02/hour=00');
  });

  it('names a batch by its zero-padded stream sequence range', () => {
    expect(archiveKey('date=2026-03-01/hour=07', 12, 3456)).toBe('raw/date=2026-03-01/hour=07/000000000012-000000003456.ndjson.gz');
  });

  it('groups in order', () => {
    const t = (iso: string): number => Date.parse(iso);
    const groups = groupByPartition([t('2026-01-01T01:10:00Z'), t('2026-01-01T02:00:00Z'), t('2026-01-01T01:20:00Z')], (x) => x);
    expect([...groups.keys()]).toEqual(['date=2026-01-01/hour=01', 'date=2026-01-01/hour=02']);
    expect(groups.get('date=2026-01-01/hour=01')).toHaveLength(2);
  });
});

describe('archive record protection', () => {
  const pii = new PiiProtector(parseKeyRing(generateKeySpec('k1')));
  const json = {
    submission_id: 's-1',
    device_id: 'tablet-7',
    field_officer_id: 'officer-3',
    District: 'Kanungu',
    Cluster: 'Cluster A',
    Village: 'Village B',
    HouseHoldID: 'HH-0001',
    HouseholdSize: 5,
  };

  it('keeps no personal field in clear and adds the same join keys as the surveys table', () => {
    const out = protectJson(json, pii);
    const text = JSON.stringify(out);
    for (const clear of ['tablet-7', 'officer-3', 'Cluster A', 'Village B', 'HH-0001']) expect(text).not.toContain(clear);
    expect(out).toMatchObject({
      submission_id: 's-1',
      District: 'Kanungu',
      HouseholdSize: 5,
      household_key: pii.hash('HH-0001'),
      village_key: pii.hash('Village B'),
      cluster_key: pii.hash('Cluster A'),
      device_key: pii.hash('tablet-7'),
      officer_key: pii.hash('officer-3'),
    });
    expect(pii.decrypt(out['household_id_enc'] as string).toString()).toBe('HH-0001');
  });
});
