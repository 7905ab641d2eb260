namespace JobPlatform.Core.Storage;

/// <summary>The filters of <c>search_job_ids</c>, already validated, with the id bounds of the time range.</summary>
internal sealed record JobIdSearch(
    string? Kind, string? Queue, string[]? States, string? Tag, string? TenantId, string? ArgsContain,
    DateTimeOffset? CreatedFrom, DateTimeOffset? CreatedBefore, Guid? After, Guid? LowId, Guid? HighId, int Limit);
