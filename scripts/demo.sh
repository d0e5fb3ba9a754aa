#!/usr/bin/env bash
# Set-up and the main job: installs what is missing, builds the CLI (optimised, build/release,
# incremental), then runs the whole pipeline on a data set from the simulator —
#   raw data → preprocessed → training data → six models → report → predictions
# for the real Jetson Orin resnet18 and vgg16 engines. Everything goes to build/demo/.
# The data is simulated (docs/simulator.md): the same seed gives the same bytes on any machine.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DLAYERWATT_BUILD_TESTS=OFF \
      -DLAYERWATT_BUILD_EXAMPLES=ON >/dev/null
cmake --build build/release -j "$(nproc)" --target layerwatt_cli
layerwatt=build/release/examples/layerwatt
out=build/demo
rm -rf "$out"
started=$SECONDS

stage() { printf '\n== %s\n' "$*"; }

# The device profile sets the sensor up for per-layer power (a 280 µs window, per-layer stamps):
# under it the deconvolved join recovers short layers' power to a few per cent
# (docs/accuracy.md, set-up D), so the models' figures are about the models, not the join.
stage "1/5 simulate: the 20 networks of the reference experiment on an Orin-class device, 2000 cycles each"
"$layerwatt" simulate --out "$out/raw" --cycles 2000 --seed 1 --profile examples/data/orin_fast_sensor.json

stage "2/5 dataset: join power and layer latencies (deconvolved), average per layer, write the training CSVs"
"$layerwatt" dataset "$out/raw" --out "$out/training" --preprocessed "$out/preprocessed" \
    --attribution deconvolved

stage "3/5 train: six LassoCV pipelines; lenet, resnet18 and vgg16 held out as in the reference"
"$layerwatt" train "$out/training" --out "$out/models"

for model in resnet18 vgg16; do
  stage "4/5 predict: $model's TensorRT engine (FP16, batch 1), from the zoo"
  "$layerwatt" zoo "$model" --out "$out/engines/$model.json"
  "$layerwatt" predict "$out/engines/$model.json" --models "$out/models" \
      --out "$out/predictions/$model.csv" | tail -n 6
done

stage "5/5 done in $((SECONDS - started)) s"
echo "report:      $out/models/report.html"
echo "metrics:     $out/models/metrics.json"
echo "predictions: $out/predictions/resnet18.csv, $out/predictions/vgg16.csv"
