#!/usr/bin/env bash
# On the GPU machine: GanLab against PyTorch eager on CUDA, same model and step, interleaved rounds.
source "$(dirname "$0")/common.sh"
cp /tmp/shim/libganlab_torch.so .device/cli/
for round in 1 2 3; do
  echo "round $round"
  .device/cli/ganlab-cli bench mlp --device cuda --steps 3000 --warmup 200
  python3 benchmarks/gan_step.py --model mlp --device cuda --steps 3000 --warmup 200
  .device/cli/ganlab-cli bench dcgan --device cuda --steps 1000 --warmup 50
  python3 benchmarks/gan_step.py --model dcgan --device cuda --steps 1000 --warmup 50
done
