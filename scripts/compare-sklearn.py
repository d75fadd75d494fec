#!/usr/bin/python3
"""Fit scikit-learn baselines on matrices written by scripts/compare-sklearn.ts and report AUCs.

Usage: /usr/bin/python3 scripts/compare-sklearn.py DIR
DIR holds meta.json, X_train.f32, y_train.u8, X_test.f32, y_test.u8 (little-endian, row-major)
and the TypeScript test-set probabilities p_gbdt.f64 / p_lr.f64. Prints one JSON object:
sklearn HistGradientBoostingClassifier and LogisticRegression test ROC AUC and fit times, plus
scikit-learn's own AUC of the TypeScript probabilities (a cross-check of our metric code).
"""
import json
import os
import sys
import time

import numpy as np
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def load(d, name, dtype, shape):
    return np.fromfile(os.path.join(d, name), dtype=dtype).reshape(shape)


def main(d):
    with open(os.path.join(d, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    cols, ntr, nte = meta["cols"], meta["train_rows"], meta["test_rows"]
    x_train = load(d, "X_train.f32", "<f4", (ntr, cols))
    y_train = load(d, "y_train.u8", np.uint8, (ntr,))
    x_test = load(d, "X_test.f32", "<f4", (nte, cols))
    y_test = load(d, "y_test.u8", np.uint8, (nte,))
    p = meta["gbdt_params"]

    hgb = HistGradientBoostingClassifier(
        loss="log_loss",
        learning_rate=p["learningRate"],
        max_iter=p["nEstimators"],
        max_leaf_nodes=None,  # depth-limited trees, like the TypeScript GBDT
        max_depth=p["maxDepth"],
        min_samples_leaf=p["minSamplesLeaf"],
        l2_regularization=p["lambda"],
        max_bins=p["maxBins"],
        early_stopping=p["earlyStoppingRounds"] > 0,
        validation_fraction=p["validationFraction"],
        n_iter_no_change=max(1, p["earlyStoppingRounds"]),
        scoring="loss",
        random_state=p["seed"],
    )
    t = time.perf_counter()
    hgb.fit(x_train, y_train)
    hgb_seconds = time.perf_counter() - t
    hgb_auc = roc_auc_score(y_test, hgb.predict_proba(x_test)[:, 1])

    lr = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000))
    t = time.perf_counter()
    lr.fit(x_train, y_train)
    lr_seconds = time.perf_counter() - t
    lr_auc = roc_auc_score(y_test, lr.predict_proba(x_test)[:, 1])

    p_gbdt = load(d, "p_gbdt.f64", "<f8", (nte,))
    p_lr = load(d, "p_lr.f64", "<f8", (nte,))
    json.dump(
        {
            "sklearn_version": sklearn.__version__,
            "numpy_version": np.__version__,
            "hgb": {"auc": hgb_auc, "seconds": hgb_seconds, "n_iter": int(hgb.n_iter_)},
            "lr": {"auc": lr_auc, "seconds": lr_seconds},
            "ts_auc_by_sklearn": {
                "gbdt": roc_auc_score(y_test, p_gbdt),
                "lr": roc_auc_score(y_test, p_lr),
            },
        },
        sys.stdout,
    )
    print()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: compare-sklearn.py DIR", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
