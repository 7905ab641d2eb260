namespace JobPlatform.Hosting;

/// <summary>Whether the engine has started, for the readiness check.</summary>
internal sealed class WorkerState
{
    public volatile bool Started;

    public string? WorkerId { get; set; }
}
