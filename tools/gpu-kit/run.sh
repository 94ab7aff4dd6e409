#!/usr/bin/env bash
# The resdet GPU check, run on a machine with an NVIDIA GPU and Python's torch but no Java (docs/gpu.md):
#
#   bash gpu-kit/run.sh            (the kit folder carried next to this script; bin/gpu-kit packs it)
#
# 1. unpacks the kit (a JRE, resdet's jars, these scripts) into $KIT_WORK (default /tmp/resdet-gpu-kit);
# 2. reports the machine (GPU, driver, Python's torch and its CUDA/cuDNN);
# 3. starts resdet with DJL 0.36's JNI (libtorch 2.7.1 ABI) on the machine's own libtorch (torch/lib of Python's
#    torch, or KIT_TORCH_LIB) and reports what loads; if the JNI does not load, prints the exact failure and the
#    libtorch symbols it misses, and tries again with KIT_JNI when given (a libdjl_torch.so built for that libtorch
#    from DJL's own build, outside this project: resdet carries no copy of DJL's sources);
# 4. if a GPU is usable: detections of the same images on CPU and GPU (float32, float16, batch 4) compared box by
#    box, then `bench detector --device gpu` (float32 and --half) against torchvision on the same GPU.
#
# Output: $OUT/report.txt (the summary), $OUT/details.log (every command's output), $OUT/detections.tar.gz.
# Settings: KIT_TORCH_LIB (a libtorch lib folder), KIT_FLAVOR (cu128; cpu for a CPU libtorch),
# KIT_JNI (a libdjl_torch.so built for the machine's libtorch, tried when DJL's prebuilt one does not load),
# KIT_BENCH=0 (skip the bench), KIT_SIZES (bench sizes, default 1x800x1333,4x800x1333), KIT_THREADS (default 8).
set -uo pipefail
kit="$(cd "$(dirname "$0")" && pwd)"
out="${OUT:-$kit/out}"
work="${KIT_WORK:-/tmp/resdet-gpu-kit}"
flavor="${KIT_FLAVOR:-cu128}"
threads="${KIT_THREADS:-8}"
mkdir -p "$out"
report="$out/report.txt"
details="$out/details.log"
: >"$report"
: >"$details"
say() { echo "$*" | tee -a "$report"; }
start=$(date +%s)
# seconds left of KIT_SECONDS (default 540: the device tool stops a command at 600 s)
left() { echo $(( ${KIT_SECONDS:-540} - ($(date +%s) - start) )); }
# step NAME SECONDS CMD...: runs CMD with a time limit, its output into details.log (and $work/NAME.out)
step() {
  local name=$1 limit=$2 t0 rc
  shift 2
  t0=$(date +%s)
  echo "=== $name: $*" >>"$details"
  timeout "$limit" "$@" >"$work/$name.out" 2>"$work/$name.err"
  rc=$?
  cat "$work/$name.out" "$work/$name.err" >>"$details"
  echo "=== $name: exit $rc after $(( $(date +%s) - t0 )) s" >>"$details"
  return $rc
}
# a step's one-line error: resdet's own last line ("resdet ..."), else the first exception line, else the last line
lasterr() {
  local f="$work/$1.err" l
  l="$(grep '^resdet' "$f" | tail -n 1)"
  [ -n "$l" ] || l="$(grep -m 1 -E 'Exception|Error' "$f")"
  [ -n "$l" ] || l="$(grep -v 'AutoNonVariableTypeMode\|^\[W' "$f" | tail -n 1)"
  echo "$l"
}

say "resdet GPU check kit, $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -srm)"
rm -rf "$work" && mkdir -p "$work"
if ! tar -xJf "$kit/kit.tar.xz" -C "$work" 2>>"$details"; then
  python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$kit/kit.tar.xz" "$work" \
    || { say "UNPACK: failed (see details.log)"; exit 1; }
fi
java="$work/jre/bin/java"
"$java" -version >>"$details" 2>&1 || { say "JAVA: the kit's JRE does not start here: $("$java" -version 2>&1 | head -n 1)"; exit 1; }

# --- the machine
if command -v nvidia-smi >/dev/null; then
  say "GPU (nvidia-smi): $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | head -n 3 | paste -sd ';')"
else
  say "GPU (nvidia-smi): not installed"
fi
torchlib="${KIT_TORCH_LIB:-}"
if [ -z "$torchlib" ]; then
  torchlib="$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))' 2>>"$details")"
fi
if python3 -c 'import torch' 2>/dev/null; then
  say "python torch: $(python3 - <<'PY' 2>&1 | tail -n 1
import torch
cuda = torch.cuda.is_available()
name = torch.cuda.get_device_name(0) if cuda else "-"
cap = ".".join(map(str, torch.cuda.get_device_capability(0))) if cuda else "-"
print(f"{torch.__version__}, CUDA {torch.version.cuda}, cuDNN {torch.backends.cudnn.version()}, GPU available {cuda} ({name}, sm {cap}), cxx11 ABI {torch._C._GLIBCXX_USE_CXX11_ABI}")
PY
)"
fi
if [ -z "$torchlib" ] || [ ! -f "$torchlib/libtorch.so" ]; then
  say "LIBTORCH: no libtorch.so found (python3's torch: '$torchlib'); set KIT_TORCH_LIB to a libtorch lib folder"
  exit 1
fi
say "libtorch folder: $torchlib"

# --- resdet on that libtorch: DJL's override (PYTORCH_LIBRARY_PATH + PYTORCH_FLAVOR), nothing downloaded.
# Python's wheels keep the CUDA runtime, cuDNN, cuBLAS... under site-packages/nvidia/*/lib; libtorch finds them by
# its RUNPATH, JNA (DJL's GPU count through libcudart) by jna.library.path.
nvlibs="$(find "$(dirname "$(dirname "$torchlib")")/nvidia" -maxdepth 3 -type d -name lib 2>/dev/null | paste -sd ':')"
export PYTORCH_LIBRARY_PATH="$torchlib" PYTORCH_FLAVOR="$flavor" DJL_CACHE_DIR="$work/djl-cache" DJL_OFFLINE=true
export LD_LIBRARY_PATH="$torchlib${nvlibs:+:$nvlibs}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# a command, not a function: `timeout` runs it
mkdir -p "$work/bin"
cat >"$work/bin/resdet" <<SH
#!/usr/bin/env bash
exec "$java" -Dai.djl.offline=true -Dresdet.home="$work" -Djna.library.path="${nvlibs:+$nvlibs:}$torchlib" -cp "$work/lib/*" io.resdet.cli.Main "\$@"
SH
chmod +x "$work/bin/resdet"
export PATH="$work/bin:$PATH"
jni_dir="$DJL_CACHE_DIR/pytorch/2.7.1-$flavor-linux-x86_64"

if step doctor 300 resdet doctor --threads "$threads"; then
  say "LOAD: ok, DJL's prebuilt $flavor JNI (libtorch 2.7.1 ABI) runs on this libtorch"
  loaded=prebuilt
else
  say "LOAD: failed with DJL's prebuilt $flavor JNI: $(lasterr doctor)"
  loaded=""
  jni="$(ls "$jni_dir"/*libdjl_torch.so 2>/dev/null | head -n 1)"
  if [ -z "$jni" ]; then
    mkdir -p "$work/jni" && python3 -m zipfile -e "$(ls "$work"/lib/pytorch-jni-*.jar | head -n 1)" "$work/jni" 2>>"$details"
    jni="$work/jni/jnilib/linux-x86_64/$flavor/libdjl_torch.so"
  fi
  if command -v nm >/dev/null && [ -f "$jni" ]; then
    # strong references only ("U"); weak ones (TLS init functions...) may be absent anywhere
    nm -D --undefined-only "$jni" | awk '$1 == "U" {print $2}' | sort -u >"$work/jni-undefined.txt"
    for l in "$torchlib"/lib{c10,c10_cuda,torch,torch_cpu,torch_cuda}.so; do
      [ -f "$l" ] && nm -D --defined-only "$l" | awk '{print $NF}'
    done | sort -u >"$work/torch-defined.txt"
    # C++ symbols without a version tag: libtorch's (the tagged ones, name@GLIBCXX_..., come from libstdc++)
    grep '^_Z' "$work/jni-undefined.txt" | grep -v '@' >"$work/jni-torch-symbols.txt"
    comm -23 "$work/jni-torch-symbols.txt" "$work/torch-defined.txt" >"$work/jni-missing.txt"
    say "JNI symbols missing from this libtorch: $(wc -l <"$work/jni-missing.txt") of the $(wc -l <"$work/jni-torch-symbols.txt") libtorch symbols it uses; the first ones:"
    head -n 8 "$work/jni-missing.txt" | (command -v c++filt >/dev/null && c++filt || cat) | sed 's/^/  /' | cut -c1-200 | tee -a "$report"
  fi
  if [ -n "${KIT_JNI:-}" ]; then
    mkdir -p "$jni_dir" && cp "$KIT_JNI" "$jni_dir/0.36.0-libdjl_torch.so" && say "JNI: trying KIT_JNI=$KIT_JNI"
    if step doctor-rebuilt 300 resdet doctor --threads "$threads"; then
      say "LOAD: ok with the JNI given in KIT_JNI"
      loaded=rebuilt
    else
      say "LOAD: the KIT_JNI library fails too: $(lasterr doctor-rebuilt)"
    fi
  fi
fi
if [ -z "$loaded" ]; then
  say "RESULT: resdet cannot run on this machine's libtorch (details.log has every message)"
  exit 1
fi
doctor_out="$work/doctor.out"
[ "$loaded" = rebuilt ] && doctor_out="$work/doctor-rebuilt.out"
grep -E '^(libtorch|capabilities|threads|nvidia driver|cuda runtime|libtorch cuda|gpus|device auto|gpu) ' "$doctor_out" \
  | sed 's/^/  /' | tee -a "$report"

# --- detections: the same generated images on CPU and GPU
step synth 120 resdet data synth --out "$work/synth" --images 8 --val 1 --width 640 --height 480 --seed 1 \
  || { say "SYNTH: failed: $(lasterr synth)"; exit 1; }
images="$work/synth/train"
detect() { local name=$1; shift; step "$name" 300 resdet detect --score-threshold 0.3 --threads "$threads" "$@" "$images"; }
detect cpu --device cpu || say "DETECT cpu: failed: $(lasterr cpu)"
if ! step doctor-gpu 120 resdet doctor --device gpu; then
  say "GPU: not usable: $(lasterr doctor-gpu)"
  n="$(grep -c '"detections"' "$work/cpu.out" 2>/dev/null)"
  say "RESULT: resdet runs here on the CPU only (${n:-0} images detected)"
  tar -C "$work" -czf "$out/detections.tar.gz" cpu.out 2>/dev/null
  exit 0
fi
detect gpu --device gpu || say "DETECT gpu: failed: $(lasterr gpu)"
detect gpu-half --device gpu --half || say "DETECT gpu --half: failed: $(lasterr gpu-half)"
detect gpu-batch4 --device gpu --batch 4 || say "DETECT gpu --batch 4: failed: $(lasterr gpu-batch4)"
detect cpu-batch4 --device cpu --batch 4 || say "DETECT cpu --batch 4: failed: $(lasterr cpu-batch4)"
say "PARITY (bundled model, 8 generated 640x480 images, score > 0.3; boxes matched by label and IoU):"
python3 "$work/compare.py" "$work/cpu.out" "$work/gpu.out" "GPU float32 vs CPU" 0.99 2>&1 | sed 's/^/  /' | tee -a "$report"
python3 "$work/compare.py" "$work/gpu.out" "$work/gpu-half.out" "GPU float16 vs GPU float32" 0.95 2>&1 | sed 's/^/  /' | tee -a "$report"
python3 "$work/compare.py" "$work/cpu-batch4.out" "$work/gpu-batch4.out" "GPU vs CPU, batch 4" 0.99 2>&1 | sed 's/^/  /' | tee -a "$report"
tar -C "$work" -czf "$out/detections.tar.gz" cpu.out gpu.out gpu-half.out gpu-batch4.out cpu-batch4.out 2>/dev/null

# --- bench: resdet vs torchvision on the same GPU (seeded fasterrcnn_resnet50_fpn weights)
if [ "${KIT_BENCH:-1}" != 0 ] && [ "$(left)" -lt 150 ]; then
  say "BENCH: skipped, only $(left) s left of KIT_SECONDS"
elif [ "${KIT_BENCH:-1}" != 0 ]; then
  py="$(command -v python3)"
  python3 -c 'import torchvision' 2>/dev/null || py=none
  sizes="${KIT_SIZES:-1x800x1333,4x800x1333}"
  for half in "" --half; do
    [ "$(left)" -lt 60 ] && { say "BENCH ${half:-float32}: skipped, only $(left) s left"; continue; }
    if step "bench${half}" 420 resdet bench detector --device gpu $half --python "$py" --sizes "$sizes" --repeats 5 --threads "$threads"; then
      say "BENCH ${half:-float32}:"
      sed 's/^/  /' "$work/bench${half}.out" | tee -a "$report" >/dev/null
    else
      say "BENCH ${half:-float32}: failed: $(lasterr "bench${half}")"
    fi
  done
fi
say "RESULT: done (details.log has every command's output)"
