namespace JobPlatform.Cli;

/// <summary>Bad input caught by jobctl itself; reported as one line with exit code 2, nothing written.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
