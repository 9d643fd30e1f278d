#!/usr/bin/env bash
# Regenerates the fixture events in events/ from the logs in events/source and the real-server
# capture in test/PgAuditFirehose.Tests/Fixtures/real (see scripts/capture-real-lines.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
cli() { dotnet run --project src/PgAuditFirehose.Cli -c Release -- "$@"; }
seed=(--log-group /aws/rds/cluster/pg/postgresql --log-stream pg-instance-1.0 --owner 123456)

cli make-event events/source/seed-blog.log "${seed[@]}" -o events/seed-blog.json
cli make-event events/source/empty.log -o events/control-message.json
cli make-event events/source/multi-line.log --events-per-envelope 4 -o events/multi-line.json
cli make-event events/source/seed-blog.log "${seed[@]}" --no-control --shape JsonEnvelope -o events/decompressed-envelope.json
cli make-event events/source/multi-line.log --no-control --shape RawText -o events/extracted-message.json
cli make-event test/PgAuditFirehose.Tests/Fixtures/real/workload.log --events-per-envelope 40 -o events/real-workload.json

# A batch with one good record and one of each kind of bad data.
python3 - <<'PY'
import base64, gzip, json
good = json.load(open("events/seed-blog.json"))["records"][1]
envelope = base64.b64decode(good["data"])
bad = {
    "not base64": "this is not base64!",
    "not gzip, not text": base64.b64encode(b"\xff\xfe\x00binary").decode(),
    "truncated gzip": base64.b64encode(envelope[: len(envelope) // 2]).decode(),
    "gzip of something that is not JSON": base64.b64encode(gzip.compress(b"{not json", mtime=0)).decode(),
    "JSON that is not an envelope": base64.b64encode(gzip.compress(b'{"hello":"world"}', mtime=0)).decode(),
    "empty": "",
}
records = [good] + [
    {"recordId": f"bad-{i}-" + name.replace(" ", "-").replace(",", ""), "approximateArrivalTimestamp": good["approximateArrivalTimestamp"], "data": data}
    for i, (name, data) in enumerate(bad.items(), 1)
]
event = {"invocationId": "6b9a3c1e-2f44-4c8e-9a55-0d1f5d3c0bad", "deliveryStreamArn": "arn:aws:firehose:us-east-1:123456789012:deliverystream/pgaudit-firehose",
         "region": "us-east-1", "records": records}
json.dump(event, open("events/bad-records.json", "w"), indent=2)
open("events/bad-records.json", "a").write("\n")
PY
echo "events regenerated" >&2
