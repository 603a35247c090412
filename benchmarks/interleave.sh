#!/usr/bin/env bash
# Runs GanLab's and PyTorch's MLP GAN benchmarks alternately, R rounds, and prints every round,
# the median of each and the ratio GanLab / PyTorch. Alternating (and swapping which goes first
# each round) spreads slow phases of a shared machine over both sides instead of one.
#
#   benchmarks/interleave.sh [mlp|dcgan] [--rounds R] [--steps N] [--warmup W] [--threads T] [--only pytorch|ganlab]
#
# GANLAB_CLI: path of ganlab-cli.dll (./ganlab bench mlp sets it after building).
# PYTHON: the Python with torch (default Debian's /usr/bin/python3).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
PYTHON="${PYTHON:-/usr/bin/python3}"
GANLAB_CLI="${GANLAB_CLI:-$ROOT/src/GanLab.Cli/bin/Release/net9.0/ganlab-cli.dll}"
model=mlp rounds=3 steps=2000 warmup=100 threads=1 only=""
# The first argument names the model: mlp (seed 002's MLP GAN) or dcgan (seed 001's DCGAN).
if [[ "${1:-}" == mlp || "${1:-}" == dcgan ]]; then model="$1"; shift; fi
[[ "$model" == dcgan ]] && steps=300 warmup=20

while (($#)); do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "interleave.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ "$only" == "" || "$only" == pytorch || "$only" == ganlab ]] || { echo "interleave.sh: --only pytorch|ganlab" >&2; exit 2; }
[[ "$only" == pytorch || -f "$GANLAB_CLI" ]] || {
  echo "interleave.sh: $GANLAB_CLI is missing: run ./ganlab bench mlp, or pass --only pytorch" >&2; exit 1; }

run_pytorch() { "$PYTHON" "$HERE/gan_step.py" --model "$model" --steps "$steps" --warmup "$warmup" --threads "$threads"; }
run_ganlab() { dotnet "$GANLAB_CLI" bench "$model" --steps "$steps" --warmup "$warmup" --threads "$threads"; }

# run SIDE: runs one benchmark, echoes its output to stderr-free stdout, and appends the rate.
declare -a rates_pytorch=() rates_ganlab=()
run() {
  local side="$1" out rate
  out="$("run_$side" 2>&1)" || { echo "$out"; echo "interleave.sh: the $side benchmark failed" >&2; exit 1; }
  rate="$(grep -oE '[0-9]+(\.[0-9]+)? images/s' <<<"$out" | tail -n1 | cut -d' ' -f1)"
  [[ -n "$rate" ]] || { echo "$out"; echo "interleave.sh: no 'images/s' in the $side output" >&2; exit 1; }
  echo "  $(grep -E 'images/s' <<<"$out" | tail -n1)"
  if [[ "$side" == pytorch ]]; then rates_pytorch+=("$rate"); else rates_ganlab+=("$rate"); fi
}

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "$model benchmark: $rounds rounds, $steps steps (+$warmup warm-up), batch 64, threads $threads"
for ((r = 1; r <= rounds; r++)); do
  echo "round $r"
  if [[ -n "$only" ]]; then run "$only"
  elif ((r % 2)); then run pytorch; run ganlab
  else run ganlab; run pytorch
  fi
done

echo
if ((${#rates_pytorch[@]})); then
  mp="$(median "${rates_pytorch[@]}")"; echo "median pytorch: $mp images/s (${rates_pytorch[*]})"
fi
if ((${#rates_ganlab[@]})); then
  mg="$(median "${rates_ganlab[@]}")"; echo "median ganlab:  $mg images/s (${rates_ganlab[*]})"
fi
if [[ -z "$only" ]]; then
  awk -v g="$mg" -v p="$mp" 'BEGIN {printf "ratio ganlab/pytorch: %.2f\n", g / p}'
fi
