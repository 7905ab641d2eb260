using JobPlatform.Core;

namespace JobPlatform.Cli.Commands;

/// <summary>
/// What a running scheduler made of a schedule jobctl wrote. jobctl does not read cron (only the scheduler references
/// Quartz, the parser that fires), so <c>recurring add</c> waits for the scheduler's answer: it applies the schedule
/// (the row reads applied) or refuses it (<see cref="RecurringRefusals"/>, with the reason).
/// </summary>
internal sealed record SchedulerVerdict(bool Applied, string? Refusal)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Waits up to <paramref name="wait"/> for the scheduler to apply or refuse schedule <paramref name="id"/>
    /// as it now stands; neither when no scheduler answered in time.</summary>
    public static async Task<SchedulerVerdict> WaitAsync(CliDatabase db, string id, TimeSpan wait, CancellationToken ct)
    {
        var refusals = new RecurringRefusals(db.Client);
        var deadline = DateTimeOffset.UtcNow + wait;
        while (true)
        {
            if (await db.Recurring.GetAsync(id, ct).ConfigureAwait(false) is not { } info)
            {
                return new SchedulerVerdict(false, null);
            }

            if (info.Applied)
            {
                return new SchedulerVerdict(true, null);
            }

            if (await refusals.FindAsync(info, ct).ConfigureAwait(false) is { } refusal)
            {
                return new SchedulerVerdict(false, refusal);
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                return new SchedulerVerdict(false, null);
            }

            await Task.Delay(PollInterval, ct).ConfigureAwait(false);
        }
    }
}
