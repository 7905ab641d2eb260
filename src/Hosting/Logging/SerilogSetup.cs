using System.Globalization;
using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace JobPlatform.Hosting;

/// <summary>Configures the Serilog logger every host uses.</summary>
internal static class SerilogSetup
{
    public const string JsonFormat = "json";
    public const string TextFormat = "text";
    public const string TextTemplate = "{Timestamp:HH:mm:ss.fff} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// Defaults first, then the <c>Serilog</c> section, so configuration wins over every default here. Npgsql logs
    /// every command at Information: it stays at Warning unless configured, or the hot path would log per job.
    /// </summary>
    public static LoggerConfiguration Configure(LoggerConfiguration config, IConfiguration configuration, string format, Func<ITextFormatter, ILogEventSink>? sink)
    {
        config
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .MinimumLevel.Override("Microsoft.Extensions.Diagnostics.HealthChecks", LogEventLevel.Warning)
            .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
            .MinimumLevel.Override("Npgsql", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .ReadFrom.Configuration(configuration);

        ITextFormatter formatter = format == JsonFormat
            ? new RenderedCompactJsonFormatter()
            : new MessageTemplateTextFormatter(TextTemplate, CultureInfo.InvariantCulture);
        if (sink is not null)
        {
            return config.WriteTo.Sink(sink(formatter));
        }

        // The console sink formats each event into a buffer and writes it in one call, so lines never interleave;
        // in text format it colours the levels when stdout is a terminal (./run.sh), and not when it is redirected.
        return format == JsonFormat
            ? config.WriteTo.Console(formatter)
            : config.WriteTo.Console(outputTemplate: TextTemplate, formatProvider: CultureInfo.InvariantCulture);
    }

    /// <summary>Reads <see cref="JobPlatformLoggingExtensions.FormatKey"/>: <c>text</c> when unset.</summary>
    /// <exception cref="InvalidOperationException">The setting is neither <c>json</c> nor <c>text</c>.</exception>
    public static string ReadFormat(IConfiguration configuration)
    {
        var format = configuration[JobPlatformLoggingExtensions.FormatKey];
        if (string.IsNullOrWhiteSpace(format) || format.Trim().Equals(TextFormat, StringComparison.OrdinalIgnoreCase))
        {
            return TextFormat;
        }

        if (format.Trim().Equals(JsonFormat, StringComparison.OrdinalIgnoreCase))
        {
            return JsonFormat;
        }

        throw new InvalidOperationException(
            $"{JobPlatformLoggingExtensions.FormatKey} is '{format}'; use '{TextFormat}' (readable console, the default) or '{JsonFormat}' (compact JSON, one object per line), e.g. JobPlatform__Logging__Format=json.");
    }
}
