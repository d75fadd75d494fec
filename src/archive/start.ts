/** Starts the archiver role on the infrastructure (consumer `archive`, store from `cfg.objectStore`). */
import type { Infrastructure } from '../runtime.js';
import { durableConsumer } from '../bus/nats.js';
import { objectStoreFor } from '../registry/context.js';
import { Archiver } from './archiver.js';

/** Starts an archiver; it finishes its batch and acks before the infrastructure closes. */
export async function startArchiverRole(infra: Infrastructure): Promise<Archiver> {
  const consumer = await durableConsumer(infra.bus.js, 'SURVEYS', 'archive');
  const store = await objectStoreFor(infra);
  const archiver = new Archiver(infra.cfg.archive, { consumer, store, pii: infra.pii, log: infra.log.child({ stage: 'archive' }), metrics: infra.metrics });
  infra.stack.use('archiver', archiver);
  archiver.start();
  infra.log.info({ store: store.location, ...infra.cfg.archive }, 'archiver started');
  return archiver;
}
