#!/usr/bin/env python3
"""Expand source.yaml for every combination of its options and check its wiring.

source.yaml uses the AWS::LanguageExtensions transform (Fn::ForEach over DbIdentifiers), which
aws-sam-translator does not expand (it is not a SAM template). This script does what that
transform does for the parts the checks need: one copy of the ForEach fragment per identifier,
&{Id} without non-alphanumerics in keys and strings, ${Id} and Ref Id the identifier. Then, per
combination, conditions are decided and checked: one subscription filter per identifier on
/aws/rds/<kind>/<id>/postgresql, each to the DestinationArn parameter, RoleArn exactly when given,
the collector's filter pattern, log groups and parameter groups exactly when asked. Nothing calls AWS.

    python3 scripts/check_source_template.py [source.yaml] [--collector template.yaml]

Exit status 0 when every combination passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from translate_template import (  # noqa: E402  (the collector's checker: same condition logic)
    CheckFailed, expect, resolve_template, evaluate,
)

try:
    from samtranslator.yaml_helper import yaml_parse
except ImportError:  # pragma: no cover - depends on the machine
    sys.exit(f"aws-sam-translator (for its YAML loader) is not installed for {sys.executable}")

DESTINATION = "arn:aws:logs:eu-west-1:999999999999:destination:audit-lake-pgaudit"
STREAM = "arn:aws:firehose:eu-west-1:999999999999:deliverystream/audit-lake-stream"
ROLE = "arn:aws:iam::999999999999:role/audit-lake-SubscriptionFilterRole"

OPTIONS: dict[str, list[str]] = {
    "DbIdentifiers": ["orders-db", "orders-db,billing,eu-ledger-2"],
    "DbIdentifierKind": ["cluster", "instance"],
    "CreateLogGroups": ["true", "false"],
    "CreatePgAuditParameterGroup": ["true", "false"],
}
TARGETS = [{"DestinationArn": DESTINATION, "RoleArn": ""}, {"DestinationArn": STREAM, "RoleArn": ROLE}]


def expand_for_each(template: dict[str, Any], params: dict[str, str]) -> dict[str, Any]:
    resources: dict[str, Any] = {}
    for key, value in template["Resources"].items():
        if not key.startswith("Fn::ForEach::"):
            resources[key] = value
            continue
        identifier, collection, fragment = value
        items = params[collection["Ref"]].split(",") if isinstance(collection, dict) else collection
        for item in items:
            for logical_id, resource in replace(fragment, identifier, item.strip()).items():
                expect(logical_id not in resources, f"{key}: logical id {logical_id} twice")
                resources[logical_id] = resource
    return {**template, "Resources": resources, "Transform": None}


def replace(node: Any, identifier: str, item: str) -> Any:
    if isinstance(node, str):
        return node.replace("&{" + identifier + "}", re.sub("[^A-Za-z0-9]", "", item)).replace("${" + identifier + "}", item)
    if isinstance(node, dict):
        if node == {"Ref": identifier}:
            return item
        return {replace(k, identifier, item): replace(v, identifier, item) for k, v in node.items()}
    if isinstance(node, list):
        return [replace(v, identifier, item) for v in node]
    return node


def check(resolved: dict[str, Any], params: dict[str, str], collector: dict[str, Any]) -> None:
    resources = resolved["Resources"]
    ids = [i.strip() for i in params["DbIdentifiers"].split(",")]
    kind = params["DbIdentifierKind"]
    filters = {k: r["Properties"] for k, r in resources.items() if r["Type"] == "AWS::Logs::SubscriptionFilter"}
    groups = {k: r["Properties"] for k, r in resources.items() if r["Type"] == "AWS::Logs::LogGroup"}
    expect(len(filters) == len(ids), f"{len(filters)} filters for {len(ids)} identifiers")
    create_groups = params["CreateLogGroups"] == "true"
    expect(len(groups) == (len(ids) if create_groups else 0), f"{len(groups)} log groups, CreateLogGroups={create_groups}")
    for db_id in ids:
        name = f"/aws/rds/{kind}/{db_id}/postgresql"
        logical = re.sub("[^A-Za-z0-9]", "", db_id)
        f = filters[f"SubscriptionFilter{logical}"]
        group = f["LogGroupName"]
        if create_groups:
            expect(group == {"Ref": {"Fn::Sub": f"LogGroup{logical}"}}, f"{db_id}: filter on {group!r}")
            expect(evaluate(groups[f"LogGroup{logical}"]["LogGroupName"], params, {}) == name, f"{db_id}: log group name")
        else:
            group = evaluate(group, params, {})
            expect(group == name, f"{db_id}: filter on {group!r}, not {name}")
        expect(evaluate(f["DestinationArn"], params, {}) == params["DestinationArn"], f"{db_id}: DestinationArn {f['DestinationArn']}")
        expect(("RoleArn" in f) == (params["RoleArn"] != ""), f"{db_id}: RoleArn present={'RoleArn' in f} with RoleArn={params['RoleArn']!r}")
        expect(evaluate(f["FilterPattern"], params, {}) == collector["Parameters"]["FilterPattern"]["Default"],
               f"{db_id}: filter pattern differs from the collector's")
    create_group = params["CreatePgAuditParameterGroup"] == "true"
    expect(("PgAuditClusterParameterGroup" in resources) == (create_group and kind == "cluster"), "cluster parameter group")
    expect(("PgAuditInstanceParameterGroup" in resources) == (create_group and kind == "instance"), "instance parameter group")
    expect(not any(r["Type"] == "AWS::IAM::Role" for r in resources.values()), "source.yaml creates IAM roles")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("template", nargs="?", default="source.yaml", type=Path)
    parser.add_argument("--collector", default="template.yaml", type=Path)
    args = parser.parse_args()
    source = yaml_parse(args.template.read_text(encoding="utf-8"))
    collector = yaml_parse(args.collector.read_text(encoding="utf-8"))
    defaults = {n: str(p["Default"]) for n, p in source["Parameters"].items() if "Default" in p}

    combos = [dict(zip(OPTIONS, values)) | target for values in itertools.product(*OPTIONS.values()) for target in TARGETS]
    failures = 0
    for index, overrides in enumerate(combos, start=1):
        params = defaults | overrides
        label = " ".join(f"{k}={v!r}" for k, v in overrides.items() if k != "RoleArn")
        try:
            resolved = resolve_template(expand_for_each(source, params), params)
            check(resolved, params, collector)
        except (CheckFailed, KeyError) as error:
            failures += 1
            print(f"FAIL  {index:2d} {label}: {type(error).__name__}: {error}")
            continue
        print(f"ok    {index:2d} {label}")
    print(f"{len(combos) - failures}/{len(combos)} source variants passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
