using System.Text.Json;

namespace JobPlatform.Core.Monitoring;

/// <summary>What <see cref="JobMonitor.SearchAsync"/> looks for; every filter is optional (null matches all) and
/// the filters combine with AND.</summary>
public sealed record JobSearch
{
    /// <summary>Only this job (the other filters still apply).</summary>
    public Guid? Id { get; init; }

    /// <summary>Only jobs of this kind.</summary>
    public string? Kind { get; init; }

    /// <summary>Only jobs on this queue.</summary>
    public string? Queue { get; init; }

    /// <summary>Only jobs in one of these states (empty or null: any).</summary>
    public IReadOnlyList<JobState>? States { get; init; }

    /// <summary>Only jobs carrying this tag.</summary>
    public string? Tag { get; init; }

    /// <summary>Only jobs of this tenant.</summary>
    public string? TenantId { get; init; }

    /// <summary>Only jobs whose args contain this JSON object (PostgreSQL <c>@&gt;</c>: every key present with an
    /// equal value, nested objects matched the same way), e.g. <c>{"to":"ada@example.com"}</c>.</summary>
    public string? ArgsContain { get; init; }

    /// <summary>Only jobs created at or after this time.</summary>
    public DateTimeOffset? CreatedFrom { get; init; }

    /// <summary>Only jobs created before this time.</summary>
    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>Whether any filter is set.</summary>
    public bool IsEmpty =>
        Id is null && Kind is null && Queue is null && (States is null || States.Count == 0) && Tag is null &&
        TenantId is null && ArgsContain is null && CreatedFrom is null && CreatedBefore is null;

    /// <summary>Checks every filter; the message names the filter and the fix.</summary>
    /// <exception cref="JobValidationException">A filter is not valid.</exception>
    public void Validate()
    {
        if (Kind is not null)
        {
            JobValidator.ValidateKind(Kind);
        }

        if (Queue is not null)
        {
            JobValidator.ValidateQueue(Queue);
        }

        if (Tag is { Length: 0 or > EnqueueOptions.MaxTagLength })
        {
            throw new JobValidationException($"Tag is {Tag.Length} characters: use 1 to {EnqueueOptions.MaxTagLength}.");
        }

        if (TenantId is { Length: 0 or > EnqueueOptions.MaxTagLength })
        {
            throw new JobValidationException($"Tenant is {TenantId.Length} characters: use 1 to {EnqueueOptions.MaxTagLength}.");
        }

        if (ArgsContain is not null)
        {
            ValidateArgsFragment(ArgsContain);
        }

        if (CreatedFrom is { } from && CreatedBefore is { } before && before <= from)
        {
            throw new JobValidationException(
                $"The time range is empty: 'created before' ({before:O}) must be later than 'created from' ({from:O}).");
        }
    }

    private static void ValidateArgsFragment(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new JobValidationException(
                    $"Args filter must be a JSON object (args always are one), e.g. {{\"to\":\"ada@example.com\"}}; got a {document.RootElement.ValueKind.ToString().ToLowerInvariant()}.");
            }
        }
        catch (JsonException e)
        {
            throw new JobValidationException(
                $"Args filter is not valid JSON ({e.Message}); write a JSON object, e.g. {{\"to\":\"ada@example.com\"}}.", e);
        }
    }
}
