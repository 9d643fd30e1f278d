namespace PgAuditFirehose.Template.Tests.CloudFormation;

/// <summary>A template as written (template.yaml, source.yaml), and its deployable variants for given parameter values.</summary>
internal sealed class CfnTemplate
{
    private static readonly Lazy<CfnTemplate> Repository = new(() => new CfnTemplate(
        CfnYaml.Load(RepositoryFiles.Template),
        new Dictionary<string, string>(StringComparer.Ordinal) { ["DbIdentifier"] = "database-1" }));

    private static readonly Lazy<CfnTemplate> SourceTemplate = new(() => new CfnTemplate(
        CfnYaml.Load(RepositoryFiles.SourceTemplate),
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["DestinationArn"] = "arn:aws:logs:eu-west-1:999999999999:destination:audit-lake-pgaudit",
            ["DbIdentifiers"] = "orders-db",
        }));

    private CfnTemplate(Dictionary<string, object?> root, IReadOnlyDictionary<string, string> required)
    {
        Root = root;
        RequiredParameters = required;
    }

    /// <summary>The repository's template.yaml, the collector (loaded once).</summary>
    public static CfnTemplate Current => Repository.Value;

    /// <summary>The repository's source.yaml, one account's clusters (loaded once).</summary>
    public static CfnTemplate Source => SourceTemplate.Value;

    /// <summary>Parameters without a default that every variant needs (example values).</summary>
    public IReadOnlyDictionary<string, string> RequiredParameters { get; }

    public IReadOnlyDictionary<string, object?> Root { get; }

    public IReadOnlyDictionary<string, object?> Parameters => Root.At("Parameters").Map("Parameters");

    public IReadOnlyDictionary<string, object?> Resources => Root.At("Resources").Map("Resources");

    public IReadOnlyDictionary<string, object?> Conditions => Root.At("Conditions").Map("Conditions");

    public IReadOnlyDictionary<string, object?> Mappings =>
        Root.TryGetValue("Mappings", out var mappings) ? mappings.Map("Mappings") : new Dictionary<string, object?>();

    public object? Resource(string logicalId) => Root.At("Resources", logicalId);

    public string Default(string parameter) => Parameters.At(parameter, "Default").Text($"{parameter}.Default");

    /// <summary>
    /// The template as CloudFormation would deploy it with these parameter values (over the
    /// defaults): conditions decided, <c>Fn::If</c> taken, <c>AWS::NoValue</c> removed,
    /// parameters substituted, <c>Fn::FindInMap</c> looked up; references to resources and pseudo
    /// parameters stay symbolic.
    /// </summary>
    public TemplateVariant With(params (string Name, string Value)[] overrides)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, parameter) in Parameters)
        {
            if (parameter.Map(name).TryGetValue("Default", out var value) && value is string text)
            {
                values[name] = text;
            }
        }

        foreach (var (name, value) in RequiredParameters)
        {
            values[name] = value;
        }

        foreach (var (name, value) in overrides)
        {
            if (!Parameters.ContainsKey(name))
            {
                throw new ArgumentException($"template.yaml has no parameter {name}", nameof(overrides));
            }

            values[name] = value;
        }

        // AWS::LanguageExtensions' Fn::ForEach depends on the values: expand it per variant.
        return ForEach.IsUsedIn(Root)
            ? new TemplateVariant(new CfnTemplate(ForEach.Expand(Root, values), RequiredParameters), values)
            : new TemplateVariant(this, values);
    }
}
