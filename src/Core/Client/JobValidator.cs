using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using JobPlatform.Core.Diagnostics;

namespace JobPlatform.Core;

/// <summary>
/// Checks every input of an insert before anything is written and turns it into a <see cref="PreparedJob"/>.
/// Messages name the input, the limit and the fix.
/// </summary>
internal static partial class JobValidator
{
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(1);

    public static PreparedJob Prepare(JobInsert insert, JobClientOptions client, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(insert);
        ValidateKind(insert.Kind);
        var options = insert.Options ?? new EnqueueOptions();
        var queue = ValidateQueue(options.Queue ?? client.DefaultQueue);
        ValidateArgs(insert.Kind, insert.ArgsJson, client.MaxArgsBytes);

        var priority = options.Priority ?? EnqueueOptions.MinPriority;
        if (priority is < EnqueueOptions.MinPriority or > EnqueueOptions.MaxPriority)
        {
            throw new JobValidationException(
                $"Priority {priority} is out of range: use {EnqueueOptions.MinPriority} (runs first) to {EnqueueOptions.MaxPriority}.");
        }

        var maxAttempts = options.MaxAttempts ?? EnqueueOptions.DefaultMaxAttempts;
        if (maxAttempts is < 1 or > EnqueueOptions.MaxAttemptsLimit)
        {
            throw new JobValidationException($"MaxAttempts {maxAttempts} is out of range: use 1 to {EnqueueOptions.MaxAttemptsLimit}.");
        }

        int? timeoutMs = null;
        if (options.Timeout is { } timeout)
        {
            if (timeout <= TimeSpan.Zero || timeout > MaxTimeout)
            {
                throw new JobValidationException($"Timeout {timeout} is out of range: use more than zero and at most {MaxTimeout}.");
            }

            timeoutMs = (int)Math.Ceiling(timeout.TotalMilliseconds);
        }

        var tags = ValidateTags(options.Tags);
        if (options.TenantId is { } tenant && (tenant.Length == 0 || tenant.Length > EnqueueOptions.MaxTagLength))
        {
            throw new JobValidationException($"TenantId is {tenant.Length} characters: use 1 to {EnqueueOptions.MaxTagLength}.");
        }

        var scheduledAt = ResolveSchedule(options, time);
        var now = time.GetUtcNow();
        var state = scheduledAt is { } at && at > now ? JobState.Scheduled : JobState.Available;
        var (uniqueKey, uniqueStates) = ResolveUnique(options.Unique, now);
        var trace = options.TraceContext ?? JobTracing.CurrentTraceContext();
        return new PreparedJob(Guid.CreateVersion7(now), queue, insert.Kind, insert.ArgsJson, state, (short)priority, maxAttempts,
            scheduledAt, uniqueKey, uniqueStates, tags, options.TenantId, timeoutMs, trace);
    }

    public static void ValidateKind(string? kind)
    {
        if (kind is null || !KindPattern().IsMatch(kind))
        {
            throw new JobValidationException(
                $"Kind '{kind}' is not valid: use 1-128 characters of a-z, 0-9, '.', '_', '-' and ':', starting with a letter or digit (e.g. \"email.send\").");
        }
    }

    public static string ValidateQueue(string? queue)
    {
        if (queue is null || !QueuePattern().IsMatch(queue))
        {
            throw new JobValidationException(
                $"Queue name '{queue}' is not valid: use 1-64 characters of a-z, 0-9, '_', '.' and '-' (e.g. \"emails\").");
        }

        return queue;
    }

    private static void ValidateArgs(string kind, string? json, int maxBytes)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            throw new JobValidationException($"Args of kind '{kind}' are empty; pass a JSON object such as {{}}.");
        }

        var bytes = Encoding.UTF8.GetByteCount(json);
        if (bytes > maxBytes)
        {
            throw new JobValidationException(
                $"Args of kind '{kind}' are {FormatKiB(bytes)}; the limit is {FormatKiB(maxBytes)} (JobPlatform:Client:MaxArgsBytes). " +
                "Store large payloads in a blob and pass its key.");
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new JobValidationException(
                    $"Args of kind '{kind}' are a JSON {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}; they must be a JSON object such as {{\"to\":\"a@b.c\"}}.");
            }
        }
        catch (JsonException e)
        {
            throw new JobValidationException($"Args of kind '{kind}' are not valid JSON: {e.Message}", e);
        }
    }

    private static string[] ValidateTags(IReadOnlyList<string>? tags)
    {
        if (tags is null || tags.Count == 0)
        {
            return [];
        }

        if (tags.Count > EnqueueOptions.MaxTags)
        {
            throw new JobValidationException($"{tags.Count} tags given; the limit is {EnqueueOptions.MaxTags}.");
        }

        foreach (var tag in tags)
        {
            if (string.IsNullOrWhiteSpace(tag) || tag.Length > EnqueueOptions.MaxTagLength)
            {
                throw new JobValidationException($"Tag '{tag}' is not valid: use 1 to {EnqueueOptions.MaxTagLength} non-blank characters.");
            }
        }

        return [.. tags];
    }

    private static DateTimeOffset? ResolveSchedule(EnqueueOptions options, TimeProvider time)
    {
        if (options.ScheduledAt is not null && options.Delay is not null)
        {
            throw new JobValidationException("Both ScheduledAt and Delay are set; set one of them.");
        }

        if (options.Delay is { } delay)
        {
            if (delay < TimeSpan.Zero)
            {
                throw new JobValidationException($"Delay {delay} is negative; use zero or more.");
            }

            return time.GetUtcNow() + delay;
        }

        return options.ScheduledAt;
    }

    private static (string? Key, short? States) ResolveUnique(UniqueOptions? unique, DateTimeOffset now)
    {
        if (unique is null)
        {
            return (null, null);
        }

        if (string.IsNullOrEmpty(unique.Key) || unique.Key.Length > UniqueOptions.MaxKeyLength)
        {
            throw new JobValidationException($"Unique key is {unique.Key?.Length ?? 0} characters: use 1 to {UniqueOptions.MaxKeyLength}.");
        }

        // Unfinished states always take part: otherwise a waiting job's key could be taken twice, and
        // state changes between unfinished states could collide in the unique index.
        var states = (short)(unique.States | UniqueStates.Unfinished);
        if ((states & ~(short)UniqueStates.All) != 0)
        {
            throw new JobValidationException($"Unique states {unique.States} include unknown flags.");
        }

        var key = unique.Key;
        if (unique.Period is { } period)
        {
            if (period < TimeSpan.FromSeconds(1))
            {
                throw new JobValidationException($"Unique period {period} is too short: use at least one second.");
            }

            var bucket = now.ToUnixTimeMilliseconds() / (long)period.TotalMilliseconds * (long)period.TotalMilliseconds;
            key = $"{key}@{DateTimeOffset.FromUnixTimeMilliseconds(bucket):yyyy-MM-ddTHH:mm:ssZ}";
        }

        return (key, states);
    }

    private static string FormatKiB(int bytes) => bytes % 1024 == 0 ? $"{bytes / 1024} KiB" : $"{bytes / 1024.0:0.#} KiB";

    [GeneratedRegex("^[a-z0-9][a-z0-9_.:-]{0,127}\\z")]
    private static partial Regex KindPattern();

    [GeneratedRegex("^[a-z0-9_.-]{1,64}\\z")]
    private static partial Regex QueuePattern();
}
