#!/usr/bin/env bash
# Runs every Jazzer fuzz target of the `fuzz` profile in turn and prints executions and findings per target.
#   scripts/fuzz-all.sh [DURATION] [TARGET...]      e.g. scripts/fuzz-all.sh 3m   or   scripts/fuzz-all.sh 30s ImageDecoderFuzzTest#decode
# DURATION is Jazzer's max_duration (default 3m). For a full campaign of 1M executions per target:
#   FUZZ_MAX_EXECUTIONS=1000000 scripts/fuzz-all.sh 2h   (each target stops at whichever comes first: the
#                                  duration or -Djazzer.max_executions; the cheap targets take 3-9 minutes each)
# Logs: target/fuzz-logs/<target>.log; findings: src/test/resources/.../<Class>Inputs/<method>/crash-*.
# Runs niced: the machine is shared.
set -u
cd "$(dirname "$0")/.."
DURATION="${1:-3m}"
shift || true
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  TARGETS=(
    'ImageDecoderFuzzTest#decode'
    'ImageDecoderFuzzTest#scaledJpeg'
    'ModelFilesFuzzTest#onnxInspector'
    'ModelFilesFuzzTest#modelPack'
    'ModelFilesFuzzTest#catalogueJson'
    'ModelFilesFuzzTest#installedManifest'
    'CompactCodesFuzzTest#pqIndex'
    'CompactCodesFuzzTest#spqModel'
    'LocalFeatureBlobsFuzzTest#featureBlob'
    'LocalFeatureBlobsFuzzTest#storedModel'
    'FeatureCacheFuzzTest#load'
    'ClipTokenizerFuzzTest#encode'
  )
fi
EXTRA=()
if [ -n "${FUZZ_MAX_EXECUTIONS:-}" ]; then
  EXTRA+=("-Djazzer.max_executions=${FUZZ_MAX_EXECUTIONS}")
fi
mkdir -p target/fuzz-logs
nice -n 10 mvn -B -q test-compile >/dev/null || { echo "build failed"; exit 1; }
printf '%-40s %12s %8s %10s %s\n' target executions seconds exec/s findings
for t in "${TARGETS[@]}"; do
  log="target/fuzz-logs/${t//#/.}.log"
  nice -n 10 mvn -B -Pfuzz surefire:test -Dtest="$t" -Djazzer.max_duration="$DURATION" "${EXTRA[@]}" >"$log" 2>&1
  rc=$?
  done_line=$(grep -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1)
  runs=$(echo "$done_line" | awk '{print $2}')
  secs=$(echo "$done_line" | awk '{print $5}')
  rate=$([ -n "$runs" ] && [ "${secs:-0}" -gt 0 ] && echo $((runs / secs)) || echo -)
  findings=$(grep -cE 'FuzzTestFindingException|== Java Exception|crash-[0-9a-f]+' "$log")
  printf '%-40s %12s %8s %10s %s (rc=%s)\n' "$t" "${runs:--}" "${secs:--}" "$rate" "$findings" "$rc"
done
