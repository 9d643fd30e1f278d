#!/usr/bin/env bash
# Cold start: the first invocation in a fresh process, our handler against a trivial Stream-echo
# handler, both published the way the Makefile publishes the function (framework-dependent,
# ReadyToRun, for this machine's architecture) and loaded by the same runtime-like host.
# Needs hyperfine (apt-get install hyperfine).
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
  OVERFLOW_PREFIX='audit/json/cluster=!{partitionKeyFromLambda:db_identifier}/dt=!{timestamp:yyyy-MM-dd}/!{partitionKeyFromLambda:log_stream}-'
event=${1:-events/real-workload.json}
# -N: no shell in between, whose start-up would only add noise; hyperfine discards the output.
hyperfine -N --warmup 5 --runs "${RUNS:-60}" --export-markdown "$out/cold-start.md" \
  -n echo "dotnet $out/host/PgAuditFirehose.ColdStart.dll $out/echo EchoHandler::EchoHandler.Function::FunctionHandler $event" \
  -n pgaudit-firehose "dotnet $out/host/PgAuditFirehose.ColdStart.dll $out/function PgAuditFirehose.Lambda::PgAuditFirehose.Lambda.Function::FunctionHandler $event"
cat "$out/cold-start.md"
