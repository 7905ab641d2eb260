using System.Text.Json;
using JobPlatform.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace JobPlatform.Hosting.Tests;

public sealed class LoggingTests
{
    [Fact]
    public void Json_format_writes_one_compact_json_object_per_line()
    {
        var output = Log(new() { [JobPlatformLoggingExtensions.FormatKey] = "json" }, (factory) =>
        {
            var logger = factory.CreateLogger("JobPlatform.Engine");
            logger.LogInformation("Job {JobId} of kind {Kind} finished in {Elapsed} ms", 42, "email.send", 12.5);
            logger.LogError(new InvalidOperationException("boom \"quoted\"\nsecond line"), "Job {JobId} failed", 43);
        });

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        // Compact JSON (Serilog.Formatting.Compact): @t, @m; @l only when not Information; properties at the top.
        Assert.True(first.RootElement.TryGetProperty("@t", out _));
        Assert.False(first.RootElement.TryGetProperty("@l", out _));
        Assert.Equal("Job 42 of kind \"email.send\" finished in 12.5 ms", first.RootElement.GetProperty("@m").GetString());
        Assert.Equal(42, first.RootElement.GetProperty("JobId").GetInt32());
        Assert.Equal("JobPlatform.Engine", first.RootElement.GetProperty("SourceContext").GetString());
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal("Error", second.RootElement.GetProperty("@l").GetString());
        Assert.Contains("boom \"quoted\"\nsecond line", second.RootElement.GetProperty("@x").GetString());
    }

    [Fact]
    public void Default_levels_hide_aspnetcore_information_and_debug_but_keep_lifetime()
    {
        var output = Log(new(), (factory) =>
        {
            factory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").LogInformation("request noise");
            factory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").LogWarning("kestrel warning");
            factory.CreateLogger("Microsoft.Hosting.Lifetime").LogInformation("Application started");
            factory.CreateLogger("Npgsql.Command").LogInformation("command noise");
            factory.CreateLogger("JobPlatform.Engine").LogDebug("debug noise");
        });

        Assert.DoesNotContain("request noise", output);
        Assert.DoesNotContain("command noise", output);
        Assert.DoesNotContain("debug noise", output);
        Assert.Contains("kestrel warning", output);
        Assert.Contains("Application started", output);
    }

    [Fact]
    public void Serilog_section_overrides_the_defaults()
    {
        var output = Log(new()
        {
            ["Serilog:MinimumLevel:Default"] = "Debug",
            ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Information",
            ["Serilog:MinimumLevel:Override:JobPlatform.Noisy"] = "Error",
        }, (factory) =>
        {
            factory.CreateLogger("JobPlatform.Engine").LogDebug("engine debug");
            factory.CreateLogger("Microsoft.AspNetCore.Routing").LogInformation("routing info");
            factory.CreateLogger("JobPlatform.Noisy").LogWarning("noisy warning");
        });

        Assert.Contains("engine debug", output);
        Assert.Contains("routing info", output);
        Assert.DoesNotContain("noisy warning", output);
    }

    [Fact]
    public void Text_is_the_default_and_readable_lines()
    {
        var output = Log(new(), (factory) => factory.CreateLogger("JobPlatform.Worker").LogWarning("Queue {Queue} is paused", "emails"));

        Assert.Matches(@"^\d\d:\d\d:\d\d\.\d{3} WRN JobPlatform\.Worker: Queue emails is paused\n$", output.Replace("\r", ""));
    }

    [Fact]
    public void Unknown_format_fails_naming_the_key_and_the_choices()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Log(new() { [JobPlatformLoggingExtensions.FormatKey] = "xml" }, _ => { }));
        Assert.Contains("JobPlatform:Logging:Format is 'xml'", e.Message);
        Assert.Contains("'json'", e.Message);
        Assert.Contains("'text'", e.Message);
    }

    [Fact]
    public void Host_builder_extension_makes_serilog_the_logger_factory()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddConsole();
        builder.AddJobPlatformLogging();
        using var host = builder.Build();

        Assert.Equal("SerilogLoggerFactory", host.Services.GetRequiredService<ILoggerFactory>().GetType().Name);
        Assert.Empty(host.Services.GetServices<ILoggerProvider>());
    }

    [Fact]
    public async Task Npgsql_log_lines_reach_serilog_without_the_password()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        const string password = "not-to-be-logged-7f3a";
        var connectionString = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Password = password }.ConnectionString;
        var output = new StringWriter();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:JobPlatform"] = connectionString,
            [JobPlatformLoggingExtensions.FormatKey] = "json",
            ["Serilog:MinimumLevel:Override:Npgsql"] = "Debug",
        });
        builder.Logging.AddJobPlatformLogging(builder.Configuration, f => new StringSink(f, output));
        builder.AddJobPlatformClient();
        using (var host = builder.Build())
        {
            var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
            await using var command = dataSource.CreateCommand("SELECT 1");
            Assert.Equal(1, await command.ExecuteScalarAsync());
        }

        var npgsql = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.TryGetProperty("SourceContext", out var c) && c.GetString()!.StartsWith("Npgsql.", StringComparison.Ordinal))
            .ToList();
        Assert.Contains(npgsql, e => e.GetProperty("SourceContext").GetString() == "Npgsql.Command" && e.GetProperty("@m").GetString()!.Contains("SELECT 1", StringComparison.Ordinal));
        Assert.Contains(npgsql, e => e.GetProperty("SourceContext").GetString() == "Npgsql.Connection");
        Assert.DoesNotContain(password, output.ToString());
    }

    [Fact]
    public async Task Requests_are_logged_one_line_each_without_query_strings_and_health_checks_stay_quiet()
    {
        var output = new StringWriter();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [JobPlatformLoggingExtensions.FormatKey] = "json" });
        builder.Logging.AddJobPlatformLogging(builder.Configuration, f => new StringSink(f, output));
        await using (var app = builder.Build())
        {
            app.UseJobPlatformRequestLogging();
            app.MapGet("/jobs", () => "ok");
            app.MapGet("/health/live", () => "ok");
            app.MapGet("/broken", () => Results.StatusCode(503));
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            using var http = new HttpClient();
            await http.GetStringAsync($"{address}/jobs?token=query-secret");
            await http.GetStringAsync($"{address}/health/live");
            await http.GetAsync($"{address}/broken");
            await app.StopAsync();
        }

        var requests = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.TryGetProperty("RequestPath", out _))
            .ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal("/jobs", requests[0].GetProperty("RequestPath").GetString());
        Assert.Equal(200, requests[0].GetProperty("StatusCode").GetInt32());
        Assert.False(requests[0].TryGetProperty("@l", out _));
        Assert.Equal("/broken", requests[1].GetProperty("RequestPath").GetString());
        Assert.Equal("Error", requests[1].GetProperty("@l").GetString());
        Assert.DoesNotContain("query-secret", output.ToString());
    }

    /// <summary>Builds a generic host with the logging under test writing to a string, runs <paramref name="act"/>, disposes the host (flushing) and returns what was written.</summary>
    private static string Log(Dictionary<string, string?> settings, Action<ILoggerFactory> act)
    {
        var output = new StringWriter();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddJobPlatformLogging(builder.Configuration, f => new StringSink(f, output));
        using (var host = builder.Build())
        {
            act(host.Services.GetRequiredService<ILoggerFactory>());
        }

        return output.ToString();
    }

    /// <summary>Formats events into a string the test reads.</summary>
    private sealed class StringSink(ITextFormatter formatter, StringWriter output) : ILogEventSink
    {
        public void Emit(LogEvent logEvent)
        {
            lock (output)
            {
                formatter.Format(logEvent, output);
            }
        }
    }
}
