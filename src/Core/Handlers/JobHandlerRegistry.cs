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
            (json, context, ct) => handler(DeserializeOrDiscard<TArgs>(json, serializer, kind), context, ct),
            json => DeserializeOrThrow<TArgs>(json, serializer, kind),
            options ?? new JobKindOptions());
        return this;
    }

    /// <summary>
    /// Checks that <paramref name="argsJson"/> deserializes into the args record of <paramref name="kind"/>, so a
    /// caller can refuse bad args before they are written. False when this registry does not know the kind.
    /// </summary>
    /// <exception cref="JobValidationException">The kind is known and the args do not fit its record.</exception>
    public bool ValidateArgs(string kind, string argsJson)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(argsJson);
        if (!_kinds.TryGetValue(kind, out var registration))
        {
            return false;
        }

        registration.Check(argsJson);
        return true;
    }

    internal bool TryGet(string kind, out Registration registration) => _kinds.TryGetValue(kind, out registration!);

    private static TArgs DeserializeOrThrow<TArgs>(string json, JsonSerializerOptions serializer, string kind)
    {
        try
        {
            return JobArgsSerializer.Deserialize<TArgs>(json, serializer, kind);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            throw new JobValidationException($"Args of kind '{kind}' do not fit {typeof(TArgs).Name}: {e.Message}", e);
        }
    }

    /// <summary>Args that do not fit the record fail every attempt the same way: discard at once rather than
    /// retrying for days. Only the deserialization is covered; a JsonException from the handler still retries.</summary>
    private static TArgs DeserializeOrDiscard<TArgs>(string json, JsonSerializerOptions serializer, string kind)
    {
        try
        {
            return DeserializeOrThrow<TArgs>(json, serializer, kind);
        }
        catch (JobValidationException e)
        {
            throw new DiscardJobException($"{e.Message} Retrying cannot help; enqueue the job again with corrected args.", e.InnerException);
        }
    }

    internal sealed record Registration(Func<string, JobContext, CancellationToken, Task> Invoke, Action<string> Check, JobKindOptions Options);
}
