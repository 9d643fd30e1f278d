#!/usr/bin/env bash
# The project's test command (README "Run the tests"; .ci/run runs exactly this, with CI=true).
# Unit tests, integration tests against a real PostgreSQL + pgaudit (scripts/pgaudit-server.sh
# installs and starts it), CLI tests, template tests, then cfn-lint and aws-sam-translator on
# template.yaml. Ends with the skipped tests and their reasons, the failed ones, and
# `N passed, N failed, N skipped` (scripts/test-summary.py); a failed build or check counts as a
# failure there too, so the line and the exit status never disagree.
set -uo pipefail
cd "$(dirname "$0")/.."

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

# step NAME COMMAND...: runs it and notes its exit status for the summary (NAME.trx holds its tests).
step() {
  local name=$1; shift
  "$@"
  printf '%s\t%s\n' "$name" "$?" >> "$results/steps.tsv"
}
tests() { local name=$1; shift; step "$name" "$@" -c Release --no-build --logger "trx;LogFileName=$name.trx" --results-directory "$results"; }

step build dotnet build PgAuditFirehose.slnx -c Release
# Every test project at once, as `dotnet test` of the solution would run them, each with its own results file.
for project in test/*/; do
  name=$(basename "$project")
  tests "$name" dotnet test "$project" &
done
wait
# The unit tests once more with the processor's vector instructions off: the byte-at-a-time ways the
# text routines take where 128-bit vectors are not accelerated must give the same results.
tests unit-no-vectors env DOTNET_EnableHWIntrinsic=0 dotnet test test/PgAuditFirehose.Tests
# And with 128-bit vectors only, as on arm64 (the function's architecture): the 256-bit block loops
# this machine takes must not be the only ones tested.
tests unit-no-avx2 env DOTNET_EnableAVX2=0 dotnet test test/PgAuditFirehose.Tests
# And with AVX-512 off: where the hardware has it (AVX-512 VBMI2) unescaping takes 64-byte blocks, so
# the 32-byte loops that every other x64 machine runs are tested here too.
tests unit-no-avx512 env DOTNET_EnableAVX512=0 dotnet test test/PgAuditFirehose.Tests
step check:template scripts/check-template.sh

echo
python3 scripts/test-summary.py "$results" || { echo "test.sh: could not summarise the results (python3 missing?)"; exit 1; }
! cut -f2 "$results/steps.tsv" | grep -qvx 0
