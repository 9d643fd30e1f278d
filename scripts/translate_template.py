#!/usr/bin/env python3
"""Translate template.yaml with aws-sam-translator for every combination of the main options.

For each combination the script swaps the local CodeUri for an s3:// placeholder (the translator
only accepts S3 locations), translates SAM to CloudFormation offline, resolves the conditions
with the combination's parameter values, and checks that the option-dependent pieces appear
exactly when they should, and that the overflow wiring holds: the function's OVERFLOW_PREFIX is
the delivery stream's Prefix (json, csv) or the Parquet overflow table's directory, its role may
only PutObject there, and the alarms on its embedded metrics name metrics it emits. Nothing calls
AWS.

    python3 scripts/translate_template.py [template.yaml] [--out DIR]

Exit status 0 when every combination translates and passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import copy
import itertools
import json
import logging
import os
import re
import sys
from pathlib import Path
from typing import Any

# The translator builds ARNs from the session's region; no credentials are needed or used.
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

try:
    from samtranslator.translator.transform import transform
    from samtranslator.yaml_helper import yaml_parse
except ImportError:  # pragma: no cover - depends on the machine
    sys.exit(
        "aws-sam-translator is not installed for this python3 "
        f"({sys.executable}); install it with: python3 -m pip install aws-sam-translator"
    )

# The translator's usage metrics are never published offline; its complaint about that is noise.
logging.getLogger("samtranslator.metrics.metrics").setLevel(logging.ERROR)

PLACEHOLDER_BUCKET = "placeholder-artifacts-bucket"
PLACEHOLDER_KMS_KEY = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"

MAIN_OPTIONS: dict[str, list[str]] = {
    "OutputFormat": ["json", "csv", "parquet"],
    "CreatePgAuditParameterGroup": ["true", "false"],
    "ObjectLockMode": ["NONE", "COMPLIANCE"],
    "KmsKeyArn": ["", PLACEHOLDER_KMS_KEY],
}

# Other switches, each tried once on top of the defaults.
EXTRA_VARIANTS: list[dict[str, str]] = [
    {"DbIdentifierKind": "instance"},
    {"DbIdentifierKind": "instance", "CreatePgAuditParameterGroup": "false"},
    {"SourceLogGroupName": "/self-managed/postgresql", "CreateSourceLogGroup": "false"},
    {"SourceLogGroupName": "/self-managed/postgresql", "CreateSourceLogGroup": "true"},
    {"AlarmEmail": "security@example.com"},
    {"ArchiveTransitionDays": "0", "ArchiveExpirationDays": "2555"},
    {"FleetAccountIds": "111111111111,222222222222"},
    {"FleetOrganizationId": "o-abcdefghij"},
    {"FleetAccountIds": "111111111111", "FleetOrganizationId": "o-abcdefghij", "OutputFormat": "parquet"},
    {"DbIdentifier": "", "FleetOrganizationId": "o-abcdefghij", "CreateSourceLogGroup": "false"},
    {"ObjectLockMode": "GOVERNANCE", "OutputFormat": "parquet", "KmsKeyArn": PLACEHOLDER_KMS_KEY},
]

REQUIRED_PARAMETERS = {"DbIdentifier": "database-1"}


class ManagedPolicyLoader:
    """The template attaches no managed policies, so the translator never needs IAM."""

    def load(self) -> dict[str, str]:
        return {}


class CheckFailed(Exception):
    pass


def load_template(path: Path) -> dict[str, Any]:
    template = yaml_parse(path.read_text(encoding="utf-8"))
    for logical_id, resource in template.get("Resources", {}).items():
        if resource.get("Type") == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = f"s3://{PLACEHOLDER_BUCKET}/{logical_id}.zip"
    return template


def parameter_values(template: dict[str, Any], overrides: dict[str, str]) -> dict[str, str]:
    values = {name: str(p["Default"]) for name, p in template["Parameters"].items() if "Default" in p}
    values.update(REQUIRED_PARAMETERS)
    values.update(overrides)
    missing = [name for name in template["Parameters"] if name not in values]
    if missing:
        raise CheckFailed(f"no value for parameter(s) {missing}")
    return values


# ---------------------------------------------------------------- condition resolution

NO_VALUE = object()


def evaluate_condition(expr: Any, conditions: dict[str, Any], params: dict[str, str]) -> bool:
    if isinstance(expr, dict) and len(expr) == 1:
        (fn, arg), = expr.items()
        if fn == "Condition":
            return evaluate_condition(conditions[arg], conditions, params)
        if fn == "Fn::Equals":
            left, right = (scalar_value(a, params) for a in arg)
            return left == right
        if fn == "Fn::Not":
            return not evaluate_condition(arg[0], conditions, params)
        if fn == "Fn::And":
            return all(evaluate_condition(a, conditions, params) for a in arg)
        if fn == "Fn::Or":
            return any(evaluate_condition(a, conditions, params) for a in arg)
    raise CheckFailed(f"unsupported condition expression {expr!r}")


def scalar_value(expr: Any, params: dict[str, str]) -> str:
    if isinstance(expr, dict) and set(expr) == {"Ref"}:
        return params[expr["Ref"]]
    if isinstance(expr, (str, int, float, bool)):
        return str(expr).lower() if isinstance(expr, bool) else str(expr)
    raise CheckFailed(f"unsupported value in a condition {expr!r}")


def resolve(node: Any, truth: dict[str, bool]) -> Any:
    """Apply Fn::If and drop AWS::NoValue, as CloudFormation does at deploy time."""
    if isinstance(node, dict):
        if set(node) == {"Fn::If"}:
            name, when_true, when_false = node["Fn::If"]
            return resolve(when_true if truth[name] else when_false, truth)
        if node == {"Ref": "AWS::NoValue"}:
            return NO_VALUE
        resolved = {k: resolve(v, truth) for k, v in node.items()}
        return {k: v for k, v in resolved.items() if v is not NO_VALUE}
    if isinstance(node, list):
        return [v for v in (resolve(item, truth) for item in node) if v is not NO_VALUE]
    return node


def resolve_template(cfn: dict[str, Any], params: dict[str, str]) -> dict[str, Any]:
    conditions = cfn.get("Conditions", {})
    truth = {name: evaluate_condition(expr, conditions, params) for name, expr in conditions.items()}
    resolved = copy.deepcopy(cfn)
    resolved["Resources"] = {
        logical_id: resolve(resource, truth)
        for logical_id, resource in cfn["Resources"].items()
        if truth.get(resource.get("Condition", ""), True)
    }
    resolved["Outputs"] = {
        name: resolve(output, truth)
        for name, output in cfn.get("Outputs", {}).items()
        if truth.get(output.get("Condition", ""), True)
    }
    return resolved


def leftover_intrinsics(node: Any, path: str = "") -> list[str]:
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Fn::If" or value == "AWS::NoValue":
                found.append(f"{path}/{key}")
            found.extend(leftover_intrinsics(value, f"{path}/{key}"))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            found.extend(leftover_intrinsics(item, f"{path}[{i}]"))
    return found


def evaluate(node: Any, params: dict[str, str], mappings: dict[str, Any]) -> Any:
    """Fold Ref (to parameters), Fn::FindInMap and Fn::Sub into strings, as CloudFormation does.

    ${Resource}, ${Resource.Attribute} and ${AWS::Pseudo} stay as written (only a deployment knows
    them); ${!Literal} becomes ${Literal}. Anything else is returned unchanged.
    """
    if isinstance(node, dict) and len(node) == 1:
        (fn, arg), = node.items()
        if fn == "Ref" and arg in params:
            return params[arg]
        if fn == "Fn::FindInMap":
            top, second = (evaluate(a, params, mappings) for a in arg[1:3])
            return mappings[arg[0]][top][second]
        if fn == "Fn::Sub":
            text, variables = (arg, {}) if isinstance(arg, str) else arg
            values = {name: evaluate(value, params, mappings) for name, value in variables.items()}

            def substitute(match: re.Match[str]) -> str:
                name = match.group(1)
                if name.startswith("!"):
                    return "${" + name[1:] + "}"
                value = values.get(name, params.get(name))
                if value is None:
                    return match.group(0)
                if not isinstance(value, str):
                    raise CheckFailed(f"Fn::Sub variable {name} is not a string: {value!r}")
                return value

            return re.sub(r"\$\{([^}]+)\}", substitute, text)
    return node


# ---------------------------------------------------------------- checks on one translation


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def check(resolved: dict[str, Any], params: dict[str, str]) -> None:
    resources = resolved["Resources"]
    leftovers = leftover_intrinsics(resources) + leftover_intrinsics(resolved["Outputs"])
    expect(not leftovers, f"unresolved Fn::If / AWS::NoValue at {leftovers}")
    expect("Transform" not in resolved, "the SAM transform is still present")
    # The Rules refuse bad combinations before CloudFormation creates anything: the translation keeps them.
    expect("StandardIaNeedsThirtyDays" in resolved.get("Rules", {}), "the Rules section did not survive the translation")

    functions = {k: r for k, r in resources.items() if r["Type"] == "AWS::Lambda::Function"}
    expect(set(functions) == {"TransformFunction"}, f"functions {sorted(functions)}")
    fn = functions["TransformFunction"]["Properties"]
    expect(fn["Runtime"] == "dotnet10", f"Runtime {fn['Runtime']}")
    expect(fn["Architectures"] == ["arm64"], f"Architectures {fn['Architectures']}")
    expect(fn["Code"].get("S3Bucket") == PLACEHOLDER_BUCKET, f"Code {fn['Code']}")
    expect("LoggingConfig" in fn, "LoggingConfig did not survive the translation")
    roles = sorted(k for k, r in resources.items() if r["Type"] == "AWS::IAM::Role")
    expected_roles = ["DeliveryStreamRole", "SubscriptionFilterRole", "TransformFunctionRole"]
    if "FleetDestination" in resources:
        expected_roles.insert(1, "FleetDestinationRole")
    expect(roles == expected_roles,
           f"IAM roles {roles}: SAM must not generate a role for the function")
    expect(fn["Role"] == {"Fn::GetAtt": ["TransformFunctionRole", "Arn"]}, f"function Role {fn['Role']}")

    fmt = params["OutputFormat"]
    parquet = fmt == "parquet"
    s3 = resources["DeliveryStream"]["Properties"]["ExtendedS3DestinationConfiguration"]
    expect(s3["CompressionFormat"] == ("UNCOMPRESSED" if parquet else "GZIP"),
           f"CompressionFormat {s3['CompressionFormat']} for {fmt}")
    expect(int(s3["BufferingHints"]["SizeInMBs"]) >= 64, "buffer under 64 MB with dynamic partitioning")
    expect(("DataFormatConversionConfiguration" in s3) == parquet, "format conversion not tied to parquet")
    backup = s3.get("S3BackupConfiguration", {})
    expect(s3.get("S3BackupMode") == "Enabled" and backup.get("BucketARN") == s3["BucketARN"],
           f"source-record backup not into the archive bucket: {s3.get('S3BackupMode')} {backup.get('BucketARN')}")
    expect(backup.get("EncryptionConfiguration") == s3.get("EncryptionConfiguration"), "backup encrypted unlike the records")

    statements = resources["DeliveryStreamRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    sids = {s.get("Sid") for s in statements}
    expect(("ReadSchemaForParquet" in sids) == parquet, f"Glue statement present={'ReadSchemaForParquet' in sids} for {fmt}")
    kms = params["KmsKeyArn"] != ""
    expect(("EncryptThroughS3" in sids) == kms, "KMS statement not tied to KmsKeyArn")

    bucket = resources["ArchiveBucket"]["Properties"]
    lock = params["ObjectLockMode"] != "NONE"
    expect(("ObjectLockConfiguration" in bucket) == lock and bucket.get("ObjectLockEnabled", False) == lock,
           "Object Lock not tied to ObjectLockMode")
    sse = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
    expect(sse["SSEAlgorithm"] == ("aws:kms" if kms else "AES256"), f"bucket SSE {sse}")

    create_group = params["CreatePgAuditParameterGroup"] == "true"
    cluster = params["DbIdentifierKind"] == "cluster"
    named = params["DbIdentifier"] != ""
    expect(("PgAuditClusterParameterGroup" in resources) == (create_group and cluster and named), "cluster parameter group")
    expect(("PgAuditInstanceParameterGroup" in resources) == (create_group and not cluster and named), "instance parameter group")
    local = params["DbIdentifier"] != "" or params["SourceLogGroupName"] != ""
    expect(("SourceLogGroup" in resources) == (local and params["CreateSourceLogGroup"] == "true"), "source log group")
    expect(("SubscriptionFilter" in resources) == local, "the collector's own subscription filter")
    fleet = params["FleetAccountIds"] != "" or params["FleetOrganizationId"] != ""
    expect(("FleetDestination" in resources) == fleet and ("FleetDestinationRole" in resources) == fleet,
           "fleet destination not tied to FleetAccountIds/FleetOrganizationId")

    columns = resources["AuditTable"]["Properties"]["TableInput"]["StorageDescriptor"]["Columns"]
    names = [c["Name"] for c in columns]
    expect(("parameters" in names) == (fmt != "csv"), f"`parameters` column with {fmt}: {'parameters' in names}")

    check_overflow(resolved, params, s3, parquet, kms)
    check_alarms(resources)


def check_overflow(resolved: dict[str, Any], params: dict[str, str], s3: dict[str, Any], parquet: bool, kms: bool) -> None:
    """The function writes what does not fit in its response where the Glue tables read it, and may write nothing else."""
    resources = resolved["Resources"]
    mappings = resolved.get("Mappings", {})
    env = resources["TransformFunction"]["Properties"]["Environment"]["Variables"]
    expect(env.get("OVERFLOW_BUCKET") == {"Ref": "ArchiveBucket"}, f"OVERFLOW_BUCKET {env.get('OVERFLOW_BUCKET')}")
    prefix = evaluate(s3["Prefix"], params, mappings)
    overflow = evaluate(env.get("OVERFLOW_PREFIX"), params, mappings)
    expect(isinstance(prefix, str) and isinstance(overflow, str), f"prefixes not strings: {prefix!r} {overflow!r}")
    if parquet:
        # JSON objects must stay out of the Parquet table's directory.
        expect(overflow == prefix.replace("audit/parquet/", "audit/parquet-overflow/", 1) and overflow != prefix,
               f"Parquet OVERFLOW_PREFIX {overflow!r} vs stream Prefix {prefix!r}")
    else:
        expect(overflow == prefix, f"OVERFLOW_PREFIX {overflow!r} is not the stream Prefix {prefix!r}")
    directory = overflow[: overflow.index("dt=")]

    statements = [s for p in resources["TransformFunctionRole"]["Properties"]["Policies"]
                  for s in p["PolicyDocument"]["Statement"] if s["Effect"] == "Allow"]
    actions = lambda s: s["Action"] if isinstance(s["Action"], list) else [s["Action"]]
    s3_statements = [s for s in statements if any(a.startswith("s3:") for a in actions(s))]
    expect(len(s3_statements) == 1 and actions(s3_statements[0]) == ["s3:PutObject"],
           f"function role S3 statements {s3_statements}")
    resource = evaluate(s3_statements[0]["Resource"], params, mappings)
    expect(resource == f"${{ArchiveBucket.Arn}}/{directory}*", f"function role PutObject on {resource!r}, overflow under {directory!r}")
    kms_statements = [s for s in statements if any(a.startswith("kms:") for a in actions(s))]
    expect(len(kms_statements) == (1 if kms else 0), f"function role KMS statements {kms_statements} (key given: {kms})")
    if kms:
        statement = kms_statements[0]
        expect(actions(statement) == ["kms:GenerateDataKey"], f"function role KMS actions {actions(statement)}")
        expect(statement["Condition"]["StringEquals"]["kms:ViaService"] == {"Fn::Sub": "s3.${AWS::Region}.${AWS::URLSuffix}"},
               f"function role KMS condition {statement.get('Condition')}")
    other = [a for s in statements for a in actions(s) if not a.startswith(("s3:", "kms:", "logs:"))]
    expect(not other, f"function role allows {other}")

    expect(("OverflowTable" in resources) == parquet, f"OverflowTable present={'OverflowTable' in resources} with parquet={parquet}")
    expect(("AllRecordsWithOverflowQuery" in resources) == parquet, "overflow named query not tied to parquet")
    if parquet:
        table = resources["OverflowTable"]["Properties"]["TableInput"]
        audit = resources["AuditTable"]["Properties"]["TableInput"]
        storage = table["StorageDescriptor"]
        expect(table["Name"] == "audit_records_overflow", f"overflow table name {table['Name']}")
        expect(storage["Columns"] == audit["StorageDescriptor"]["Columns"], "overflow table columns differ from audit_records")
        expect(table["PartitionKeys"] == audit["PartitionKeys"], "overflow table partitions differ from audit_records")
        expect(storage["SerdeInfo"]["SerializationLibrary"] == "org.openx.data.jsonserde.JsonSerDe", f"overflow SerDe {storage['SerdeInfo']}")
        location = evaluate(storage["Location"], params, mappings)
        expect(location == f"s3://${{ArchiveBucket}}/{directory}", f"overflow table location {location!r}, objects under {directory!r}")
        query = evaluate(resources["AllRecordsWithOverflowQuery"]["Properties"]["QueryString"], params, mappings)
        expect("UNION ALL" in query and '"${AuditTable}"' in query and '"${OverflowTable}"' in query,
               f"overflow named query does not read both tables: {query!r}")


# Metrics of the function's embedded-metric-format line the alarms may use.
FUNCTION_NAMESPACE = "PgAuditFirehose"
FUNCTION_METRICS = {
    "Records", "OkRecords", "DroppedRecords", "ProcessingFailedRecords", "FailedForSizeRecords", "OverflowedRecords",
    "AuditLines", "SkippedLines", "ParseFailures", "BytesIn", "BytesOut", "OverflowBytes", "Duration",
}


def check_alarms(resources: dict[str, Any]) -> None:
    alarms = {k: r["Properties"] for k, r in resources.items() if r["Type"] == "AWS::CloudWatch::Alarm"}
    for logical_id, metric in (("FailedRecordsAlarm", "ProcessingFailedRecords"), ("ParseFailuresAlarm", "ParseFailures")):
        alarm = alarms.get(logical_id, {})
        expect(alarm.get("Namespace") == FUNCTION_NAMESPACE and alarm.get("MetricName") == metric,
               f"{logical_id} watches {alarm.get('Namespace')}/{alarm.get('MetricName')}")
    for logical_id, alarm in alarms.items():
        if alarm.get("Namespace") != FUNCTION_NAMESPACE:
            continue
        expect(alarm["MetricName"] in FUNCTION_METRICS, f"{logical_id}: the function emits no metric {alarm['MetricName']}")
        expect(alarm["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": "TransformFunction"}}],
               f"{logical_id}: dimensions {alarm['Dimensions']} are not the function's dimension set [FunctionName]")


def combinations() -> list[dict[str, str]]:
    keys = list(MAIN_OPTIONS)
    main = [dict(zip(keys, values)) for values in itertools.product(*MAIN_OPTIONS.values())]
    return main + EXTRA_VARIANTS


def describe(overrides: dict[str, str]) -> str:
    shown = {k: ("<key>" if k == "KmsKeyArn" and v else v) for k, v in overrides.items()}
    return " ".join(f"{k}={v!r}" for k, v in shown.items())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("template", nargs="?", default="template.yaml", type=Path)
    parser.add_argument("--out", type=Path, help="write each translated, resolved template here as JSON")
    args = parser.parse_args()

    source = load_template(args.template)
    failures = 0
    for index, overrides in enumerate(combinations(), start=1):
        label = describe(overrides)
        try:
            params = parameter_values(source, overrides)
            translated = transform(copy.deepcopy(source), params, ManagedPolicyLoader())
            resolved = resolve_template(translated, params)
            check(resolved, params)
        except Exception as error:  # every failure is reported, the loop goes on
            failures += 1
            print(f"FAIL  {index:2d} {label}: {type(error).__name__}: {error}")
            continue
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"variant-{index:02d}.json").write_text(json.dumps(resolved, indent=1), encoding="utf-8")
        print(f"ok    {index:2d} {label}")

    total = len(combinations())
    print(f"{total - failures}/{total} translations passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
