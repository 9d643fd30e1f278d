using System.Globalization;
using System.Text.Json;
using PgAuditFirehose.Firehose;
using PgAuditFirehose.Records;
using PgAuditFirehose.Tests.Support;

namespace PgAuditFirehose.Tests.Records;

public class AuditCsvWriterTests
{
    private static readonly Lazy<(List<JsonElement> Json, List<string> Csv)> Outputs = new(() =>
    {
        var request = Pipeline.RealWorkloadEvent();
        var json = Pipeline.JsonRecords(Pipeline.Run(request).Response).ToList();
        var csv = Pipeline.Run(request, new TransformerOptions { Format = OutputFormat.Csv }).Response.Records
            .Where(r => r.Result == "Ok")
            .SelectMany(r => Pipeline.Text(r).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        return (json, csv);
    });

    [Fact]
    public void Every_record_is_one_physical_line()
    {
        var (json, csv) = Outputs.Value;

        Assert.Equal(json.Count, csv.Count);
        Assert.Contains(json, j => j.GetProperty("statement").GetString()!.Contains('\n', StringComparison.Ordinal));
        Assert.All(csv, line => Assert.DoesNotContain('\r', line));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Athena_reads_back_every_column_exactly_as_the_json_record_has_it(bool hiveFlavour)
    {
        var (json, csv) = Outputs.Value;
        var columns = AuditColumns.Csv;
        for (var i = 0; i < json.Count; i++)
        {
            var row = AthenaText.ReadRow(csv[i], hiveFlavour);
            Assert.Equal(columns.Count, row.Count);
            for (var c = 0; c < columns.Count; c++)
            {
                Assert.Equal(Expected(json[i], columns[c].Name), AthenaText.View(row[c]));
            }
        }
    }

    [Fact]
    public void Multi_line_statement_with_backslashes_commas_and_carriage_returns_round_trips()
    {
        const string statement = "SELECT 'a,b' \\\\ E'\\n',\r\n  x\\ny, '\\N'";
        var request = Pipeline.Event(
            [new("1", 1, "2022-03-25 13:52:29 UTC:[local]:postgres@test:[3152]:LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,\"" + statement.Replace("\n", "\n\t", StringComparison.Ordinal) + "\",<none>")],
            10, control: false);
        var line = Pipeline.Text(Pipeline.Run(request, new TransformerOptions { Format = OutputFormat.Csv }).Response.Records[0]).TrimEnd('\n');

        foreach (var hive in new[] { true, false })
        {
            var row = AthenaText.ReadRow(line, hive);
            Assert.Equal(statement, AthenaText.View(row[AuditColumns.Csv.ToList().IndexOf(AuditColumns.Statement)]));
        }
    }

    private static string? Expected(JsonElement record, string column)
    {
        if (!record.TryGetProperty(column, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.Number => value.GetInt64().ToString(CultureInfo.InvariantCulture),
            _ => value.GetString(),
        };
    }
}
