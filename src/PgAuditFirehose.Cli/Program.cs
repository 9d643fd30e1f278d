using System.CommandLine;
using PgAuditFirehose.Cli;

var root = new RootCommand("pgaudit-firehose: turn pgAudit logs into flat audit records, locally.")
{
    InvokeCommand.Create(),
    MakeEventCommand.Create(),
    ParseCommand.Create(),
    PgAuditFirehose.Cli.Db.DbCommand.Create(),
    PgAuditFirehose.Cli.Replay.ReplayFailedCommand.Create(),
    PgAuditFirehose.Cli.Fleet.MoveToFleetLayoutCommand.Create(),
    PgAuditFirehose.Cli.Reprocess.ReprocessCommand.Create(),
};
return root.Parse(args).Invoke();
