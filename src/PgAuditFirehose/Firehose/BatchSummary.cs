namespace PgAuditFirehose.Firehose;

/// <summary>What one invocation did, for its log line.</summary>
internal sealed class BatchSummary
{
    public int Records { get; init; }
    public int Ok { get; private set; }
    public int Dropped { get; private set; }
    public int ProcessingFailed { get; private set; }
    public int FailedForSize { get; set; }
    public int Overflowed { get; set; }
    public long OverflowBytes { get; set; }
    public int AuditLines { get; private set; }
    public int SkippedLines { get; private set; }
    public int ServerRecords { get; private set; }
    public int ParseFailures { get; private set; }
    public long BytesIn { get; set; }
    public long BytesOut { get; private set; }
    public long ResponseBytes { get; set; }
    public double DurationMs { get; set; }

    public void Add(RecordOutcome outcome, long base64Out)
    {
        switch (outcome.Result)
        {
            case KinesisFirehoseResponse.TransformedStateOk: Ok++; break;
            case KinesisFirehoseResponse.TransformedStateDropped: Dropped++; break;
            default: ProcessingFailed++; break;
        }

        AuditLines += outcome.Lines.AuditLines;
        SkippedLines += outcome.Lines.SkippedLines;
        ServerRecords += outcome.Lines.ServerRecords;
        ParseFailures += outcome.Lines.ParseFailures;
        BytesOut += base64Out;
    }
}
