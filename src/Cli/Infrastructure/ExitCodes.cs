namespace JobPlatform.Cli;

/// <summary>jobctl's exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>The command ran and failed: database unreachable, no such job, a PostgreSQL error.</summary>
    public const int Failure = 1;

    /// <summary>Bad input or usage; nothing was written.</summary>
    public const int Usage = 2;

    /// <summary>Interrupted (Ctrl+C, SIGTERM), as shells report SIGINT.</summary>
    public const int Cancelled = 130;
}
