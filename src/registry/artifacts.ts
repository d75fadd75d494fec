/**
 * Model artifacts in the object store: `models/<name>/<version>/model.onnx` + `model.json` (the
 * card). The card is written last, so a reader that finds the card finds the ONNX it describes;
 * loading checks the sha256 (`checkArtifact`), so a half-written or foreign pair is refused.
 */
import { PipelineError } from '../errors.js';
import { checkArtifact, type ModelArtifact } from '../score/model-dir.js';
import type { ObjectStore } from '../store/index.js';

/** Object keys of a model version. */
export function modelKeys(name: string, version: string): { onnx: string; card: string } {
  const base = `models/${name}/${version}`;
  return { onnx: `${base}/model.onnx`, card: `${base}/model.json` };
}

/** Stores an artifact under its card's name and version. */
export async function putArtifact(store: ObjectStore, artifact: ModelArtifact): Promise<void> {
  const keys = modelKeys(artifact.card.name, artifact.card.version);
  const metadata = { sha256: artifact.card.onnx.sha256, version: artifact.card.version };
  await store.put(keys.onnx, artifact.onnx, { contentType: 'application/octet-stream', metadata });
  await store.put(keys.card, `${JSON.stringify(artifact.card, null, 2)}\n`, { contentType: 'application/json', metadata });
}

/** Loads and cross-checks an artifact; `NOT_FOUND` when the version was never stored. */
export async function getArtifact(store: ObjectStore, name: string, version: string): Promise<ModelArtifact> {
  const keys = modelKeys(name, version);
  const [onnx, card] = await Promise.all([store.get(keys.onnx), store.get(keys.card)]);
  let json: unknown;
  try {
    json = JSON.parse(card.toString('utf8'));
  } catch (err) {
    throw new PipelineError('CONFIG', `${store.location}/${keys.card} is not JSON`, false, { cause: err });
  }
  return checkArtifact(new Uint8Array(onnx), json, `${store.location}/models/${name}/${version}`);
}
