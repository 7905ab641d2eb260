namespace JobPlatform.Core.Storage;

/// <summary>Of the jobs a bulk action found in <paramref name="Before"/>, how many there were and how many changed.</summary>
internal readonly record struct StateChange(JobState Before, int Found, int Changed);
