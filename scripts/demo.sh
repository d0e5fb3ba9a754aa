#!/usr/bin/env bash
# Set-up and the main job: installs what is missing, builds the CLI (optimised, build/release,
# incremental), then runs the whole pipeline on a data set from the simulator —
#   raw data → preprocessed → training data → per-layer models → report → predictions
# for the resnet18 and vgg16 engines (the zoo's, equal to the real Jetson Orin ones); then the
# recommended path: a simulated measurement campaign → network-level models → the held-out
# networks' energy beside the per-layer models', against the truth. Everything goes to build/demo/.
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
# at the demo's 2 000 cycles the deconvolved join recovers the layers' power to 8.2 % RMSPE,
# median 1.2 % (`scripts/bench.sh attribution_accuracy --cycles 2000`, set-up D, layer-end
# stamps; 20 000 cycles do better: docs/accuracy.md), so the models' figures are mostly about the
# models, not the join.
stage "1/7 simulate: the 20 networks of the reference experiment on an Orin-class device, 2000 cycles each"
"$layerwatt" simulate --out "$out/raw" --cycles 2000 --seed 1 --profile examples/data/orin_fast_sensor.json

stage "2/7 dataset: join power and layer latencies (deconvolved), average per layer, write the training CSVs"
"$layerwatt" dataset "$out/raw" --out "$out/training" --preprocessed "$out/preprocessed" \
    --attribution deconvolved

stage "3/7 train: per-layer LassoCV pipelines, power and runtime of each kind; lenet, resnet18 and vgg16 held out as in the reference"
"$layerwatt" train "$out/training" --out "$out/models"

for model in resnet18 vgg16; do
  stage "4/7 predict: $model's TensorRT engine (FP16, batch 1), from the zoo"
  "$layerwatt" zoo "$model" --out "$out/engines/$model.json"
  "$layerwatt" predict "$out/engines/$model.json" --models "$out/models" \
      --out "$out/predictions/$model.csv" | tail -n 6
done

stage "5/7 simulate a measurement campaign: the same 20 networks measured as \`layerwatt measure\` measures them (the device model plays trtexec)"
"$layerwatt" simulate --layout campaign --out "$out/campaign" --seed 1 --duration 2s --warm-up 500ms --trim 200ms \
    --profile examples/data/orin_fast_sensor.json | tail -n 1

stage "6/7 dataset + train --fit network: every kind's runtime and energy learnt from the networks' totals and per-layer profiles; lenet, resnet18 and vgg16 held out"
"$layerwatt" dataset "$out/campaign" --out "$out/training_campaign" >/dev/null
"$layerwatt" train "$out/training_campaign" --fit network --out "$out/models_network" --test-models lenet,resnet18,vgg16

stage "7/7 the held-out networks' energy per inference against the simulator's truth"
# The network-level models learnt the total energy; the per-layer models of step 3 learnt power
# above idle (the reference's training CSVs), so each is held against that truth.
energy_mj() { "$layerwatt" predict "$1" --models "$2" 2>/dev/null |
                awk -F': *' '/Total energy/ { split($NF, v, " "); printf "%.4f", v[1] * 1000 }'; }
truth_mj() { grep -o "\"energy_per_inference_$2_mj\": *[0-9.eE+-]*" "$out/campaign/$1/ground_truth.json" | awk '{ print $2 }'; }
printf '%-9s %-34s %-34s\n' network "total: true, network-level models" "above idle: true, per-layer models"
for model in lenet resnet18 vgg16; do
  engine="$out/training_campaign/$model/engine_info.json"
  awk -v m="$model" -v t="$(truth_mj "$model" total)" -v n="$(energy_mj "$engine" "$out/models_network")" \
      -v a="$(truth_mj "$model" above_idle)" -v p="$(energy_mj "$engine" "$out/models")" 'BEGIN {
    printf "%-9s %8.4f mJ %8.4f mJ (%+6.1f %%)     %8.4f mJ %8.4f mJ (%+6.1f %%)\n", m, t, n, 100 * (n / t - 1), a, p, 100 * (p / a - 1) }'
done

stage "done in $((SECONDS - started)) s"
echo "report:      $out/models/report.html, $out/models_network/report.html"
echo "metrics:     $out/models/metrics.json"
echo "predictions: $out/predictions/resnet18.csv, $out/predictions/vgg16.csv"
