#!/usr/bin/env bash
# On the GPU machine: the Torch and Core suites against the CUDA libtorch; device tests cover cpu and cuda.
# The Debian-packaged Fashion-MNIST is absent there, so its two tests fail with the message saying so.
source "$(dirname "$0")/common.sh"
nvidia-smi -L
[[ -x /tmp/dotnet/dotnet ]] || { mkdir -p /tmp/dotnet && tar -C /tmp/dotnet -xJf .device/dotnet-runtime.tar.xz; }
tar -xJf .device/tests.tar.xz
export DOTNET_ROOT=/tmp/dotnet DOTNET_ROLL_FORWARD=Major
status=0
for suite in Torch Core; do
  dir=tests/GanLab.$suite.Tests/bin/Release/net9.0
  cp /tmp/shim/libganlab_torch.so "$dir/"
  ( cd "$dir" && /tmp/dotnet/dotnet "$GANLAB_ROOT/.device/xunit/xunit.console.dll" "GanLab.$suite.Tests.dll" -nocolor -xml "$OUT/$suite.xml" ) > "$OUT/$suite.log" 2>&1 || status=1
  grep -E "\[FAIL\]|Total:" "$OUT/$suite.log"
done
exit $status
