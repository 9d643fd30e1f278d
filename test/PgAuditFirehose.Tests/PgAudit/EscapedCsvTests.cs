using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PgAuditFirehose.CloudWatchLogs;
using PgAuditFirehose.Firehose;
using PgAuditFirehose.PgAudit;
using PgAuditFirehose.Records;
using PgAuditFirehose.Tests.Support;

namespace PgAuditFirehose.Tests.PgAudit;

/// <summary>
/// The statement taken straight from the envelope's escaped text against the unescaped way (unescape
/// the message, unquote the field, escape the value): the same bytes whenever it accepts, and it
/// accepts what CloudWatch Logs writes for a statement.
/// </summary>
public class EscapedCsvTests
{
    private const string Before = "2026-11-25 10:39:38 UTC:10.0.0.5(5432):app@shop:[7454]:LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,";

    // Text that needs care somewhere: CSV quoting, JSON escapes of every kind, continuation tabs, non-ASCII.
    private static readonly string[] Pieces =
    [
        "select", " ", "a", "\"", "\"\"", ",", "\n\t", "\n", "\r", "\t", "\\", "\\\\", "/", "\b", "\f", "\u0001", "\u001f",
        "é", "日本", "😀", "'", "<>", "+", "\u2028", "x".PadRight(20, 'y'), "\\\"", "\\n",
    ];

    private static readonly JavaScriptEncoder[] Encoders = [JavaScriptEncoder.UnsafeRelaxedJsonEscaping, JavaScriptEncoder.Default];
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Strict = new() { Encoder = JavaScriptEncoder.Default };

    // A string body as a JSON writer escapes it (between the quotes), optionally with '/' as \/.
    private static byte[] JsonBody(string text, JavaScriptEncoder encoder, bool escapeSlash)
    {
        var json = JsonSerializer.Serialize(text, encoder == JavaScriptEncoder.Default ? Strict : Relaxed);
        var body = json[1..^1];
        if (escapeSlash) body = body.Replace("/", "\\/", StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(body);
    }

    // The unescaped way: the field read from the unescaped text, escaped for JSON.
    private static (bool Ok, string Value, int Position) Reference(string line, int start)
    {
        var text = Encoding.UTF8.GetBytes(line);
        var position = start;
        var scratch = new byte[text.Length + 64];
        var used = 0;
        if (!AuditCsv.TryReadField(text, ref position, scratch, ref used, removeContinuationTabs: true, out var value)) return (false, "", 0);
        var escaped = new byte[(6 * value.Length) + 32];
        var n = JsonText.Escape(value, escaped);
        return (true, Encoding.UTF8.GetString(escaped, 0, n), position);
    }

    private static (bool Ok, string Value, int End, int UnescapedEnd) Transcode(byte[] escaped, int start)
    {
        var destination = new byte[escaped.Length + 16];
        var ok = EscapedCsv.TryTranscodeField(escaped, start, destination, out var written, out var end, out var unescapedEnd);
        return (ok, ok ? Encoding.UTF8.GetString(destination, 0, written) : "", end, unescapedEnd);
    }

    private static IEnumerable<string> Statements(int count, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var parts = random.Next(1, 12);
            yield return string.Concat(Enumerable.Range(0, parts).Select(_ => Pieces[random.Next(Pieces.Length)]));
        }
    }

    [Fact]
    public void Generated_statements_transcode_to_what_the_unescaped_way_writes() => AssertTranscodedAsTheUnescapedWay(Statements(3000, seed: 5));

    // Longer ones behind a plain run of every length, so that escapes, doubled quotes and continuations
    // fall at every place of the 64-, 32- and 16-byte blocks, and across their edges.
    [Fact]
    public void Long_generated_statements_transcode_to_what_the_unescaped_way_writes_wherever_the_blocks_fall()
    {
        // Mostly pieces it settles, so that long statements are accepted often enough to be compared.
        string[] settling = [.. Pieces.Where(p => p is not ("\n" or "\u0001" or "\u001f" or "\u2028" or "😀"))];
        var random = new Random(64);
        var statements = Enumerable.Range(0, 1500).Select(_ => new string('a', random.Next(70)) + string.Concat(
            Enumerable.Range(0, random.Next(10, 40)).Select(_ => random.Next(20) == 0 ? Pieces[random.Next(Pieces.Length)] : settling[random.Next(settling.Length)])));
        AssertTranscodedAsTheUnescapedWay(statements);
    }

    private static void AssertTranscodedAsTheUnescapedWay(IEnumerable<string> statements)
    {
        var accepted = 0;
        var total = 0;
        foreach (var statement in statements)
        {
            // What CloudWatch Logs writes for a field pgAudit wrote must be accepted: only \u escapes (which
            // a JSON writer uses for control characters without a letter, U+2028 and characters past the
            // BMP) and a newline without its tab may not be.
            var settles = !Encoding.UTF8.GetString(JsonBody(statement, JavaScriptEncoder.UnsafeRelaxedJsonEscaping, escapeSlash: false)).Contains("\\u", StringComparison.Ordinal)
                && !statement.Replace("\n\t", "", StringComparison.Ordinal).Contains('\n');
            // As pgAudit writes it, and as raw text with no quoting at all (what a damaged line may hold).
            foreach (var field in new[] { PgAuditCsv.Field(statement), statement })
            {
                var line = Before + field + ",<not logged>";
                var reference = Reference(line, Before.Length);
                foreach (var encoder in Encoders)
                {
                    foreach (var slash in new[] { false, true })
                    {
                        var escaped = JsonBody(line, encoder, slash);
                        var start = JsonBody(Before, encoder, slash).Length;
                        var got = Transcode(escaped, start);
                        total++;
                        if (settles && encoder == JavaScriptEncoder.UnsafeRelaxedJsonEscaping && field != statement) Assert.True(got.Ok, $"declined: {JsonSerializer.Serialize(line)}");
                        if (!got.Ok) continue;
                        accepted++;
                        Assert.True(reference.Ok, $"accepted what the unescaped way rejects: {line}");
                        Assert.Equal(reference.Value, got.Value);
                        Assert.Equal(reference.Position, got.UnescapedEnd);
                        Assert.Equal((byte)',', escaped[got.End - 1]);
                        Assert.Equal(Encoding.UTF8.GetBytes(line)[..reference.Position], Encoding.UTF8.GetBytes(JsonSerializer.Deserialize<string>("\"" + Encoding.UTF8.GetString(escaped[..got.End]) + "\"")!));
                    }
                }
            }
        }

        Assert.True(accepted > total / 5, $"accepted {accepted} of {total}");
    }

    [Theory]
    [InlineData("select 1")]
    [InlineData("select a, b from t")]
    [InlineData("select \"a\" from \"T\" where x = 'a,b'")]
    [InlineData("select 1\n\tfrom t\n\twhere a = '\\' or b = '/'\t-- tab\r")]
    [InlineData("\"\"")]
    [InlineData("é \\n\\n\n\t")]
    [InlineData("\\n\n\t")]
    [InlineData("\\\n\t")]
    [InlineData("")]
    public void What_CloudWatch_Logs_writes_for_a_statement_is_accepted(string statement)
    {
        var line = Before + PgAuditCsv.Field(statement) + ",<not logged>";
        var escaped = JsonBody(line, JavaScriptEncoder.UnsafeRelaxedJsonEscaping, escapeSlash: false);
        var got = Transcode(escaped, Before.Length);
        var reference = Reference(line, Before.Length);

        Assert.True(got.Ok);
        Assert.Equal(reference.Value, got.Value);
        Assert.Equal(reference.Position, got.UnescapedEnd);
    }

    // The blocks are 32 or 16 bytes: every kind of escape at every offset of the first ones, alone and
    // with a second one right after or a block later, quoted and not.
    [Fact]
    public void An_escape_at_any_offset_of_a_block_transcodes_as_the_unescaped_way()
    {
        string[] escapes = ["\"", "\"\"", "\\", "\n\t", "/", "\t", ","];
        var checkedCount = 0;
        foreach (var first in escapes)
        {
            foreach (var second in new[] { "", "\\", "\"", "\n\t" })
            {
                for (var offset = 0; offset <= 70; offset++)
                {
                    foreach (var gap in new[] { 0, 1, 31, 32 })
                    {
                        var statement = new string('a', offset) + first + new string('b', gap) + second + new string('c', 40);
                        // Unquoted too, as a damaged line may hold it: without what only a quoted field may hold.
                        var unquoted = "x" + statement.Replace(",", "", StringComparison.Ordinal).Replace("\n\t", "", StringComparison.Ordinal);
                        foreach (var field in new[] { PgAuditCsv.Field(statement), unquoted })
                        {
                            var line = Before + field + ",<not logged>";
                            var escaped = JsonBody(line, JavaScriptEncoder.UnsafeRelaxedJsonEscaping, escapeSlash: false);
                            var got = Transcode(escaped, Before.Length);
                            var reference = Reference(line, Before.Length);

                            Assert.True(got.Ok, $"declined: {JsonSerializer.Serialize(line)}");
                            Assert.Equal(reference.Value, got.Value);
                            Assert.Equal(reference.Position, got.UnescapedEnd);
                            checkedCount++;
                        }
                    }
                }
            }
        }

        Assert.Equal(escapes.Length * 4 * 71 * 4 * 2, checkedCount);
    }

    [Theory]
    [InlineData("\"select 1\n2\",<none>")] // a newline without the continuation tab: the entry ends there
    [InlineData("\"select \u0001\",<none>")] // \u0001: left to the unescaped way
    [InlineData("\"select 1\"")] // the closing quote ends the text
    [InlineData("\"select 1\"x,<none>")] // text after the closing quote
    [InlineData("\"select 1")] // never closed
    [InlineData("select 1")] // no comma after an unquoted field
    [InlineData("select\n\t1,<none>")] // a newline in an unquoted field
    public void What_it_cannot_settle_byte_for_byte_is_declined(string csv)
    {
        var escaped = JsonBody(Before + csv, JavaScriptEncoder.UnsafeRelaxedJsonEscaping, escapeSlash: false);
        Assert.False(Transcode(escaped, Before.Length).Ok);
    }

    [Fact]
    public void The_parser_takes_the_statement_escaped_only_when_nothing_before_it_was_escaped()
    {
        var parser = new AuditLineParser(LogLinePrefix.Parse(LogLinePrefix.RdsDefault));
        var plainBefore = Before + "\"select \"\"a\"\", b\",<not logged>";
        var quotedObject = "2026-11-25 10:39:38 UTC:10.0.0.5(5432):app@shop:[7454]:LOG:  AUDIT: OBJECT,1,1,READ,SELECT,TABLE,\"public.\"\"T\"\"\",\"select 1\",<not logged>";

        foreach (var (line, expectEscaped) in new[] { (plainBefore, true), (quotedObject, false) })
        {
            var entry = Encoding.UTF8.GetBytes(line);
            var escaped = JsonBody(line, JavaScriptEncoder.UnsafeRelaxedJsonEscaping, escapeSlash: false);
            var firstEscape = escaped.AsSpan().IndexOf((byte)'\\');
            Assert.True(parser.TryParse(entry, escaped, firstEscape < 0 ? escaped.Length : firstEscape, out var fast));
            Assert.Null(fast.ParseError);
            Assert.Equal(expectEscaped, fast.StatementEscaped);
            var statement = Encoding.UTF8.GetString(fast.Statement);
            Assert.True(parser.TryParse(entry, out var slow));
            Assert.False(slow.StatementEscaped);
            var slowStatement = Encoding.UTF8.GetString(slow.Statement);
            Assert.Equal(expectEscaped ? JsonSerializer.Serialize(slowStatement, Relaxed)[1..^1] : slowStatement, statement);
        }
    }

    // Real lines, and real lines with awkward text put in at random places, through the whole pipeline
    // both ways: the same response bytes, for envelopes written as CloudWatch Logs writes them and with
    // every escape JSON allows.
    [Fact]
    public void The_pipeline_writes_the_same_bytes_either_way()
    {
        var random = new Random(11);
        var entries = RealLog.WorkloadEntries.Concat(HighVolumeEntries().Take(3000)).ToList();
        var mutated = new List<string>(entries);
        for (var i = 0; i < 6000; i++)
        {
            var entry = entries[random.Next(entries.Count)];
            var at = random.Next(entry.Length + 1);
            // Mostly into the statement, where the escaped text is read.
            var audit = entry.IndexOf("AUDIT: ", StringComparison.Ordinal);
            if (audit >= 0 && random.Next(4) > 0) at = random.Next(audit, entry.Length + 1);
            mutated.Add(entry[..at] + Pieces[random.Next(Pieces.Length)] + entry[at..]);
        }

        var events = mutated.Select((m, i) => new SubscriptionEnvelopeWriter.EnvelopeEvent(SubscriptionEnvelopeWriter.EventId(1795603178000, i), 1795603178000, m)).ToList();
        foreach (var encoder in Encoders)
        {
            var request = new KinesisFirehoseEvent { InvocationId = "escaped-statements" };
            foreach (var chunk in events.Chunk(50))
            {
                var json = SubscriptionEnvelopeWriter.DataMessage("123456789012", Pipeline.LogGroup, Pipeline.LogStream, chunk);
                if (encoder != JavaScriptEncoder.UnsafeRelaxedJsonEscaping) json = Reencoded(json, encoder);
                request.Records.Add(Pipeline.Record($"r{request.Records.Count:D4}", SubscriptionEnvelopeWriter.Gzip(json)));
            }

            var fast = Pipeline.RunToBytes(request, new TransformerOptions { MaxResponseBytes = int.MaxValue });
            var slow = Pipeline.RunToBytes(request, new TransformerOptions { MaxResponseBytes = int.MaxValue, StatementsFromEscapedText = false });
            Assert.Equal(Encoding.UTF8.GetString(slow), Encoding.UTF8.GetString(fast));
        }
    }

    private static byte[] Reencoded(byte[] json, JavaScriptEncoder encoder)
    {
        using var document = JsonDocument.Parse(json);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = encoder })) document.WriteTo(writer);
        return buffer.ToArray();
    }

    private static IEnumerable<string> HighVolumeEntries()
    {
        using var gzip = new GZipStream(File.OpenRead(RealLog.PathOf("high-volume.log.gz")), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return [.. SubscriptionEnvelopeWriter.EventsFromLog(reader.ReadToEnd(), 0).Select(e => e.Message).Take(3000)];
    }
}
