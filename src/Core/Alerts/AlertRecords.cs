namespace JobPlatform.Core.Alerts;

/// <summary>A rule in force, as the evaluating scheduler read it from its configuration.</summary>
/// <param name="Name">The rule's name (QueueLatency, NoWorkers, FailureRate, WorkerLost, QueueDepth).</param>
/// <param name="Enabled">Whether it is evaluated.</param>
/// <param name="SettingsJson">Its settings, as JSON.</param>
/// <param name="UpdatedAt">When they last changed.</param>
public sealed record AlertRuleRecord(string Name, bool Enabled, string SettingsJson, DateTimeOffset UpdatedAt);

/// <summary>Where an alert stands for one subject.</summary>
public enum AlertStatus
{
    /// <summary>The condition holds, but not yet for the rule's <c>For</c>.</summary>
    Pending,

    /// <summary>The condition has held for <c>For</c>: notified.</summary>
    Firing,
}

/// <summary>A rule whose condition holds for a subject.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="Subject">A queue, or a worker for WorkerLost.</param>
/// <param name="Status">Pending or firing.</param>
/// <param name="Since">When the condition started holding.</param>
/// <param name="FiringSince">When it started firing.</param>
/// <param name="Value">The value last compared with the threshold.</param>
/// <param name="DetailsJson">The figures last read (depth, oldest age, failure rate, workers), as JSON.</param>
/// <param name="LastNotifiedAt">When a firing or repeat message was last put in the outbox.</param>
/// <param name="EvaluatedAt">The evaluation that wrote this.</param>
public sealed record AlertState(
    string Rule, string Subject, AlertStatus Status, DateTimeOffset Since, DateTimeOffset? FiringSince, double Value,
    string DetailsJson, DateTimeOffset? LastNotifiedAt, DateTimeOffset EvaluatedAt);

/// <summary>What happened to an alert: <c>firing</c>, <c>repeat</c> or <c>resolved</c>.</summary>
/// <param name="Id">Its number (newer events have higher ones).</param>
/// <param name="At">When.</param>
/// <param name="Rule">The rule.</param>
/// <param name="Subject">The queue or worker.</param>
/// <param name="Kind">firing, repeat or resolved.</param>
/// <param name="Value">The value at the time.</param>
/// <param name="DetailsJson">The figures at the time, as JSON.</param>
public sealed record AlertEvent(long Id, DateTimeOffset At, string Rule, string Subject, string Kind, double? Value, string DetailsJson);

/// <summary>A message in the outbox.</summary>
/// <param name="Id">Its number.</param>
/// <param name="CreatedAt">When it was put in the outbox.</param>
/// <param name="Channel">The channel it goes to.</param>
/// <param name="Kind">firing, repeat, resolved or test.</param>
/// <param name="Rule">The rule, if any.</param>
/// <param name="Subjects">The queues or workers it is about.</param>
/// <param name="MessageJson">The message, as JSON (<see cref="AlertMessage"/>).</param>
/// <param name="State">pending, sent or failed.</param>
/// <param name="Attempts">Delivery attempts so far.</param>
/// <param name="NextAttemptAt">When a pending one is tried next.</param>
/// <param name="LastError">The channel's last answer or error, if any.</param>
/// <param name="FinishedAt">When it was delivered or given up.</param>
public sealed record AlertNotification(
    long Id, DateTimeOffset CreatedAt, string Channel, string Kind, string? Rule, IReadOnlyList<string> Subjects, string MessageJson,
    string State, int Attempts, DateTimeOffset NextAttemptAt, string? LastError, DateTimeOffset? FinishedAt);

/// <summary>A message to put into the outbox.</summary>
/// <param name="Channel">The channel it goes to.</param>
/// <param name="Kind">firing, repeat, resolved or test.</param>
/// <param name="Rule">The rule, if any.</param>
/// <param name="Subjects">The queues or workers it is about.</param>
/// <param name="MessageJson">The message, as JSON.</param>
public sealed record NewAlertNotification(string Channel, string Kind, string? Rule, IReadOnlyList<string> Subjects, string MessageJson);

/// <summary>Everything one evaluation changes, written in one transaction.</summary>
public sealed record AlertChanges
{
    /// <summary>States to write (new or changed).</summary>
    public List<AlertState> Upserts { get; } = [];

    /// <summary>Rule and subject pairs that are ok again.</summary>
    public List<(string Rule, string Subject)> Deletes { get; } = [];

    /// <summary>Firings, repeats and resolutions to record.</summary>
    public List<(string Rule, string Subject, string Kind, double? Value, string DetailsJson)> Events { get; } = [];

    /// <summary>Messages to put in the outbox.</summary>
    public List<NewAlertNotification> Notifications { get; } = [];

    /// <summary>Whether there is nothing to write.</summary>
    public bool IsEmpty => Upserts.Count == 0 && Deletes.Count == 0 && Events.Count == 0 && Notifications.Count == 0;
}

/// <summary>The alert figures the metrics report.</summary>
/// <param name="FiringByRule">Firing alerts per rule.</param>
/// <param name="PendingNotifications">Notifications waiting for delivery.</param>
/// <param name="FailedNotifications">Notifications that failed for good in the last 7 days.</param>
public sealed record AlertCounts(IReadOnlyDictionary<string, long> FiringByRule, long PendingNotifications, long FailedNotifications);
