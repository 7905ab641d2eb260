using System.Diagnostics;

using JobPlatform.TestSupport;

namespace JobPlatform.Worker.Tests;

/// <summary>
/// A PostgreSQL cluster of a test's own, for tests that restart the server and must not disturb the
/// shared one. Runs as the postgres OS user when the tests run as root.
/// </summary>
internal sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _dir;

    private PrivatePostgres(string bin, string dir, int port)
    {
        _bin = bin;
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres";

    private string DataDir => Path.Combine(_dir, "data");

    public static async Task<PrivatePostgres> StartAsync()
    {
        var bin = Environment.GetEnvironmentVariable("JOBPLATFORM_PG_BIN") is { Length: > 0 } b ? b
            : Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).OrderBy(d => d).LastOrDefault()
              ?? throw new InvalidOperationException("No PostgreSQL binaries found; run the tests through ./test.sh, which installs them.");
        var dir = Directory.CreateTempSubdirectory("jobplatform-pg-").FullName;
        var pg = new PrivatePostgres(bin, dir, ChildProcess.FreePort());
        await pg.RunAsync("chown", "-R", "postgres", dir);
        await pg.PgAsync("initdb", "-D", pg.DataDir, "-A", "trust", "-U", "postgres", "--no-sync");
        await pg.PgCtlAsync("start");
        return pg;
    }

    public Task RestartAsync() => PgCtlAsync("restart", "-m", "fast");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await PgCtlAsync("stop", "-m", "immediate");
        }
        finally
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private Task PgCtlAsync(string action, params string[] extra) =>
        PgAsync("pg_ctl", ["-D", DataDir, "-w", "-l", Path.Combine(_dir, "log"), "-o",
            $"-p {Port} -c listen_addresses=127.0.0.1 -k {_dir} -c fsync=off", action, .. extra]);

    private Task PgAsync(string tool, params string[] args)
    {
        var exe = Path.Combine(_bin, tool);
        return Environment.UserName == "root"
            ? RunAsync("runuser", ["-u", "postgres", "--", exe, .. args])
            : RunAsync(exe, args);
    }

    private async Task RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            var log = Path.Combine(_dir, "log");
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {await stdout}{await stderr}" +
                (File.Exists(log) ? File.ReadAllText(log) : ""));
        }
    }
}
