#!/usr/bin/env python3
"""The closing lines of scripts/test.sh: skipped and failed tests (with reasons), then `N passed, N failed, N skipped`.

    scripts/test-summary.py RESULTS_DIR

RESULTS_DIR holds `steps.tsv`, one line per step (`name<TAB>exit status`), and NAME.trx for each step
that ran tests. A step that failed without a failed test in its results (a build error, cfn-lint, a
crashed test host) counts as one failed test, so the closing line never says 0 failed when the exit
status is not 0; a check that passed counts as one passed test.
"""
import glob
import os
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}


def outcomes(trx):
    """(test name, outcome, message) for every result in one TRX file."""
    root = ET.parse(trx).getroot()
    for result in root.iterfind(".//t:Results/t:UnitTestResult", NS):
        message = result.find("t:Output/t:ErrorInfo/t:Message", NS)
        if message is None:
            message = result.find("t:Output/t:StdOut", NS)
        text = (message.text or "").strip() if message is not None else ""
        yield result.get("testName"), result.get("outcome"), text


def main(results):
    passed = failed = skipped = 0
    skips, failures = [], []
    step_failures = {}
    for trx in sorted(glob.glob(os.path.join(results, "*.trx"))):
        step = os.path.splitext(os.path.basename(trx))[0]
        for name, outcome, message in outcomes(trx):
            if outcome == "Passed":
                passed += 1
            elif outcome == "NotExecuted":
                skipped += 1
                skips.append((step, name, message))
            else:
                failed += 1
                failures.append((step, name, message.splitlines()[0] if message else outcome))
                step_failures[step] = step_failures.get(step, 0) + 1
    steps_file = os.path.join(results, "steps.tsv")
    if os.path.exists(steps_file):
        for line in open(steps_file, encoding="utf-8"):
            name, status = line.rstrip("\n").split("\t")
            if status == "0":
                if name.startswith("check:"):
                    passed += 1
            elif not step_failures.get(name):
                failed += 1
                failures.append((name, "the step itself", f"exit status {status} (see its output above)"))

    if skips:
        print(f"skipped ({len(skips)}):")
        for step, name, reason in skips:
            print(f"  {name} [{step}]")
            for line in reason.splitlines() or ["(no reason given)"]:
                print(f"      {line}")
    if failures:
        print(f"failed ({len(failures)}):")
        for step, name, reason in failures:
            print(f"  {name} [{step}]: {reason}")
    print(f"{passed} passed, {failed} failed, {skipped} skipped")


if __name__ == "__main__":
    main(sys.argv[1])
