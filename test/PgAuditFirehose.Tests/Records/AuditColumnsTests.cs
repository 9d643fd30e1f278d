using System.Text.RegularExpressions;
using PgAuditFirehose.Records;
using PgAuditFirehose.Tests.Support;

namespace PgAuditFirehose.Tests.Records;

public class AuditColumnsTests
{
    [Fact]
    public void Readme_table_lists_every_column_with_its_type_in_order()
    {
        var readme = File.ReadAllText(Repository.PathOf("README.md"));
        var table = readme[readme.IndexOf("<!-- columns:start -->", StringComparison.Ordinal)..readme.IndexOf("<!-- columns:end -->", StringComparison.Ordinal)];
        var rows = Regex.Matches(table, @"^\| `([a-z_]+)` \| ([a-z<>]+) \|", RegexOptions.Multiline).Select(m => (m.Groups[1].Value, m.Groups[2].Value));

        Assert.Equal(AuditColumns.All.Select(c => (c.Name, c.AthenaType)), rows);
    }

    [Fact]
    public void Csv_columns_are_all_but_the_parameter_array()
    {
        Assert.Equal(AuditColumns.All.Count - 1, AuditColumns.Csv.Count);
        Assert.DoesNotContain(AuditColumns.Parameters, AuditColumns.Csv);
    }

    [Fact]
    public void Readme_csv_table_ddl_lists_the_csv_columns()
    {
        var readme = File.ReadAllText(Repository.PathOf("README.md"));
        var ddl = readme[readme.IndexOf("CREATE EXTERNAL TABLE pgaudit_csv (", StringComparison.Ordinal)..readme.IndexOf("ROW FORMAT SERDE", StringComparison.Ordinal)];
        var columns = Regex.Matches(ddl, @"([a-z_]+) (string|int|bigint)").Select(m => (m.Groups[1].Value, m.Groups[2].Value));

        Assert.Equal(AuditColumns.Csv.Select(c => (c.Name, c.AthenaType)), columns);
    }
}
