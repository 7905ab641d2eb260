namespace JobPlatform.Core.Monitoring;

/// <summary>A live worker process.</summary>
/// <param name="Id">Its id (host, process and a random part).</param>
/// <param name="Host">The machine's name.</param>
/// <param name="ProcessId">The process id on that machine.</param>
/// <param name="Queues">Slots per queue it serves (jobs it runs at once); a slot count of 0 means the worker
/// did not report it (a version before the operators' migration).</param>
/// <param name="StartedAt">When it registered.</param>
/// <param name="HeartbeatAt">Its latest heartbeat.</param>
/// <param name="Running">Jobs leased to it now.</param>
public sealed record WorkerInfo(
    string Id, string Host, int ProcessId, IReadOnlyDictionary<string, int> Queues, DateTimeOffset StartedAt,
    DateTimeOffset HeartbeatAt, long Running)
{
    /// <summary>Its slots over all queues.</summary>
    public int Slots => Queues.Values.Sum();
}
