using PgAuditFirehose.Cli.Reprocess;
using PgAuditFirehose.Firehose;
using static PgAuditFirehose.Cli.Tests.Replay.FirehoseErrorObjects;
using static PgAuditFirehose.Cli.Tests.Reprocess.FirehoseSourceBackups;

namespace PgAuditFirehose.Cli.Tests.Reprocess;

/// <summary>A backup object is cut back into the very records Firehose concatenated.</summary>
public class BackupObjectReaderTests
{
    [Fact]
    public void Concatenated_gzip_members_come_back_as_the_records_byte_for_byte()
    {
        var records = BackupObjectReader.Read(Object(RealWorkload)).ToList();

        Assert.Equal(RealWorkload.Select(r => r.Base64EncodedData), records.Select(r => Convert.ToBase64String(r.Data.Span)));
        Assert.Equal(Enumerable.Range(1, RealWorkload.Count), records.Select(r => r.Number));
        Assert.Equal(0, records[0].Offset);
        Assert.Equal(records[0].Data.Length, records[1].Offset);
    }

    [Fact]
    public void A_backup_gzip_d_once_more_is_unwrapped_first()
    {
        var records = BackupObjectReader.Read(Gzip(Object(RealWorkload))).ToList();

        Assert.Equal(RealWorkload.Select(r => r.Base64EncodedData), records.Select(r => Convert.ToBase64String(r.Data.Span)));
    }

    [Fact]
    public void A_member_cut_short_is_one_record_and_the_records_after_it_are_whole()
    {
        KinesisFirehoseEvent.FirehoseRecord[] layout = [RealWorkload[1], Truncated(RealWorkload[2]), RealWorkload[3], RealWorkload[4]];

        var records = BackupObjectReader.Read(Object(layout)).ToList();

        Assert.Equal(layout.Select(r => r.Base64EncodedData), records.Select(r => Convert.ToBase64String(r.Data.Span)));
    }

    [Fact]
    public void Bytes_that_are_no_gzip_member_are_one_record_up_to_the_next_member()
    {
        var garbage = new KinesisFirehoseEvent.FirehoseRecord { Base64EncodedData = Convert.ToBase64String("not gzip at all {\"messageType\":"u8.ToArray()) };
        KinesisFirehoseEvent.FirehoseRecord[] layout = [RealWorkload[1], garbage, RealWorkload[2]];

        var records = BackupObjectReader.Read(Object(layout)).ToList();

        Assert.Equal(layout.Select(r => r.Base64EncodedData), records.Select(r => Convert.ToBase64String(r.Data.Span)));
    }

    [Fact]
    public void A_last_member_cut_short_is_the_last_record()
    {
        KinesisFirehoseEvent.FirehoseRecord[] layout = [RealWorkload[1], RealWorkload[2], Truncated(RealWorkload[3])];

        var records = BackupObjectReader.Read(Object(layout)).ToList();

        Assert.Equal(layout.Select(r => r.Base64EncodedData), records.Select(r => Convert.ToBase64String(r.Data.Span)));
    }

    [Fact]
    public void The_gzip_magic_inside_a_members_compressed_bytes_does_not_cut_it()
    {
        // Stored (uncompressed) deflate blocks carry their bytes verbatim, so the magic shows up inside the member.
        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.NoCompression))
        {
            gzip.Write("{\"messageType\":\"DATA_MESSAGE\",\"x\":\""u8);
            gzip.Write([0x1f, 0x8b, 0x08, 0x00, 0x1f, 0x8b, 0x08]);
            gzip.Write("\"}"u8);
        }

        var tricky = new KinesisFirehoseEvent.FirehoseRecord { Base64EncodedData = Convert.ToBase64String(buffer.ToArray()) };
        KinesisFirehoseEvent.FirehoseRecord[] layout = [RealWorkload[1], tricky, RealWorkload[2]];

        var records = BackupObjectReader.Read(Object(layout)).ToList();

        Assert.Equal(layout.Select(r => r.Base64EncodedData), records.Select(r => Convert.ToBase64String(r.Data.Span)));
    }

    [Fact]
    public void An_empty_object_has_no_records()
    {
        Assert.Empty(BackupObjectReader.Read([]));
    }
}
