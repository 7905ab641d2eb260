namespace JobPlatform.Core;

/// <summary>What a handler knows about the attempt it runs.</summary>
public sealed class JobContext
{
    internal JobContext(FetchedJob job, string workerId)
    {
        Id = job.Id;
        Queue = job.Queue;
        Kind = job.Kind;
        ArgsJson = job.ArgsJson;
        Attempt = job.Attempt;
        MaxAttempts = job.MaxAttempts;
        Priority = job.Priority;
        CreatedAt = job.CreatedAt;
        Tags = job.Tags;
        TenantId = job.TenantId;
        TraceContext = job.TraceContext;
        UniqueKey = job.UniqueKey;
        WorkerId = workerId;
    }

    /// <summary>The job id: a stable idempotency key across attempts.</summary>
    public Guid Id { get; }

    /// <summary>The queue.</summary>
    public string Queue { get; }

    /// <summary>The kind name.</summary>
    public string Kind { get; }

    /// <summary>The raw args JSON.</summary>
    public string ArgsJson { get; }

    /// <summary>This attempt's number, from 1.</summary>
    public int Attempt { get; }

    /// <summary>Attempts allowed; when <see cref="Attempt"/> equals it, a failure discards the job.</summary>
    public int MaxAttempts { get; }

    /// <summary>The job's priority.</summary>
    public int Priority { get; }

    /// <summary>When the job was inserted.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Operator labels.</summary>
    public IReadOnlyList<string> Tags { get; }

    /// <summary>The tenant, if any.</summary>
    public string? TenantId { get; }

    /// <summary>The W3C trace parent captured at enqueue, if any.</summary>
    public string? TraceContext { get; }

    /// <summary>The unique key, if any.</summary>
    public string? UniqueKey { get; }

    /// <summary>The worker running this attempt.</summary>
    public string WorkerId { get; }
}
