using JobPlatform.Core.Monitoring;
using JobPlatform.TestSupport;

namespace JobPlatform.Core.Tests;

public sealed class SearchTests
{
    [Fact]
    public async Task Every_filter_narrows_the_search_and_filters_combine()
    {
        await using var db = await TestDatabase.CreateAsync();
        var ada = await db.InsertJobAsync(new FixtureJob
        {
            State = JobState.Completed, Kind = "email.send", Queue = "mail", Tags = ["welcome"], Tenant = "acme", Age = TimeSpan.FromMinutes(30),
            Args = """{"to":"ada@example.com","meta":{"campaign":"spring"}}""",
        });
        var bob = await db.InsertJobAsync(new FixtureJob
        {
            State = JobState.Discarded, Kind = "email.send", Queue = "mail", Tenant = "globex", Args = """{"to":"bob@example.com"}""",
            Age = TimeSpan.FromMinutes(20),
        });
        var thumb = await db.InsertJobAsync(new FixtureJob { State = JobState.Available, Kind = "image.thumbnail", Tags = ["welcome"] });
        var monitor = new JobMonitor(db.CreateClient());

        async Task<List<Guid>> Find(JobSearch search) => (await monitor.SearchAsync(search, null, 50)).Jobs.Select(j => j.Id).ToList();

        Assert.Equal([thumb, bob, ada], await Find(new JobSearch()));
        Assert.Equal([bob, ada], await Find(new JobSearch { Kind = "email.send" }));
        Assert.Equal([thumb], await Find(new JobSearch { Queue = "default" }));
        Assert.Equal([bob], await Find(new JobSearch { States = [JobState.Discarded] }));
        Assert.Equal([thumb, ada], await Find(new JobSearch { States = [JobState.Available, JobState.Completed] }));
        Assert.Equal([thumb, ada], await Find(new JobSearch { Tag = "welcome" }));
        Assert.Equal([bob], await Find(new JobSearch { TenantId = "globex" }));
        Assert.Equal([ada], await Find(new JobSearch { ArgsContain = """{"to":"ada@example.com"}""" }));
        Assert.Equal([ada], await Find(new JobSearch { ArgsContain = """{"meta":{"campaign":"spring"}}""" }));
        Assert.Empty(await Find(new JobSearch { ArgsContain = """{"to":"eve@example.com"}""" }));
        Assert.Equal([ada], await Find(new JobSearch { Kind = "email.send", Tag = "welcome" }));
        Assert.Equal([bob], await Find(new JobSearch { Id = bob }));
        Assert.Empty(await Find(new JobSearch { Id = bob, Kind = "image.thumbnail" }));
    }

    [Fact]
    public async Task A_time_range_finds_the_jobs_created_in_it()
    {
        await using var db = await TestDatabase.CreateAsync();
        var old = await db.InsertJobAsync(new FixtureJob { State = JobState.Completed, Age = TimeSpan.FromDays(2) });
        var middle = await db.InsertJobAsync(new FixtureJob { State = JobState.Completed, Age = TimeSpan.FromHours(5) });
        var recent = await db.InsertJobAsync(new FixtureJob { State = JobState.Completed, Age = TimeSpan.FromMinutes(1) });
        var monitor = new JobMonitor(db.CreateClient());
        var now = DateTimeOffset.UtcNow;

        async Task<List<Guid>> Find(JobSearch search) => (await monitor.SearchAsync(search, null, 50)).Jobs.Select(j => j.Id).ToList();

        Assert.Equal([middle], await Find(new JobSearch { CreatedFrom = now.AddDays(-1), CreatedBefore = now.AddHours(-1) }));
        Assert.Equal([recent, middle], await Find(new JobSearch { CreatedFrom = now.AddDays(-1) }));
        Assert.Equal([old], await Find(new JobSearch { CreatedBefore = now.AddDays(-1) }));
    }

    [Fact]
    public async Task Keyset_pages_cover_every_match_once_and_the_last_page_says_so()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.InsertManyAsync(JobState.Completed, 95, kind: "bulk.a");
        await db.InsertManyAsync(JobState.Available, 30, kind: "bulk.b");
        var monitor = new JobMonitor(db.CreateClient());
        var search = new JobSearch { Kind = "bulk.a" };

        var seen = new List<Guid>();
        Guid? cursor = null;
        var pages = 0;
        do
        {
            var page = await monitor.SearchAsync(search, cursor, 20);
            Assert.All(page.Jobs, j => Assert.Equal("bulk.a", j.Kind));
            seen.AddRange(page.Jobs.Select(j => j.Id));
            cursor = page.Next;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(5, pages);
        Assert.Equal(95, seen.Distinct().Count());
        Assert.Equal(seen.OrderByDescending(id => id.ToString(), StringComparer.Ordinal), seen);
        Assert.Equal(95, (await monitor.SearchIdsAsync(search, 1000)).Count);
        Assert.Equal(10, (await monitor.SearchIdsAsync(search, 10)).Count);
    }

    [Fact]
    public async Task A_search_for_unfinished_states_never_reads_the_archive_even_under_a_generic_plan()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.InsertManyAsync(JobState.Completed, 3000, kind: "bulk.a");
        await db.InsertJobAsync(new FixtureJob { State = JobState.Discarded, Kind = "bulk.a" });
        await db.ExecuteAsync("ANALYZE {schema}.jobs");
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var statement = JobPlatform.Core.Sql.SqlCatalog.For(db.Schema).Statement("search_job_ids");
        await using (var prepare = new Npgsql.NpgsqlCommand("SET plan_cache_mode = force_generic_plan; PREPARE s AS " + statement.Text, connection))
        {
            await prepare.ExecuteNonQueryAsync();
        }

        string Plan(List<string> rows) => string.Join("\n", rows);
        async Task<List<string>> ExplainAsync(string states, bool archive)
        {
            var values = new Dictionary<string, string> { ["kind"] = "'bulk.a'", ["states"] = $"'{states}'", ["limit"] = "51", ["archive"] = $"{archive}" };
            var args = string.Join(", ", statement.Parameters.Select(p => values.GetValueOrDefault(p, "NULL")));
            await using var explain = new Npgsql.NpgsqlCommand($"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) EXECUTE s({args})", connection);
            await using var reader = await explain.ExecuteReaderAsync();
            var rows = new List<string>();
            while (await reader.ReadAsync())
            {
                rows.Add(reader.GetString(0));
            }

            return rows;
        }

        var failedOnly = Plan(await ExplainAsync("{discarded}", archive: false));
        Assert.Contains("Subplans Removed: 1", failedOnly);
        Assert.DoesNotContain("jobs_archive", failedOnly);
        Assert.Contains("jobs_archive", Plan(await ExplainAsync("{completed}", archive: true)));

        var monitor = new JobMonitor(db.CreateClient());
        Assert.Single((await monitor.SearchAsync(new JobSearch { Kind = "bulk.a", States = [JobState.Discarded] }, null, 50)).Jobs);
        Assert.Equal(50, (await monitor.SearchAsync(new JobSearch { Kind = "bulk.a", States = [JobState.Completed, JobState.Discarded] }, null, 50)).Jobs.Count);
    }

    public static TheoryData<JobSearch, string> BadSearches => new()
    {
        { new JobSearch { ArgsContain = "{\"to\":" }, "Args filter is not valid JSON" },
        { new JobSearch { ArgsContain = "[1]" }, "Args filter must be a JSON object" },
        { new JobSearch { Queue = "Bad Queue" }, "Queue name 'Bad Queue' is not valid" },
        { new JobSearch { Kind = "Bad Kind" }, "Kind 'Bad Kind' is not valid" },
        { new JobSearch { CreatedFrom = DateTimeOffset.UtcNow, CreatedBefore = DateTimeOffset.UtcNow.AddHours(-1) }, "The time range is empty" },
        { new JobSearch { Tag = new string('t', 129) }, "Tag is 129 characters" },
    };

    [Theory]
    [MemberData(nameof(BadSearches))]
    public async Task A_bad_filter_is_refused_naming_the_filter(JobSearch search, string expected)
    {
        await using var db = await TestDatabase.CreateAsync();
        var monitor = new JobMonitor(db.CreateClient());
        var e = await Assert.ThrowsAsync<JobValidationException>(() => monitor.SearchAsync(search, null, 10));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Creation_time_bounds_are_the_uuidv7_values_of_the_range_widened_by_the_skew_allowance()
    {
        var from = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        var (low, high) = JobMonitor.IdBounds(new JobSearch { CreatedFrom = from, CreatedBefore = from.AddHours(1) });
        var inside = Guid.CreateVersion7(from.AddMinutes(30));
        var early = Guid.CreateVersion7(from - JobMonitor.ClockSkewAllowance - TimeSpan.FromSeconds(1));
        Assert.True(string.CompareOrdinal(low!.Value.ToString(), inside.ToString()) < 0);
        Assert.True(string.CompareOrdinal(inside.ToString(), high!.Value.ToString()) < 0);
        Assert.True(string.CompareOrdinal(early.ToString(), low.Value.ToString()) < 0);
    }
}
