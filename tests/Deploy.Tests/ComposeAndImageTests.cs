using System.Text.RegularExpressions;
using JobPlatform.TestSupport;
using YamlDotNet.RepresentationModel;

namespace JobPlatform.Deploy.Tests;

/// <summary>The compose file and the Dockerfiles, read as their tools read them.</summary>
public sealed partial class ComposeAndImageTests
{
    private static readonly string[] Images = ["worker", "scheduler", "dashboard", "jobctl"];

    [Fact]
    public void Compose_runs_postgres_a_one_shot_migration_two_workers_a_scheduler_and_the_dashboard_with_health_checks()
    {
        var compose = Manifests.LoadFile("deploy/compose.yaml");
        var services = compose.Map("services");
        Assert.Equal(["dashboard", "migrate", "postgres", "scheduler", "worker"], services.Children.Keys.Select(k => ((YamlScalarNode)k).Value).Order());
        Assert.Equal("2", services.Map("worker").Map("deploy").Str("replicas"));
        Assert.Equal(["migrate"], services.Map("migrate").Strings("command"));
        Assert.Equal("service_healthy", services.Map("migrate").Map("depends_on").Map("postgres").Str("condition"));
        Assert.Matches(@"^postgres:\d+\.\d+", services.Map("postgres").Str("image"));

        foreach (var name in new[] { "worker", "scheduler", "dashboard" })
        {
            var service = services.Map(name);
            // Started only once the migration finished, checked through /health/ready, read-only root filesystem.
            Assert.Equal("service_completed_successfully", service.Map("depends_on").Map("migrate").Str("condition"));
            Assert.Contains("/health/ready", string.Join(" ", service.Map("healthcheck").Strings("test")));
            Assert.Equal("true", service.Str("read_only"));
            var environment = service.Map("environment");
            // Configuration from the environment: every secret is a variable reference, never a value in the file.
            foreach (var (key, value) in environment.Children.Select(kv => (((YamlScalarNode)kv.Key).Value!, ((YamlScalarNode)kv.Value).Value ?? "")))
            {
                if (Regex.IsMatch(key, "Password|ApiKey|WebhookUrl|ConnectionStrings", RegexOptions.IgnoreCase))
                {
                    Assert.Matches(@"\$\{[A-Z_]+[:?-]", value);
                }
            }
        }

        // The worker drains on SIGTERM for ShutdownTimeout + CancelGrace + 20 s; compose waits longer than that.
        Assert.Equal("90s", services.Map("worker").Str("stop_grace_period"));
        Assert.Equal("00:00:30", services.Map("worker").Map("environment").Str("JobPlatform__Worker__ShutdownTimeout"));
    }

    [Fact]
    public async Task The_compose_health_check_command_passes_against_a_ready_host_and_fails_against_a_closed_port()
    {
        var compose = Manifests.LoadFile("deploy/compose.yaml");
        var test = compose.Map("services").Map("scheduler").Map("healthcheck").Strings("test").ToList();
        Assert.Equal(["CMD", "bash", "-c"], test[..3]);
        var script = test[3];
        Assert.Contains("/dev/tcp/127.0.0.1/8080", script);

        await using var db = await TestDatabase.CreateAsync();
        var (worker, port) = WorkerProcess.Start(db.ConnectionString, db.Schema, "compose-health", 1);
        using (worker)
        {
            await worker.WaitReadyAsync(port, TimeSpan.FromSeconds(60));
            Assert.Equal(0, await BashAsync(script.Replace("/8080", $"/{port}", StringComparison.Ordinal)));
            worker.Terminate();
            await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));
            Assert.NotEqual(0, await BashAsync(script.Replace("/8080", $"/{port}", StringComparison.Ordinal)));
        }
    }

    [Theory]
    [InlineData("worker")]
    [InlineData("scheduler")]
    [InlineData("dashboard")]
    [InlineData("jobctl")]
    public void Each_image_builds_in_stages_from_exact_versions_runs_as_a_non_root_user_and_is_labelled(string image)
    {
        var text = File.ReadAllText(ProductPaths.Source($"deploy/images/{image}.Dockerfile"));
        var froms = FromLine().Matches(text).Select(m => m.Groups["image"].Value).ToList();
        Assert.Equal(2, froms.Count);
        var args = ArgLine().Matches(text).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value);
        foreach (var from in froms)
        {
            var resolved = Regex.Replace(from, @"\$\{(\w+)\}", m => args[m.Groups[1].Value]);
            Assert.Matches(KubernetesTests.PinnedImage(), resolved);
        }

        var final = text[text.LastIndexOf("\nFROM ", StringComparison.Ordinal)..];
        Assert.Contains("\nUSER $APP_UID", final);
        Assert.Contains("org.opencontainers.image.title=\"jobplatform-" + image + "\"", final);
        Assert.Contains("org.opencontainers.image.version", final);
        Assert.DoesNotContain("COPY . ", text);
        Assert.Contains("ENTRYPOINT [\"dotnet\"", final);
    }

    [Fact]
    public void The_build_context_leaves_out_local_data_build_output_and_tests()
    {
        var lines = File.ReadAllLines(ProductPaths.Source(".dockerignore")).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        // Everything is left out, then only the sources and the two props files are let back in.
        Assert.Equal("**", lines[0]);
        Assert.Equal(["!Directory.Build.props", "!Directory.Packages.props", "!src/**"], lines.Where(l => l.StartsWith('!')));
        Assert.Contains("**/bin/", lines);
        Assert.Contains("**/obj/", lines);
        foreach (var image in Images)
        {
            var text = File.ReadAllText(ProductPaths.Source($"deploy/images/{image}.Dockerfile"));
            Assert.DoesNotMatch(@"COPY\s+(\.data|tests|deploy)", text);
        }
    }

    private static async Task<int> BashAsync(string script)
    {
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("bash", ["-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await p.WaitForExitAsync(cts.Token);
        return p.ExitCode;
    }

    [GeneratedRegex(@"^FROM\s+(?<image>\S+)", RegexOptions.Multiline)]
    private static partial Regex FromLine();

    [GeneratedRegex(@"^ARG\s+(?<name>\w+)=(?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex ArgLine();
}
