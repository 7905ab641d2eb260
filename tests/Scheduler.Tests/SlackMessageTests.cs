using System.Text.Json;
using JobPlatform.Core.Alerts;
using JobPlatform.Hosting.Alerts;

namespace JobPlatform.Scheduler.Tests;

public sealed class SlackMessageTests
{
    private static AlertMessage Message(int queues, string kind = "firing") => new()
    {
        Kind = kind,
        Rule = "QueueLatency",
        Title = $"[FIRING] QueueLatency: {queues} queues",
        Summary = "[FIRING] QueueLatency — " + string.Join("; ", Enumerable.Range(1, queues).Select(i => $"queue-{i}: oldest available job waiting 12 min")),
        Meaning = AlertRules.Meaning(AlertRuleKind.QueueLatency),
        RunbookUrl = "https://docs.example.com/runbook.md#queuelatency",
        DashboardUrl = "https://jobs.example.com/dashboard/backlog",
        Items = Enumerable.Range(1, queues).Select(i => new AlertItem
        {
            Subject = $"queue-{i}",
            Text = "oldest available job waiting 12 min (threshold 5 min); since 10:02 UTC " + new string('x', 200),
            Link = $"https://jobs.example.com/dashboard/backlog#queue-queue-{i}",
            Figures = new Dictionary<string, string> { ["available"] = "1,234", ["oldest waiting"] = "12 min", ["failure rate"] = "2 %", ["live workers"] = "3" },
        }).ToList(),
    };

    [Fact]
    public void Fifty_red_queues_make_one_message_within_slacks_limits_with_the_figures_and_links()
    {
        var body = JsonDocument.Parse(SlackMessage.Render(Message(50))).RootElement;

        var blocks = body.GetProperty("blocks").EnumerateArray().ToList();
        Assert.True(blocks.Count <= SlackMessage.MaxBlocks, $"{blocks.Count} blocks");
        Assert.Equal("header", blocks[0].GetProperty("type").GetString());
        Assert.True(blocks[0].GetProperty("text").GetProperty("text").GetString()!.Length <= SlackMessage.MaxHeaderText);
        var sections = blocks.Where(b => b.GetProperty("type").GetString() == "section").Select(b => b.GetProperty("text").GetProperty("text").GetString()!).ToList();
        Assert.All(sections, s => Assert.True(s.Length <= SlackMessage.MaxSectionText));
        Assert.Contains(sections, s => s.StartsWith("<https://jobs.example.com/dashboard/backlog#queue-queue-1|*queue-1*>: oldest available job waiting 12 min", StringComparison.Ordinal));
        Assert.Contains(sections, s => s.Contains("available 1,234 · oldest waiting 12 min · failure rate 2 % · live workers 3", StringComparison.Ordinal));
        Assert.Contains(sections, s => s.StartsWith("…and 10 more: queue-41", StringComparison.Ordinal));
        var context = blocks[^1].GetProperty("elements")[0].GetProperty("text").GetString()!;
        Assert.Contains("<https://docs.example.com/runbook.md#queuelatency|Runbook: QueueLatency>", context);
        Assert.Contains("<https://jobs.example.com/dashboard/backlog|Dashboard: Backlog>", context);
        var text = body.GetProperty("text").GetString()!;
        Assert.StartsWith("[FIRING] QueueLatency", text);
        Assert.True(text.Length <= 3000);
    }

    [Fact]
    public void Slack_markup_in_queue_figures_is_escaped()
    {
        var message = Message(1) with { Items = [new AlertItem { Subject = "q", Text = "a <b> & c" }] };

        var section = JsonDocument.Parse(SlackMessage.Render(message)).RootElement.GetProperty("blocks")[2].GetProperty("text").GetProperty("text").GetString();

        Assert.Equal("*q*: a &lt;b&gt; &amp; c", section);
    }

    [Fact]
    public void A_generic_webhook_gets_the_message_itself()
    {
        var body = JsonDocument.Parse(SlackMessage.RenderWebhook(Message(2, "resolved"))).RootElement;

        Assert.Equal(("resolved", "QueueLatency", "jobplatform"), (body.GetProperty("kind").GetString(), body.GetProperty("rule").GetString(), body.GetProperty("source").GetString()));
        Assert.Equal(2, body.GetProperty("items").GetArrayLength());
        Assert.Equal("1,234", body.GetProperty("items")[0].GetProperty("figures").GetProperty("available").GetString());
    }
}
