using Npgsql;
using NpgsqlTypes;
using PgAuditFirehose.IntegrationTests.Server;

namespace PgAuditFirehose.IntegrationTests.Workload;

/// <summary>
/// Statements sent with the extended query protocol (Parse/Bind/Execute with $n parameters), which
/// psql 15 cannot send: pgAudit then logs the bound values in PARAMETER. Runs after scripts/workload.sql
/// and extra.sql, whose tables and roles it uses.
/// </summary>
internal static class ExtendedProtocolWorkload
{
    /// <summary>Parameter values with every character the CSV layers care about.</summary>
    private static readonly object[] TrickyValues =
    [
        42,
        "a,b",
        "say \"hi\", ok",
        "",
        DBNull.Value,
        "multi\nline\n\tindented",
        "cr\rinside and crlf\r\n",
        "tab\tinside",
        "é 日本語 ü",
        "LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,fake,<none>",
        "back\\slash \\N \\n",
        new string('x', 9000) + ",end",
    ];

    public static void Run(PgAuditServer server, bool ipv6)
    {
        // Parameters and rows for the superuser's session, set at connection start; extra.sql sets them per role for the others.
        const string options = "-c pgaudit.log_parameter=on -c pgaudit.log_rows=on";
        // Only the first session loads Npgsql's types: its catalog queries are long, real, multi-line statements.
        RunAsPostgres(Connect(server, "127.0.0.1", "postgres", "postgres", "it:app@x,1", options, loadTypes: true));
        RunAsAppUser(Connect(server, ipv6 ? "::1" : "127.0.0.1", "app@corp:x,y", "db:,1", "app@ipv6", null, loadTypes: false));
        RunAsQuotedUser(Connect(server, server.SocketDirectory, "o'brien \"q\" x:y,z", "postgres", "quoted user", null, loadTypes: false));
    }

    private static NpgsqlDataSource Connect(PgAuditServer server, string host, string user, string database, string application, string? options, bool loadTypes)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = host,
            Port = server.Port,
            Username = user,
            Database = database,
            ApplicationName = application,
            Options = options,
            Pooling = false,
        };
        var source = new NpgsqlDataSourceBuilder(builder.ConnectionString);
        source.ConfigureTypeLoading(t => t.EnableTypeLoading(loadTypes));
        return source.Build();
    }

    private static void RunAsPostgres(NpgsqlDataSource source)
    {
        using var _ = source;
        using var connection = source.OpenConnection();

        // One statement binding every tricky value, text and int.
        var columns = string.Join(", ", TrickyValues.Select((v, i) => v is int ? $"${i + 1}::int AS p{i + 1}" : $"${i + 1}::text AS p{i + 1}"));
        using (var select = new NpgsqlCommand($"SELECT {columns}", connection))
        {
            foreach (var value in TrickyValues) select.Parameters.Add(new NpgsqlParameter { Value = value, NpgsqlDbType = value is int ? NpgsqlDbType.Integer : NpgsqlDbType.Text });
            Drain(select);
        }

        // A prepared (named) statement executed twice, with rows logged.
        using (var insert = new NpgsqlCommand("INSERT INTO accounts (id, owner, note) VALUES ($1, $2, $3)", connection))
        {
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer });
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text });
            insert.Prepare();
            foreach (var (id, owner, note) in new[] { (100, "npgsql,one", (object)"first\r\nline"), (101, "npgsql \"two\"", DBNull.Value) })
            {
                insert.Parameters[0].Value = id;
                insert.Parameters[1].Value = owner;
                insert.Parameters[2].Value = note;
                insert.ExecuteNonQuery();
            }
        }

        // A batch: several statements pipelined in one round trip, each its own audit line.
        using (var batch = new NpgsqlBatch(connection))
        {
            batch.BatchCommands.Add(Command("UPDATE accounts SET note = $1 WHERE id >= $2", "batch, \"updated\"", 100));
            batch.BatchCommands.Add(Command("SELECT id, owner FROM accounts WHERE id = ANY($1) ORDER BY id", new[] { 100, 101 }));
            batch.BatchCommands.Add(Command("SELECT transfer($1, $2, $3)", 100, 101, 0.5m));
            Drain(batch);
        }

        // Statement text with CRLF, a tab, a lone CR at the very end, and bytea (hex with a backslash).
        using (var crlf = new NpgsqlCommand("SELECT $1::text AS a,\r\n\t$2::bytea AS \"b,1\"\r", connection))
        {
            crlf.Parameters.Add(new NpgsqlParameter { Value = "crlf statement", NpgsqlDbType = NpgsqlDbType.Text });
            crlf.Parameters.Add(new NpgsqlParameter { Value = new byte[] { 0, 1, 0x2c, 0x22, 0xff }, NpgsqlDbType = NpgsqlDbType.Bytea });
            Drain(crlf);
        }

        using (var delete = new NpgsqlCommand("DELETE FROM accounts WHERE id >= $1", connection))
        {
            delete.Parameters.Add(new NpgsqlParameter { Value = 100, NpgsqlDbType = NpgsqlDbType.Integer });
            delete.ExecuteNonQuery();
        }
    }

    private static void RunAsAppUser(NpgsqlDataSource source)
    {
        using var _ = source;
        using var connection = source.OpenConnection();
        using var insert = new NpgsqlCommand("INSERT INTO \"t,2\" (id, note) VALUES ($1, $2)", connection);
        insert.Parameters.Add(new NpgsqlParameter { Value = 2, NpgsqlDbType = NpgsqlDbType.Integer });
        insert.Parameters.Add(new NpgsqlParameter { Value = "over IPv6, \"quoted\"", NpgsqlDbType = NpgsqlDbType.Text });
        insert.ExecuteNonQuery();
        using var select = new NpgsqlCommand("SELECT * FROM \"t,2\" WHERE note LIKE $1", connection);
        select.Parameters.Add(new NpgsqlParameter { Value = "%,%", NpgsqlDbType = NpgsqlDbType.Text });
        Drain(select);
    }

    private static void RunAsQuotedUser(NpgsqlDataSource source)
    {
        using var _ = source;
        using var connection = source.OpenConnection();
        using var select = new NpgsqlCommand("SELECT owner FROM accounts WHERE id = $1", connection);
        select.Parameters.Add(new NpgsqlParameter { Value = 1, NpgsqlDbType = NpgsqlDbType.Integer });
        Drain(select);
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
    }

    private static void Drain(NpgsqlCommand command)
    {
        using var reader = command.ExecuteReader();
        do
        {
            while (reader.Read()) { }
        }
        while (reader.NextResult());
    }

    private static void Drain(NpgsqlBatch batch)
    {
        using var reader = batch.ExecuteReader();
        do
        {
            while (reader.Read()) { }
        }
        while (reader.NextResult());
    }
}
