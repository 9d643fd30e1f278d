using PgAuditFirehose.Tests.Support;

namespace PgAuditFirehose.Tests.PgAudit;

public class AuditLineParserTests
{
    private static bool Has(string entry, string text) => entry.Contains(text, StringComparison.Ordinal);

    [Fact]
    public void The_severity_end_is_found_where_a_plain_search_finds_it()
    {
        // Texts of colons, spaces and letters, every length to past four blocks: ":  " anywhere, split
        // across blocks, at the very end, or not at all.
        var random = new Random(3);
        for (var n = 0; n < 20000; n++)
        {
            var text = new byte[random.Next(0, 70)];
            var alphabet = n % 2 == 0 ? ":  a"u8 : "aaaaaaaa: "u8;
            for (var i = 0; i < text.Length; i++) text[i] = alphabet[random.Next(alphabet.Length)];
            Assert.Equal(text.AsSpan().IndexOf(":  "u8), PgAuditFirehose.PgAudit.AuditLineParser.IndexOfSeverityEnd(text));
        }
    }

    // The digits a writer may copy instead of formatting: kept only when they parsed and are the number's
    // shortest form, so a leading zero, a sign or text that is no number never reaches the output as written.
    [Theory]
    [InlineData("[7454]", "1,1", true, "7454", "1", "1")]
    [InlineData("[0]", "0,10", true, "0", "0", "10")]
    [InlineData("[007454]", "012,1", true, "", "", "")]
    [InlineData("[42]", "+5,1", true, "42", "", "")]
    [InlineData("[42]", "5,-1", true, "42", "", "")]
    [InlineData("[42]", "5,1x", false, "42", "", "")]
    [InlineData("[42]", "x,1", false, "42", "", "")]
    public void Number_digits_are_kept_only_as_their_shortest_form(string pid, string ids, bool parses, string pidDigits, string statementDigits, string substatementDigits)
    {
        // A line long enough after AUDIT: for the leading fields' one-look split, as most real lines are,
        // and one too short for it, read field by field.
        foreach (var statement in new[] { "select a from t where b = 'a statement past the first 64 bytes'", "select 1" })
        {
            var entry = $"2026-11-25 10:39:38 UTC:[local]:postgres@postgres:{pid}:LOG:  AUDIT: SESSION,{ids},READ,SELECT,,,{statement},<not logged>";
            var parser = new PgAuditFirehose.PgAudit.AuditLineParser(PgAuditFirehose.PgAudit.LogLinePrefix.Parse(PgAuditFirehose.PgAudit.LogLinePrefix.RdsDefault));

            Assert.True(parser.TryParse(System.Text.Encoding.UTF8.GetBytes(entry), out var line));
            Assert.Equal(pidDigits, System.Text.Encoding.UTF8.GetString(line.Prefix.ProcessIdDigits));
            Assert.Equal(statementDigits, System.Text.Encoding.UTF8.GetString(line.StatementIdDigits));
            Assert.Equal(substatementDigits, System.Text.Encoding.UTF8.GetString(line.SubstatementIdDigits));
            Assert.Equal(parses, line.ParseError is null);
        }
    }

    [Fact]
    public void Seed_blog_line_parses_into_every_field()
    {
        var line = ParsedLine.ParseAudit(
            "2022-03-25 13:52:29 UTC:172.31.40.77(53806):postgres@test:[3152]:LOG:  AUDIT: SESSION,8,1,DDL,CREATE TABLE,TABLE,public.bar,create table bar(b int);,<not logged>");

        Assert.Equal(
            new ParsedLine("2022-03-25T13:52:29Z", "172.31.40.77", 53806, "postgres", "test", 3152, "LOG", true, "SESSION", 8, 1, "DDL",
                "CREATE TABLE", "TABLE", "public.bar", "create table bar(b int);", "<not logged>", null, null, null, null),
            line with { Parameters = null });
    }

    [Fact]
    public void Every_audit_line_of_the_real_workload_parses_without_error()
    {
        var audit = RealLog.WorkloadEntries.Where(e => Has(e, "AUDIT: ") && !Has(e, "ERROR:  ") && !Has(e, "STATEMENT:  ")).ToList();
        var parsed = audit.Select(e => ParsedLine.Parse(e)).ToList();

        Assert.True(audit.Count > 100);
        Assert.All(parsed, p => Assert.NotNull(p));
        Assert.All(parsed, p => Assert.Null(p!.ParseError));
    }

    [Fact]
    public void One_parser_reading_many_lines_gives_each_the_fields_a_fresh_parser_gives()
    {
        // Times repeat, change, come back and fail to convert in between: what one line left behind
        // must never show in another.
        string[] times = ["2026-11-25 10:39:38 UTC", "2026-11-25 10:39:38 UTC", "2026-11-25 10:39:39 UTC", "2026-11-25 10:39:38 UTC",
            "2026-11-25 10:39:38 XYZ", "2026-11-25 10:39:38 XYZ", "2026-11-25 10:39:38 UTC", "2026-11-25 11:39:38 CET", "2026-11-25 11:39:38 CET"];
        var entries = RealLog.WorkloadEntries.Where(e => Has(e, "AUDIT: ")).Take(40)
            .SelectMany((e, i) => times.Select(t => t + e[23..]))
            .ToList();
        var parser = new PgAuditFirehose.PgAudit.AuditLineParser(PgAuditFirehose.PgAudit.LogLinePrefix.Parse(PgAuditFirehose.PgAudit.LogLinePrefix.RdsDefault));

        foreach (var entry in entries)
        {
            Assert.Equal(ParsedLine.Parse(entry), ParsedLine.Parse(parser, entry), new ParsedLineComparer());
        }

        Assert.Contains(entries.Select(e => ParsedLine.Parse(e)!), p => p.ParseError is not null && p.LogTime is null);
        Assert.Contains(entries.Select(e => ParsedLine.Parse(e)!), p => p.LogTime == "2026-11-25T10:39:38Z");
    }

    // Records with a list compare the list's contents.
    private sealed class ParsedLineComparer : IEqualityComparer<ParsedLine?>
    {
        public bool Equals(ParsedLine? x, ParsedLine? y) =>
            x is null || y is null ? x == y : x with { Parameters = null } == y with { Parameters = null } && (x.Parameters ?? []).SequenceEqual(y.Parameters ?? []);

        public int GetHashCode(ParsedLine? obj) => 0;
    }

    [Theory]
    [InlineData("NOTICE")]
    [InlineData("WARNING")]
    [InlineData("LOG")]
    public void Client_log_levels_are_read_as_severity(string severity)
    {
        var line = ParsedLine.ParseAudit(RealLog.Entry(e => Has(e, $":{severity}:  AUDIT: ")));

        Assert.Equal(severity, line.Severity);
        Assert.Null(line.ParseError);
    }

    [Fact]
    public void Verbose_error_verbosity_sqlstate_is_skipped()
    {
        var line = ParsedLine.ParseAudit(RealLog.Entry(e => Has(e, ":LOG:  00000: AUDIT: ")));

        Assert.Null(line.ParseError);
        Assert.Equal("LOG", line.Severity);
        Assert.Contains(line.AuditType, new[] { "SESSION", "OBJECT" });
    }

    [Fact]
    public void Location_line_of_verbose_mode_is_not_an_audit_line()
    {
        Assert.Null(ParsedLine.Parse(RealLog.Entry(e => Has(e, ":LOCATION:  log_audit_event"))));
    }

    [Fact]
    public void Error_and_statement_lines_that_quote_an_audit_text_are_not_audit_lines()
    {
        var error = RealLog.Entry(e => Has(e, ":ERROR:  ") && Has(e, "LOG:  AUDIT:"));
        var statement = RealLog.Entry(e => Has(e, ":STATEMENT:  ") && Has(e, "LOG:  AUDIT:"));

        Assert.Null(ParsedLine.Parse(error));
        Assert.Null(ParsedLine.Parse(statement));
    }

    [Fact]
    public void Statement_that_contains_an_audit_text_is_one_record_with_that_text()
    {
        var entry = RealLog.Entry(e => Has(e, "AS trap_after_newline"));
        var line = ParsedLine.ParseAudit(entry);

        Assert.Null(line.ParseError);
        Assert.Contains("\n2024-01-01 00:00:00 UTC:10.0.0.1(5432):postgres@postgres:[1]:LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,fake,<none>' AS trap_after_newline;", line.Statement, StringComparison.Ordinal);
        Assert.Equal("<not logged>", line.Parameter);
    }

    [Fact]
    public void Multi_line_statement_loses_exactly_one_continuation_tab_per_newline()
    {
        var line = ParsedLine.ParseAudit(RealLog.Entry(e => Has(e, "'multi\n\tline literal'")));

        // The original SQL had "\n\t\towner" (an indented line) and "\n\t  'multi\n\tline literal'".
        Assert.Contains("SELECT id,\n\towner,\n  'multi\nline literal' AS \"multi\nline, \"\"alias\"\"\"\nFROM accounts", line.Statement, StringComparison.Ordinal);
        Assert.DoesNotContain("\n\t\t", line.Statement, StringComparison.Ordinal);
    }

    [Fact]
    public void Carriage_returns_are_kept_and_get_no_tab_removed()
    {
        var line = ParsedLine.ParseAudit(RealLog.Entry(e => Has(e, "AS lone_cr")));

        Assert.Contains("'carriage' || '\r' || 'return'", line.Statement, StringComparison.Ordinal);
        Assert.Contains("'crlf' || '\r\n' || 'line'", line.Statement, StringComparison.Ordinal);
    }

    [Fact]
    public void Quoted_object_name_with_comma_and_quotes_is_unquoted_once()
    {
        var line = ParsedLine.ParseAudit(RealLog.Entry(e => Has(e, "AUDIT: SESSION") && Has(e, ",TABLE,\"public.\"\"we,ird\"\"\"\"t\"\"\",")));

        Assert.Equal("public.\"we,ird\"\"t\"", line.ObjectName);
        Assert.Equal("TABLE", line.ObjectType);
    }

    [Fact]
    public void Function_object_name_with_argument_list_is_kept()
    {
        var line = ParsedLine.ParseAudit(RealLog.Entry(e => Has(e, ",FUNCTION,\"public.transfer(")));

        Assert.Equal("public.transfer(integer,integer,numeric)", line.ObjectName);
    }

    [Fact]
    public void Unknown_command_is_kept_as_question_marks()
    {
        var line = ParsedLine.ParseAudit(RealLog.Entry(e => Has(e, ",MISC,???,")));

        Assert.Equal("???", line.Command);
        Assert.StartsWith("MERGE INTO accounts", line.Statement, StringComparison.Ordinal);
    }

    [Fact]
    public void Redacted_password_is_kept_as_pgaudit_wrote_it()
    {
        var line = ParsedLine.ParseAudit(RealLog.Entry(e => Has(e, "<REDACTED>")));

        Assert.Contains("PASSWORD <REDACTED>", line.Statement, StringComparison.Ordinal);
        Assert.Equal("ROLE", line.Class);
    }

    [Fact]
    public void Ten_field_lines_give_rows_and_nine_field_lines_none()
    {
        var ten = ParsedLine.ParseAudit(RealLog.Entry(e => Has(e, "SELECT id FROM accounts ORDER BY id;,<none>,")));
        var nine = ParsedLine.ParseAudit(RealLog.Entry(e => Has(e, "create") || Has(e, "CREATE TABLE accounts")));

        Assert.Equal(4, ten.Rows);
        Assert.Null(nine.Rows);
    }

    [Fact]
    public void Substatements_of_functions_have_their_own_ids()
    {
        var line = ParsedLine.ParseAudit(RealLog.Entry(e => Has(e, "AUDIT: SESSION,") && Has(e, ",3,WRITE,UPDATE,")));

        Assert.Equal(3, line.SubstatementId);
        Assert.Equal("UPDATE accounts SET balance = balance - amount WHERE id = from_id", line.Statement);
    }

    [Fact]
    public void Parameter_list_is_unquoted_once_and_split_into_values()
    {
        var line = ParsedLine.ParseAudit(RealLog.Entry(e => Has(e, "\"1,\"\"a,b\"\",\"\"say \"\"\"\"hi\"\"\"\"\"\",,\"")));

        Assert.Equal("1,\"a,b\",\"say \"\"hi\"\"\",,", line.Parameter);
        Assert.Equal(new[] { "1", "a,b", "say \"hi\"", "", "" }, line.Parameters);
    }

    [Fact]
    public void Parameter_values_with_newlines_tabs_and_non_ascii_text_survive()
    {
        var line = ParsedLine.ParseAudit(RealLog.Entry(e => Has(e, "é 日本語\ttab")));

        Assert.Equal(new[] { "2", "multi\nline", "é 日本語\ttab", "LOG:  AUDIT: SESSION,1,1,READ", "" }, line.Parameters);
    }

    [Fact]
    public void Single_null_parameter_is_one_empty_value()
    {
        var line = ParsedLine.ParseAudit(RealLog.Entry(e => Has(e, "AS only_param;,") && e.EndsWith(',')));

        Assert.Equal("", line.Parameter);
        Assert.Equal(new[] { "" }, line.Parameters);
    }

    [Theory]
    [InlineData("<none>")]
    [InlineData("<not logged>")]
    [InlineData("<previously logged>")]
    public void Parameter_markers_are_not_lists(string marker)
    {
        var line = ParsedLine.ParseAudit(RealLog.Entry(e => System.Text.RegularExpressions.Regex.IsMatch(e, $",{marker}(,\\d+)?$")));

        Assert.Equal(marker, line.Parameter);
        Assert.Null(line.Parameters);
    }

    [Theory]
    [InlineData("\"<a,b>\"", new[] { "<a", "b>" })]
    [InlineData("\"<x>,<y>\"", new[] { "<x>", "<y>" })]
    public void Angle_bracketed_parameter_text_with_a_comma_is_a_list_not_a_marker(string field, string[] values)
    {
        var line = ParsedLine.ParseAudit("2022-03-25 13:52:29 UTC:172.31.40.77(53806):postgres@test:[3152]:LOG:  AUDIT: SESSION,8,1,READ,SELECT,,,select $1;," + field);

        Assert.Equal(values, line.Parameters);
    }

    [Fact]
    public void Statement_once_lines_say_previously_logged()
    {
        var line = ParsedLine.ParseAudit(RealLog.Entry(e => Has(e, ",<previously logged>,<previously logged>")));

        Assert.Equal("<previously logged>", line.Statement);
        Assert.Equal("<previously logged>", line.Parameter);
    }

    [Fact]
    public void Object_audit_lines_are_typed_object()
    {
        var line = ParsedLine.ParseAudit(RealLog.Entry(e => Has(e, "AUDIT: OBJECT,")));

        Assert.Equal("OBJECT", line.AuditType);
        Assert.NotNull(line.ObjectName);
    }

    [Fact]
    public void Long_statement_is_read_whole()
    {
        var entry = RealLog.WorkloadEntries.Where(e => Has(e, "AUDIT: ")).MaxBy(e => e.Length)!;
        var line = ParsedLine.ParseAudit(entry);

        Assert.True(line.Statement!.Length > 8000);
        Assert.Null(line.ParseError);
    }

    [Fact]
    public void Non_audit_server_messages_are_skipped()
    {
        Assert.Null(ParsedLine.Parse(RealLog.Entry(e => Has(e, "database system is ready to accept connections"))));
    }

    // <not logged> as the last field is settled by one compare; every neighbour of it still reads as CSV.
    [Theory]
    [InlineData("<not logged>", "<not logged>", null, null)]
    [InlineData("<not logged>,3", "<not logged>", 3L, null)]
    [InlineData("<not logged>,", "<not logged>", null, null)]
    [InlineData("<not logged>x", "<not logged>x", null, null)]
    [InlineData("<not logged", "<not logged", null, null)]
    [InlineData("\"<not logged>\"", "<not logged>", null, null)]
    [InlineData("<none>", "<none>", null, null)]
    [InlineData("<not logged>,x", null, null, "rows field 'x'")]
    public void The_parameter_field_reads_alike_however_it_ends(string tail, string? parameter, long? rows, string? error)
    {
        var line = ParsedLine.ParseAudit($"2022-03-25 13:52:29 UTC:[local]:postgres@test:[3152]:LOG:  AUDIT: SESSION,8,1,READ,SELECT,,,select 1,{tail}");

        Assert.Equal(parameter, line.Parameter);
        Assert.Equal(rows, line.Rows);
        if (error is null) Assert.Null(line.ParseError);
        else Assert.Contains(error, line.ParseError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SESSION,8,1,DDL,CREATE TABLE,TABLE,public.bar,\"create table bar(b int);,<not logged>", "malformed")]
    [InlineData("SESSION,8,1,DDL,CREATE TABLE", "fewer than the 9 fields")]
    [InlineData("SESSION,x8,1,DDL,CREATE TABLE,TABLE,public.bar,create table bar(b int);,<not logged>", "statement id 'x8'")]
    [InlineData("SESSION,8,1,DDL,CREATE TABLE,TABLE,public.bar,create table bar(b int);,<not logged>,many", "rows field 'many'")]
    [InlineData("SESSION,8,1,DDL,CREATE TABLE,TABLE,public.bar,create table bar(b int);,<not logged>,1,extra", "more than 10 fields")]
    [InlineData("SESSION,8,1,DDL,CREATE TABLE,TABLE,public.bar,\"create\"x,<not logged>", "malformed")]
    public void Malformed_audit_csv_is_kept_with_the_reason(string csv, string reason)
    {
        var entry = $"2022-03-25 13:52:29 UTC:172.31.40.77(53806):postgres@test:[3152]:LOG:  AUDIT: {csv}";
        var line = ParsedLine.ParseAudit(entry);

        Assert.Contains(reason, line.ParseError, StringComparison.Ordinal);
        Assert.Equal(entry, line.RawMessage);
        Assert.Equal("postgres", line.User);
        Assert.False(line.HasAuditFields);
    }

    [Fact]
    public void Untranslated_severity_word_is_a_parse_error_not_a_skip()
    {
        var line = ParsedLine.ParseAudit("2022-03-25 13:52:29 UTC:172.31.40.77(53806):postgres@test:[3152]:LOGGEN:  AUDIT: SESSION,8,1,DDL,CREATE TABLE,TABLE,public.bar,x,<none>");

        Assert.Contains("severity 'LOGGEN'", line.ParseError, StringComparison.Ordinal);
    }

    [Fact]
    public void Leading_fields_read_alike_on_either_side_of_the_first_64_bytes_quoted_or_not()
    {
        string[] names = ["public.t", "public.\"a,b\"", "\"q\"\"x\"", new string('n', 50), ""];
        string[] ids = ["1", "1234567", "x1", "", "+5", "-3", "0007", "123456789012345678", "9223372036854775807", "9223372036854775808"];
        var checkedLines = 0;
        foreach (var name in names)
        {
            foreach (var id in ids)
            {
                for (var statementLength = 0; statementLength < 90; statementLength += 7)
                {
                    var statement = new string('s', statementLength);
                    string[] fields = ["SESSION", id, "2", "READ", "SELECT", name.Length > 0 ? "TABLE" : "", name, statement, "<none>"];
                    var entry = "2024-05-01 10:00:00 UTC:10.0.0.1(5432):alice@app:[42]:LOG:  AUDIT: " + string.Join(',', fields.Select(PgAuditCsv.Field));

                    var line = ParsedLine.ParseAudit(entry);

                    if (!long.TryParse(id, out var statementId))
                    {
                        Assert.Equal($"the statement id '{id}' is not an integer", line.ParseError);
                        continue;
                    }

                    Assert.Null(line.ParseError);
                    Assert.Equal(
                        ("SESSION", statementId, 2L, "READ", "SELECT", name.Length > 0 ? "TABLE" : null, name.Length > 0 ? name : null, statement, "<none>"),
                        (line.AuditType, line.StatementId, line.SubstatementId, line.Class, line.Command, line.ObjectType, line.ObjectName, line.Statement, line.Parameter));
                    checkedLines++;
                }
            }
        }

        Assert.True(checkedLines > 100);
    }

    [Theory]
    [InlineData("SESSION,1,2,READ")]
    [InlineData("SESSION,x,2,READ")]
    [InlineData("SESSION,1,2,READ,SELECT,TABLE,public.t")]
    public void Short_audit_csv_keeps_the_error_it_had(string csv)
    {
        var padded = csv + new string(' ', 70);
        var line = ParsedLine.ParseAudit("2024-05-01 10:00:00 UTC:[local]:a@b:[1]:LOG:  AUDIT: " + padded);

        Assert.False(line.HasAuditFields);
        Assert.Equal(
            csv.Contains(",x,", StringComparison.Ordinal) ? "the statement id 'x' is not an integer" : "the CSV after 'AUDIT:' has fewer than the 9 fields pgAudit writes",
            line.ParseError);
    }
}
