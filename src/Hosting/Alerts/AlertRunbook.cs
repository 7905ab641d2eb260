namespace JobPlatform.Hosting.Alerts;

/// <summary>
/// Each rule's runbook entry in short, as the dashboard's Alerts page shows it (messages link there when
/// <see cref="AlertOptions.RunbookUrl"/> is not set). docs/runbook.md has the same entries at more length.
/// </summary>
public static class AlertRunbook
{
    /// <summary>How to confirm the alert on the dashboard, and what to do.</summary>
    public static (string Confirm, string Act) Entry(AlertRuleKind kind) => kind switch
    {
        AlertRuleKind.QueueLatency => (
            "Backlog page: the queue's Oldest waiting is red and Drains in is long or 'not draining'; Servers: its workers beat.",
            "Add workers or slots for the queue (JobPlatform:Worker:Queues:<queue>), or find why its jobs are slow (Succeeded: Duration); pause producers if it cannot catch up."),
        AlertRuleKind.NoWorkers => (
            "Backlog page: the queue shows 'no workers' and Workers 0; Servers: no live worker lists it.",
            "Start a worker that serves the queue, or fix the workers' JobPlatform:Worker:Queues; if the queue is retired, pause it."),
        AlertRuleKind.FailureRate => (
            "Backlog page: the queue's Failures; Jobs → Failed: the same exception over and over.",
            "Read the failures' exception and stack; fix the dependency or the handler, then Requeue the failed jobs (Search: state failed, queue) once it works."),
        AlertRuleKind.WorkerLost => (
            "Servers page: the worker's heartbeat stopped (or it is gone); its jobs show a JobPlatform.WorkerLost error in their history.",
            "Find why the process died (its logs, out-of-memory kills, node loss); the rescued jobs run again on the other workers by themselves."),
        _ => (
            "Backlog page: the queue's Available count and whether it drains.",
            "Find what fills the queue (a burst, a loop enqueuing) and whether workers keep up; scale them or slow the producer."),
    };
}
