namespace JobPlatform.Core;

/// <summary>The outcome of inserting one job.</summary>
/// <param name="Id">The new job's id, or the id of the existing job that holds the unique key.</param>
/// <param name="Duplicate">True when no job was inserted because the unique key was taken.</param>
public readonly record struct JobInsertResult(Guid Id, bool Duplicate);
