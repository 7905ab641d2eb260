using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using JobPlatform.Cli.Output;
using JobPlatform.Core.Alerts;
using JobPlatform.Hosting.Alerts;
using Spectre.Console;

namespace JobPlatform.Cli.Commands;

/// <summary><c>jobctl alerts list|history|test</c>: the backlog alerts the scheduler evaluates.</summary>
internal sealed class AlertsCommand : Command
{
    public AlertsCommand(CliContext context, GlobalOptions global)
        : base("alerts", "Backlog alerts evaluated by the scheduler (src/Scheduler): rules, what fires, history, test messages")
    {
        Subcommands.Add(new ListAlerts(context, global));
        Subcommands.Add(new AlertHistory(context, global));
        Subcommands.Add(new TestAlert(context, global));
    }

    private static string Time(DateTimeOffset? time) =>
        time?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";

    private static string Figures(string json)
    {
        var figures = JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
        return string.Join(", ", figures.Select(f => $"{f.Key} {f.Value}"));
    }

    private sealed class ListAlerts : CliCommand
    {
        private readonly Option<bool> _json = CommonOptions.Json("Print {\"rules\":[…],\"alerts\":[…],\"channels\":[…]} as JSON");

        public ListAlerts(CliContext context, GlobalOptions global)
            : base("list", "List the rules in force and every alert firing or pending", context, global)
        {
            Options.Add(_json);
        }

        protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
        {
            await using var db = Connect(parse);
            var store = new AlertStore(db.Client);
            var rules = await store.ListRulesAsync(cancellationToken).ConfigureAwait(false);
            var states = await store.ListStatesAsync(cancellationToken).ConfigureAwait(false);
            var channels = await store.ListChannelsAsync(cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(_json))
            {
                JsonOutput.Write(Context.Out, w =>
                {
                    w.WriteStartObject();
                    w.WriteStartArray("rules");
                    foreach (var r in rules)
                    {
                        w.WriteStartObject();
                        w.WriteString("name", r.Name);
                        w.WriteBoolean("enabled", r.Enabled);
                        w.WritePropertyName("settings");
                        using (var settings = JsonDocument.Parse(r.SettingsJson))
                        {
                            settings.WriteTo(w);
                        }

                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    w.WriteStartArray("alerts");
                    foreach (var s in states)
                    {
                        w.WriteStartObject();
                        w.WriteString("rule", s.Rule);
                        w.WriteString("subject", s.Subject);
                        w.WriteString("state", s.Status.ToString().ToLowerInvariant());
                        w.WriteString("since", s.FiringSince ?? s.Since);
                        w.WriteNumber("value", s.Value);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    w.WriteStartArray("channels");
                    foreach (var (name, type) in channels)
                    {
                        w.WriteStartObject();
                        w.WriteString("name", name);
                        w.WriteString("type", type);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                });
                return ExitCodes.Ok;
            }

            if (rules.Count == 0)
            {
                Context.Out.WriteLine("no scheduler has evaluated alerts yet: alerts are evaluated by the scheduler, configured under Alerts (docs/alerts.md)");
                return ExitCodes.Ok;
            }

            var table = Formats.Table(["Rule", "On", "Threshold", "For", "Channels"]).NoBorder();
            foreach (var r in rules)
            {
                using var settings = JsonDocument.Parse(r.SettingsJson);
                var root = settings.RootElement;
                table.AddRow(Formats.Cell(r.Name), Formats.Cell(r.Enabled ? "yes" : "off"), Formats.Cell(root.GetProperty("threshold").GetString() ?? ""),
                    Formats.Cell(root.GetProperty("for").GetString() ?? ""), Formats.Cell(string.Join(", ", root.GetProperty("channels").EnumerateArray().Select(c => c.GetString()))));
            }

            Context.OutConsole.Write(table);
            Context.Out.WriteLine();
            if (states.Count == 0)
            {
                Context.Out.WriteLine("nothing fires or is pending");
                return ExitCodes.Ok;
            }

            var alerts = Formats.Table(["Rule", "Queue or worker", "State", "Since", "Figures"]).NoBorder();
            foreach (var s in states.OrderByDescending(s => s.Status))
            {
                alerts.AddRow(Formats.Cell(s.Rule), Formats.Cell(s.Subject), Formats.Cell(s.Status.ToString().ToLowerInvariant()),
                    Formats.Cell(Time(s.FiringSince ?? s.Since)), Formats.Cell(Figures(s.DetailsJson)));
            }

            Context.OutConsole.Write(alerts);
            return ExitCodes.Ok;
        }
    }

    private sealed class AlertHistory : CliCommand
    {
        private readonly Option<int?> _limit = ValueOptions.Integer("--limit", $"Show at most this many, 1 to {AlertStore.MaxPageSize:N0} [default: 50]");
        private readonly Option<bool> _json = CommonOptions.Json("Print a JSON array of events");

        public AlertHistory(CliContext context, GlobalOptions global)
            : base("history", "List firings, repeats and resolutions, newest first", context, global)
        {
            Options.Add(_limit);
            Options.Add(_json);
        }

        protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
        {
            await using var db = Connect(parse);
            var events = await new AlertStore(db.Client).ListEventsAsync(null, parse.GetValue(_limit) ?? 50, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(_json))
            {
                JsonOutput.Write(Context.Out, w =>
                {
                    w.WriteStartArray();
                    foreach (var e in events)
                    {
                        w.WriteStartObject();
                        w.WriteString("at", e.At.ToUniversalTime());
                        w.WriteString("rule", e.Rule);
                        w.WriteString("subject", e.Subject);
                        w.WriteString("kind", e.Kind);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                });
            }
            else if (events.Count == 0)
            {
                Context.Out.WriteLine("no alert has fired yet");
            }
            else
            {
                var table = Formats.Table(["When", "Rule", "Queue or worker", "What", "Figures"]).NoBorder();
                foreach (var e in events)
                {
                    table.AddRow(Formats.Cell(Time(e.At)), Formats.Cell(e.Rule), Formats.Cell(e.Subject), Formats.Cell(e.Kind), Formats.Cell(Figures(e.DetailsJson)));
                }

                Context.OutConsole.Write(table);
            }

            return ExitCodes.Ok;
        }
    }

    private sealed class TestAlert : CliCommand
    {
        private readonly Option<string?> _channel = new("--channel") { Description = "Only this channel [default: every configured channel]", HelpName = "name" };
        private readonly Option<int?> _wait = ValueOptions.Integer("--wait", "Seconds to wait for the scheduler to deliver it, 0 to not wait [default: 60]");

        public TestAlert(CliContext context, GlobalOptions global)
            : base("test", "Send a test message to the alert channels (the scheduler delivers it) and wait for the outcome", context, global)
        {
            Options.Add(_channel);
            Options.Add(_wait);
        }

        protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
        {
            await using var db = Connect(parse);
            var store = new AlertStore(db.Client);
            var configured = await store.ListChannelsAsync(cancellationToken).ConfigureAwait(false);
            var requested = parse.GetValue(_channel);
            var channels = configured.Where(c => requested is null || string.Equals(c.Name, requested, StringComparison.OrdinalIgnoreCase)).Select(c => c.Name).ToList();
            if (channels.Count == 0)
            {
                throw new CliFailureException(requested is null
                    ? "no alert channel is configured on the scheduler (set Alerts:Slack:WebhookUrl there), or no scheduler has evaluated alerts yet"
                    : $"no alert channel '{requested}' is configured on the scheduler; configured: {string.Join(", ", configured.Select(c => c.Name))}");
            }

            var message = AlertStore.FormatMessage(new AlertEvaluator(new AlertOptions()).TestMessage($"{Environment.UserName}@{Environment.MachineName} (jobctl)", DateTimeOffset.UtcNow));
            var ids = new Dictionary<long, string>();
            foreach (var channel in channels)
            {
                ids[await store.EnqueueAsync(new NewAlertNotification(channel, "test", null, [], message), cancellationToken).ConfigureAwait(false)] = channel;
            }

            await db.AuditAsync(Context, "alerts.test", string.Join(", ", channels), [], $"test messages {string.Join(", ", ids.Keys)} in the outbox", cancellationToken)
                .ConfigureAwait(false);
            var wait = TimeSpan.FromSeconds(parse.GetValue(_wait) ?? 60);
            var deadline = DateTime.UtcNow + wait;
            var open = new Dictionary<long, string>(ids);
            var failed = false;
            while (open.Count > 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500, cancellationToken).ConfigureAwait(false);
                foreach (var n in (await store.ListNotificationsAsync(null, AlertStore.MaxPageSize, cancellationToken: cancellationToken).ConfigureAwait(false))
                             .Where(n => open.ContainsKey(n.Id) && n.State != "pending"))
                {
                    Context.Out.WriteLine(n.State == "sent" ? $"{n.Channel}: delivered" : $"{n.Channel}: failed: {n.LastError}");
                    failed |= n.State == "failed";
                    open.Remove(n.Id);
                }
            }

            foreach (var (id, channel) in open)
            {
                Context.Out.WriteLine(wait == TimeSpan.Zero
                    ? $"{channel}: test message {id} is in the outbox"
                    : $"{channel}: not delivered within {wait.TotalSeconds:0} s (message {id} is still in the outbox: is a scheduler running?)");
            }

            return failed || (open.Count > 0 && wait > TimeSpan.Zero) ? ExitCodes.Failure : ExitCodes.Ok;
        }
    }
}
