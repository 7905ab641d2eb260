using System.Text.Json;
using JobPlatform.Core;
using JobPlatform.TestSupport;

namespace JobPlatform.Jobs.Tests.Reports;

/// <summary>The real worker process: its registration of <c>report.generate</c>, and Chromium closed at shutdown.</summary>
public sealed class ReportWorkerProcessTests : IAsyncLifetime
{
    private readonly string _blobs = Directory.CreateTempSubdirectory("jobplatform-reports-").FullName;
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        Directory.Delete(_blobs, recursive: true);
    }

    [Fact]
    public async Task The_worker_prints_a_report_into_the_blob_store_and_closes_chromium_when_it_stops()
    {
        var (worker, port) = WorkerProcess.Start(_db.ConnectionString, _db.Schema, "worker-reports", concurrency: 2, new Dictionary<string, string>
        {
            ["Blobs__Root"] = _blobs,
            ["Reports__ChromiumPath"] = "/usr/bin/chromium",
            ["Reports__PagePoolSize"] = "2",
        });
        using (worker)
        {
            await worker.WaitReadyAsync(port, TimeSpan.FromSeconds(60));
            var client = _db.CreateClient();
            var id = (await client.EnqueueAsync(new ReportGenerateArgs
            {
                Report = ReportNames.Operations,
                Destination = "reports/ops-from-worker.pdf",
                EmailTo = "ops@example.com",
            })).Id;
            await TestDatabase.WaitUntilAsync(async () => (await client.GetAsync(id))!.State == JobState.Completed, TimeSpan.FromSeconds(60),
                $"report job {id} to complete in the worker (last errors: {JsonSerializer.Serialize((await client.GetAsync(id))?.Errors)}; worker output: {worker.Tail(1500)})");

            var pdf = await File.ReadAllBytesAsync(Path.Combine(_blobs, "reports/ops-from-worker.pdf"));
            Assert.Contains("Operations report", await PdfText.ExtractAsync(pdf));
            var email = Assert.Single(await client.ListAsync(new JobListQuery { Kind = EmailSendArgs.Kind }));
            Assert.Contains("reports/ops-from-worker.pdf", email.ArgsJson);

            var chromium = Descendants(worker.Pid).Where(p => Comm(p) is "chromium" or "chrome").ToList();
            Assert.NotEmpty(chromium);

            worker.Terminate();
            Assert.Equal(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("Chromium closed", worker.Output);
            await TestDatabase.WaitUntilAsync(() => Task.FromResult(chromium.All(p => Comm(p) is null)), TimeSpan.FromSeconds(20),
                $"the worker's chromium processes ({string.Join(", ", chromium)}) to be gone after it stopped");
        }
    }

    /// <summary>Every process below <paramref name="root"/>, from /proc.</summary>
    private static List<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Stat(pid) is { } stat)
            {
                // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        var found = new List<int>();
        var frontier = new Queue<int>([root]);
        while (frontier.TryDequeue(out var parent))
        {
            foreach (var (pid, ppid) in parents)
            {
                if (ppid == parent)
                {
                    found.Add(pid);
                    frontier.Enqueue(pid);
                }
            }
        }

        return found;
    }

    /// <summary>The process's command name, or null when it no longer exists (or is a zombie).</summary>
    private static string? Comm(int pid)
    {
        var stat = Stat(pid);
        if (stat is null || stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z'))
        {
            return null;
        }

        return stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
    }

    private static string? Stat(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
