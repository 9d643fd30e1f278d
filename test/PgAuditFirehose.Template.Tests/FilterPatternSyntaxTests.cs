using PgAuditFirehose.Template.Tests.CloudWatchLogs;

namespace PgAuditFirehose.Template.Tests;

/// <summary>The matching rules of <see cref="FilterPattern"/>, on the CloudWatch Logs guide's own examples.</summary>
public class FilterPatternSyntaxTests
{
    private static readonly string[] GuideEvents =
    [
        "[ERROR 400] BAD REQUEST",
        "[ERROR 401] UNAUTHORIZED REQUEST",
        "[ERROR 419] MISSING ARGUMENTS",
        "[ERROR 420] INVALID ARGUMENTS",
        "[ERROR 500] INTERNAL SERVER ERROR",
        "[INFO] INVALID ARGUMENTS PROVIDED",
        "[WARN] UNAUTHORIZED REQUEST",
    ];

    [Fact]
    public void A_quoted_phrase_matches_exactly_that_text()
    {
        var pattern = FilterPattern.Parse("\"INTERNAL SERVER ERROR\"");

        Assert.Equal(["[ERROR 500] INTERNAL SERVER ERROR"], GuideEvents.Where(pattern.Matches));
    }

    [Fact]
    public void A_quoted_phrase_is_case_sensitive()
    {
        Assert.False(FilterPattern.Parse("\"internal server error\"").Matches("[ERROR 500] INTERNAL SERVER ERROR"));
    }

    [Fact]
    public void A_quoted_phrase_keeps_its_spaces()
    {
        var pattern = FilterPattern.Parse("\"LOG:  AUDIT:\"");

        Assert.True(pattern.Matches("x:LOG:  AUDIT: SESSION"));
        Assert.False(pattern.Matches("x:LOG: AUDIT: SESSION"));
    }

    [Fact]
    public void Terms_separated_by_spaces_must_all_appear()
    {
        var pattern = FilterPattern.Parse("\"ERROR\" \"ARGUMENTS\"");

        Assert.Equal(["[ERROR 419] MISSING ARGUMENTS", "[ERROR 420] INVALID ARGUMENTS"], GuideEvents.Where(pattern.Matches));
    }

    [Fact]
    public void Question_mark_terms_are_alternatives()
    {
        var pattern = FilterPattern.Parse("?\"ERROR\" ?\"ARGUMENTS\"");

        Assert.Equal(GuideEvents.Where(e => e.Contains("ERROR", StringComparison.Ordinal) || e.Contains("ARGUMENTS", StringComparison.Ordinal)), GuideEvents.Where(pattern.Matches));
        Assert.DoesNotContain("[WARN] UNAUTHORIZED REQUEST", GuideEvents.Where(pattern.Matches));
    }

    [Fact]
    public void Question_mark_terms_are_ignored_next_to_a_plain_term()
    {
        // The guide: "?ERROR ?ARGUMENTS REQUEST" matches every event containing REQUEST.
        var pattern = FilterPattern.Parse("?\"ERROR\" ?\"ARGUMENTS\" \"REQUEST\"");

        Assert.Equal(GuideEvents.Where(e => e.Contains("REQUEST", StringComparison.Ordinal)), GuideEvents.Where(pattern.Matches));
        Assert.Contains("[WARN] UNAUTHORIZED REQUEST", GuideEvents.Where(pattern.Matches));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\" \"")]
    public void An_empty_pattern_or_a_quoted_space_matches_everything(string text)
    {
        Assert.All(GuideEvents.Append(""), e => Assert.True(FilterPattern.Parse(text).Matches(e)));
    }

    [Theory]
    [InlineData("ERROR")]
    [InlineData("?ERROR ?WARN")]
    [InlineData("\"ERROR\" -\"ARGUMENTS\"")]
    [InlineData("{ $.level = \"ERROR\" }")]
    [InlineData("[ip, user, ...]")]
    [InlineData("%AUDIT%")]
    public void Forms_outside_the_implemented_subset_are_refused(string text)
    {
        Assert.Throws<NotSupportedException>(() => FilterPattern.Parse(text));
    }

    [Fact]
    public void An_unterminated_quote_is_an_error()
    {
        Assert.Throws<FormatException>(() => FilterPattern.Parse("?\"LOG:  AUDIT:"));
    }
}
