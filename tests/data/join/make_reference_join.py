#!/usr/bin/env python3
"""Golden data for the join, made by the reference system itself.

Writes a small synthetic raw-data directory (reference_run/) with two models, runs the
reference's own DataPreprocessor.compute_layer_metrics_by_cycle on each (imported read-only from
its source tree) and stores what it returns as expected_metrics_by_cycle.json beside the inputs.
Also writes timedelta_ms_to_us.csv: how Python's timedelta(milliseconds=x) rounds latencies.

  covered  the power log spans the whole run
  cut      the power log stops during the run (the reference then stops writing rows)

Power values are whole µW (whole mV times whole mA), so that every sum is exact and the result
does not depend on the Python version's sum() algorithm.

Rerun from the repository root, giving the reference's model_training folder (a checkout of
github.com/fuzzylabs/edge-vision-power-estimation, wherever it is):
  /usr/bin/python3 tests/data/join/make_reference_join.py REFERENCE/model_training
"""

import json
import random
import shutil
import sys
import tempfile
import types
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
STAMP = "%Y%m%d-%H:%M:%S.%f"

FP16 = "Channel major FP16 format where channel % 8 == 0"


def tensor(dims):
    return {"Name": "t", "Location": "Device", "Dimensions": dims, "Format/Datatype": FP16}


def conv(kernel, stride, pad, groups=1):
    return {"ParameterType": "Convolution", "Kernel": [kernel, kernel], "PrePadding": [pad, pad],
            "PostPadding": [pad, pad], "Stride": [stride, stride], "Dilation": [1, 1], "Groups": groups}


LAYERS = [  # (name, engine description, or None when the engine info lacks the layer)
    ("Reformatting CopyNode for Input Tensor 0 to [CONVOLUTION]-[conv1]",
     {"LayerType": "Reformat", "Inputs": [tensor([1, 3, 224, 224])], "Outputs": [tensor([1, 3, 224, 224])]}),
    ("[CONVOLUTION]-[conv1] + [RELU]-[relu1]",
     {"LayerType": "CaskConvolution", "Inputs": [tensor([1, 3, 224, 224])], "Outputs": [tensor([1, 64, 55, 55])],
      **conv(11, 4, 2)}),
    ("[MAX]-[pool1]",
     {"LayerType": "CaskPooling", "Inputs": [tensor([1, 64, 55, 55])], "Outputs": [tensor([1, 64, 27, 27])],
      "ParameterType": "Pooling", "PoolingType": "MAX", "WindowSize": [3, 3], "PrePadding": [0, 0],
      "PostPadding": [0, 0], "Stride": [2, 2]}),
    ("[CONVOLUTION]-[conv2]",
     {"LayerType": "CaskConvolution", "Inputs": [tensor([1, 64, 27, 27])], "Outputs": [tensor([1, 64, 27, 27])],
      **conv(3, 1, 1, groups=64)}),
    ("[SHUFFLE]-[flatten, \"x\"]", None),
    ("[MATRIX_MULTIPLY]-[fc, out]",
     {"LayerType": "CaskGemmConvolution", "Inputs": [tensor([1, 46656, 1, 1])], "Outputs": [tensor([1, 1000, 1, 1])],
      **conv(1, 1, 0)}),
]
CYCLES = 40


def fmt(t: datetime) -> str:
    return t.strftime(STAMP)


def make_model(root: Path, name: str, rng: random.Random, cut: bool) -> None:
    model = root / name
    (model / "trt_profiling").mkdir(parents=True)
    start = datetime(2024, 11, 21, 5, 20, 4, 261448)
    period_us = 1400

    # Power samples first, so some windows can be made to start or end exactly on one.
    samples = []
    t = start
    for _ in range(60 * CYCLES):
        samples.append((t, rng.choice([4984.0, 5000.0, 5016.0]), float(rng.randint(900, 1800))))
        t += timedelta(microseconds=period_us + rng.randint(-150, 150))
    sample_times = [s[0] for s in samples]

    latencies = {layer: [] for layer, _ in LAYERS}
    cursor = start + timedelta(milliseconds=20)  # samples before the first window
    for cycle in range(CYCLES):
        for i, (layer, _) in enumerate(LAYERS):
            ms = rng.choice([rng.uniform(0.005, 0.09), rng.uniform(0.1, 2.5), rng.uniform(2.5, 6.0)])
            ms = float(f"{ms:.9g}") if i % 2 else ms  # both short and full-precision spellings
            duration = timedelta(milliseconds=ms)
            end = cursor + duration
            pick = rng.random()
            if pick < 0.08:  # start exactly on a sample
                on = next(s for s in sample_times if s > cursor)
                end = on + duration
            elif pick < 0.16:  # end exactly on a sample
                end = next(s for s in sample_times if s > end)
            latencies[layer].append([ms, fmt(end)])
            cursor = end + timedelta(microseconds=rng.randint(2, 40))
        cursor += timedelta(microseconds=rng.randint(500, 3000))

    last_end = cursor
    if cut:  # stop the log two thirds of the way through
        middle = start + (last_end - start) * 2 / 3
        samples = [s for s in samples if s[0] <= middle]
    else:  # and some after the last window
        samples = [s for s in samples if s[0] <= last_end + timedelta(milliseconds=15)]

    with open(model / f"{name}_power_log.log", "w") as f:
        for t, mv, ma in samples:
            f.write(f"{fmt(t)},{mv},{ma}\n")
    with open(model / "trt_profiling" / "trt_layer_latency.json", "w") as f:
        json.dump(latencies, f, indent=4)
    engine = {"Layers": [{"Name": layer, **info} for layer, info in LAYERS if info], "Bindings": ["x", "y"]}
    with open(model / "trt_profiling" / "trt_engine_info.json", "w") as f:
        json.dump(engine, f, indent=4)
    summary = {"config": {"model": name, "runs": CYCLES}, "total_time": 1.0, "timestamp": "20241121-052004",
               "latencies": [1.0], "avg_latency": 1.0, "avg_throughput": 1.0}
    with open(model / f"{name}_tensorrt.json", "w") as f:
        json.dump(summary, f, indent=4)


def run_reference(reference: Path, root: Path) -> None:
    sys.modules["tqdm"] = types.SimpleNamespace(tqdm=lambda iterable, **_: iterable)  # progress bars only
    sys.path.insert(0, str(reference))
    from data_preparation.data_preprocess import DataPreprocessor  # noqa: E402

    with tempfile.TemporaryDirectory() as scratch:
        preprocessor = DataPreprocessor(root / "idling_power.json", Path(scratch))
        for model in sorted(p for p in root.iterdir() if p.is_dir()):
            rows = preprocessor.compute_layer_metrics_by_cycle(
                model / f"{model.name}_power_log.log",
                model / "trt_profiling" / "trt_layer_latency.json",
                model / "trt_profiling" / "trt_engine_info.json",
            )
            with open(model / "expected_metrics_by_cycle.json", "w") as f:
                json.dump(rows, f, indent=4)


def write_timedelta_golden(rng: random.Random) -> None:
    values = [0.0303, 0.0305, 0.0015, 0.0025, 0.0035, 1.0005, 0.10390400141477585, 400.0, 0.00025, 0.0005,
              0.0015000000000000002, 2.5e-07, 123.4565, 7.0000005, 0.0]
    values += [rng.uniform(0, 0.1) for _ in range(100)] + [rng.uniform(0, 50) for _ in range(100)]
    values += [round(rng.uniform(0, 10), 4) + 0.0005 for _ in range(50)]  # ties after scaling, nearly
    with open(HERE / "timedelta_ms_to_us.csv", "w") as f:
        f.write("ms,us\n")
        for ms in values:
            f.write(f"{ms!r},{timedelta(milliseconds=ms) // timedelta(microseconds=1)}\n")


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} REFERENCE/model_training (the reference's folder)")
    reference = Path(sys.argv[1])
    rng = random.Random(20241121)
    root = HERE / "reference_run"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    with open(root / "idling_power.json", "w") as f:
        json.dump({"timestamp": "20241121-051743", "avg_idle_power": 4012345.0}, f, indent=4)
    make_model(root, "covered", rng, cut=False)
    make_model(root, "cut", rng, cut=True)
    run_reference(reference, root)
    write_timedelta_golden(rng)


if __name__ == "__main__":
    main()
