#!/usr/bin/python3
"""The reference's own join beside `layerwatt map`, on the same simulated raw data.

What a user of the reference runs to map power to layers (its map_power_to_layers.py: parse the
power log and the layer latencies, join them cycle by cycle, write the mapping CSV) against
`layerwatt map` with its defaults, on one model the simulator writes at the reference's scale.
Both are single-threaded here (one model). Prints the two times and their ratio.

  /usr/bin/python3 bench/reference_map.py REFERENCE/model_training LAYERWATT [MODEL] [CYCLES]

REFERENCE/model_training: a checkout of github.com/fuzzylabs/edge-vision-power-estimation's
model_training folder (its code is run as it is, from there; nothing of it is copied);
LAYERWATT: the CLI (scripts/bench.sh builds build/bench/examples/layerwatt). MODEL defaults to
resnet34, CYCLES to 30 000. Needs python3-pandas (the reference's only dependency used here; its
progress bars are stubbed).
"""

import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    reference, layerwatt = Path(sys.argv[1]), sys.argv[2]
    model = sys.argv[3] if len(sys.argv) > 3 else "resnet34"
    cycles = int(sys.argv[4]) if len(sys.argv) > 4 else 30000
    if not (reference / "data_preparation" / "data_preprocess.py").exists():
        sys.exit(f"{reference}: not the reference's model_training folder (no data_preparation/data_preprocess.py)")
    sys.modules["tqdm"] = types.SimpleNamespace(tqdm=lambda iterable, **_: iterable)
    sys.path.insert(0, str(reference))
    from data_preparation.data_preprocess import DataPreprocessor  # noqa: E402

    with tempfile.TemporaryDirectory() as scratch:
        raw, ours, theirs = Path(scratch) / "raw", Path(scratch) / "ours", Path(scratch) / "theirs"
        subprocess.run([layerwatt, "simulate", "--out", str(raw), "--models", model, "--cycles", str(cycles),
                        "--seed", "1", "--jobs", "1"], check=True, stdout=subprocess.DEVNULL)
        folder = raw / model
        layers = subprocess.run([layerwatt, "inspect", str(folder / "trt_profiling" / "trt_engine_info.json")],
                                check=True, capture_output=True, text=True).stdout.split(":", 2)[1].split()[0]

        started = time.perf_counter()
        subprocess.run([layerwatt, "map", str(raw), "--out", str(ours)], check=True, stdout=subprocess.DEVNULL)
        layerwatt_s = time.perf_counter() - started

        started = time.perf_counter()
        preprocessor = DataPreprocessor(idle_power_log_path=raw / "idling_power.json", result_dir=str(theirs))
        rows = preprocessor.compute_layer_metrics_by_cycle(
            power_log_path=folder / f"{model}_power_log.log",
            trt_layer_latency_path=folder / "trt_profiling" / "trt_layer_latency.json",
            trt_engine_info_path=folder / "trt_profiling" / "trt_engine_info.json")
        preprocessor.save_result_to_csv(metrics_by_cycle=rows, model_name=model)
        reference_s = time.perf_counter() - started

    print(f"{model}: {layers} layers x {cycles} cycles, one thread each")
    print(f"reference map (parse, join, CSV): {reference_s:.2f} s")
    print(f"layerwatt map (parse, join, CSV): {layerwatt_s:.2f} s")
    print(f"ratio  layerwatt map vs the reference: {reference_s / layerwatt_s:.1f}x faster")


if __name__ == "__main__":
    main()
