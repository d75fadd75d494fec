/**
 * GBDT → ai.onnx.ml TreeEnsembleClassifier (v3), binary layout as produced by sklearn-onnx:
 * classlabels_int64s [0, 1], every leaf votes for class id 0 with its raw-score weight,
 * base_values [baseScore], post_transform LOGISTIC → probabilities [1 − p, p].
 */
import type { GbdtModel, Tree } from '../train/index.js';
import { attr, classifierIo, encodeModel, ML_DOMAIN } from './onnx-proto.js';

/** Extra metadata stored in the ONNX file. */
export interface ExportOptions {
  /** Model name/version go to metadata_props; the version also feeds ModelProto.model_version when integral. */
  readonly name?: string;
  readonly version?: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

interface TreeAttrs {
  treeIds: number[];
  nodeIds: number[];
  featureIds: number[];
  modes: string[];
  values: number[];
  trueIds: number[];
  falseIds: number[];
  missingTrue: number[];
  classTreeIds: number[];
  classNodeIds: number[];
  classWeights: number[];
}

function addTree(a: TreeAttrs, tree: Tree, treeId: number): void {
  tree.feature.forEach((f, node) => {
    const leaf = f < 0;
    a.treeIds.push(treeId);
    a.nodeIds.push(node);
    a.featureIds.push(leaf ? 0 : f);
    a.modes.push(leaf ? 'LEAF' : 'BRANCH_LEQ');
    a.values.push(leaf ? 0 : tree.threshold[node]!);
    a.trueIds.push(leaf ? 0 : tree.left[node]!);
    a.falseIds.push(leaf ? 0 : tree.right[node]!);
    a.missingTrue.push(!leaf && tree.missingLeft[node] ? 1 : 0);
    if (leaf) {
      a.classTreeIds.push(treeId);
      a.classNodeIds.push(node);
      a.classWeights.push(tree.value[node]!);
    }
  });
}

function treeAttributes(model: GbdtModel): TreeAttrs {
  const a: TreeAttrs = {
    treeIds: [],
    nodeIds: [],
    featureIds: [],
    modes: [],
    values: [],
    trueIds: [],
    falseIds: [],
    missingTrue: [],
    classTreeIds: [],
    classNodeIds: [],
    classWeights: [],
  };
  model.trees.forEach((t, i) => addTree(a, t, i));
  return a;
}

/**
 * Exports a trained GBDT as an ONNX model (IR 8, opset 15, ai.onnx.ml 3).
 * Input `features` float [N, F]; outputs `label` int64 [N] and `probabilities` float [N, 2].
 * Thresholds and leaf weights are already float32-exact in the model, so onnxruntime and
 * {@link gbdtPredictProba} take the same branches; NaN follows the learned default direction
 * (`nodes_missing_value_tracks_true`), though the featurizer never emits NaN.
 */
export function exportGbdtToOnnx(
  model: GbdtModel,
  featureNames: readonly string[],
  opts: ExportOptions = {},
): Uint8Array {
  if (featureNames.length !== model.nFeatures) {
    throw new RangeError(`expected ${model.nFeatures} feature names, got ${featureNames.length}`);
  }
  const a = treeAttributes(model);
  const node = {
    name: 'gbdt',
    opType: 'TreeEnsembleClassifier',
    domain: ML_DOMAIN,
    input: ['features'],
    output: ['label', 'probabilities'],
    attribute: [
      attr.ints('classlabels_int64s', [0, 1]),
      attr.ints('nodes_treeids', a.treeIds),
      attr.ints('nodes_nodeids', a.nodeIds),
      attr.ints('nodes_featureids', a.featureIds),
      attr.strings('nodes_modes', a.modes),
      attr.floats('nodes_values', a.values),
      attr.ints('nodes_truenodeids', a.trueIds),
      attr.ints('nodes_falsenodeids', a.falseIds),
      attr.ints('nodes_missing_value_tracks_true', a.missingTrue),
      attr.ints('class_treeids', a.classTreeIds),
      attr.ints('class_nodeids', a.classNodeIds),
      attr.ints(
        'class_ids',
        a.classTreeIds.map(() => 0),
      ),
      attr.floats('class_weights', a.classWeights),
      attr.floats('base_values', [model.baseScore]),
      attr.string('post_transform', 'LOGISTIC'),
    ],
  };
  return encodeModel([node], classifierIo(model.nFeatures), {
    graphName: 'surveystream_gbdt',
    docString: `GBDT binary classifier, ${model.trees.length} trees; probabilities[:, 1] = P(vulnerable)`,
    metadata: {
      model_type: 'gbdt',
      feature_names: JSON.stringify(featureNames),
      ...(opts.name ? { name: opts.name } : {}),
      ...(opts.version ? { version: opts.version } : {}),
      ...opts.metadata,
    },
  });
}
