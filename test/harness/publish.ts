/** Publishes generated surveys straight to JetStream as JSON records (the file-ingestion form). */
import { headers as natsHeaders } from '@nats-io/transport-node';
import type { JetStreamClient } from '@nats-io/jetstream';
import { Headers, subjects } from '../../src/bus/subjects.js';
import { toNdjsonLine, type GeneratedSurvey } from '../../src/domain/generator/index.js';

/** `ingestionId` tags the records as rows of that file upload (as the gateway does). */
export async function publishJsonSurveys(js: JetStreamClient, surveys: readonly GeneratedSurvey[], window = 500, ingestionId?: string): Promise<{ duplicates: number }> {
  let duplicates = 0;
  for (let i = 0; i < surveys.length; i += window) {
    const acks = surveys.slice(i, i + window).map((s) => {
      const h = natsHeaders();
      h.set('Content-Type', 'application/json');
      if (ingestionId) h.set(Headers.ingestionId, ingestionId);
      const district = typeof s.values['District'] === 'string' ? s.values['District'] : null;
      return js.publish(subjects.raw(district), toNdjsonLine(s), { msgID: s.meta.submissionId, headers: h });
    });
    for (const ack of await Promise.all(acks)) if (ack.duplicate) duplicates += 1;
  }
  return { duplicates };
}
