using System.Text.RegularExpressions;
using PgAuditFirehose.Template.Tests.CloudFormation;

namespace PgAuditFirehose.Template.Tests;

/// <summary>
/// Values that CloudFormation would deploy but that deliver nothing, or that fail only halfway through
/// the stack's creation: the template refuses them up front.
/// </summary>
public class DeployTimeMistakesTests
{
    private static readonly CfnTemplate Template = CfnTemplate.Current;

    [Theory]
    [InlineData("database-1", true)]
    [InlineData("pgaudit-demo", true)]
    [InlineData("", true)]
    [InlineData("a", true)]
    [InlineData("Database-1", false)]
    [InlineData("DATABASE", false)]
    [InlineData("1database", false)]
    [InlineData("database-", false)]
    [InlineData("data--base", false)]
    [InlineData("data_base", false)]
    public void The_db_identifier_is_accepted_only_as_rds_stores_it(string value, bool accepted)
    {
        Assert.Equal(accepted, Accepts(Template, "DbIdentifier", value));
    }

    [Fact]
    public void The_db_identifier_is_at_most_63_characters()
    {
        Assert.True(Accepts(Template, "DbIdentifier", "a" + new string('b', 62)));
        Assert.False(Accepts(Template, "DbIdentifier", "a" + new string('b', 63)));
    }

    [Theory]
    [InlineData("other-cluster", true)]
    [InlineData("b-2", true)]
    [InlineData("Other-cluster", false)]
    [InlineData("other--cluster", false)]
    [InlineData("other-cluster-", false)]
    public void Each_identifier_a_source_stack_subscribes_is_lower_case_too(string value, bool accepted)
    {
        // CloudFormation matches a CommaDelimitedList's AllowedPattern against each of its values.
        Assert.Equal(accepted, Accepts(CfnTemplate.Source, "DbIdentifiers", value));
    }

    [Theory]
    [InlineData("STANDARD_IA", "29", false)]
    [InlineData("STANDARD_IA", "1", false)]
    [InlineData("STANDARD_IA", "30", true)]
    [InlineData("STANDARD_IA", "0", true)]
    [InlineData("STANDARD_IA", "365", true)]
    [InlineData("GLACIER_IR", "1", true)]
    [InlineData("INTELLIGENT_TIERING", "0", true)]
    public void Standard_ia_before_day_30_is_refused_before_anything_is_created(string storageClass, string days, bool accepted)
    {
        var variant = Template.With(("ArchiveStorageClass", storageClass), ("ArchiveTransitionDays", days));

        var violations = TemplateRules.Violations(Template, variant.Parameters);

        if (accepted)
        {
            Assert.Empty(violations);
        }
        else
        {
            Assert.Contains("STANDARD_IA needs ArchiveTransitionDays of 30 or more", Assert.Single(violations), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_defaults_break_no_rule()
    {
        Assert.Empty(TemplateRules.Violations(Template, Template.With().Parameters));
    }

    [Theory]
    [InlineData("cluster", "PgAuditClusterParameterGroup")]
    [InlineData("instance", "PgAuditInstanceParameterGroup")]
    public void The_parameter_group_description_is_the_same_whatever_the_parameters(string kind, string resource)
    {
        // A changed Description replaces the group: the new one unattached, the old one attached and undeletable.
        var raw = Template.Resource(resource).At("Properties", "Description");
        var first = Template.With(("DbIdentifierKind", kind), ("DbIdentifier", "database-1")).Properties(resource).At("Description");
        var other = Template.With(("DbIdentifierKind", kind), ("DbIdentifier", "other-cluster"), ("PgAuditLogClasses", "all"), ("PgAuditLogParameter", "on"))
            .Properties(resource).At("Description");

        Assert.IsType<string>(raw);
        Assert.Equal(first, other);
        Assert.DoesNotContain("database-1", first.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public void Kms_conditions_name_the_partitions_domain_not_amazonaws_com()
    {
        var text = File.ReadAllText(RepositoryFiles.Template);

        var viaService = Regex.Matches(text, @"kms:ViaService:.*").Select(m => m.Value).ToList();

        Assert.NotEmpty(viaService);
        Assert.All(viaService, line => Assert.Contains("${AWS::URLSuffix}", line, StringComparison.Ordinal));
        Assert.All(viaService, line => Assert.DoesNotContain("amazonaws.com", line, StringComparison.Ordinal));
    }

    /// <summary>What CloudFormation checks of a String parameter before anything else: AllowedPattern (whole value, Java regex) and MaxLength.</summary>
    private static bool Accepts(CfnTemplate template, string parameter, string value)
    {
        var definition = template.Parameters.At(parameter);
        if (definition.Has("MaxLength") && value.Length > int.Parse(definition.At("MaxLength").Text(), System.Globalization.CultureInfo.InvariantCulture)) return false;
        var pattern = definition.At("AllowedPattern").Text();
        return Regex.IsMatch(value, pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
    }
}
