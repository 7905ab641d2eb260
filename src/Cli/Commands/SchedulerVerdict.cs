using JobPlatform.Core;
using JobPlatform.Core.Audit;

namespace JobPlatform.Cli.Commands;

/// <summary>
/// What a running scheduler made of a schedule jobctl wrote. jobctl does not read cron (only the scheduler references
/// Quartz, the parser that fires), so <c>recurring add</c> waits for the scheduler's answer: it applies the schedule
/// (the row reads applied) or refuses it (an audit entry <see cref="RecurringSchedules.RefusedAction"/> with the reason).
/// </summary>
internal sealed record SchedulerVerdict(bool Applied, string? Refusal)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>No scheduler answered within the wait.</summary>
    public bool Pending => !Applied && Refusal is null;

    /// <summary>Waits up to <paramref name="wait"/> for the scheduler to apply or refuse schedule <paramref name="id"/>
    /// as it now stands.</summary>
    public static async Task<SchedulerVerdict> WaitAsync(CliDatabase db, string id, TimeSpan wait, CancellationToken ct)
    {
        var audit = new AuditLog(db.Client);
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

            // A refusal of this definition is recorded after its last change.
            var refusal = (await audit.ListAsync(null, 100, ct).ConfigureAwait(false))
                .TakeWhile(r => r.At >= info.UpdatedAt)
                .FirstOrDefault(r => r.Action == RecurringSchedules.RefusedAction && r.Target == id);
            if (refusal is not null)
            {
                return new SchedulerVerdict(false, refusal.Outcome ?? $"Schedule '{id}' was refused by the scheduler (see its log).");
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                return new SchedulerVerdict(false, null);
            }

            await Task.Delay(PollInterval, ct).ConfigureAwait(false);
        }
    }
}
