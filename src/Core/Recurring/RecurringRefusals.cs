using JobPlatform.Core.Audit;

namespace JobPlatform.Core;

/// <summary>
/// A scheduler's refusals of stored schedules whose cron or time zone it cannot build a trigger from, kept in the audit
/// log (action <see cref="Action"/>, target the schedule id, outcome the reason), the log of refused actions with their
/// reason. Only the scheduler reads cron (with Quartz), so this is how jobctl learns that a schedule it wrote was refused.
/// A refusal stands for the definition as it was when refused: one recorded before the schedule's last change does not count.
/// </summary>
public sealed class RecurringRefusals
{
    /// <summary>The audit action of a refusal.</summary>
    public const string Action = "recurring.refused";

    /// <summary>How many of the newest audit entries are searched; refusals come within seconds of the change.</summary>
    private const int SearchDepth = 100;

    private readonly AuditLog _audit;

    /// <summary>Creates the refusals on a client's database and schema.</summary>
    public RecurringRefusals(JobClient client)
    {
        _audit = new AuditLog(client ?? throw new ArgumentNullException(nameof(client)));
    }

    /// <summary>Why a scheduler refused <paramref name="schedule"/> as it now stands, or null when no refusal is recorded since its last change.</summary>
    public async Task<string?> FindAsync(RecurringScheduleInfo schedule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var refusal = (await _audit.ListAsync(null, SearchDepth, cancellationToken).ConfigureAwait(false))
            .TakeWhile(r => r.At >= schedule.UpdatedAt)
            .FirstOrDefault(r => r.Action == Action && r.Target == schedule.Schedule.Id);
        return refusal is null ? null : refusal.Outcome ?? $"Schedule '{schedule.Schedule.Id}' was refused by the scheduler (see its log).";
    }

    /// <summary>For scheduler hosts: records that <paramref name="schedule"/> as it now stands is refused, unless a refusal is
    /// recorded already (by this replica or another).</summary>
    /// <returns>True when recorded now.</returns>
    public async Task<bool> RecordAsync(RecurringScheduleInfo schedule, string reason, string actor, CancellationToken cancellationToken = default)
    {
        if (await FindAsync(schedule, cancellationToken).ConfigureAwait(false) is not null)
        {
            return false;
        }

        await _audit.RecordAsync(new AuditEntry
        {
            Actor = actor,
            Action = Action,
            Target = schedule.Schedule.Id,
            Outcome = reason,
            Source = "scheduler",
        }, cancellationToken).ConfigureAwait(false);
        return true;
    }
}
