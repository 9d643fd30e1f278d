#!/usr/bin/env bash
# Offline checks of the SAM application, for CI and by hand. Nothing here calls AWS.
#
#   scripts/check-template.sh              lint, translate every option combination, samconfig, package
#   scripts/check-template.sh --no-package skip the `dotnet publish` of the function
#   scripts/check-template.sh --package-dir DIR
#                                          keep the function package in DIR (e.g. for a test that
#                                          loads the handler from it) instead of a temporary folder
#
# 1. cfn-lint template.yaml and source.yaml with informational rules: no error, no warning, no info
#    (ignored rules are justified in the template).
# 2. scripts/translate_template.py: aws-sam-translator for json/csv/parquet x parameter group
#    x Object Lock x KMS key (and a few more switches), each resolved and checked (among others:
#    the function's OVERFLOW_PREFIX is the stream's Prefix, or Parquet mode's overflow directory;
#    its role may only PutObject there; the alarms read metrics the function emits).
#    scripts/check_source_template.py: source.yaml (AWS::LanguageExtensions, not SAM: the translator
#    does not apply) expanded for every combination of its options, each filter checked against the
#    parameterised destination and the collector's filter pattern.
# 3. samconfig.toml parses and names only parameters the template has.
# 4. The Makefile target `sam build` runs, into a temporary ARTIFACTS_DIR: the package holds the
#    assembly named by the template's Handler with its deps.json and runtimeconfig.json.
# The C# template tests (wiring, columns, filter pattern) run with `dotnet test`.
set -euo pipefail

cd "$(dirname "$0")/.."
package=true
package_dir=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-package) package=false ;;
    --package-dir) package_dir=${2:?--package-dir needs a folder}; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

step "tools"
command -v python3 >/dev/null || fail "python3 is not on PATH"
command -v cfn-lint >/dev/null \
  || fail "cfn-lint is not on PATH (part of the CI image; else: pip install cfn-lint). 'python3 -m cfnlint' does not work."
python3 -c 'import samtranslator' 2>/dev/null \
  || fail "aws-sam-translator is not importable by $(command -v python3) (part of the CI image; else: pip install aws-sam-translator)"
echo "cfn-lint $(cfn-lint --version | awk '{print $2}'), aws-sam-translator $(python3 -c 'import samtranslator; print(samtranslator.__version__)')"

step "cfn-lint template.yaml source.yaml (with informational rules)"
# Exit status is a bitmask: 2 errors, 4 warnings, 8 informational (-c I turns those on).
for template in template.yaml source.yaml; do
  cfn-lint "$template" -c I || fail "cfn-lint reported errors, warnings or informational findings in $template (exit $?)"
done
echo "no errors, no warnings, no infos"

step "aws-sam-translator, every combination of the main options"
python3 scripts/translate_template.py template.yaml || fail "a translation failed"

step "source.yaml, every combination of its options"
python3 scripts/check_source_template.py source.yaml --collector template.yaml || fail "a source variant failed"

step "samconfig.toml"
python3 - <<'EOF' || fail "samconfig.toml does not fit template.yaml"
import re, sys, tomllib
from samtranslator.yaml_helper import yaml_parse

config = tomllib.load(open("samconfig.toml", "rb"))
template = yaml_parse(open("template.yaml", encoding="utf-8").read())
deploy = config["default"]["deploy"]["parameters"]
names = re.findall(r'(\w+)=', deploy["parameter_overrides"])
unknown = [n for n in names if n not in template["Parameters"]]
required = [n for n, p in template["Parameters"].items() if "Default" not in p and n not in names]
if unknown or required:
    sys.exit(f"unknown parameters {unknown}; parameters without default and not set {required}")
print(f"default profile: stack {deploy['stack_name']}, overrides {names}")
EOF

if [[ "$package" == true ]]; then
  step "Makefile target into a temporary ARTIFACTS_DIR"
  command -v make >/dev/null || fail "make is not on PATH"
  command -v dotnet >/dev/null || fail "dotnet is not on PATH"
  logical_id=TransformFunction
  handler=$(python3 -c "
from samtranslator.yaml_helper import yaml_parse
t = yaml_parse(open('template.yaml', encoding='utf-8').read())
print(t['Resources']['$logical_id']['Properties']['Handler'])")
  assembly=${handler%%::*}
  if [[ -n "$package_dir" ]]; then
    mkdir -p "$package_dir"
    [[ -z "$(ls -A "$package_dir")" ]] || fail "--package-dir $package_dir is not empty"
    artifacts=$(cd "$package_dir" && pwd)
  else
    artifacts=$(mktemp -d)
    trap 'rm -rf "$artifacts"' EXIT
  fi
  make --no-print-directory -C src/PgAuditFirehose.Lambda "build-$logical_id" ARTIFACTS_DIR="$artifacts" \
    || fail "make build-$logical_id failed"
  for file in "$assembly.dll" "$assembly.deps.json" "$assembly.runtimeconfig.json"; do
    [[ -f "$artifacts/$file" ]] || fail "the package lacks $file (handler $handler)"
  done
  grep -q '"Microsoft.NETCore.App"' "$artifacts/$assembly.runtimeconfig.json" \
    || fail "$assembly.runtimeconfig.json does not name the shared framework (framework-dependent publish expected)"
  grep -q 'linux-arm64' "$artifacts/$assembly.deps.json" \
    || fail "$assembly.deps.json is not for linux-arm64"
  echo "package for handler $handler:"
  (cd "$artifacts" && ls -l)
fi

step "all template checks passed"
