/**
 * Hot swap: a worker watches KV `models` keys `active` and `shadow` and swaps its ONNX sessions
 * in the {@link ModelHolder}. The score step reads the holder once per micro-batch, so a swap lands
 * between batches: no record is dropped, scored twice or attributed to the wrong version. A model
 * that cannot be loaded is logged and the old one keeps scoring.
 */
import type { KV, KvWatchEntry } from '@nats-io/kv';
import type { ModelArtifact } from '../score/model-dir.js';
import { Scorer } from '../score/scorer.js';
import type { ModelHolder } from '../score/score-step.js';
import type { Logger } from '../telemetry/log.js';
import { parsePointer, PointerKey } from './pointers.js';

/** What the watcher needs. */
export interface ModelWatchDeps {
  readonly kv: KV;
  readonly holder: ModelHolder;
  readonly load: (name: string, version: string) => Promise<ModelArtifact>;
  readonly log: Logger;
  readonly intraOpNumThreads?: number;
}

async function apply(d: ModelWatchDeps, e: KvWatchEntry): Promise<void> {
  const champion = e.key === PointerKey.active;
  const pointer = e.operation === 'PUT' ? parsePointer(e.value) : undefined;
  const current = champion ? d.holder.champion : d.holder.shadow;
  if (!pointer) {
    if (!champion && current) {
      d.holder.swapShadow(undefined);
      d.log.info({ version: current.version }, 'shadow model removed');
    }
    return; // an unset `active` keeps the model the worker started with
  }
  if (current && current.card.name === pointer.name && current.version === pointer.version) return;
  const scorer = await Scorer.create(await d.load(pointer.name, pointer.version), { intraOpNumThreads: d.intraOpNumThreads ?? 1 });
  if (champion) d.holder.swapChampion(scorer);
  else d.holder.swapShadow(scorer);
  d.log.info({ role: champion ? 'champion' : 'shadow', model: pointer.name, version: pointer.version, from: current?.version }, 'model hot-swapped');
}

/** Starts watching; dispose stops the watch. Entries are applied one at a time, in order. */
export async function watchModelPointers(d: ModelWatchDeps): Promise<AsyncDisposable> {
  const watch = await d.kv.watch();
  const done = (async () => {
    for await (const e of watch) {
      if (e.key !== PointerKey.active && e.key !== PointerKey.shadow) continue;
      await apply(d, e).catch((err: unknown) => d.log.error({ err, key: e.key }, 'model swap failed; keeping the current model'));
    }
  })();
  return {
    async [Symbol.asyncDispose]() {
      watch.stop();
      await done.catch(() => undefined);
    },
  };
}

/** Calls `onChange(name, version)` for every value KV `active` takes (the current one first). */
export async function watchActivePointer(kv: KV, onChange: (name: string, version: string) => void): Promise<AsyncDisposable> {
  const watch = await kv.watch({ key: PointerKey.active });
  const done = (async () => {
    for await (const e of watch) {
      const pointer = e.operation === 'PUT' ? parsePointer(e.value) : undefined;
      if (pointer) onChange(pointer.name, pointer.version);
    }
  })();
  return {
    async [Symbol.asyncDispose]() {
      watch.stop();
      await done.catch(() => undefined);
    },
  };
}
