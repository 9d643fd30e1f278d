using PgAuditFirehose.Records;
using PgAuditFirehose.Firehose;

namespace PgAuditFirehose.Tests.Firehose;

public class TransformerOptionsTests
{
    private static TransformerOptions From(params (string Name, string Value)[] variables) =>
        TransformerOptions.FromEnvironment(name => variables.FirstOrDefault(v => v.Name == name).Value);

    [Fact]
    public void Defaults_are_json_and_the_rds_prefix()
    {
        var options = From();

        Assert.Equal(OutputFormat.Json, options.Format);
        Assert.Equal("%t:%r:%u@%d:[%p]:", options.Prefix.Format);
        Assert.Equal(64 * 1024 * 1024, options.MaxInflatedBytes);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("true", true)]
    [InlineData(" FALSE ", false)]
    [InlineData("off", false)]
    [InlineData("1", true)]
    public void Secrets_are_redacted_unless_redact_secrets_says_false(string? value, bool expected)
    {
        Assert.Equal(expected, (value is null ? From() : From(("REDACT_SECRETS", value))).RedactSecrets);
    }

    [Theory]
    [InlineData("csv", OutputFormat.Csv)]
    [InlineData(" JSON ", OutputFormat.Json)]
    public void Output_format_is_read_case_insensitively(string value, OutputFormat expected)
    {
        Assert.Equal(expected, From(("OUTPUT_FORMAT", value)).Format);
    }

    [Theory]
    [InlineData("OUTPUT_FORMAT", "xml", "OUTPUT_FORMAT='xml' is not valid: use 'json' (the default) or 'csv'.")]
    [InlineData("LOG_LINE_PREFIX", "%t %z", "LOG_LINE_PREFIX is not valid")]
    [InlineData("MAX_INFLATED_BYTES", "lots", "MAX_INFLATED_BYTES='lots' is not valid")]
    [InlineData("MAX_INFLATED_BYTES", "10", "MAX_INFLATED_BYTES='10' is not valid")]
    [InlineData("REDACT_SECRETS", "maybe", "REDACT_SECRETS='maybe' is not valid: use 'true'")]
    public void Bad_values_stop_the_start_with_a_message_naming_the_variable(string name, string value, string message)
    {
        var e = Assert.Throws<ConfigurationException>(() => From((name, value)));

        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Custom_prefix_is_compiled()
    {
        Assert.Equal("%m [%p] ", From(("LOG_LINE_PREFIX", "%m [%p] ")).Prefix.Format);
    }

    [Theory]
    [InlineData("256", 1, 19)]
    [InlineData("512", 1, 43)]
    [InlineData("1024", 1, 64)]
    [InlineData("3008", 2, 64)]
    public void The_inflation_cap_and_records_in_flight_follow_the_function_memory(string memory, int inFlight, int capMiB)
    {
        var options = From(("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", memory));
        var budget = MemoryBudget.For(int.Parse(memory, System.Globalization.CultureInfo.InvariantCulture), cores: 2);

        Assert.Equal(inFlight, budget.RecordsInFlight);
        Assert.Equal(capMiB, budget.MaxInflatedBytes >> 20);
        Assert.Equal(budget.MaxInflatedBytes, options.MaxInflatedBytes);
    }

    [Fact]
    public void Max_inflated_bytes_overrides_the_cap_the_memory_gives()
    {
        var options = From(("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256"), ("MAX_INFLATED_BYTES", "50000000"));

        Assert.Equal(50_000_000, options.MaxInflatedBytes);
        Assert.Equal(1, options.MaxRecordsInFlight);
    }

    [Fact]
    public void A_function_memory_lambda_would_not_set_stops_the_start()
    {
        var e = Assert.Throws<ConfigurationException>(() => From(("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "lots")));

        Assert.StartsWith("AWS_LAMBDA_FUNCTION_MEMORY_SIZE='lots' is not valid", e.Message, StringComparison.Ordinal);
    }
}
