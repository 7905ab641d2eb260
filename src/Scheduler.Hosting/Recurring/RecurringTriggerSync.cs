using JobPlatform.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Quartz;

namespace JobPlatform.Scheduler.Hosting;

/// <summary>
/// Makes the Quartz triggers follow the stored schedules: creates and replaces triggers whose cron, time
/// zone or misfire policy changed (an unchanged trigger is left alone, so its misfire bookkeeping survives
/// restarts), pauses and resumes, and deletes the triggers of removed schedules. Runs at start over every
/// schedule, then as a platform task over the changed ones.
/// </summary>
/// <remarks>
/// jobctl and the dashboard do not read cron (only this host references Quartz), so this is where a schedule
/// written there with a bad cron is refused: it is not applied (a trigger it replaces keeps its old shape), and
/// the refusal is logged and recorded once per definition (<see cref="RecurringRefusals"/>), with Quartz's reason, so the
/// <c>jobctl recurring add</c> that wrote it can report it.
/// </remarks>
internal sealed class RecurringTriggerSync(
    RecurringSchedules schedules,
    RecurringRefusals refusals,
    ISchedulerFactory schedulerFactory,
    NpgsqlDataSource dataSource,
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
        await schedules.LockTriggerSyncAsync(connection, cancellationToken).ConfigureAwait(false);

        var scheduler = await schedulerFactory.GetScheduler(cancellationToken).ConfigureAwait(false);
        foreach (var trigger in await schedules.GetTriggersAsync(changedOnly, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                if (!trigger.Removed)
                {
                    schedules.ValidateTiming(trigger.Id, trigger.Cron, trigger.TimeZone);
                }

                await ApplyAsync(scheduler, trigger, cancellationToken).ConfigureAwait(false);
                await schedules.MarkAppliedAsync(trigger, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is FormatException or JobValidationException)
            {
                // Refused: the rest go on; the row stays unapplied until it is changed or removed.
                await RefuseAsync(trigger, e.Message, cancellationToken).ConfigureAwait(false);
            }
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RefuseAsync(RecurringTrigger trigger, string reason, CancellationToken cancellationToken)
    {
        try
        {
            // Once per definition in the cluster: a replica that finds the refusal recorded stays quiet.
            if (await schedules.GetAsync(trigger.Id, cancellationToken).ConfigureAwait(false) is { } info
                && await refusals.RecordAsync(info, reason, "scheduler@" + Environment.MachineName, cancellationToken).ConfigureAwait(false))
            {
                logger.LogError("Recurring {ScheduleId} refused, not applied: {Error}", trigger.Id, reason);
            }
        }
        catch (NpgsqlException e)
        {
            logger.LogError("Recurring {ScheduleId} refused, not applied: {Error} (not recorded in the audit log: {AuditError})", trigger.Id, reason, e.Message);
        }
    }

    /// <summary>The Quartz cron trigger of a schedule: its cron read in its time zone, with its misfire policy,
    /// effective from <paramref name="startAt"/> (default now).</summary>
    internal static ITrigger BuildTrigger(RecurringTrigger trigger, DateTimeOffset? startAt = null)
    {
        var zone = RecurringSchedules.FindTimeZone(trigger.TimeZone);
        var misfire = trigger.Misfire switch
        {
            RecurringMisfire.DoNothing => CronTriggerMisfireInstruction.DoNothing,
            RecurringMisfire.IgnoreMisfires => CronTriggerMisfireInstruction.IgnoreMisfires,
            _ => CronTriggerMisfireInstruction.FireAndProceed,
        };
        return TriggerBuilder.Create()
            .WithIdentity(trigger.Id, RecurringFireJob.Group)
            .ForJob(trigger.Id, RecurringFireJob.Group)
            .StartAt(startAt ?? DateTimeOffset.UtcNow)
            .WithSchedule(CronScheduleBuilder.Create(QuartzTimetable.Parse(trigger.Cron, zone)).InTimeZone(zone).WithMisfireInstruction(misfire))
            .Build();
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

        var built = BuildTrigger(trigger);
        var cron = (ICronTrigger)built;
        var existing = await scheduler.GetTrigger(triggerKey, cancellationToken).ConfigureAwait(false) as ICronTrigger;
        if (existing is null || existing.CronExpressionString != cron.CronExpressionString || existing.TimeZone.Id != cron.TimeZone.Id
            || existing.MisfireInstruction != cron.MisfireInstruction)
        {
            var job = JobBuilder.Create<RecurringFireJob>().WithIdentity(jobKey).StoreDurably().Build();
            await scheduler.ScheduleJob(job, [built], new ScheduleJobOptions { Replace = true, Paused = trigger.Paused }, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Recurring {ScheduleId} scheduled: {Cron} in {TimeZone}, next fire {NextFire:O}{Paused}",
                trigger.Id, cron.CronExpressionString, cron.TimeZone.Id, built.GetFireTimeAfter(DateTimeOffset.UtcNow), trigger.Paused ? " (paused)" : "");
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
