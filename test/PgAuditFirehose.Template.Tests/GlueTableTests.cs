using System.Text;
using PgAuditFirehose.Records;
using PgAuditFirehose.Template.Tests.CloudFormation;

namespace PgAuditFirehose.Template.Tests;

/// <summary>The Glue table follows the record's one column list and projects its partitions.</summary>
public class GlueTableTests
{
    private static readonly CfnTemplate Template = CfnTemplate.Current;

    /// <summary>The CSV writer's encoding as the CSV-mode table must declare it (to be confirmed with the writer).</summary>
    private static readonly Dictionary<string, string> CsvSerdeParameters = new(StringComparer.Ordinal)
    {
        ["field.delim"] = ",",
        ["escape.delim"] = "\\",
        ["serialization.null.format"] = "\\N",
    };

    private static object? Table(string format, string tableId = "AuditTable") => Template.With(("OutputFormat", format)).Properties(tableId).At("TableInput");

    [Theory]
    [InlineData("json", "AuditTable")]
    [InlineData("csv", "AuditTable")]
    [InlineData("parquet", "AuditTable")]
    [InlineData("json", "AuditByClusterTable")]
    [InlineData("csv", "AuditByClusterTable")]
    [InlineData("parquet", "AuditByClusterTable")]
    public void Columns_are_the_record_columns_in_order(string format, string tableId)
    {
        var expected = format == "csv" ? AuditColumns.Csv : AuditColumns.All;
        var columns = Table(format, tableId).At("StorageDescriptor", "Columns").Seq();

        var actual = columns.Select(c => (c.At("Name").Text(), c.At("Type").Text(), c.At("Comment").Text())).ToList();
        var wanted = expected.Select(c => (c.Name, c.AthenaType, c.Description)).ToList();
        Assert.True(wanted.SequenceEqual(actual), $"Glue columns ({format}) differ from AuditColumns; template.yaml should list:\n{YamlFor(expected)}");
    }

    [Fact]
    public void Csv_mode_drops_only_the_parameters_column()
    {
        var json = Table("json").At("StorageDescriptor", "Columns").Seq().Select(c => c.At("Name").Text());
        var csv = Table("csv").At("StorageDescriptor", "Columns").Seq().Select(c => c.At("Name").Text());

        Assert.Equal(["parameters"], json.Except(csv));
    }

    [Theory]
    [InlineData("AuditTable", new[] { "dt" })]
    [InlineData("AuditByClusterTable", new[] { "account", "cluster", "dt" })]
    public void Partition_columns_do_not_collide_with_record_columns(string tableId, string[] expected)
    {
        var partitions = Table("json", tableId).At("PartitionKeys").Seq().Select(p => p.At("Name").Text()).ToList();

        Assert.Equal(expected, partitions);
        Assert.Empty(partitions.Intersect(AuditColumns.All.Select(c => c.Name)));
    }

    [Theory]
    [InlineData("json", "CREATE EXTERNAL TABLE `pgaudit`.`audit_records` (")]
    [InlineData("csv", "CREATE EXTERNAL TABLE pgaudit_csv (")]
    public void The_record_pages_ddl_reads_where_the_stack_writes(string format, string ddlStart)
    {
        var page = File.ReadAllText(RepositoryFiles.InRepository("docs", "record.md"));
        var ddl = page[page.IndexOf(ddlStart, StringComparison.Ordinal)..];
        ddl = ddl[..ddl.IndexOf("\n);", StringComparison.Ordinal)].Replace("<bucket>", "${ArchiveBucket}", StringComparison.Ordinal);
        var table = Table(format);

        Assert.Contains($"LOCATION '{table.At("StorageDescriptor", "Location").Text()}'", ddl, StringComparison.Ordinal);
        Assert.Contains($"'storage.location.template' = '{table.At("Parameters", "storage.location.template").Text()}'", ddl, StringComparison.Ordinal);
        Assert.Contains("PARTITIONED BY (", ddl, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AuditTable")]
    [InlineData("AuditByClusterTable")]
    public void Every_partition_is_projected_and_placed_in_the_location_template(string tableId)
    {
        var table = Table("json", tableId);
        var parameters = table.At("Parameters");
        var location = parameters.At("storage.location.template").Text();

        Assert.Equal("true", parameters.At("projection.enabled"));
        foreach (var partition in table.At("PartitionKeys").Seq().Select(p => p.At("Name").Text()))
        {
            Assert.True(parameters.Has($"projection.{partition}.type"), partition);
            Assert.Contains("${" + partition + "}", location, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void No_table_enumerates_clusters_so_none_can_hide_an_unlisted_one()
    {
        var variant = Template.With(("OutputFormat", "parquet"));
        var types = new[] { "AuditTable", "AuditByClusterTable", "OverflowTable" }
            .SelectMany(id => variant.Properties(id).At("TableInput", "Parameters").Map())
            .Where(p => p.Key.StartsWith("projection.", StringComparison.Ordinal) && p.Key.EndsWith(".type", StringComparison.Ordinal))
            .Select(p => p.Value.Text());

        Assert.DoesNotContain("enum", types);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("csv")]
    [InlineData("parquet")]
    public void The_by_cluster_table_reads_the_audit_tables_objects_the_same_way(string format)
    {
        var audit = Table(format);
        var byCluster = Table(format, "AuditByClusterTable");

        Assert.Equal(Node.Describe(audit.At("StorageDescriptor")), Node.Describe(byCluster.At("StorageDescriptor")));
        Assert.Equal(audit.At("Parameters", "classification"), byCluster.At("Parameters", "classification"));
        Assert.Equal(audit.At("Parameters", "projection.dt.range"), byCluster.At("Parameters", "projection.dt.range"));
    }

    [Fact]
    public void The_by_cluster_table_takes_account_and_cluster_from_the_query()
    {
        var parameters = Table("json", "AuditByClusterTable").At("Parameters");

        Assert.Equal("injected", parameters.At("projection.account.type"));
        Assert.Equal("injected", parameters.At("projection.cluster.type"));
        Assert.Equal("date", parameters.At("projection.dt.type"));
    }

    [Fact]
    public void The_day_partition_is_a_date_projection_up_to_now()
    {
        var parameters = Table("json").At("Parameters");

        Assert.Equal("date", parameters.At("projection.dt.type"));
        Assert.Equal("yyyy-MM-dd", parameters.At("projection.dt.format"));
        Assert.Equal("2025-01-01,NOW", parameters.At("projection.dt.range"));
        Assert.Equal("DAYS", parameters.At("projection.dt.interval.unit"));
    }

    [Fact]
    public void Json_mode_reads_with_the_openx_serde()
    {
        var storage = Table("json").At("StorageDescriptor");

        Assert.Equal("org.openx.data.jsonserde.JsonSerDe", storage.At("SerdeInfo", "SerializationLibrary"));
        Assert.Equal("org.apache.hadoop.mapred.TextInputFormat", storage.At("InputFormat"));
    }

    [Fact]
    public void Csv_mode_reads_with_lazy_simple_serde_in_the_writers_encoding()
    {
        var serde = Table("csv").At("StorageDescriptor", "SerdeInfo");

        Assert.Equal("org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe", serde.At("SerializationLibrary"));
        Assert.Equal(CsvSerdeParameters, serde.At("Parameters").Map().ToDictionary(p => p.Key, p => p.Value.Text(), StringComparer.Ordinal));
    }

    [Fact]
    public void Parquet_mode_reads_parquet()
    {
        var storage = Table("parquet").At("StorageDescriptor");

        Assert.Equal("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe", storage.At("SerdeInfo", "SerializationLibrary"));
        Assert.Equal("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat", storage.At("InputFormat"));
        Assert.Equal("org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat", storage.At("OutputFormat"));
    }

    [Theory]
    [InlineData("json")]
    [InlineData("csv")]
    [InlineData("parquet")]
    public void Classification_names_the_format(string format)
    {
        Assert.Equal(format, Table(format).At("Parameters", "classification"));
    }

    private static object? OverflowTable() => Template.With(("OutputFormat", "parquet")).Properties("OverflowTable").At("TableInput");

    [Theory]
    [InlineData("json", false)]
    [InlineData("csv", false)]
    [InlineData("parquet", true)]
    public void Only_parquet_mode_has_a_second_table_for_the_functions_overflow(string format, bool expected)
    {
        var variant = Template.With(("OutputFormat", format));

        Assert.Equal(expected, variant.Creates("OverflowTable"));
        Assert.Equal(expected, variant.Output("OverflowTableName") is not null);
    }

    [Fact]
    public void Overflow_table_columns_are_the_record_columns_in_order()
    {
        var columns = OverflowTable().At("StorageDescriptor", "Columns").Seq();

        var actual = columns.Select(c => (c.At("Name").Text(), c.At("Type").Text(), c.At("Comment").Text())).ToList();
        var wanted = AuditColumns.All.Select(c => (c.Name, c.AthenaType, c.Description)).ToList();
        Assert.True(wanted.SequenceEqual(actual), $"OverflowTable columns differ from AuditColumns.All; template.yaml should list:\n{YamlFor(AuditColumns.All)}");
    }

    [Fact]
    public void Overflow_table_reads_the_functions_gzip_json_lines()
    {
        var table = OverflowTable();
        var storage = table.At("StorageDescriptor");

        Assert.Equal("audit_records_overflow", table.At("Name"));
        Assert.Equal("json", table.At("Parameters", "classification"));
        Assert.Equal("org.openx.data.jsonserde.JsonSerDe", storage.At("SerdeInfo", "SerializationLibrary"));
        Assert.Equal("org.apache.hadoop.mapred.TextInputFormat", storage.At("InputFormat"));
        Assert.Equal("org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat", storage.At("OutputFormat"));
    }

    [Fact]
    public void Overflow_table_has_the_audit_tables_partitions_and_projection()
    {
        var variant = Template.With(("OutputFormat", "parquet"));
        var audit = variant.Properties("AuditTable").At("TableInput");
        var overflow = variant.Properties("OverflowTable").At("TableInput");
        static Dictionary<string, object?> Projection(object? table) =>
            table.At("Parameters").Map().Where(p => p.Key.StartsWith("projection.", StringComparison.Ordinal)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

        Assert.Equal(Node.Describe(audit.At("PartitionKeys")), Node.Describe(overflow.At("PartitionKeys")));
        Assert.Equal(Projection(audit), Projection(overflow));
    }

    [Theory]
    [InlineData("AuditTable", "json", "dt=${dt}/")]
    [InlineData("AuditTable", "csv", "dt=${dt}/")]
    [InlineData("AuditTable", "parquet", "dt=${dt}/")]
    [InlineData("OverflowTable", "parquet", "dt=${dt}/")]
    [InlineData("AuditByClusterTable", "json", "dt=${dt}/account=${account}/cluster=${cluster}/")]
    [InlineData("AuditByClusterTable", "parquet", "dt=${dt}/account=${account}/cluster=${cluster}/")]
    public void A_tables_location_template_is_its_location_plus_the_projected_partitions(string tableId, string format, string partitions)
    {
        var table = Template.With(("OutputFormat", format)).Properties(tableId).At("TableInput");

        Assert.Equal(
            table.At("StorageDescriptor", "Location").Text() + partitions,
            table.At("Parameters", "storage.location.template"));
    }

    [Fact]
    public void The_two_parquet_mode_tables_do_not_overlap()
    {
        var variant = Template.With(("OutputFormat", "parquet"));
        var audit = variant.Properties("AuditTable").At("TableInput", "StorageDescriptor", "Location").Text();
        var overflow = variant.Properties("OverflowTable").At("TableInput", "StorageDescriptor", "Location").Text();

        Assert.False(overflow.StartsWith(audit, StringComparison.Ordinal) || audit.StartsWith(overflow, StringComparison.Ordinal), $"{audit} / {overflow}");
    }

    private static string YamlFor(IEnumerable<AuditColumn> columns)
    {
        var text = new StringBuilder();
        foreach (var c in columns)
        {
            text.Append("            - { Name: ").Append(c.Name).Append(", Type: ").Append(c.AthenaType)
                .Append(", Comment: '").Append(c.Description.Replace("'", "''", StringComparison.Ordinal)).Append("' }\n");
        }

        return text.ToString();
    }
}
