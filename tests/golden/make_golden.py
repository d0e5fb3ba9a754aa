#!/usr/bin/python3
"""Golden data for layerwatt's transforms, Lasso, LassoCV, cross_val_predict, metrics and preset pipelines.

scikit-learn 1.2.1 (Debian bookworm's python3-sklearn) is the reference. Rerun from the
repository root with the system Python, which has numpy and scikit-learn:

    /usr/bin/python3 tests/golden/make_golden.py            # refit on the committed inputs
    /usr/bin/python3 tests/golden/make_golden.py --inputs   # also regenerate the inputs

Inputs (committed, regenerated only with --inputs, deterministic seeds):
    tests/data/models/{convolutional,pooling,dense}.csv   realistic layer rows, training-CSV columns
    tests/data/models/designs.json                        small random regression designs
    bench/data/convolutional_1500.csv                     the LassoCV benchmark's rows
Outputs (what the tests compare with):
    tests/data/models/golden_transforms.json   polynomial / log1p / special terms / scalers
    tests/data/models/golden_lasso.json        Lasso, LassoCV and cross_val_predict on the designs
    tests/data/models/golden_presets.json      the six preset pipelines on the layer rows
    tests/data/models/golden_metrics.json      RMSPE, RMSE, MSE, R2, MAE, MAPE

The layer rows are synthetic but shaped like real CNN layers (channel counts, resolutions,
kernels, strides and batch sizes of common networks); power (microwatts, as the training CSVs
store it) and runtime (milliseconds) follow operation counts with noise. The pipelines are
built the way the reference system builds them (FeatureUnion of polynomial terms, optionally
after log1p, and products of raw columns; a scaler; LassoCV with cv, max_iter 10000,
random_state 42, fit_intercept, positive as configured).
"""

import argparse
import csv
import json
import math
import pathlib
import sys
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import Lasso, LassoCV
from sklearn.model_selection import KFold, cross_val_predict
from sklearn.metrics import (
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    r2_score,
)
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import (
    FunctionTransformer,
    MinMaxScaler,
    PolynomialFeatures,
    RobustScaler,
    StandardScaler,
)

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "models"
BENCH_DATA = ROOT / "bench" / "data"

CONV_FEATURES = ["batch_size", "input_size_0", "input_size_1", "input_size_2", "output_size_0",
                 "output_size_1", "output_size_2", "kernel_0", "kernel_1", "padding_0", "padding_1",
                 "stride_0", "stride_1"]
POOL_FEATURES = ["batch_size", "input_size_0", "input_size_1", "input_size_2", "output_size_0",
                 "output_size_1", "output_size_2", "kernel_0", "kernel_1", "stride_0", "stride_1"]
DENSE_FEATURES = ["batch_size", "input_size", "output_size"]
CONV_EXTRA = ["groups", "dilation_0", "dilation_1"]
TARGETS = ["power", "runtime", "layer_name"]
MICROWATTS_PER_WATT = 1e6

# ---------------------------------------------------------------- realistic layer rows ----

CHANNELS = [16, 24, 32, 48, 64, 96, 128, 160, 192, 256, 320, 384, 512, 576, 960, 1024, 2048]
RESOLUTIONS = [224, 112, 56, 28, 14, 7, 299, 149, 73, 35, 17, 8, 256, 128, 64, 32, 16, 55, 27, 13]
BATCHES = [1, 1, 1, 2, 4, 8, 16, 32]


def channels_at(rng, resolution):
    """Channel counts grow as feature maps shrink, as in common CNNs."""
    wanted = 64 * 224 / resolution * 2 ** rng.normal(0, 0.8)
    return min(CHANNELS, key=lambda c: abs(math.log(c / wanted)))


def conv_rows(rng, n):
    rows = []
    while len(rows) < n:
        batch = int(rng.choice(BATCHES))
        stem = rng.random() < 0.1
        h = int(rng.choice(RESOLUTIONS[:9] if stem else RESOLUTIONS))
        w = h if rng.random() < 0.9 else int(rng.choice(RESOLUTIONS))
        c_in = 3 if stem else channels_at(rng, h)
        c_out = channels_at(rng, h)
        k = int(rng.choice([7, 11] if stem else [1, 1, 1, 3, 3, 3, 3, 5]))
        k_w = k if rng.random() < 0.95 else int(rng.choice([1, 3]))
        stride = int(rng.choice([2, 4] if stem else ([1, 1, 1, 2] if k > 1 else [1, 1, 2])))
        pad_h, pad_w = (k // 2) * 2, (k_w // 2) * 2  # pre + post padding
        out_h, out_w = (h + pad_h - k) // stride + 1, (w + pad_w - k_w) // stride + 1
        if out_h < 1 or out_w < 1:
            continue
        flops = 2.0 * batch * c_in * c_out * k * k_w * out_h * out_w
        runtime = 0.004 + flops / (2.5e9 * (0.3 + 0.7 * (1 - math.exp(-flops / 2e8))))
        runtime *= rng.lognormal(0.0, 0.12)
        power_w = 3.1 + 4.2 * (1 - math.exp(-flops / 3e9)) + 0.08 * math.log2(batch) + rng.normal(0, 0.12)
        rows.append([batch, c_in, h, w, c_out, out_h, out_w, k, k_w, pad_h, pad_w, stride, stride,
                     1, 1, 1, round(power_w * MICROWATTS_PER_WATT), round(runtime, 6),
                     f"conv_{len(rows)}"])
    return CONV_FEATURES + CONV_EXTRA + TARGETS, rows


def pooling_rows(rng, n):
    rows = []
    while len(rows) < n:
        batch = int(rng.choice(BATCHES))
        h = int(rng.choice(RESOLUTIONS))
        c = channels_at(rng, h)
        kind = rng.choice(["max2", "max3", "global"], p=[0.45, 0.35, 0.2])
        if kind == "global":
            k, stride = h, 1
        else:
            k, stride = (2, 2) if kind == "max2" else (3, int(rng.choice([1, 2])))
        out = (h - k) // stride + 1
        if out < 1:
            continue
        work = batch * c * h * h
        runtime = (0.003 + work / 4e9 * (1 + 0.15 * (k > 2))) * rng.lognormal(0.0, 0.1)
        power_w = 3.0 + 1.6 * (1 - math.exp(-work / 5e7)) + rng.normal(0, 0.1)
        rows.append([batch, c, h, h, c, out, out, k, k, stride, stride,
                     round(power_w * MICROWATTS_PER_WATT), round(runtime, 6), f"pool_{len(rows)}"])
    return POOL_FEATURES + TARGETS, rows


def dense_rows(rng, n):
    rows = []
    inputs = [256, 512, 576, 1024, 1280, 1536, 2048, 4096, 9216, 25088]
    outputs = [10, 100, 128, 256, 512, 1000, 1024, 4096]
    while len(rows) < n:
        batch = int(rng.choice(BATCHES))
        n_in, n_out = int(rng.choice(inputs)), int(rng.choice(outputs))
        macs = batch * n_in * n_out
        runtime = (0.006 + macs / 1.2e9) * rng.lognormal(0.0, 0.1)
        power_w = 3.2 + 2.5 * (1 - math.exp(-macs / 4e7)) + rng.normal(0, 0.1)
        rows.append([batch, n_in, n_out, round(power_w * MICROWATTS_PER_WATT), round(runtime, 6),
                     f"dense_{len(rows)}"])
    return DENSE_FEATURES + TARGETS, rows


def write_csv(path, header, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)


def read_layers(path, features):
    with open(path, newline="") as f:
        table = list(csv.DictReader(f))
    X = np.array([[float(r[c]) for c in features] for r in table])
    power = np.array([float(r["power"]) for r in table]) / MICROWATTS_PER_WATT
    runtime = np.array([float(r["runtime"]) for r in table])
    return X, power, runtime


# ---------------------------------------------------------------- random designs ----------

def make_designs(rng):
    def linear(n, p, n_true, noise, negative=True):
        X = rng.normal(size=(n, p)) * rng.uniform(0.5, 3.0, size=p) + rng.uniform(-2, 2, size=p)
        beta = np.zeros(p)
        beta[rng.choice(p, n_true, replace=False)] = rng.uniform(0.5, 3.0, n_true) * (
            rng.choice([-1, 1], n_true) if negative else 1)
        y = X @ beta + 1.5 + noise * rng.normal(size=n)
        return X, y

    designs = {}
    X, y = linear(60, 8, 4, 0.5)
    designs["basic"] = dict(X=X, y=y, lasso_alphas=[0.05, 0.3], cv=5, n_alphas=50)
    X, y = linear(80, 10, 5, 0.8)
    designs["positive"] = dict(X=X, y=y, positive=True, lasso_alphas=[0.02, 0.2], cv=5, n_alphas=60)
    X, y = linear(50, 7, 3, 0.3)
    X[:, 2] = 3.7        # a constant column whose mean is not exactly 3.7 after summation
    X[:, 5] = 0.0        # an all-zero column
    designs["constant_columns"] = dict(X=X, y=y, lasso_alphas=[0.01, 0.1], cv=5, n_alphas=40)
    X, y = linear(24, 60, 5, 0.2)
    designs["more_features_than_rows"] = dict(X=X, y=y, lasso_alphas=[0.01, 0.2], cv=4,
                                              n_alphas=50)
    X, y = linear(70, 6, 3, 0.4)
    X = np.column_stack([X, X[:, 1], 2.0 * X[:, 0] - X[:, 3]])  # a duplicate and a combination
    designs["collinear"] = dict(X=X, y=y, lasso_alphas=[0.005, 0.1], cv=7, n_alphas=50)
    X, y = linear(40, 5, 3, 0.3, negative=False)
    designs["no_intercept"] = dict(X=X, y=y, fit_intercept=False, lasso_alphas=[0.1], cv=3,
                                   n_alphas=30)
    X, y = linear(45, 6, 3, 0.3)
    designs["positive_no_intercept"] = dict(X=X, y=y, positive=True, fit_intercept=False,
                                            lasso_alphas=[0.05], cv=5, n_alphas=30)
    y_const = np.full(30, 2.5)
    designs["constant_target"] = dict(X=rng.normal(size=(30, 4)), y=y_const, lasso_alphas=[0.1],
                                      cv=3, n_alphas=10)
    return {name: {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in d.items()}
            for name, d in designs.items()}


# ---------------------------------------------------------------- pipelines ---------------

def product_terms(features, terms):
    index = [[features.index(c) for c in term] for term in terms]

    def build(X):
        return np.stack([np.multiply.reduce(X[:, cols], axis=1) for cols in index]).T
    return FunctionTransformer(build)


def scaler(name):
    return {"standard": StandardScaler, "minmax": MinMaxScaler, "robust": RobustScaler}[name]()


CONV_OPS_PER_INPUT = ["input_size_0", "input_size_1", "input_size_2", "kernel_0", "kernel_1",
                      "output_size_2"]
POOL_TERMS = [["batch_size", "input_size_0", "input_size_1", "input_size_2"],
              ["batch_size", "output_size_0", "output_size_1", "output_size_2"],
              ["batch_size", "input_size_0", "input_size_1", "input_size_2", "kernel_0", "kernel_1"]]

PRESETS = {
    # name: (layer file, features, target, log1p, special terms, scaler, positive, n_alphas)
    "conv_power": ("convolutional", CONV_FEATURES, "power", True,
                   [CONV_OPS_PER_INPUT, CONV_OPS_PER_INPUT + ["batch_size"]], "standard", True, 500),
    "conv_runtime": ("convolutional", CONV_FEATURES, "runtime", False,
                     [CONV_OPS_PER_INPUT, CONV_OPS_PER_INPUT + ["batch_size"]], "standard", True, 100),
    "pooling_power": ("pooling", POOL_FEATURES, "power", False, POOL_TERMS, "robust", True, 100),
    "pooling_runtime": ("pooling", POOL_FEATURES, "runtime", False, POOL_TERMS, "standard", False,
                        100),
    "dense_power": ("dense", DENSE_FEATURES, "power", False, [], "standard", True, 100),
    "dense_runtime": ("dense", DENSE_FEATURES, "runtime", False, [], "standard", True, 100),
}


def preset_pipeline(features, log, terms, scaler_name, positive, n_alphas, cv=10):
    poly = PolynomialFeatures(degree=3)
    regular = Pipeline([("log1p", FunctionTransformer(np.log1p)), ("poly", poly)]) if log else poly
    transformer = (FeatureUnion([("regular", regular), ("special", product_terms(features, terms))])
                   if terms else regular)
    lasso = LassoCV(cv=cv, random_state=42, max_iter=10000, n_alphas=n_alphas, fit_intercept=True,
                    positive=positive)
    return Pipeline([("transformer", transformer), ("scaler", scaler(scaler_name)), ("lasso", lasso)])


def lasso_cv_summary(model):
    return {"alpha": model.alpha_, "alphas": model.alphas_.tolist(),
            "mse_path": model.mse_path_.tolist(), "coef": model.coef_.tolist(),
            "intercept": float(model.intercept_), "dual_gap": float(model.dual_gap_),
            "n_iter": int(model.n_iter_)}


def scaler_parameters(fitted):
    if isinstance(fitted, StandardScaler):
        return {"kind": "standard", "mean": fitted.mean_.tolist(), "scale": fitted.scale_.tolist()}
    if isinstance(fitted, MinMaxScaler):
        return {"kind": "minmax", "min": fitted.min_.tolist(), "scale": fitted.scale_.tolist()}
    return {"kind": "robust", "center": fitted.center_.tolist(), "scale": fitted.scale_.tolist()}


# ---------------------------------------------------------------- outputs -----------------

def golden_transforms():
    X, _, _ = read_layers(DATA / "convolutional.csv", CONV_FEATURES)
    rows = X[:3]
    out = {"rows": rows.tolist(),
           "log1p": np.log1p(rows).tolist(),
           "polynomial_2": PolynomialFeatures(2).fit_transform(rows).tolist(),
           "polynomial_3": PolynomialFeatures(3).fit_transform(rows[:2]).tolist(),
           "polynomial_3_of_log1p": PolynomialFeatures(3).fit_transform(np.log1p(rows[:2])).tolist(),
           "ops_terms": product_terms(CONV_FEATURES, PRESETS["conv_power"][4])
           .fit_transform(rows).tolist()}
    # Scalers fitted on 81 conv rows (odd count: the median is one value) plus a constant column
    # and a column whose inter-quartile range is zero; outputs checked on the first rows.
    features = np.column_stack([X[:81], np.full(81, 0.1), np.where(np.arange(81) % 10 == 0, 5.0, 1.0)])
    out["scaler_input"] = features.tolist()
    for name in ["standard", "minmax", "robust"]:
        fitted = scaler(name).fit(features)
        out[f"{name}_scaler"] = scaler_parameters(fitted)
        out[f"{name}_scaler"]["transformed"] = fitted.transform(features[:4]).tolist()
        even = scaler(name).fit(features[:80])  # an even count: the median is interpolated
        out[f"{name}_scaler_even"] = scaler_parameters(even)
    return out


def fit_design(X, y, d):
    common = dict(fit_intercept=d.get("fit_intercept", True), positive=d.get("positive", False))
    fits = []
    for alpha in d["lasso_alphas"]:
        m = Lasso(alpha=alpha, max_iter=10000, **common).fit(X, y)
        fits.append({"alpha": alpha, "coef": m.coef_.tolist(), "intercept": float(m.intercept_),
                     "dual_gap": float(m.dual_gap_), "n_iter": int(m.n_iter_)})
    cv = LassoCV(cv=d["cv"], n_alphas=d["n_alphas"], max_iter=10000, random_state=42,
                 **common).fit(X, y)
    # KFold without shuffling: the folds of layerwatt's k_fold_bounds.
    predicted = [{"alpha": alpha,
                  "predicted": cross_val_predict(Lasso(alpha=alpha, max_iter=10000, **common), X, y,
                                                 cv=KFold(d["cv"])).tolist()}
                 for alpha in d["lasso_alphas"]]
    return {"lasso": fits, "lasso_cv": lasso_cv_summary(cv), "cross_val_predict": predicted}


def golden_lasso(designs):
    out = {}
    for name, d in designs.items():
        with warnings.catch_warnings():
            if name == "constant_target":  # a tolerance of 0: every fit runs to max_iter, as expected
                warnings.simplefilter("ignore", ConvergenceWarning)
            out[name] = fit_design(np.array(d["X"]), np.array(d["y"]), d)
    return out


def golden_presets():
    out = {}
    for name, (kind, features, target, log, terms, scaler_name, positive, n_alphas) in PRESETS.items():
        X, power, runtime = read_layers(DATA / f"{kind}.csv", features)
        y = power if target == "power" else runtime
        pipe = preset_pipeline(features, log, terms, scaler_name, positive, n_alphas).fit(X, y)
        prediction = pipe.predict(X)
        out[name] = {"layers": f"{kind}.csv", "target": target, "n_alphas": n_alphas, "cv": 10,
                     "positive": positive, "scaler": scaler_parameters(pipe.named_steps["scaler"]),
                     **lasso_cv_summary(pipe.named_steps["lasso"]),
                     "prediction": prediction.tolist(),
                     "train_rmspe": float(np.sqrt(np.mean(np.square((y - prediction) / (y + 1e-10))))
                                          * 100)}
    return out


def golden_metrics(rng):
    cases = {}
    actual = rng.uniform(0.5, 10.0, 40)
    cases["typical"] = (actual, actual * rng.lognormal(0, 0.2, 40))
    cases["with_zero_actual"] = (np.array([0.0, 1.0, 2.0, 4.0]), np.array([0.1, 1.5, 1.0, 4.0]))
    cases["perfect"] = (np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 3.0]))
    cases["constant_actual"] = (np.array([2.0, 2.0, 2.0]), np.array([1.0, 2.0, 3.0]))
    out = {}
    for name, (a, p) in cases.items():
        out[name] = {"actual": a.tolist(), "predicted": p.tolist(),
                     "rmspe": float(np.sqrt(np.mean(np.square((a - p) / (a + 1e-10)))) * 100),
                     "rmse": float(mean_squared_error(a, p, squared=False)),
                     "mse": float(mean_squared_error(a, p)), "r2": float(r2_score(a, p)),
                     "mae": float(mean_absolute_error(a, p)),
                     "mape": float(mean_absolute_percentage_error(a, p))}
    return out


def dumps(value, indent=0):
    """JSON with one line per innermost list of numbers: small, and diffs stay readable."""
    pad = " " * (indent + 1)
    if isinstance(value, dict):
        items = [f"{pad}{json.dumps(k)}: {dumps(v, indent + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    if isinstance(value, list) and any(isinstance(v, (list, dict)) for v in value):
        return "[\n" + ",\n".join(pad + dumps(v, indent + 1) for v in value) + "\n" + " " * indent + "]"
    return json.dumps(value)


def write_json(path, value, header=True):
    if header:
        value = {"generator": "tests/golden/make_golden.py", "sklearn": sklearn.__version__,
                 "numpy": np.__version__, **value}
    path.write_text(dumps(value) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", action="store_true", help="regenerate the committed inputs")
    args = parser.parse_args()
    if sklearn.__version__ != "1.2.1":
        sys.exit(f"scikit-learn 1.2.1 expected (found {sklearn.__version__}); use /usr/bin/python3")

    if args.inputs:
        write_csv(DATA / "convolutional.csv", *conv_rows(np.random.default_rng(11), 240))
        write_csv(DATA / "pooling.csv", *pooling_rows(np.random.default_rng(12), 160))
        write_csv(DATA / "dense.csv", *dense_rows(np.random.default_rng(13), 120))
        write_csv(BENCH_DATA / "convolutional_1500.csv", *conv_rows(np.random.default_rng(14), 1500))
        write_json(DATA / "designs.json", make_designs(np.random.default_rng(15)), header=False)

    designs = json.loads((DATA / "designs.json").read_text())
    write_json(DATA / "golden_transforms.json", golden_transforms())
    write_json(DATA / "golden_lasso.json", golden_lasso(designs))
    write_json(DATA / "golden_presets.json", golden_presets())
    write_json(DATA / "golden_metrics.json", golden_metrics(np.random.default_rng(16)))


if __name__ == "__main__":
    main()
