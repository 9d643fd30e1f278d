using PgAuditFirehose.Cli;

return await Tool.InvokeAsync(Tool.Create(), args).ConfigureAwait(false);
