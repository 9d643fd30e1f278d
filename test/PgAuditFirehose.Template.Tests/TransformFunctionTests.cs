using System.Xml.Linq;
using PgAuditFirehose.Template.Tests.CloudFormation;

namespace PgAuditFirehose.Template.Tests;

public class TransformFunctionTests
{
    private const string FunctionId = "TransformFunction";
    private static readonly CfnTemplate Template = CfnTemplate.Current;

    private static object? Function => Template.With().Properties(FunctionId);

    [Fact]
    public void Runs_on_the_managed_dotnet10_runtime_on_arm64()
    {
        Assert.Equal("AWS::Serverless::Function", Template.Resource(FunctionId).At("Type"));
        Assert.Equal("dotnet10", Function.At("Runtime"));
        Assert.Equal(["arm64"], Function.At("Architectures").Seq());
    }

    [Fact]
    public void Handler_names_the_stream_handler_of_the_lambda_project()
    {
        Assert.Equal("PgAuditFirehose.Lambda::PgAuditFirehose.Lambda.Function::FunctionHandler", Function.At("Handler"));
    }

    [Fact]
    public void Handler_assembly_is_the_assembly_the_code_uri_project_builds()
    {
        var handler = Function.At("Handler").Text();
        var project = Directory.GetFiles(CodeUriDirectory(), "*.csproj").Single();
        var assemblyName = XDocument.Load(project).Descendants("AssemblyName").Select(e => e.Value).SingleOrDefault()
            ?? Path.GetFileNameWithoutExtension(project);

        Assert.Equal(assemblyName, handler[..handler.IndexOf("::", StringComparison.Ordinal)]);
    }

    [Fact]
    public void Is_built_by_the_makefile_target_sam_runs()
    {
        Assert.Equal("makefile", Template.Resource(FunctionId).At("Metadata", "BuildMethod"));
        var makefile = File.ReadAllText(Path.Combine(CodeUriDirectory(), "Makefile"));

        Assert.Contains($"\nbuild-{FunctionId}:", makefile, StringComparison.Ordinal);
        Assert.Contains("$(ARTIFACTS_DIR)", makefile, StringComparison.Ordinal);
    }

    [Fact]
    public void Makefile_publishes_framework_dependent_for_the_function_architecture()
    {
        var makefile = File.ReadAllText(Path.Combine(CodeUriDirectory(), "Makefile"));
        var architecture = Function.At("Architectures").Seq().Single().Text();

        Assert.Contains($"RUNTIME_ID ?= linux-{architecture}", makefile, StringComparison.Ordinal);
        Assert.Contains("--self-contained false", makefile, StringComparison.Ordinal);
        Assert.Contains("dotnet publish", makefile, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("json", "json")]
    [InlineData("csv", "csv")]
    [InlineData("parquet", "json")]
    public void Output_format_reaches_the_function_and_parquet_mode_asks_for_json(string outputFormat, string functionFormat)
    {
        var variables = Template.With(("OutputFormat", outputFormat)).Properties(FunctionId).At("Environment", "Variables");

        Assert.Equal(functionFormat, variables.At("OUTPUT_FORMAT"));
    }

    [Fact]
    public void Log_line_prefix_reaches_the_function_and_defaults_to_the_rds_prefix()
    {
        Assert.Equal("%t:%r:%u@%d:[%p]:", Function.At("Environment", "Variables", "LOG_LINE_PREFIX"));
        var custom = Template.With(("LogLinePrefix", "%m [%p] ")).Properties(FunctionId);
        Assert.Equal("%m [%p] ", custom.At("Environment", "Variables", "LOG_LINE_PREFIX"));
    }

    [Fact]
    public void Log_timezone_reaches_the_function_and_defaults_to_utc()
    {
        Assert.Equal("UTC", Function.At("Environment", "Variables", "LOG_TIMEZONE"));
        var custom = Template.With(("LogTimezone", "Asia/Shanghai")).Properties(FunctionId);
        Assert.Equal("Asia/Shanghai", custom.At("Environment", "Variables", "LOG_TIMEZONE"));
    }

    [Fact]
    public void Redact_secrets_reaches_the_function_and_defaults_to_on()
    {
        Assert.Equal("true", Function.At("Environment", "Variables", "REDACT_SECRETS"));
        var off = Template.With(("RedactSecrets", "false")).Properties(FunctionId);
        Assert.Equal("false", off.At("Environment", "Variables", "REDACT_SECRETS"));
    }

    [Fact]
    public void Logs_to_its_own_log_group_with_retention()
    {
        Assert.True(Function.At("LoggingConfig", "LogGroup").IsRef("TransformFunctionLogGroup"));
        Assert.Equal("30", Template.With().Properties("TransformFunctionLogGroup").At("RetentionInDays"));
    }

    [Theory]
    [InlineData("json", "")]
    [InlineData("parquet", "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555")]
    public void Uses_its_own_role_that_writes_its_log_group_and_overflow_objects_only(string format, string key)
    {
        var variant = Template.With(("OutputFormat", format), ("KmsKeyArn", key));
        Assert.True(variant.Properties(FunctionId).At("Role").IsGetAtt("TransformFunctionRole", "Arn"));
        var statements = IamPolicyTests.AllowStatements(variant, "TransformFunctionRole").ToList();

        var logs = Assert.Single(statements, s => s.At("Action").OneOrMany().Any(a => a.Text().StartsWith("logs:", StringComparison.Ordinal)));
        Assert.Equal(["logs:CreateLogStream", "logs:PutLogEvents"], logs.At("Action").OneOrMany());
        Assert.True(logs.At("Resource").IsGetAtt("TransformFunctionLogGroup", "Arn"));
        // The rest is the overflow: S3 PutObject and, with a key, KMS through S3 (IamPolicyTests).
        string[] expected = key.Length > 0
            ? ["kms:GenerateDataKey", "logs:CreateLogStream", "logs:PutLogEvents", "s3:PutObject"]
            : ["logs:CreateLogStream", "logs:PutLogEvents", "s3:PutObject"];
        Assert.Equal(expected, statements.SelectMany(s => s.At("Action").OneOrMany()).Select(a => a.Text()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Description_says_what_the_role_allows()
    {
        var description = Template.With().Properties("TransformFunctionRole").At("Description").Text();

        Assert.Contains("log group", description, StringComparison.Ordinal);
        Assert.Contains("s3:PutObject", description, StringComparison.Ordinal);
    }

    [Fact]
    public void Memory_and_timeout_fit_a_full_batch_within_firehose_limits()
    {
        var parameters = Template.Parameters;
        Assert.Equal("1024", Template.Default("FunctionMemorySize"));
        Assert.Equal("60", Template.Default("FunctionTimeout"));
        // Firehose waits at most 5 minutes for a transformation invocation.
        Assert.Equal("300", parameters.At("FunctionTimeout", "MaxValue"));
        Assert.True(Function.At("MemorySize") as string == "1024" && Function.At("Timeout") as string == "60");
    }

    private static string CodeUriDirectory() =>
        RepositoryFiles.InRepository(Template.Resource(FunctionId).At("Properties", "CodeUri").Text().TrimEnd('/').Split('/'));
}
