using JobPlatform.Core.Sql;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace JobPlatform.Core.Engine;

/// <summary>What every queue's fetch loop of one engine shares.</summary>
internal sealed record EngineParts(
    NpgsqlDataSource DataSource,
    SqlCatalog Sql,
    JobEngineOptions Options,
    JobExecutor Executor,
    BatchCompleter Completer,
    string WorkerId,
    TimeProvider Time,
    ILogger Logger);
