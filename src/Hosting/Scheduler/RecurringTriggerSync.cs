using JobPlatform.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Quartz;

namespace JobPlatform.Hosting;

/// <summary>
/// Makes the Quartz triggers follow the stored schedules: creates and replaces triggers whose cron, time
/// zone or misfire policy changed (an unchanged trigger is left alone, so its misfire bookkeeping survives
/// restarts), pauses and resumes, and deletes the triggers of removed schedules. Runs at start over every
/// schedule, then as a platform task over the changed ones.
/// </summary>
internal sealed class RecurringTriggerSync(
    RecurringSchedules schedules,
    ISchedulerFactory schedulerFactory,
    NpgsqlDataSource dataSource,
    IOptions<JobClientOptions> clientOptions,
    IOptions<SchedulerHostOptions> hostOptions,
    ILogger<RecurringTriggerSync> logger) : IPlatformTask
{
    public string Name => "recurring-sync";

    public TimeSpan Interval => hostOptions.Value.SyncInterval;

    public Task RunAsync(CancellationToken cancellationToken) => SyncAsync(changedOnly: true, cancellationToken);

    /// <summary>Applies every schedule (<paramref name="changedOnly"/> false) or only those changed since last applied.</summary>
    public async Task SyncAsync(bool changedOnly, CancellationToken cancellationToken)
    {
        // One replica at a time: two starting together would otherwise replace each other's triggers.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext($1))", connection))
        {
            lockCommand.Parameters.Add(new NpgsqlParameter { Value = "jobplatform.recurring-triggers:" + clientOptions.Value.Schema });
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var scheduler = await schedulerFactory.GetScheduler(cancellationToken).ConfigureAwait(false);
        foreach (var trigger in await schedules.GetTriggersAsync(changedOnly, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await ApplyAsync(scheduler, trigger, cancellationToken).ConfigureAwait(false);
                await schedules.MarkAppliedAsync(trigger, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is FormatException or JobValidationException)
            {
                // Only reachable for rows written by another build with other rules: keep the rest going.
                logger.LogError("Recurring {ScheduleId}: cannot build its trigger: {Error}", trigger.Id, e.Message);
            }
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task ApplyAsync(IScheduler scheduler, RecurringTrigger trigger, CancellationToken cancellationToken)
    {
        var jobKey = new JobKey(trigger.Id, RecurringFireJob.Group);
        var triggerKey = new TriggerKey(trigger.Id, RecurringFireJob.Group);
        if (trigger.Removed)
        {
            if (await scheduler.DeleteJob(jobKey, cancellationToken).ConfigureAwait(false))
            {
                logger.LogInformation("Recurring {ScheduleId} removed", trigger.Id);
            }

            return;
        }

        var zone = RecurringSchedules.FindTimeZone(trigger.TimeZone);
        var cron = QuartzTimetable.Parse(trigger.Cron, zone);
        var misfire = trigger.Misfire switch
        {
            RecurringMisfire.DoNothing => CronTriggerMisfireInstruction.DoNothing,
            RecurringMisfire.IgnoreMisfires => CronTriggerMisfireInstruction.IgnoreMisfires,
            _ => CronTriggerMisfireInstruction.FireAndProceed,
        };
        var existing = await scheduler.GetTrigger(triggerKey, cancellationToken).ConfigureAwait(false) as ICronTrigger;
        if (existing is null || existing.CronExpressionString != cron.CronExpressionString || existing.TimeZone.Id != zone.Id
            || existing.MisfireInstruction != misfire)
        {
            var job = JobBuilder.Create<RecurringFireJob>().WithIdentity(jobKey).StoreDurably().Build();
            var newTrigger = TriggerBuilder.Create()
                .WithIdentity(triggerKey)
                .ForJob(jobKey)
                .WithSchedule(CronScheduleBuilder.Create(cron).InTimeZone(zone).WithMisfireInstruction(misfire))
                .Build();
            await scheduler.ScheduleJob(job, [newTrigger], new ScheduleJobOptions { Replace = true, Paused = trigger.Paused }, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Recurring {ScheduleId} scheduled: {Cron} in {TimeZone}, next fire {NextFire:O}{Paused}",
                trigger.Id, cron.CronExpressionString, zone.Id, newTrigger.GetFireTimeAfter(DateTimeOffset.UtcNow), trigger.Paused ? " (paused)" : "");
            return;
        }

        var paused = await scheduler.GetTriggerState(triggerKey, cancellationToken).ConfigureAwait(false) == TriggerState.Paused;
        if (trigger.Paused && !paused)
        {
            await scheduler.PauseTrigger(triggerKey, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Recurring {ScheduleId} paused", trigger.Id);
        }
        else if (!trigger.Paused && paused)
        {
            await scheduler.ResumeTrigger(triggerKey, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Recurring {ScheduleId} resumed", trigger.Id);
        }
    }
}
