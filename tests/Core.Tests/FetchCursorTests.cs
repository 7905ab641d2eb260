using JobPlatform.Core.Fetching;
using JobPlatform.TestSupport;

namespace JobPlatform.Core.Tests;

public sealed class FetchCursorTests
{
    [Fact]
    public async Task Cursor_order_is_postgresql_order_of_priority_scheduled_at_and_uuid()
    {
        await using var db = await TestDatabase.CreateAsync();
        var random = new Random(7);
        var base0 = DateTimeOffset.Parse("2026-11-23T10:00:00Z");
        var rows = Enumerable.Range(0, 400).Select(_ => new FetchCursor(
            (short)random.Next(0, 3), base0.AddTicks(random.Next(0, 3) * 10), Guid.NewGuid())).ToList();
        // A temp table lives on one connection: one connection for the whole check.
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using (var cmd = new Npgsql.NpgsqlCommand("CREATE TEMP TABLE c (p smallint, s timestamptz, i uuid)", connection))
        {
            await cmd.ExecuteNonQueryAsync();
        }

        await using (var cmd = new Npgsql.NpgsqlCommand("INSERT INTO c SELECT * FROM unnest($1::smallint[], $2::timestamptz[], $3::uuid[])", connection))
        {
            cmd.Parameters.Add(new() { Value = rows.Select(r => r.Priority).ToArray() });
            cmd.Parameters.Add(new() { Value = rows.Select(r => r.ScheduledAt.UtcDateTime).ToArray() });
            cmd.Parameters.Add(new() { Value = rows.Select(r => r.Id).ToArray() });
            await cmd.ExecuteNonQueryAsync();
        }

        var postgresOrder = new List<Guid>();
        await using (var cmd = new Npgsql.NpgsqlCommand("SELECT i FROM c ORDER BY p, s, i", connection))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                postgresOrder.Add(reader.GetGuid(0));
            }
        }

        var ours = rows.ToList();
        ours.Sort(FetchCursor.Compare);
        Assert.Equal(postgresOrder, ours.Select(r => r.Id));
        Assert.Equal(ours[^1], rows.Aggregate(FetchCursor.Head, FetchCursor.Max));
    }

    [Fact]
    public async Task Higher_priority_job_behind_a_backlog_runs_within_the_rescan_interval()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        await client.EnqueueManyAsync(Enumerable.Range(0, 4000).Select(_ => new NoopArgs(SleepMs: 5)), new EnqueueOptions { Priority = 5 });
        await using var engine = await EngineHarness.StartAsync(db, configure: o =>
        {
            o.Queues = new() { ["default"] = 10 };
            o.Tuning.FetchRescanInterval = TimeSpan.FromMilliseconds(200);
        });
        await TestDatabase.WaitUntilAsync(async () => await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs WHERE state = 'completed'") >= 200,
            TimeSpan.FromSeconds(20), "the backlog to be under way");

        var urgent = (await client.EnqueueAsync(new NoopArgs(), new EnqueueOptions { Priority = 0 })).Id;
        await JobWait.ForStateAsync(client, urgent, JobState.Completed);

        // It overtook the backlog: most of it was still waiting when the urgent job finished.
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs WHERE state = 'available'") > 2000);
    }
}
