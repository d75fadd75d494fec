/** Starts the trainer role on the infrastructure, and the workers' model watcher. */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Infrastructure } from '../runtime.js';
import { objectStoreFor, openRegistry } from '../registry/context.js';
import { getArtifact } from '../registry/artifacts.js';
import { watchModelPointers } from '../registry/model-watch.js';
import { openModelsKv } from '../registry/pointers.js';
import { readModelDir } from '../score/model-dir.js';
import type { ModelHolder } from '../score/score-step.js';
import { KvLease } from './lease.js';
import { Trainer } from './trainer.js';

/** Starts a trainer (check loop, control service, baseline registration). */
export async function startTrainerRole(infra: Infrastructure): Promise<Trainer> {
  const id = `trainer-${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const registry = await openRegistry(infra, id);
  const kv = await openModelsKv(infra.bus.js);
  const { cfg } = infra;
  const trainer = new Trainer({
    cfg: cfg.trainer,
    ch: infra.ch,
    nc: infra.bus.nc,
    js: infra.bus.js,
    registry,
    lease: new KvLease(kv, id, cfg.trainer.leaseTtlMs),
    log: infra.log.child({ stage: 'trainer', trainer: id }),
    ...(cfg.model.path === 'none' ? {} : { baseline: () => readModelDir(resolve(cfg.model.path)) }),
  });
  infra.stack.use('trainer', trainer);
  await trainer.start();
  return trainer;
}

/** Hot swap for a worker's holder from KV `models` (`active`, `shadow`). */
export async function startModelWatch(infra: Infrastructure, holder: ModelHolder): Promise<AsyncDisposable> {
  const [kv, store] = await Promise.all([openModelsKv(infra.bus.js), objectStoreFor(infra)]);
  return watchModelPointers({
    kv,
    holder,
    load: (name, version) => getArtifact(store, name, version),
    log: infra.log.child({ stage: 'model-watch' }),
    intraOpNumThreads: infra.cfg.model.intraOpThreads,
  });
}
