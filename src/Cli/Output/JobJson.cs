using System.Text.Json;
using JobPlatform.Core;

namespace JobPlatform.Cli.Output;

/// <summary>A job as a JSON object: camelCase names, lower-case state, args as an object, times in ISO-8601 UTC.</summary>
internal static class JobJson
{
    public static void Write(Utf8JsonWriter w, Job job)
    {
        w.WriteStartObject();
        w.WriteString("id", job.Id);
        w.WriteString("kind", job.Kind);
        w.WriteString("queue", job.Queue);
        w.WriteString("state", job.State.ToDb());
        w.WriteNumber("attempt", job.Attempt);
        w.WriteNumber("maxAttempts", job.MaxAttempts);
        w.WriteNumber("priority", job.Priority);
        w.WritePropertyName("args");
        // Stored as jsonb, so it is valid JSON; embedded as an object, not a string.
        w.WriteRawValue(job.ArgsJson);
        WriteNullable(w, "uniqueKey", job.UniqueKey);
        w.WriteStartArray("tags");
        foreach (var tag in job.Tags)
        {
            w.WriteStringValue(tag);
        }

        w.WriteEndArray();
        WriteNullable(w, "tenantId", job.TenantId);
        if (job.Timeout is { } timeout)
        {
            w.WriteNumber("timeoutSeconds", timeout.TotalSeconds);
        }
        else
        {
            w.WriteNull("timeoutSeconds");
        }

        WriteTime(w, "createdAt", job.CreatedAt);
        WriteTime(w, "scheduledAt", job.ScheduledAt);
        WriteTime(w, "attemptedAt", job.AttemptedAt);
        WriteNullable(w, "attemptedBy", job.AttemptedBy);
        WriteTime(w, "finalizedAt", job.FinalizedAt);
        WriteTime(w, "cancelRequestedAt", job.CancelRequestedAt);
        w.WriteStartArray("errors");
        foreach (var error in job.Errors)
        {
            w.WriteStartObject();
            w.WriteNumber("attempt", error.Attempt);
            WriteTime(w, "at", error.At);
            WriteNullable(w, "worker", error.Worker);
            WriteNullable(w, "type", error.Type);
            WriteNullable(w, "message", error.Message);
            WriteNullable(w, "stack", error.Stack);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteTime(Utf8JsonWriter w, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            w.WriteString(name, time.UtcDateTime);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
