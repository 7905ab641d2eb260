namespace JobPlatform.Core;

/// <summary>The names under which JobPlatform reports: add them to an OpenTelemetry tracer or meter provider.</summary>
public static class JobPlatformTelemetry
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> of enqueues and job runs.</summary>
    public const string ActivitySourceName = "JobPlatform";

    /// <summary>The engine's meter; the hosts' meters are named <c>JobPlatform.*</c>.</summary>
    public const string MeterName = "JobPlatform";
}
