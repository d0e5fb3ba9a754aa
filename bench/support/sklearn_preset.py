#!/usr/bin/python3
"""scikit-learn's side of bench/lasso_cv_fit.cpp: fit one reference preset pipeline on a
layer CSV and time it, in the same run as layerwatt's fit.

    /usr/bin/python3 bench/support/sklearn_preset.py CSV PRESET [FITS]

Prints one JSON object: fit_seconds (one per fit), predict_one_row_seconds (mean over rows),
and the fitted alpha, intercept and coef, for the parity check. The pipelines are built by
tests/golden/make_golden.py, the same code the golden tests are made with.
"""

import json
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "tests" / "golden"))
import make_golden  # noqa: E402


def main():
    csv, preset = pathlib.Path(sys.argv[1]), sys.argv[2]
    fits = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    kind, features, target, log, terms, scaler, positive, _ = make_golden.PRESETS[preset]
    X, power, runtime = make_golden.read_layers(csv, features)
    y = power if target == "power" else runtime
    seconds = []
    for _ in range(fits):
        pipe = make_golden.preset_pipeline(features, log, terms, scaler, positive, n_alphas=500)
        start = time.perf_counter()
        pipe.fit(X, y)
        seconds.append(time.perf_counter() - start)
    rows = [X[i:i + 1] for i in range(min(len(X), 200))]
    start = time.perf_counter()
    for row in rows:
        pipe.predict(row)
    per_row = (time.perf_counter() - start) / len(rows)
    lasso = pipe.named_steps["lasso"]
    print(json.dumps({"fit_seconds": seconds, "predict_one_row_seconds": per_row, "alpha": lasso.alpha_,
                      "intercept": float(lasso.intercept_), "coef": lasso.coef_.tolist()}))


if __name__ == "__main__":
    main()
