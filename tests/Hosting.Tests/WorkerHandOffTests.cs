using System.Collections.Concurrent;
using JobPlatform.Core;
using JobPlatform.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace JobPlatform.Hosting.Tests;

public sealed class WorkerHandOffTests
{
    [Fact]
    public async Task The_worker_host_hands_its_own_clients_jobs_to_its_engine()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:JobPlatform"] = db.ConnectionString,
            ["JobPlatform:Schema"] = db.Schema,
            // The host's client sends no NOTIFY, and polls and the stager are out of reach: only a hand-off runs a job soon.
            ["JobPlatform:Client:Notify"] = "false",
            ["JobPlatform:Worker:Queues:local"] = "4",
            ["JobPlatform:Worker:ListeningPollInterval"] = "00:05:00",
            ["JobPlatform:Worker:PollInterval"] = "00:05:00",
            ["JobPlatform:Worker:PromoteInterval"] = "00:05:00",
        });
        builder.AddJobPlatformWorker();
        builder.Services.AddSingleton<Runs>();
        builder.Services.AddJobHandler<LocalArgs, LocalHandler>();
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var runs = host.Services.GetRequiredService<Runs>();
            // Warm up from a client of its own, which notifies: the queue's fetch loop then knows it empty.
            await Task.Delay(300);
            await db.CreateClient().EnqueueAsync(new LocalArgs(-1), new EnqueueOptions { Queue = "local" });
            await TestDatabase.WaitUntilAsync(() => Task.FromResult(runs.Workers.ContainsKey(-1)), TimeSpan.FromSeconds(30), "the warm-up job");
            await Task.Delay(100);

            var client = host.Services.GetRequiredService<JobClient>();
            var id = (await client.EnqueueAsync(new LocalArgs(1), new EnqueueOptions { Queue = "local" })).Id;

            await TestDatabase.WaitUntilAsync(() => Task.FromResult(runs.Workers.ContainsKey(1)), TimeSpan.FromSeconds(30), "the host's own job to run");
            var job = await client.GetAsync(id);
            Assert.Equal(1, job!.Attempt);
            Assert.Equal(runs.Workers[-1], job.AttemptedBy);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    public sealed record LocalArgs(int Value) : IJobArgs
    {
        public static string Kind => "test.local";
    }

    public sealed class Runs
    {
        public ConcurrentDictionary<int, string> Workers { get; } = new();
    }

    public sealed class LocalHandler(Runs runs) : IJobHandler<LocalArgs>
    {
        public Task HandleAsync(LocalArgs args, JobContext context, CancellationToken cancellationToken)
        {
            runs.Workers[args.Value] = context.WorkerId;
            return Task.CompletedTask;
        }
    }
}
