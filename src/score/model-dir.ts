/**
 * A model on disk (or in the object store): `model.onnx` + `model.json` (the card). Loading checks
 * the card against its schema and the ONNX bytes against the card's sha256, so a worker never
 * scores with a model whose card describes another one.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PipelineError } from '../errors.js';
import { parseModelCard, sha256Hex, type ModelCard } from '../model/index.js';

export interface ModelArtifact {
  readonly onnx: Uint8Array;
  readonly card: ModelCard;
}

/** Parses and cross-checks a card and its ONNX bytes. */
export function checkArtifact(onnx: Uint8Array, cardJson: unknown, where: string): ModelArtifact {
  let card: ModelCard;
  try {
    card = parseModelCard(cardJson);
  } catch (err) {
    throw new PipelineError('CONFIG', `${where}: model.json is not a valid model card: ${(err as Error).message}`, false, { cause: err });
  }
  const digest = sha256Hex(onnx);
  if (digest !== card.onnx.sha256) {
    throw new PipelineError('CONFIG', `${where}: model.onnx sha256 ${digest} does not match the card (${card.onnx.sha256})`, false);
  }
  return { onnx, card };
}

export function readModelDir(dir: string): ModelArtifact {
  let onnx: Buffer;
  let text: string;
  try {
    onnx = readFileSync(join(dir, 'model.onnx'));
    text = readFileSync(join(dir, 'model.json'), 'utf8');
  } catch (err) {
    throw new PipelineError('CONFIG', `cannot read a model from ${dir} (expected model.onnx and model.json): ${(err as Error).message}`, false, { cause: err });
  }
  return checkArtifact(onnx, JSON.parse(text), dir);
}

export function writeModelDir(dir: string, artifact: ModelArtifact): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.onnx'), artifact.onnx);
  writeFileSync(join(dir, 'model.json'), `${JSON.stringify(artifact.card, null, 2)}\n`);
}
