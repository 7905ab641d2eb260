namespace JobPlatform.TestSupport;

/// <summary>Starts the real scheduler host against a test schema, with short cluster intervals so tests stay quick.</summary>
public static class SchedulerProcess
{
    /// <summary>Starts a replica; <paramref name="schedules"/> maps schedule id to its settings (Cron, Kind, …), and
    /// <paramref name="environment"/> adds environment variables (<c>Alerts__…</c>).</summary>
    public static (ChildProcess Process, int Port) Start(string connectionString, string schema,
        IDictionary<string, IDictionary<string, string>> schedules, IDictionary<string, string>? environment = null)
    {
        var port = ChildProcess.FreePort();
        var env = new Dictionary<string, string>
        {
            ["ConnectionStrings__JobPlatform"] = connectionString,
            ["JobPlatform__Schema"] = schema,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["JobPlatform__Logging__Format"] = "text",
            ["JobPlatform__Scheduler__ClusterCheckinInterval"] = "00:00:01",
            ["JobPlatform__Scheduler__SyncInterval"] = "00:00:01",
        };
        foreach (var (id, settings) in schedules)
        {
            foreach (var (key, value) in settings)
            {
                env[$"JobPlatform__Recurring__{id}__{key}"] = value;
            }
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        return (ChildProcess.Start(ProductPaths.SchedulerDll, [], env), port);
    }
}
