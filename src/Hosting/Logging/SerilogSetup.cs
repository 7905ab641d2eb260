using System.Globalization;
using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;
using Serilog.Formatting.Json;

namespace JobPlatform.Hosting;

/// <summary>Builds the Serilog logger every host uses.</summary>
internal static class SerilogSetup
{
    public const string JsonFormat = "json";
    public const string TextFormat = "text";
    public const string TextTemplate = "{Timestamp:HH:mm:ss.fff} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <summary>Defaults first, then the <c>Serilog</c> section, so configuration wins over every default here.</summary>
    public static Logger CreateLogger(IConfiguration configuration, TextWriter? output)
    {
        var format = ReadFormat(configuration);
        var config = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .MinimumLevel.Override("Microsoft.Extensions.Diagnostics.HealthChecks", LogEventLevel.Warning)
            .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .ReadFrom.Configuration(configuration);

        if (format == TextFormat && output is null)
        {
            // The console sink colours the levels when stdout is a terminal (./run.sh), and not when it is redirected.
            return config.WriteTo.Console(outputTemplate: TextTemplate, formatProvider: CultureInfo.InvariantCulture).CreateLogger();
        }

        ITextFormatter formatter = format == TextFormat
            ? new MessageTemplateTextFormatter(TextTemplate, CultureInfo.InvariantCulture)
            : new JsonFormatter(renderMessage: true, formatProvider: CultureInfo.InvariantCulture);
        return config.WriteTo.Sink(new LineWriterSink(formatter, output ?? Console.Out)).CreateLogger();
    }

    private static string ReadFormat(IConfiguration configuration)
    {
        var format = configuration[JobPlatformLoggingExtensions.FormatKey];
        if (string.IsNullOrWhiteSpace(format) || format.Trim().Equals(JsonFormat, StringComparison.OrdinalIgnoreCase))
        {
            return JsonFormat;
        }

        if (format.Trim().Equals(TextFormat, StringComparison.OrdinalIgnoreCase))
        {
            return TextFormat;
        }

        throw new InvalidOperationException(
            $"{JobPlatformLoggingExtensions.FormatKey} is '{format}'; use '{JsonFormat}' (one JSON object per line, the default) or '{TextFormat}' (readable console), e.g. JobPlatform__Logging__Format=text.");
    }
}
