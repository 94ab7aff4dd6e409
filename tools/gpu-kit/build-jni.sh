#!/usr/bin/env bash
# Rebuilds DJL 0.36.0's PyTorch JNI (djl-jni/, DJL's own sources) against the libtorch of Python's torch, for a
# machine whose libtorch is not the 2.7.1 that DJL's prebuilt JNI links against:
#
#   bash build-jni.sh TORCH_LIB FLAVOR OUT_DIR KIT_DIR       -> OUT_DIR/libdjl_torch.so
#
# Compiler flags come from torch itself (include paths, C++ ABI); CUDA headers from torch's CUDA_HOME and the
# wheels' nvidia/*/include. No CMake: torch's CMake config needs the whole CUDA toolkit layout; g++ needs only headers.
set -euo pipefail
torchlib=$1 flavor=$2 build=$3 kit=$4
command -v g++ >/dev/null || { echo "build-jni: error: no g++ on this machine" >&2; exit 1; }
mkdir -p "$build"
python3 - "$flavor" >"$build/flags" <<'PY'
import glob, os, sys
import torch
import torch.utils.cpp_extension as ce
cuda = sys.argv[1].startswith("cu")
try:
    paths = ce.include_paths(device_type="cuda" if cuda else "cpu")
except TypeError:  # older torch: include_paths(cuda=...)
    paths = ce.include_paths(cuda=cuda)
site = os.path.dirname(os.path.dirname(torch.__file__))
paths += sorted(glob.glob(os.path.join(site, "nvidia", "*", "include")) + glob.glob(os.path.join(site, "nvidia", "*", "*", "include")))
flags = [f"-D_GLIBCXX_USE_CXX11_ABI={int(torch._C._GLIBCXX_USE_CXX11_ABI)}"] + [f"-I{p}" for p in paths]
if cuda:
    flags.append("-DUSE_CUDA")
if torch.__version__.startswith(("1.13.", "2.0.", "2.1.")):
    flags.append("-DV1_13_X")  # as DJL's build.sh does for these versions
print(" ".join(flags))
PY
# C++17 unless this torch's headers refuse it (then C++20)
read -r -a probe_flags <"$build/flags"
std=c++17
printf '#include <torch/script.h>\nint main() { return 0; }\n' >"$build/probe.cc"
g++ -std=c++17 -w "${probe_flags[@]}" -fsyntax-only "$build/probe.cc" 2>"$build/probe.err" || std=c++20
src="$kit/djl-jni/src"
echo "build-jni: g++ $(g++ -dumpfullversion), -std=$std, $(nproc) jobs, flags: $(cat "$build/flags")"
export std build kit
export flags_str="$(cat "$build/flags")"
# one compiler per source file, all cores
ls "$src"/*.cc | xargs -P "$(nproc)" -I{} bash -c 'read -r -a flags <<<"$flags_str"; g++ -std="$std" -O2 -fPIC -w "${flags[@]}" -I"$kit/djl-jni/include" -I"$kit/jni-include" -I"$kit/jni-include/linux" -c "$1" -o "$build/$(basename "${1%.cc}").o"' _ {}
libs=(-lc10 -ltorch -ltorch_cpu)
[[ "$flavor" == cu* ]] && libs+=(-lc10_cuda -ltorch_cuda)
g++ -shared -o "$build/libdjl_torch.so" "$build"/*.o -L"$torchlib" -Wl,--no-as-needed "${libs[@]}" -Wl,-rpath,"$torchlib"
echo "build-jni: built $build/libdjl_torch.so"
