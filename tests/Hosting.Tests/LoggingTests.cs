using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace JobPlatform.Hosting.Tests;

public sealed class LoggingTests
{
    [Fact]
    public void Json_format_writes_one_parseable_object_per_line()
    {
        var output = Log(new(), (factory) =>
        {
            var logger = factory.CreateLogger("JobPlatform.Engine");
            logger.LogInformation("Job {JobId} of kind {Kind} finished in {Elapsed} ms", 42, "email.send", 12.5);
            logger.LogError(new InvalidOperationException("boom \"quoted\"\nsecond line"), "Job {JobId} failed", 43);
        });

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal("Information", first.RootElement.GetProperty("Level").GetString());
        Assert.Equal("Job 42 of kind \"email.send\" finished in 12.5 ms", first.RootElement.GetProperty("RenderedMessage").GetString());
        Assert.Equal(42, first.RootElement.GetProperty("Properties").GetProperty("JobId").GetInt32());
        Assert.Equal("JobPlatform.Engine", first.RootElement.GetProperty("Properties").GetProperty("SourceContext").GetString());
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal("Error", second.RootElement.GetProperty("Level").GetString());
        Assert.Contains("boom \"quoted\"\nsecond line", second.RootElement.GetProperty("Exception").GetString());
    }

    [Fact]
    public void Default_levels_hide_aspnetcore_information_and_debug_but_keep_lifetime()
    {
        var output = Log(new(), (factory) =>
        {
            factory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").LogInformation("request noise");
            factory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").LogWarning("kestrel warning");
            factory.CreateLogger("Microsoft.Hosting.Lifetime").LogInformation("Application started");
            factory.CreateLogger("JobPlatform.Engine").LogDebug("debug noise");
        });

        Assert.DoesNotContain("request noise", output);
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
    public void Text_format_is_readable_lines()
    {
        var output = Log(new() { [JobPlatformLoggingExtensions.FormatKey] = "text" },
            (factory) => factory.CreateLogger("JobPlatform.Worker").LogWarning("Queue {Queue} is paused", "emails"));

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
    public void Host_builder_extension_replaces_the_default_providers_with_serilog()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddConsole();
        builder.AddJobPlatformLogging();
        using var host = builder.Build();

        var providers = host.Services.GetServices<ILoggerProvider>().ToList();
        Assert.Equal("SerilogLoggerProvider", Assert.Single(providers).GetType().Name);
    }

    /// <summary>Builds a generic host with the logging under test writing to a string, runs <paramref name="act"/>, disposes the host (flushing) and returns what was written.</summary>
    private static string Log(Dictionary<string, string?> settings, Action<ILoggerFactory> act)
    {
        var output = new StringWriter();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddJobPlatformLogging(builder.Configuration, output);
        using (var host = builder.Build())
        {
            act(host.Services.GetRequiredService<ILoggerFactory>());
        }

        return output.ToString();
    }
}
