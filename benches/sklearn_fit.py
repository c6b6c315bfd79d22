#!/usr/bin/env python3
"""Fits scikit-learn's LogisticRegression (lbfgs) on an oordeel database's labelled cases,
encoded as oordeel encodes them for its fit (src/model/features.rs): each categorical one-hot
with a column for every level (oordeel drops none), every column standardised on the fitting
part, L2 with C = 1/l2, fitted on the same shares (25% held out, 20% of the rest for
calibration; scikit-learn draws its own split, so the held-out sets are not oordeel's).
Prints the fit's seconds alone, the matrix's shape and the held-out AUC as one JSON line.

Usage: python3 benches/sklearn_fit.py DB [l2]   (needs numpy and scikit-learn)
"""
import json
import sqlite3
import sys
import time

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split


def main():
    db = sys.argv[1]
    l2 = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
    con = sqlite3.connect(db)
    names = json.loads(con.execute("SELECT value FROM settings WHERE key = 'features'").fetchone()[0])
    rows = con.execute("SELECT coalesce(scored_features, features), outcome FROM cases"
                       " WHERE outcome IS NOT NULL ORDER BY id").fetchall()
    values = [json.loads(f) for f, _ in rows]
    y = np.array([o for _, o in rows], dtype=np.int8)
    columns = []
    for j, (_, categorical) in enumerate(names):
        column = [r[j] for r in values]
        if categorical:
            levels = sorted(set(column))
            for level in levels:
                columns.append(np.fromiter((v == level for v in column), dtype=float, count=len(column)))
        else:
            columns.append(np.array(column, dtype=float))
    x = np.column_stack(columns)
    rest_x, test_x, rest_y, test_y = train_test_split(x, y, test_size=0.25, stratify=y, random_state=2026)
    fit_x, _, fit_y, _ = train_test_split(rest_x, rest_y, test_size=0.20, stratify=rest_y, random_state=2027)
    mean, sd = fit_x.mean(0), fit_x.std(0)
    sd[sd == 0] = 1
    started = time.perf_counter()
    model = LogisticRegression(C=1.0 / l2, solver="lbfgs", tol=1e-8, max_iter=10000)
    model.fit((fit_x - mean) / sd, fit_y)
    fit_seconds = time.perf_counter() - started
    auc = roc_auc_score(test_y, model.predict_proba((test_x - mean) / sd)[:, 1])
    print(json.dumps({"fit_seconds": fit_seconds, "fit_rows": int(len(fit_y)),
                      "columns": int(x.shape[1]), "auc": float(auc),
                      "iterations": int(model.n_iter_[0])}))


if __name__ == "__main__":
    main()
