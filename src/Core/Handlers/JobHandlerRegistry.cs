using System.Text.Json;

namespace JobPlatform.Core;

/// <summary>The kinds a worker can run, each with its handler and options. Fill it before starting the engine.</summary>
public sealed class JobHandlerRegistry
{
    private readonly Dictionary<string, Registration> _kinds = new(StringComparer.Ordinal);

    /// <summary>Creates a registry holding the built-in <c>platform.noop</c> kind.</summary>
    public JobHandlerRegistry()
    {
        Register(new NoopHandler());
    }

    /// <summary>The registered kind names.</summary>
    public IReadOnlyCollection<string> Kinds => _kinds.Keys;

    /// <summary>Registers a handler instance for <typeparamref name="TArgs"/>'s kind.</summary>
    public JobHandlerRegistry Register<TArgs>(IJobHandler<TArgs> handler, JobKindOptions? options = null, JsonSerializerOptions? serializerOptions = null)
        where TArgs : IJobArgs
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Register<TArgs>(handler.HandleAsync, options, serializerOptions);
    }

    /// <summary>Registers a delegate for <typeparamref name="TArgs"/>'s kind (replacing an earlier one).</summary>
    public JobHandlerRegistry Register<TArgs>(Func<TArgs, JobContext, CancellationToken, Task> handler, JobKindOptions? options = null, JsonSerializerOptions? serializerOptions = null)
        where TArgs : IJobArgs
    {
        ArgumentNullException.ThrowIfNull(handler);
        var kind = TArgs.Kind;
        JobValidator.ValidateKind(kind);
        var serializer = serializerOptions ?? JobClientOptions.DefaultSerializerOptions;
        _kinds[kind] = new Registration(
            (json, context, ct) => handler(JobArgsSerializer.Deserialize<TArgs>(json, serializer, kind), context, ct),
            options ?? new JobKindOptions());
        return this;
    }

    internal bool TryGet(string kind, out Registration registration) => _kinds.TryGetValue(kind, out registration!);

    internal sealed record Registration(Func<string, JobContext, CancellationToken, Task> Invoke, JobKindOptions Options);
}
