#!/usr/bin/env python3
"""A fleet's load on one collector, from the pgbench capture's real lines, against the quotas that bind.

Measured here (from test/PgAuditFirehose.Tests/Fixtures/real/high-volume.log.gz, a real PostgreSQL 15 +
pgaudit under pgbench, pgaudit.log = 'all', 4 clients): audit lines, their bytes, the capture's
duration and so its line rate per instance; and the gzip'd size per line of CloudWatch Logs envelopes
built from those very lines (500 events each, escaped as CloudWatch Logs escapes them).
Modelled: how many instances write at which share of that rate, how often CloudWatch Logs sends an
envelope per log stream, how long an invocation takes on Lambda. Quotas: AWS documentation (docs/fleet.md).

    python3 scripts/fleet-load-model.py [--clusters 200] [--instances 3] [--share 1 0.05 0.01]
                                        [--stream-bytes-quota-mib 5] [--buffer-mb 0.2]

Nothing calls AWS. Exit status 0.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from datetime import datetime
from pathlib import Path

FIXTURE = Path(__file__).resolve().parent.parent / "test/PgAuditFirehose.Tests/Fixtures/real/high-volume.log.gz"
ENVELOPE_EVENTS = 500
TIMESTAMP = re.compile(rb"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)")

# Default quotas (AWS documentation; docs/fleet.md cites them).
ACTIVE_PARTITIONS = 500
RECORDS_PER_SECOND = {"us-east-1, us-west-2, eu-west-1": 500_000, "other regions": 100_000}
PUT_REQUESTS_PER_SECOND = {"us-east-1, us-west-2, eu-west-1": 2_000, "other regions": 1_000}
ACCOUNT_CONCURRENCY = 1_000


def measure() -> dict[str, float]:
    raw = gzip.decompress(FIXTURE.read_bytes())
    entries: list[bytes] = []
    stamps: list[datetime] = []
    for line in raw.split(b"\n"):
        m = TIMESTAMP.match(line)
        if m:
            stamps.append(datetime.strptime(m.group(1).decode(), "%Y-%m-%d %H:%M:%S"))
            entries.append(line)
        elif entries and line:
            entries[-1] += b"\n" + line  # a continuation line belongs to the entry before it
    audit = [e for e in entries if b"AUDIT:" in e]
    # Whole seconds on both ends: the run lasted at least (last - first) and at most one second more.
    seconds = (stamps[-1] - stamps[0]).total_seconds() + 1
    envelopes = 0
    gz_bytes = 0
    for i in range(0, len(audit), ENVELOPE_EVENTS):
        chunk = audit[i:i + ENVELOPE_EVENTS]
        envelope = {
            "messageType": "DATA_MESSAGE", "owner": "123456789012",
            "logGroup": "/aws/rds/cluster/orders-db/postgresql", "logStream": "orders-db-instance-1.0",
            "subscriptionFilters": ["pgaudit"],
            "logEvents": [{"id": str(10**55 + i + j), "timestamp": 1795603177000, "message": e.decode("utf-8", "replace")}
                          for j, e in enumerate(chunk)],
        }
        gz_bytes += len(gzip.compress(json.dumps(envelope, separators=(",", ":")).encode()))
        envelopes += 1
    return {
        "lines": len(audit),
        "bytes_per_line": sum(len(e) for e in audit) / len(audit),
        "seconds": seconds,
        "lines_per_second": len(audit) / seconds,
        "gz_bytes_per_line": gz_bytes / len(audit),
        "envelopes": envelopes,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clusters", type=int, default=200)
    parser.add_argument("--instances", type=int, default=3, help="instances per cluster, each its own log stream")
    parser.add_argument("--share", type=float, nargs="+", default=[1.0, 0.05, 0.01],
                        help="each instance's line rate as a share of the pgbench capture's")
    parser.add_argument("--stream-bytes-quota-mib", type=float, default=5.0, help="Firehose MiB/s per stream (5: us-east-1, us-west-2, eu-west-1; 1 elsewhere)")
    parser.add_argument("--buffer-mb", type=float, default=0.2, help="the processor buffer (ProcessorBufferSizeInMBs)")
    parser.add_argument("--invocation-seconds", type=float, default=1.0,
                        help="modelled duration of one invocation on Lambda (1024 MB), overflow PUTs included")
    parser.add_argument("--delivery-seconds", type=float, default=300, help="DeliveryBufferIntervalInSeconds")
    args = parser.parse_args()

    m = measure()
    print("measured (pgbench capture, one instance):")
    print(f"  {m['lines']:,.0f} audit lines in {m['seconds']:.0f} s = {m['lines_per_second']:,.0f} lines/s, "
          f"{m['bytes_per_line']:.0f} bytes per line")
    print(f"  CloudWatch Logs envelopes of {ENVELOPE_EVENTS} of these lines, gzip'd: {m['gz_bytes_per_line']:.1f} bytes per line")

    instances = args.clusters * args.instances
    quota = args.stream_bytes_quota_mib * 1024 * 1024
    print(f"\nmodelled fleet: {args.clusters} clusters x {args.instances} instances = {instances} log streams")
    # Layout dt=/account=/cluster=/: one partition per cluster that wrote within the buffer time;
    # around midnight (UTC) a cluster's yesterday and today are both buffered.
    print(f"  active partitions: {args.clusters} (steady), {2 * args.clusters} for up to "
          f"{1.5 * args.delivery_seconds:.0f} s after midnight UTC; quota {ACTIVE_PARTITIONS} "
          f"({'holds' if 2 * args.clusters <= ACTIVE_PARTITIONS else 'EXCEEDED: ask for more, up to 5,000'}); "
          f"with the instance in the prefix it would be {instances} / {2 * instances}")
    header = f"  {'share':>6} {'lines/s':>12} {'MiB/s gzip':>11} {'of quota':>9} {'envelopes/s':>12} {'invocations/s':>14} {'concurrency':>12}"
    print(header)
    for share in args.share:
        lines = instances * m["lines_per_second"] * share
        gz = lines * m["gz_bytes_per_line"]
        # At least one envelope per active log stream and second (modelled), more when 500 events fill one sooner.
        envelopes = max(instances, lines / ENVELOPE_EVENTS)
        invocations = gz / (args.buffer_mb * 1_000_000)
        concurrency = invocations * args.invocation_seconds
        print(f"  {share:>6.2f} {lines:>12,.0f} {gz / 1024 / 1024:>11.1f} {gz / quota:>8.0%} {envelopes:>12,.0f} "
              f"{invocations:>14,.1f} {concurrency:>12,.1f}")
    most = quota / m["gz_bytes_per_line"]
    print(f"\n  the byte quota ({args.stream_bytes_quota_mib:g} MiB/s) carries {most:,.0f} audit lines/s: "
          f"{most / m['lines_per_second']:.1f} instances at the capture's rate, or "
          f"{most / instances:,.0f} lines/s ({most / instances / m['lines_per_second']:.1%} of it) on each of {instances}")
    print(f"  records/s quota {min(RECORDS_PER_SECOND.values()):,}+ and put requests/s {min(PUT_REQUESTS_PER_SECOND.values()):,}+ "
          f"(CloudWatch Logs batches envelopes into PutRecordBatch): not binding at {instances} streams")
    print(f"  Lambda account concurrency {ACCOUNT_CONCURRENCY:,} (default): binding only above "
          f"{ACCOUNT_CONCURRENCY * args.buffer_mb * 1_000_000 / args.invocation_seconds / 1024 / 1024:.0f} MiB/s of gzip'd input")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
