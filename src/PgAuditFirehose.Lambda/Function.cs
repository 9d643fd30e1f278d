namespace PgAuditFirehose.Lambda;
