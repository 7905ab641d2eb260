using JobPlatform.Core;
using JobPlatform.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Quartz;

namespace JobPlatform.Scheduler.Hosting;

/// <summary>
/// Runs before Quartz starts: migrates (if configured), applies the configured schedules, brings every
/// trigger in line with the stored schedules, and schedules the platform tasks. A bad definition stops the
/// start with a message naming the schedule.
/// </summary>
internal sealed class SchedulerHostedService(
    NpgsqlDataSource dataSource,
    IConfiguration configuration,
    IOptions<JobClientOptions> clientOptions,
    IOptions<SchedulerHostOptions> hostOptions,
    RecurringSchedules schedules,
    RecurringTriggerSync triggerSync,
    IEnumerable<IPlatformTask> platformTasks,
    ISchedulerFactory schedulerFactory,
    ILogger<SchedulerHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var schema = clientOptions.Value.Schema;
        if (hostOptions.Value.MigrateOnStart)
        {
            await StartupMigration.RunAsync(dataSource, schema, logger, cancellationToken).ConfigureAwait(false);
        }

        RecurringSyncResult synced;
        try
        {
            synced = await schedules.SyncConfigurationAsync(RecurringConfiguration.Read(configuration), cancellationToken).ConfigureAwait(false);
        }
        catch (JobValidationException e)
        {
            throw new InvalidOperationException("Recurring schedules in configuration are not valid:" + Environment.NewLine + e.Message, e);
        }

        logger.LogInformation("Configured recurring schedules applied: {Added} added, {Changed} changed, {Removed} removed",
            synced.Added, synced.Changed, synced.Removed);
        await triggerSync.SyncAsync(changedOnly: false, cancellationToken).ConfigureAwait(false);

        var scheduler = await schedulerFactory.GetScheduler(cancellationToken).ConfigureAwait(false);
        foreach (var task in platformTasks)
        {
            await ScheduleAsync(scheduler, task, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task ScheduleAsync(IScheduler scheduler, IPlatformTask task, CancellationToken cancellationToken)
    {
        var triggerKey = new TriggerKey(task.Name, PlatformTaskJob.Group);
        if (await scheduler.GetTrigger(triggerKey, cancellationToken).ConfigureAwait(false) is ISimpleTrigger existing
            && existing.RepeatInterval == task.Interval)
        {
            return;
        }

        var jobKey = new JobKey(task.Name, PlatformTaskJob.Group);
        var job = JobBuilder.Create<PlatformTaskJob>().WithIdentity(jobKey).StoreDurably().Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(triggerKey)
            .ForJob(jobKey)
            .StartNow()
            .WithSimpleSchedule(s => s.WithInterval(task.Interval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount))
            .Build();
        await scheduler.ScheduleJob(job, [trigger], new ScheduleJobOptions { Replace = true }, cancellationToken).ConfigureAwait(false);
    }
}
