using System.Text;
using PgAuditFirehose.Redaction;

namespace PgAuditFirehose.Tests.Redaction;

public class SqlLexerTests
{
    private static List<(SqlTokenKind Kind, string Text)> Lex(string sql, out int unterminated)
    {
        var bytes = Encoding.UTF8.GetBytes(sql);
        var lexer = new SqlLexer();
        unterminated = lexer.Lex(bytes);
        return [.. lexer.Tokens.ToArray().Select(t => (t.Kind, Encoding.UTF8.GetString(bytes[t.Start..t.End])))];
    }

    private static List<(SqlTokenKind Kind, string Text)> Lex(string sql)
    {
        var tokens = Lex(sql, out var unterminated);
        Assert.Equal(-1, unterminated);
        return tokens;
    }

    [Theory]
    [InlineData("'a''b'", nameof(SqlTokenKind.String))]
    [InlineData("'a\\'", nameof(SqlTokenKind.String))]
    [InlineData("E'a\\'b'", nameof(SqlTokenKind.ExtendedString))]
    [InlineData("e'a''b\\\\'", nameof(SqlTokenKind.ExtendedString))]
    [InlineData("N'nat'", nameof(SqlTokenKind.String))]
    [InlineData("U&'\\0070ass'", nameof(SqlTokenKind.UnicodeString))]
    [InlineData("u&'x''y'", nameof(SqlTokenKind.UnicodeString))]
    [InlineData("B'0101'", nameof(SqlTokenKind.BitString))]
    [InlineData("X'1F'", nameof(SqlTokenKind.BitString))]
    [InlineData("$$a 'b' \"c\"$$", nameof(SqlTokenKind.DollarString))]
    [InlineData("$q$a $$ b$q$", nameof(SqlTokenKind.DollarString))]
    [InlineData("\"pass\"\"word\"", nameof(SqlTokenKind.QuotedIdentifier))]
    [InlineData("U&\"\\0070\"", nameof(SqlTokenKind.UnicodeIdentifier))]
    [InlineData("$12", nameof(SqlTokenKind.Parameter))]
    [InlineData("password_keeper", nameof(SqlTokenKind.Word))]
    [InlineData("a$b", nameof(SqlTokenKind.Word))]
    public void Each_literal_and_name_form_is_one_token(string sql, string kind)
    {
        Assert.Equal([(Enum.Parse<SqlTokenKind>(kind), sql)], Lex(sql));
    }

    [Fact]
    public void Comments_are_skipped_and_nest()
    {
        Assert.Equal(["PASSWORD", "'x'"], Lex("PASSWORD /* a /* nested */ 'no' */ -- 'not either'\n'x'").Select(t => t.Text));
    }

    [Fact]
    public void Strings_separated_by_a_newline_are_one_literal_but_not_on_one_line()
    {
        Assert.Equal(["'a'\n  'b'"], Lex("'a'\n  'b'").Select(t => t.Text));
        Assert.Equal(["'a'", "'b'"], Lex("'a' 'b'").Select(t => t.Text));
    }

    [Fact]
    public void A_one_letter_prefix_counts_only_right_before_the_quote()
    {
        Assert.Equal([(SqlTokenKind.Word, "ne"), (SqlTokenKind.String, "'x'")], Lex("ne'x'"));
        Assert.Equal([(SqlTokenKind.Word, "U"), (SqlTokenKind.Operator, "&"), (SqlTokenKind.Word, "x")], Lex("U&x"));
    }

    [Fact]
    public void A_dollar_without_a_closing_dollar_is_a_lone_operator()
    {
        Assert.Equal([(SqlTokenKind.Operator, "$"), (SqlTokenKind.Word, "foo")], Lex("$foo"));
    }

    [Fact]
    public void An_operator_stops_where_a_comment_starts()
    {
        Assert.Equal([(SqlTokenKind.Number, "1"), (SqlTokenKind.Operator, "+"), (SqlTokenKind.Number, "2")], Lex("1+--c\n2"));
    }

    [Theory]
    [InlineData("ALTER ROLE r PASSWORD 'abc", 22)]
    [InlineData("SELECT E'abc\\'", 7)]
    [InlineData("SELECT $q$abc$q", 7)]
    [InlineData("SELECT \"abc", 7)]
    [InlineData("SELECT 1 /* abc /* */", 9)]
    public void Where_an_unterminated_token_starts_is_reported(string sql, int start)
    {
        Lex(sql, out var unterminated);
        Assert.Equal(start, unterminated);
    }
}
