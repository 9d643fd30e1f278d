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

    private static object? Table(string format) => Template.With(("OutputFormat", format)).Properties("AuditTable").At("TableInput");

    [Theory]
    [InlineData("json")]
    [InlineData("csv")]
    [InlineData("parquet")]
    public void Columns_are_the_record_columns_in_order(string format)
    {
        var expected = format == "csv" ? AuditColumns.Csv : AuditColumns.All;
        var columns = Table(format).At("StorageDescriptor", "Columns").Seq();

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

    [Fact]
    public void Partition_columns_do_not_collide_with_record_columns()
    {
        var partitions = Table("json").At("PartitionKeys").Seq().Select(p => p.At("Name").Text()).ToList();

        Assert.Equal(["cluster", "dt"], partitions);
        Assert.Empty(partitions.Intersect(AuditColumns.All.Select(c => c.Name)));
    }

    [Fact]
    public void Every_partition_is_projected_and_placed_in_the_location_template()
    {
        var table = Table("json");
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
    public void The_cluster_partition_enumerates_the_db_identifier_and_unknown()
    {
        var parameters = Table("json").At("Parameters");
        Assert.Equal("enum", parameters.At("projection.cluster.type"));
        Assert.Equal("database-1,unknown", parameters.At("projection.cluster.values"));

        var more = Template.With(("AdditionalDbIdentifiers", "b-cluster,c-cluster")).Properties("AuditTable");
        Assert.Equal("database-1,unknown,b-cluster,c-cluster", more.At("TableInput", "Parameters", "projection.cluster.values"));
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

    [Theory]
    [InlineData("")]
    [InlineData("b-cluster,c-cluster")]
    public void Overflow_table_has_the_audit_tables_partitions_and_projection(string additional)
    {
        var variant = Template.With(("OutputFormat", "parquet"), ("AdditionalDbIdentifiers", additional));
        var audit = variant.Properties("AuditTable").At("TableInput");
        var overflow = variant.Properties("OverflowTable").At("TableInput");
        static Dictionary<string, object?> Projection(object? table) =>
            table.At("Parameters").Map().Where(p => p.Key.StartsWith("projection.", StringComparison.Ordinal)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

        Assert.Equal(Node.Describe(audit.At("PartitionKeys")), Node.Describe(overflow.At("PartitionKeys")));
        Assert.Equal(Projection(audit), Projection(overflow));
    }

    [Theory]
    [InlineData("AuditTable", "json")]
    [InlineData("AuditTable", "csv")]
    [InlineData("AuditTable", "parquet")]
    [InlineData("OverflowTable", "parquet")]
    public void A_tables_location_template_is_its_location_plus_the_projected_partitions(string tableId, string format)
    {
        var table = Template.With(("OutputFormat", format)).Properties(tableId).At("TableInput");

        Assert.Equal(
            table.At("StorageDescriptor", "Location").Text() + "cluster=${cluster}/dt=${dt}/",
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
