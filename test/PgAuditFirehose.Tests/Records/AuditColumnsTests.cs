using System.Text.RegularExpressions;
using PgAuditFirehose.Records;
using PgAuditFirehose.Tests.Support;

namespace PgAuditFirehose.Tests.Records;

public class AuditColumnsTests
{
    // README.md, then the docs pages: the column tables may be split between them (docs/server-log.md lists the server log's columns).
    private static IEnumerable<string> DocumentedPages() =>
        [Repository.PathOf("README.md"), .. Directory.GetFiles(Repository.PathOf("docs"), "*.md").Order(StringComparer.Ordinal)];

    [Fact]
    public void The_docs_column_tables_list_every_column_once_with_its_type_in_order()
    {
        var tables = new List<List<(string Name, string Type)>>();
        foreach (var page in DocumentedPages())
        {
            var text = File.ReadAllText(page);
            foreach (Match table in Regex.Matches(text, "<!-- columns:start -->(.*?)<!-- columns:end -->", RegexOptions.Singleline))
            {
                tables.Add([.. Regex.Matches(table.Groups[1].Value, @"^\| `([a-z_]+)` \| ([a-z<>]+) \|", RegexOptions.Multiline).Select(m => (m.Groups[1].Value, m.Groups[2].Value))]);
            }
        }

        var listed = tables.SelectMany(t => t).ToList();
        Assert.Equal(AuditColumns.All.Select(c => (c.Name, c.AthenaType)).Order(), listed.Order());
        var order = AuditColumns.All.Select(c => c.Name).ToList();
        Assert.All(tables, table => Assert.Equal(table.OrderBy(c => order.IndexOf(c.Name)), table));
    }

    [Fact]
    public void Csv_columns_are_all_but_the_parameter_array()
    {
        Assert.Equal(AuditColumns.All.Count - 1, AuditColumns.Csv.Count);
        Assert.DoesNotContain(AuditColumns.Parameters, AuditColumns.Csv);
    }

    [Fact]
    public void The_docs_csv_table_ddl_and_its_added_columns_list_the_csv_columns()
    {
        var readme = File.ReadAllText(Repository.PathOf("docs/record.md"));
        var ddl = readme[readme.IndexOf("CREATE EXTERNAL TABLE pgaudit_csv (", StringComparison.Ordinal)..readme.IndexOf("PARTITIONED BY", StringComparison.Ordinal)];
        var columns = Regex.Matches(ddl + "\n" + AddedColumns("docs/server-log.md") + "\n" + AddedColumns("docs/redaction.md"), @"([a-z_]+) (string|int|bigint|boolean)")
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value)).Distinct();

        Assert.Equal(AuditColumns.Csv.Select(c => (c.Name, c.AthenaType)), columns);
    }

    // A docs page's "ALTER TABLE pgaudit_csv ADD COLUMNS (...)": the columns appended since the README's DDL.
    private static string AddedColumns(string page)
    {
        var text = File.ReadAllText(Repository.PathOf(page));
        var added = text[text.IndexOf("ALTER TABLE pgaudit_csv ADD COLUMNS (", StringComparison.Ordinal)..];
        return added[..added.IndexOf(')', StringComparison.Ordinal)];
    }
}
