using JobPlatform.Core.Audit;
using JobPlatform.TestSupport;

namespace JobPlatform.Core.Tests;

public sealed class AuditLogTests
{
    [Fact]
    public async Task Actions_are_listed_newest_first_page_by_page()
    {
        await using var db = await TestDatabase.CreateAsync();
        var log = new AuditLog(db.CreateClient());
        var job = Guid.NewGuid();
        await log.RecordAsync(new AuditEntry { Actor = "ada", Role = "operator", Action = "queue.pause", Target = "mail", Source = "10.0.0.7" });
        await log.RecordAsync(new AuditEntry { Actor = "bob", Action = "jobs.retry", JobIds = [job], Outcome = "retried 1" });
        await log.RecordAsync(new AuditEntry { Actor = "eve", Action = "jobs.cancel", JobCount = 12_000, Target = "kind=email.send" });

        var first = await log.ListAsync(null, 2);
        var rest = await log.ListAsync(first[^1].Id, 2);

        Assert.Equal(["eve", "bob"], first.Select(r => r.Actor));
        Assert.Equal(12_000, first[0].JobCount);
        Assert.Equal([job], first[1].JobIds);
        Assert.Equal(1, first[1].JobCount);
        var pause = Assert.Single(rest);
        Assert.Equal(("ada", "operator", "queue.pause", "mail", "10.0.0.7"), (pause.Actor, pause.Role, pause.Action, pause.Target, pause.Source));
        Assert.True(DateTimeOffset.UtcNow - pause.At < TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task A_huge_selection_keeps_its_count_and_stores_the_first_thousand_ids()
    {
        await using var db = await TestDatabase.CreateAsync();
        var log = new AuditLog(db.CreateClient());
        var ids = Enumerable.Range(0, 2500).Select(_ => Guid.NewGuid()).ToList();

        await log.RecordAsync(new AuditEntry { Actor = "ada", Action = "jobs.retry", JobIds = ids, Target = new string('x', 5000) });

        var record = Assert.Single(await log.ListAsync(null, 10));
        Assert.Equal(2500, record.JobCount);
        Assert.Equal(ids.Take(AuditEntry.MaxStoredIds), record.JobIds);
        Assert.Equal(2000, record.Target!.Length);
    }
}
