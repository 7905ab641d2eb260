using JobPlatform.Core;
using JobPlatform.Core.Audit;
using JobPlatform.Core.Schema;
using Npgsql;

namespace JobPlatform.Cli;

/// <summary>One command's data source, with the client and migrator bound to the target schema.</summary>
internal sealed class CliDatabase : IAsyncDisposable
{
    public CliDatabase(DatabaseTarget target, NpgsqlDataSource dataSource)
    {
        Target = target;
        DataSource = dataSource;
        Client = new JobClient(dataSource, new JobClientOptions { Schema = target.Schema });
        // No cron reader (jobctl does not reference Quartz): the scheduler checks crons when it applies them.
        Recurring = new RecurringSchedules(Client);
        RecurringFirer = new RecurringFirer(Client);
    }

    public DatabaseTarget Target { get; }

    public NpgsqlDataSource DataSource { get; }

    public JobClient Client { get; }

    public RecurringSchedules Recurring { get; }

    public RecurringFirer RecurringFirer { get; }

    public JobPlatformMigrator CreateMigrator() => new(DataSource, Target.Schema);

    /// <summary>
    /// Records an operator's action in the audit log the dashboard shows, as the operating-system user on this
    /// host. The action is done already: a failure to record it is reported on stderr, not as the command's failure.
    /// </summary>
    public async Task AuditAsync(CliContext context, string action, string? target, IReadOnlyCollection<Guid> ids, string outcome, CancellationToken ct)
    {
        try
        {
            await new AuditLog(Client).RecordAsync(new AuditEntry
            {
                Actor = $"{Environment.UserName}@{Environment.MachineName}",
                Action = action,
                Target = target,
                JobIds = ids,
                Outcome = outcome,
                Source = "jobctl",
            }, ct).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            context.Err.WriteLine($"jobctl: done, but not recorded in the audit log: {Messages.OneLine(e.Message)}");
        }
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
