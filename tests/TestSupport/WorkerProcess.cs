namespace JobPlatform.TestSupport;

/// <summary>Starts the real worker host against a test schema, with short intervals so tests stay quick.</summary>
public static class WorkerProcess
{
    /// <summary>Starts a worker; <paramref name="dll"/> is the host to run, the product's worker unless given
    /// (e.g. <see cref="ProductPaths.TestWorkerDll"/>).</summary>
    public static (ChildProcess Process, int Port) Start(string connectionString, string schema, string workerId, int concurrency,
        IDictionary<string, string>? extra = null, string? dll = null)
    {
        var port = ChildProcess.FreePort();
        var env = new Dictionary<string, string>
        {
            ["ConnectionStrings__JobPlatform"] = connectionString,
            ["JobPlatform__Schema"] = schema,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["JobPlatform__Worker__WorkerId"] = workerId,
            ["JobPlatform__Worker__Queues__default"] = concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["JobPlatform__Worker__Tuning__HeartbeatInterval"] = "00:00:01",
            ["JobPlatform__Worker__WorkerLostAfter"] = "00:00:05",
            ["JobPlatform__Worker__Tuning__RescueInterval"] = "00:00:01",
            ["JobPlatform__Worker__Tuning__PromoteInterval"] = "00:00:00.200",
            ["JobPlatform__Worker__Tuning__LeaderLease"] = "00:00:03",
            ["JobPlatform__Worker__PollInterval"] = "00:00:00.500",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string>())
        {
            env[k] = v;
        }

        return (ChildProcess.Start(dll ?? ProductPaths.WorkerDll, [], env), port);
    }
}
