/**
 * Registry handles built from the infrastructure: the object store (one per infrastructure,
 * disposed with it), the KV bucket and a {@link ModelRegistry} for the configured model.
 */
import { join } from 'node:path';
import type { Infrastructure } from '../runtime.js';
import { openObjectStore, type ObjectStore } from '../store/index.js';
import type { ModelArtifact } from '../score/model-dir.js';
import { getArtifact } from './artifacts.js';
import { openModelsKv, readPointer, PointerKey } from './pointers.js';
import { ModelRegistry } from './registry.js';

const stores = new WeakMap<Infrastructure, Promise<ObjectStore>>();

/** The object store of `cfg.objectStore` (local `<dataDir>/objects` by default), opened once per infrastructure. */
export function objectStoreFor(infra: Infrastructure): Promise<ObjectStore> {
  let store = stores.get(infra);
  if (!store) {
    const o = infra.cfg.objectStore;
    store = openObjectStore({
      dir: o.dir ?? join(infra.cfg.dataDir, 'objects'),
      forcePathStyle: o.forcePathStyle,
      ...(o.url ? { url: o.url } : {}),
      ...(o.endpoint ? { endpoint: o.endpoint } : {}),
      ...(o.region ? { region: o.region } : {}),
      ...(o.accessKeyId ? { accessKeyId: o.accessKeyId } : {}),
      ...(o.secretAccessKey ? { secretAccessKey: o.secretAccessKey } : {}),
    }).then((s) => infra.stack.use('object-store', s));
    store.catch(() => stores.delete(infra));
    stores.set(infra, store);
  }
  return store;
}

/** The registry of `cfg.trainer.modelName`, acting as `actor`. */
export async function openRegistry(infra: Infrastructure, actor: string): Promise<ModelRegistry> {
  const [kv, store] = await Promise.all([openModelsKv(infra.bus.js), objectStoreFor(infra)]);
  return new ModelRegistry({ ch: infra.ch, js: infra.bus.js, kv, store, name: infra.cfg.trainer.modelName, actor });
}

/** The artifact KV `active` names, or `undefined` when no model has been registered yet. */
export async function activeArtifact(infra: Infrastructure): Promise<ModelArtifact | undefined> {
  const pointer = await readPointer(await openModelsKv(infra.bus.js), PointerKey.active);
  if (!pointer) return undefined;
  return getArtifact(await objectStoreFor(infra), pointer.name, pointer.version);
}
