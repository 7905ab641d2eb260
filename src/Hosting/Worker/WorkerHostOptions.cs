namespace JobPlatform.Hosting;

/// <summary>Host-level worker settings (section <c>JobPlatform:Worker</c>).</summary>
public sealed class WorkerHostOptions
{
    /// <summary>Apply pending schema migrations before starting (under an advisory lock, so replicas starting together are safe).</summary>
    public bool MigrateOnStart { get; set; } = true;
}
