using JobPlatform.Core.Storage;
using Microsoft.Extensions.Logging;

namespace JobPlatform.Core.Engine;

/// <summary>What every queue's fetch loop of one engine shares.</summary>
internal sealed record EngineParts(
    FetchStore Fetches,
    JobEngineOptions Options,
    JobExecutor Executor,
    BatchCompleter Completer,
    TimeProvider Time,
    ILogger Logger);
