using JobPlatform.Core;
using JobPlatform.Core.Schema;
using JobPlatform.Hosting;
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
        Recurring = new RecurringSchedules(Client, new QuartzTimetable());
    }

    public DatabaseTarget Target { get; }

    public NpgsqlDataSource DataSource { get; }

    public JobClient Client { get; }

    public RecurringSchedules Recurring { get; }

    public JobPlatformMigrator CreateMigrator() => new(DataSource, Target.Schema);

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
