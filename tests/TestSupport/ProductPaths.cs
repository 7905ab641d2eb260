namespace JobPlatform.TestSupport;

/// <summary>Where the built hosts and jobctl are, in the same configuration as these tests.</summary>
public static class ProductPaths
{
    private static readonly string RepoRoot = FindRepoRoot();

    private static string Configuration => AppContext.BaseDirectory.Contains("/bin/Release/", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string WorkerDll => Built("src/Worker", "JobPlatform.Worker.dll");

    /// <summary>The worker host with the <c>test.record</c> kind (tests/TestWorker).</summary>
    public static string TestWorkerDll => Built("tests/TestWorker", "JobPlatform.TestWorker.dll");

    public static string SchedulerDll => Built("src/Scheduler", "JobPlatform.Scheduler.dll");

    public static string JobctlDll => Built("src/Cli", "jobctl.dll");

    /// <summary>The dependency manifest a built project wrote next to its assembly (<c>&lt;assembly&gt;.deps.json</c>): every
    /// package and project, direct or transitive, that it is built and run with.</summary>
    public static string DepsJson(string project, string assemblyName) => Built(project, assemblyName + ".deps.json");

    /// <summary>A folder under <c>artifacts/</c> at the repository root (not committed) for what a test run leaves to
    /// look at, such as screenshots; created when missing.</summary>
    public static string Artifacts(string folder) => Directory.CreateDirectory(Path.Combine(RepoRoot, "artifacts", folder)).FullName;

    /// <summary>A path in the source tree, relative to the repository root.</summary>
    public static string Source(string relative) => Path.Combine(RepoRoot, relative);

    private static string Built(string project, string dll)
    {
        var path = Path.Combine(RepoRoot, project, "bin", Configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing; build the solution first.");
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "JobPlatform.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("JobPlatform.sln not found above " + AppContext.BaseDirectory);
    }
}
