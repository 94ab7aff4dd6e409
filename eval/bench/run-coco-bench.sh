#!/usr/bin/env bash
# End-to-end speed of `resdet eval coco` (JVM start included) on a val2017-sized synthetic case,
# against the 41.8 s pycocotools took on the same size in the issue (pycocotools cannot be installed
# here, so that number is the issue's measurement, not a rerun).
#
# usage: eval/bench/run-coco-bench.sh [RUNS=5] [CASE_DIR=${TMPDIR:-/tmp}/resdet-coco-bench]
# env:   IMAGES=5000 CATEGORIES=80 DETS=100 SEED=1 HEAP=2g
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)"
runs="${1:-5}"
case_dir="${2:-${TMPDIR:-/tmp}/resdet-coco-bench}"
images="${IMAGES:-5000}" categories="${CATEGORIES:-80}" dets="${DETS:-100}" seed="${SEED:-1}" heap="${HEAP:-2g}"
reference_s=41.8
timer=/usr/bin/time
[ -x "$timer" ] || { echo "run-coco-bench: needs GNU time at $timer (apt-get install time)" >&2; exit 1; }

echo "run-coco-bench: building if needed..." >&2
"$root/bin/resdet" eval --help >/dev/null

key="$images-$categories-$dets-$seed"
if [ "$(cat "$case_dir/.case" 2>/dev/null)" != "$key" ]; then
  echo "run-coco-bench: generating $images images, $categories categories, $dets dets/image, seed $seed in $case_dir" >&2
  RESDET_NO_BUILD=1 "$root/bin/resdet" eval synth --out "$case_dir" --images "$images" --categories "$categories" \
    --dets-per-image "$dets" --seed "$seed"
  echo "$key" > "$case_dir/.case"
fi

walls=() rss=() first_out=""
for i in $(seq 1 "$runs"); do
  out="$(mktemp)" tm="$(mktemp)"
  RESDET_NO_BUILD=1 RESDET_JAVA_OPTS="-Xmx$heap" "$timer" -f "%e %M" -o "$tm" \
    "$root/bin/resdet" eval coco --gt "$case_dir/gt.json" --dt "$case_dir/dt.json" >"$out" 2>/dev/null
  read -r wall kb < "$tm"
  walls+=("$wall") rss+=("$kb")
  if [ -z "$first_out" ]; then first_out="$(cat "$out")"; elif [ "$first_out" != "$(cat "$out")" ]; then
    echo "run-coco-bench: run $i printed a different summary than run 1" >&2; exit 1; fi
  echo "run-coco-bench: run $i/$runs: ${wall} s, peak RSS $((kb / 1024)) MiB" >&2
  rm -f "$out" "$tm"
done

median="$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')"
min="$(printf '%s\n' "${walls[@]}" | sort -g | head -1)"
max="$(printf '%s\n' "${walls[@]}" | sort -g | tail -1)"
peak_kb="$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)"
gt_n="$(grep -o '"iscrowd"' "$case_dir/gt.json" | wc -l)"
dt_mb="$(du -m "$case_dir/dt.json" | cut -f1)"

echo
echo "$first_out"
echo
printf 'case: %s images, %s categories, %s GT boxes, %s detections (dt.json %s MB); %s cores, load %s\n' \
  "$images" "$categories" "$gt_n" "$((images * dets))" "$dt_mb" "$(nproc)" "$(cut -d' ' -f1 /proc/loadavg)"
printf '| %-34s | %14s | %14s | %12s |\n' "command" "wall (median)" "peak RSS" "vs 41.8 s"
printf '|%s|%s|%s|%s|\n' "------------------------------------" "----------------" "----------------" "--------------"
printf '| %-34s | %12s s | %10s MiB | %11s |\n' "resdet eval coco (-Xmx$heap, $runs runs)" "$median" "$((peak_kb / 1024))" \
  "$(awk -v r="$reference_s" -v m="$median" 'BEGIN {printf "%.1fx", r / m}')"
printf '| %-34s | %12s s | %14s | %11s |\n' "pycocotools (issue's measurement)" "$reference_s" "n/a" "1.0x"
printf 'runs: min %s s, max %s s; target: >= 10x (median <= %s s) with heap <= 2 GB: %s\n' "$min" "$max" \
  "$(awk -v r="$reference_s" 'BEGIN {print r / 10}')" \
  "$(awk -v r="$reference_s" -v m="$median" 'BEGIN {print (r / m >= 10 ? "met" : "NOT met")}')"
