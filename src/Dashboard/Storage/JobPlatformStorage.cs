using Hangfire;
using Hangfire.Storage;
using JobPlatform.Core;
using JobPlatform.Core.Monitoring;

namespace JobPlatform.Dashboard.Storage;

/// <summary>
/// Presents JobPlatform's jobs, queues, workers and schedules to the Hangfire dashboard. Read-only: the
/// dashboard's buttons reach JobPlatform's own operations through the client factories, never this storage; no
/// Hangfire server can run on it (writes throw).
/// </summary>
public sealed class JobPlatformStorage : JobStorage
{
    private static readonly HashSet<string> Features = new(StringComparer.OrdinalIgnoreCase)
    {
        JobStorageFeatures.Connection.GetUtcDateTime,
        JobStorageFeatures.Monitoring.DeletedStateGraphs,
        JobStorageFeatures.Monitoring.AwaitingJobs,
    };

    /// <summary>Creates the storage over a client's database and schema.</summary>
    public JobPlatformStorage(JobClient client, RecurringSchedules schedules, StorageSettings settings, TimeProvider? time = null)
    {
        Client = client ?? throw new ArgumentNullException(nameof(client));
        Schedules = schedules ?? throw new ArgumentNullException(nameof(schedules));
        Settings = settings ?? throw new ArgumentNullException(nameof(settings));
        Time = time ?? TimeProvider.System;
        Monitor = new JobMonitor(client);
        Statistics = new StatisticsCache(Monitor, settings.StatisticsCacheDuration, Time);
    }

    internal JobClient Client { get; }

    internal RecurringSchedules Schedules { get; }

    internal JobMonitor Monitor { get; }

    internal StorageSettings Settings { get; }

    internal StatisticsCache Statistics { get; }

    internal TimeProvider Time { get; }

    /// <inheritdoc />
    public override bool LinearizableReads => true;

    /// <inheritdoc />
    public override IMonitoringApi GetMonitoringApi() => new JobPlatformMonitoringApi(this);

    /// <inheritdoc />
    public override IStorageConnection GetConnection() => new JobPlatformConnection(this);

    /// <inheritdoc />
    public override bool HasFeature(string featureId) => Features.Contains(featureId);

    /// <summary>What the dashboard's footer shows: the schema, never the connection string.</summary>
    public override string ToString() => $"JobPlatform (schema {Client.Options.Schema})";
}
