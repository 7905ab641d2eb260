using JobPlatform.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Quartz;

namespace JobPlatform.Scheduler.Hosting;

/// <summary>
/// The Quartz job behind every recurring trigger: enqueues the schedule's job for the scheduled fire time.
/// A failed enqueue is retried within <see cref="SchedulerHostOptions.FireRetryWindow"/>; the fire's unique
/// key makes a retry after a commit whose answer was lost find the first job instead of adding a second.
/// </summary>
internal sealed class RecurringFireJob(RecurringFirer firer, IOptions<SchedulerHostOptions> options, ILogger<RecurringFireJob> logger) : IJob
{
    /// <summary>The Quartz group of recurring jobs and triggers (recurring_list.sql reads their next fire times).</summary>
    public const string Group = RecurringSchedules.QuartzGroup;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var id = context.JobDetail.Key.Name;
        var fireTime = context.ScheduledFireTimeUtc ?? context.FireTimeUtc;
        var deadline = DateTimeOffset.UtcNow + options.Value.FireRetryWindow;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = await firer.FireAsync(id, fireTime, cancellationToken).ConfigureAwait(false);
                SchedulerMetrics.Fires.Add(1, new("schedule", id), new("outcome", result.Outcome.ToString().ToLowerInvariant()));
                Log(id, fireTime, result);
                return;
            }
            catch (Exception e) when (e is NpgsqlException { IsTransient: true } or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                if (DateTimeOffset.UtcNow >= deadline)
                {
                    SchedulerMetrics.Fires.Add(1, new("schedule", id), new("outcome", "failed"));
                    logger.LogError(e, "Recurring {ScheduleId}: the fire of {FireTime:O} could not enqueue its job after {Attempts} attempts; it is lost", id, fireTime, attempt);
                    return;
                }

                logger.LogWarning("Recurring {ScheduleId}: enqueue for {FireTime:O} failed ({Error}); retrying", id, fireTime, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 250 * attempt)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void Log(string id, DateTimeOffset fireTime, RecurringFireResult result)
    {
        switch (result.Outcome)
        {
            case RecurringFireOutcome.Enqueued:
                logger.LogInformation("Recurring {ScheduleId} fired for {FireTime:O}: job {JobId} enqueued", id, fireTime, result.JobId);
                break;
            case RecurringFireOutcome.Duplicate:
                logger.LogWarning("Recurring {ScheduleId} fired again for {FireTime:O}: job {JobId} already holds {UniqueKey}; nothing enqueued", id, fireTime, result.JobId, result.UniqueKey);
                break;
            case RecurringFireOutcome.Skipped:
                logger.LogInformation("Recurring {ScheduleId} skipped {FireTime:O}: the previous job {JobId} is unfinished", id, fireTime, result.JobId);
                break;
            default:
                logger.LogInformation("Recurring {ScheduleId} did not fire for {FireTime:O}: {Outcome}", id, fireTime, result.Outcome);
                break;
        }
    }
}
