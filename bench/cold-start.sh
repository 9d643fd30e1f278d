#!/usr/bin/env bash
# Cold start: the first invocation in a fresh process, our handler against a trivial Stream-echo
# handler, both published the way the Makefile publishes the function (framework-dependent,
# ReadyToRun, for this machine's architecture) and loaded by the same runtime-like host.
# Needs hyperfine (apt-get install hyperfine); with --interleaved, bash and bc instead:
#   bench/cold-start.sh [--interleaved] [EVENT.json]      (RUNS=N sets the runs)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
rid=linux-x64; [ "$(uname -m)" = aarch64 ] && rid=linux-arm64

make -s -C src/PgAuditFirehose.Lambda build-TransformFunction ARTIFACTS_DIR="$out/function" RUNTIME_ID=$rid >/dev/null
dotnet publish bench/EchoHandler -c Release -r $rid --self-contained false -p:PublishReadyToRun=true -o "$out/echo" --nologo -v q >/dev/null
dotnet publish bench/PgAuditFirehose.ColdStart -c Release -o "$out/host" --nologo -v q >/dev/null

# What the template sets, so start-up does what it does in Lambda. (The host's runtimeconfig carries the
# function's runtime settings, TieredPGO and EventSource off, for both handlers.)
export OUTPUT_FORMAT=json AWS_LAMBDA_FUNCTION_NAME=pgaudit-firehose-TransformFunction OVERFLOW_BUCKET=archive \
  OVERFLOW_PREFIX='audit/json/dt=!{timestamp:yyyy-MM-dd}/account=!{partitionKeyFromLambda:account_id}/cluster=!{partitionKeyFromLambda:db_identifier}/'
interleaved=0
if [ "${1:-}" = --interleaved ]; then interleaved=1; shift; fi
event=${1:-events/real-workload.json}
echo_cmd=(dotnet "$out/host/PgAuditFirehose.ColdStart.dll" "$out/echo" EchoHandler::EchoHandler.Function::FunctionHandler "$event")
ours_cmd=(dotnet "$out/host/PgAuditFirehose.ColdStart.dll" "$out/function" PgAuditFirehose.Lambda::PgAuditFirehose.Lambda.Function::FunctionHandler "$event")

if [ $interleaved = 0 ]; then
  # -N: no shell in between, whose start-up would only add noise; hyperfine discards the output.
  hyperfine -N --warmup 5 --runs "${RUNS:-60}" --export-markdown "$out/cold-start.md" \
    -n echo "${echo_cmd[*]}" -n pgaudit-firehose "${ours_cmd[*]}"
  cat "$out/cold-start.md"
  exit 0
fi

# --interleaved: the two turn about, run by run, so a noisy stretch of a shared machine falls on both
# alike (hyperfine runs all of one, then all of the other); medians, and the median of each pair's ratio.
for _ in 1 2 3; do "${echo_cmd[@]}" >/dev/null; "${ours_cmd[@]}" >/dev/null; done
: >"$out/echo.ms"; : >"$out/ours.ms"; : >"$out/ratio"
for i in $(seq "${RUNS:-100}"); do
  # Which goes first turns each time too.
  if [ $((i % 2)) = 0 ]; then
    start=$EPOCHREALTIME; "${echo_cmd[@]}" >/dev/null; mid=$EPOCHREALTIME; "${ours_cmd[@]}" >/dev/null; end=$EPOCHREALTIME
    e=$(echo "($mid - $start) * 1000" | bc -l); o=$(echo "($end - $mid) * 1000" | bc -l)
  else
    start=$EPOCHREALTIME; "${ours_cmd[@]}" >/dev/null; mid=$EPOCHREALTIME; "${echo_cmd[@]}" >/dev/null; end=$EPOCHREALTIME
    o=$(echo "($mid - $start) * 1000" | bc -l); e=$(echo "($end - $mid) * 1000" | bc -l)
  fi
  echo "$e" >>"$out/echo.ms"; echo "$o" >>"$out/ours.ms"; echo "$o / $e" | bc -l >>"$out/ratio"
done
median() { sort -g "$1" | awk '{v[NR] = $1} END {printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
echo "echo $(median "$out/echo.ms") ms, pgaudit-firehose $(median "$out/ours.ms") ms (medians of ${RUNS:-100} runs each, turn about);" \
  "median ratio $(median "$out/ratio")x"
