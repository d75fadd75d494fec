/**
 * Thin helpers over onnx-proto (static protobufjs code for ONNX 1.10): attributes, tensor types
 * and the model envelope we use everywhere: IR 8, opset "" 15, ai.onnx.ml 3.
 */
import onnxProto from 'onnx-proto';

const P = onnxProto.onnx;
const A = P.AttributeProto.AttributeType;
const utf8 = new TextEncoder();

/** IR version written into every model (ONNX 1.10 = IR 8, accepted by onnx 1.12 and onnxruntime). */
export const IR_VERSION = 8;
/** Default-domain opset. */
export const OPSET = 15;
/** ai.onnx.ml opset (TreeEnsembleClassifier v3, LinearClassifier v1, Scaler v1). */
export const ML_OPSET = 3;
/** Domain of the classical-ML operators. */
export const ML_DOMAIN = 'ai.onnx.ml';

/** ONNX attribute (onnx-proto interface). */
export type Attribute = onnxProto.onnx.IAttributeProto;
/** ONNX node (onnx-proto interface). */
export type Node = onnxProto.onnx.INodeProto;
/** ONNX value info (onnx-proto interface). */
export type ValueInfo = onnxProto.onnx.IValueInfoProto;

/** Typed attribute builders. */
export const attr = {
  int: (name: string, i: number): Attribute => ({ name, type: A.INT, i }),
  ints: (name: string, ints: readonly number[]): Attribute => ({
    name,
    type: A.INTS,
    ints: [...ints],
  }),
  floats: (name: string, floats: readonly number[]): Attribute => ({
    name,
    type: A.FLOATS,
    floats: [...floats],
  }),
  string: (name: string, s: string): Attribute => ({ name, type: A.STRING, s: utf8.encode(s) }),
  strings: (name: string, ss: readonly string[]): Attribute => ({
    name,
    type: A.STRINGS,
    strings: ss.map((s) => utf8.encode(s)),
  }),
};

/** Element types used here. */
export const ElemType = {
  float: P.TensorProto.DataType.FLOAT,
  int64: P.TensorProto.DataType.INT64,
} as const;

/** A tensor value-info; a string dim is symbolic (e.g. the batch dimension "N"). */
export function tensorInfo(
  name: string,
  elemType: number,
  dims: readonly (number | string)[],
): ValueInfo {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: {
          dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })),
        },
      },
    },
  };
}

/** Standard graph signature: input `features` float [N, F]; outputs `label` int64 [N], `probabilities` float [N, 2]. */
export function classifierIo(nFeatures: number): { inputs: ValueInfo[]; outputs: ValueInfo[] } {
  return {
    inputs: [tensorInfo('features', ElemType.float, ['N', nFeatures])],
    outputs: [
      tensorInfo('label', ElemType.int64, ['N']),
      tensorInfo('probabilities', ElemType.float, ['N', 2]),
    ],
  };
}

/** Options for the model envelope. */
export interface EnvelopeOptions {
  readonly graphName: string;
  readonly docString: string;
  readonly modelVersion?: number;
  /** Stored as ModelProto.metadata_props (string values). */
  readonly metadata: Readonly<Record<string, string>>;
}

/** Serialises a one-graph model with our IR/opset choices. */
export function encodeModel(
  nodes: Node[],
  io: { inputs: ValueInfo[]; outputs: ValueInfo[] },
  opts: EnvelopeOptions,
): Uint8Array {
  const model = P.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: 'surveystream',
    producerVersion: '1',
    modelVersion: opts.modelVersion ?? 1,
    docString: opts.docString,
    opsetImport: [
      { domain: '', version: OPSET },
      { domain: ML_DOMAIN, version: ML_OPSET },
    ],
    metadataProps: Object.entries(opts.metadata).map(([key, value]) => ({ key, value })),
    graph: { name: opts.graphName, node: nodes, input: io.inputs, output: io.outputs },
  });
  return P.ModelProto.encode(model).finish();
}

/** Decodes ONNX bytes (for inspection and tests). */
export function decodeModel(bytes: Uint8Array): onnxProto.onnx.ModelProto {
  return P.ModelProto.decode(bytes);
}
