#!/usr/bin/env python3
"""Golden data for the convert step's statistics, made by the reference system itself.

Writes a synthetic preprocessed model (stats_model/power_runtime_mapping_layerwise.csv), then runs
the reference's own measurement_utils (imported read-only from its source tree) on it:
  stats_model/stats_model_average_power_stats.csv      its describe() statistics files
  stats_model/stats_model_average_run_time_stats.csv
  expected_averages.csv                                its per-layer means (the training targets)
  expected_min_measurements.json                       its verdict for several minimums, and the
                                                       layers it reports below each

Values have 12 significant digits: pandas' default CSV float parser is not correctly rounded for
17-digit values (layerwatt's is; docs/deviations.md), and the statistics should be compared bit
for bit on numbers both read alike. The script checks that they do.

pandas uses bottleneck when it is installed (Debian's python3-pandas pulls it in), and bottleneck's
variance rounds differently from pandas' own; the reference's environment does not install it, so
the script turns it off.

Rerun from the repository root, giving the reference's model_training folder (a checkout of
github.com/fuzzylabs/edge-vision-power-estimation, wherever it is):
  /usr/bin/python3 tests/data/dataset/make_statistics_golden.py REFERENCE/model_training
"""

import json
import math
import random
import sys
import types
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent

LAYERS = [  # name, type, cycles with a power (None: every cycle), runtime scale in ms
    ("conv a", "CaskConvolution", None, 0.08),
    ("pool, b", "CaskPooling", 0.6, 0.01),
    ("fc", "CaskGemmConvolution", None, 0.3),
    ("Reformatting CopyNode", "Reformat", None, 0.03),
    ("[SHUFFLE]-[x]", "Unknown", 0.5, 0.002),
    ("single", "CaskConvolution", 1, 0.05),
    ("none", "CaskPooling", 0, 0.01),
    ("wide range", "CaskConvolution", None, 2.0),
]
CYCLES = 150
IDLE = 4012345.678


def short(x: float) -> float:
    return float(f"{x:.12g}")


def write_mapping(path: Path, rng: random.Random) -> None:
    rows = []
    for cycle in range(1, CYCLES + 1):
        for name, kind, share, runtime in LAYERS:
            if share is None:
                has_power = True
            elif share in (0, 1):
                has_power = cycle == 7 if share == 1 else False
            else:
                has_power = rng.random() < share
            power = None
            if has_power:
                scale = 1e9 if name == "wide range" and cycle % 3 == 0 else 1.0
                power = short(IDLE + rng.gauss(1.2e6, 4e5) * scale)
            rows.append({
                "cycle": cycle,
                "layer_name": name,
                "layer_type": kind,
                "layer_power_including_idle_power_micro_watt": power,
                "layer_power_excluding_idle_power_micro_watt": None if power is None else short(power - IDLE),
                "layer_run_time": short(runtime * rng.uniform(0.5, 1.5)),
            })
    pd.DataFrame(rows).to_csv(path, index=False)


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} REFERENCE/model_training (the reference's folder)")
    reference = Path(sys.argv[1])
    reported = []
    log = types.SimpleNamespace(debug=reported.append, info=lambda *_: None, warning=lambda *_: None)
    sys.modules["loguru"] = types.SimpleNamespace(logger=log)  # logging only
    sys.path.insert(0, str(reference))
    from data_preparation import measurement_utils as mu  # noqa: E402

    pd.set_option("compute.use_bottleneck", False)  # as in the reference's environment
    rng = random.Random(4)
    model = HERE / "stats_model"
    model.mkdir(exist_ok=True)
    mapping = model / "power_runtime_mapping_layerwise.csv"
    write_mapping(mapping, rng)

    df = pd.read_csv(mapping)
    exact = pd.read_csv(mapping, float_precision="round_trip")
    assert df.equals(exact), "pandas' default parser rounds some value differently; use fewer digits"
    df.rename(columns=mu.RENAME_COLUMNS, inplace=True)
    filtered = df[df["layer_type"].isin(mu.LAYER_TYPES)]
    averages = mu.get_average_measurement_data(mapping, filtered)  # writes the two statistics files
    averages.to_csv(HERE / "expected_averages.csv", index=False)
    verdicts = {}
    for minimum in (1, 2, 90, 150, 151):
        verdict = {}
        for column in ("average_power", "average_run_time"):
            reported.clear()
            verdict[column] = {"passes": bool(mu.verify_per_layer_measurements(filtered, minimum, column)),
                               "below": [line for line in reported if " -> " in line]}
        verdicts[str(minimum)] = verdict
    with open(HERE / "expected_min_measurements.json", "w") as f:
        json.dump(verdicts, f, indent=4)
    assert not math.isnan(averages["average_power"].iloc[0])


if __name__ == "__main__":
    main()
