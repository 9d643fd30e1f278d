#!/usr/bin/env bash
# The project's test command (README "Run the tests"; .ci/run runs exactly this).
# Unit tests, integration tests against a real PostgreSQL + pgaudit (scripts/pgaudit-server.sh
# installs and starts it), template tests, then cfn-lint and aws-sam-translator on template.yaml.
set -uo pipefail
cd "$(dirname "$0")/.."

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test PgAuditFirehose.slnx -c Release 2>&1 | tee "$log" || status=1
# The unit tests once more with the processor's vector instructions off: the byte-at-a-time ways the
# text routines take where 128-bit vectors are not accelerated must give the same results.
DOTNET_EnableHWIntrinsic=0 dotnet test test/PgAuditFirehose.Tests -c Release --no-build 2>&1 | tee -a "$log" || status=1
# And with 128-bit vectors only, as on arm64 (the function's architecture): the 256-bit block loops
# this machine takes must not be the only ones tested.
DOTNET_EnableAVX2=0 dotnet test test/PgAuditFirehose.Tests -c Release --no-build 2>&1 | tee -a "$log" || status=1
# And with AVX-512 off: where the hardware has it (AVX-512 VBMI2) unescaping takes 64-byte blocks, so
# the 32-byte loops that every other x64 machine runs are tested here too.
DOTNET_EnableAVX512=0 dotnet test test/PgAuditFirehose.Tests -c Release --no-build 2>&1 | tee -a "$log" || status=1
if [ -x scripts/check-template.sh ]; then
  scripts/check-template.sh || status=1
fi

# One closing line for the whole run, summed over the test projects.
awk '/(Passed|Failed)! +- +Failed: +[0-9]+, Passed: +[0-9]+/ {
       gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1) } }
     END { printf "%d passed, %d failed\n", p, f }' "$log"
exit $status
