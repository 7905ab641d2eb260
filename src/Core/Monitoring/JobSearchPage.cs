namespace JobPlatform.Core.Monitoring;

/// <summary>One page of a search, newest first.</summary>
/// <param name="Jobs">The jobs of this page.</param>
/// <param name="Next">The cursor of the next page (pass it as <c>after</c>), or null when this page is the last.</param>
public sealed record JobSearchPage(IReadOnlyList<Job> Jobs, Guid? Next);
