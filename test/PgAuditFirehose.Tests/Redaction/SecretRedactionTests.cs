using PgAuditFirehose.Redaction;

namespace PgAuditFirehose.Tests.Redaction;

public class SecretRedactionTests
{
    public static TheoryData<string, string[]> Secrets()
    {
        var data = new TheoryData<string, string[]>();
        foreach (var (statement, secrets) in SecretStatements.All) data.Add(statement, secrets);
        return data;
    }

    public static TheoryData<string> NearMisses() => [.. SecretStatements.NearMisses];

    [Theory]
    [MemberData(nameof(Secrets))]
    public void Every_secret_is_replaced_and_the_line_says_so(string statement, string[] secrets)
    {
        var (redacted, changed) = Redact.Statement(statement);

        Assert.True(changed);
        Assert.Contains("<REDACTED", redacted, StringComparison.Ordinal);
        foreach (var secret in secrets) Assert.DoesNotContain(secret, redacted, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(NearMisses))]
    public void Near_misses_stay_as_they_are(string statement)
    {
        Assert.Equal((statement, false), Redact.Statement(statement));
    }

    [Fact]
    public void Only_the_literal_is_replaced_the_statement_around_it_stays()
    {
        Assert.Equal("ALTER ROLE app PASSWORD <REDACTED> VALID UNTILL 'infinity'", Redact.Statement("ALTER ROLE app PASSWORD 'S3cret' VALID UNTILL 'infinity'").Statement);
        Assert.Equal(
            "CREATE USER MAPPING FOR app SERVER s OPTIONS (user 'app', password <REDACTED>)",
            Redact.Statement("CREATE USER MAPPING FOR app SERVER s OPTIONS (user 'app', password 'S3cret')").Statement);
    }

    [Fact]
    public void Only_the_password_of_a_connection_string_is_replaced()
    {
        Assert.Equal(
            "CREATE SUBSCRIPTION s CONNECTION 'host=h password=<REDACTED> dbname=d' PUBLICATION p",
            Redact.Statement("CREATE SUBSCRIPTION s CONNECTION 'host=h password=S3cret dbname=d' PUBLICATION p").Statement);
        Assert.Equal("SELECT dblink_connect('host=h password=<REDACTED> user=u')", Redact.Statement("SELECT dblink_connect('host=h password=''a b\\''c'' user=u')").Statement);
        Assert.Equal("SELECT dblink_connect('postgresql://u:<REDACTED>@h/d')", Redact.Statement("SELECT dblink_connect('postgresql://u:S3cret@h/d')").Statement);
    }

    [Fact]
    public void A_key_argument_is_replaced_whole()
    {
        Assert.Equal("SELECT pgp_sym_encrypt('data', <REDACTED>)", Redact.Statement("SELECT pgp_sym_encrypt('data', 'k1' || 'k2')").Statement);
    }

    [Fact]
    public void A_statement_that_ends_inside_its_literal_is_redacted_from_there_and_says_so()
    {
        Assert.Equal("ALTER ROLE r PASSWORD <REDACTED:UNTERMINATED>", Redact.Statement("ALTER ROLE r PASSWORD 'S3cret and mo").Statement);
    }

    [Fact]
    public void A_bound_parameter_in_a_secret_place_is_redacted_in_the_parameter_list()
    {
        var line = Redact.Line(
            "2026-12-08 03:59:40 UTC:127.0.0.1(36550):postgres@postgres:[3598]:LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,"
            + "\"SELECT pgp_sym_encrypt($1::text, $2::text) IS NOT NULL AS encrypted;\",\"pla\"\"in,S3cret\"");

        Assert.True(line.Redacted);
        Assert.Equal(["pla\"in", "<REDACTED>"], line.Values!);
        Assert.Equal("\"pla\"\"in\",<REDACTED>", line.Parameter);
    }

    [Fact]
    public void A_connection_string_bound_as_a_parameter_loses_its_password()
    {
        var line = Redact.Line(
            "2026-12-08 03:59:40 UTC:127.0.0.1(36550):postgres@postgres:[3598]:LOG:  AUDIT: SESSION,2,1,READ,SELECT,,,"
            + "SELECT length($1::text) AS conninfo_length;,host=db password=S3cret");

        Assert.Equal(["host=db password=<REDACTED>"], line.Values!);
        Assert.Equal("host=db password=<REDACTED>", line.Parameter);
    }

    [Fact]
    public void The_raw_text_of_a_line_that_failed_to_parse_is_redacted_too()
    {
        var line = Redact.Line(
            "2026-12-08 03:59:40 UTC:[local]:postgres@postgres:[3582]:LOG:  AUDIT: SESSION,20,1,DDL,CREATE USER MAPPING,,,"
            + "\"CREATE USER MAPPING FOR r1 SERVER fdw1 OPTIONS (user 'r1', password 'S3cret');");

        Assert.True(line.Redacted);
        Assert.NotNull(line.RawMessage);
        Assert.DoesNotContain("S3cret", line.RawMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_column_flagged_as_holding_secrets_is_handled_by_the_redactors()
    {
        var columns = PgAuditFirehose.Records.AuditColumns.All.ToList();
        PgAuditFirehose.Records.AuditColumn[] serverOnly =
            [PgAuditFirehose.Records.AuditColumns.Message, PgAuditFirehose.Records.AuditColumns.Detail, PgAuditFirehose.Records.AuditColumns.Hint, PgAuditFirehose.Records.AuditColumns.Context];
        foreach (var column in columns.Where(c => c.MayHoldSecrets))
        {
            // A server record holds every flagged column but the parameters as text (ServerRecordRedactor reads them so).
            var kind = PgAuditFirehose.Records.ServerRecordValues.Kinds[columns.IndexOf(column)];
            if (column == PgAuditFirehose.Records.AuditColumns.Parameter || column == PgAuditFirehose.Records.AuditColumns.Parameters) Assert.Equal(PgAuditFirehose.Records.ServerRecordValues.Kind.Null, kind);
            else Assert.Equal(PgAuditFirehose.Records.ServerRecordValues.Kind.Text, kind);

            if (column == PgAuditFirehose.Records.AuditColumns.Statement || column == PgAuditFirehose.Records.AuditColumns.Parameter
                || column == PgAuditFirehose.Records.AuditColumns.Parameters || serverOnly.Contains(column))
            {
                continue;
            }

            var line = default(PgAuditFirehose.PgAudit.AuditLine);
            _ = line.SecretText(column);
        }
    }

    [Fact]
    public void Text_without_a_trigger_word_is_not_lexed()
    {
        Assert.False(SecretTriggers.Hit("SELECT * FROM accounts WHERE id = 'x'"u8));
        Assert.False(SecretTriggers.Hit("ALTER ROLE r PASSWORD NULL -- no literal, no secret"u8));
        Assert.True(SecretTriggers.Hit("ALTER ROLE r PaSsWoRd 'x'"u8));
        Assert.True(SecretTriggers.Hit("SELECT U&'\\0070' AS p"u8));
        Assert.True(SecretTriggers.Hit("SELECT 'PostgreSQL://u:x@h'"u8));
        Assert.True(SecretTriggers.Hit("host=h password=x"u8, sql: false));
        Assert.True(SecretTriggers.Hit(System.Text.Encoding.UTF8.GetBytes("'" + new string('x', 1000) + "dblink" + new string('y', 1000))));
        Assert.True(SecretTriggers.Hit(System.Text.Encoding.UTF8.GetBytes("'" + new string('x', 1018) + "nnection")));
    }
}
