namespace JobPlatform.Dashboard.Storage;

/// <summary>What the storage adapter needs to know beyond the database: how long finished jobs are kept (the
/// workers' pruner settings, read from the same <c>JobPlatform:Worker</c> keys), and how long one statistics
/// reading serves every page and open tab of this process.</summary>
/// <param name="CompletedRetention">How long completed jobs are kept.</param>
/// <param name="DiscardedRetention">How long discarded and cancelled jobs are kept.</param>
/// <param name="StatisticsCacheDuration">How long one reading of the counts is reused.</param>
public sealed record StorageSettings(TimeSpan CompletedRetention, TimeSpan DiscardedRetention, TimeSpan StatisticsCacheDuration);
