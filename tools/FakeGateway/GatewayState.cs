namespace JobPlatform.FakeGateway;

/// <summary>The gateway's memory: charges, idempotency keys, pending faults and the request log. Thread-safe.</summary>
internal sealed class GatewayState(string? apiKey)
{
    private readonly Lock _lock = new();
    private readonly List<FakeCharge> _charges = [];
    private readonly Dictionary<string, IdempotentResult> _keys = new(StringComparer.Ordinal);
    private readonly Queue<GatewayFault> _faults = new();
    private readonly List<RecordedRequest> _requests = [];

    private int _arrived;

    public string? ApiKey { get; } = apiKey;

    /// <summary>Charge requests that arrived, counted before they are handled (the log has them once answered).</summary>
    public int Arrived => Volatile.Read(ref _arrived);

    public void Arrive() => Interlocked.Increment(ref _arrived);

    public IReadOnlyList<FakeCharge> Charges
    {
        get { lock (_lock) { return [.. _charges]; } }
    }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get { lock (_lock) { return [.. _requests]; } }
    }

    public int PendingFaults
    {
        get { lock (_lock) { return _faults.Count; } }
    }

    public void InjectFault(GatewayFault fault, int count)
    {
        lock (_lock)
        {
            for (var i = 0; i < count; i++)
            {
                _faults.Enqueue(fault);
            }
        }
    }

    public void ClearFaults()
    {
        lock (_lock) { _faults.Clear(); }
    }

    public GatewayFault? NextFault()
    {
        lock (_lock) { return _faults.TryDequeue(out var fault) ? fault : null; }
    }

    public void Record(RecordedRequest request)
    {
        lock (_lock) { _requests.Add(request); }
    }

    public void AddCharge(FakeCharge charge)
    {
        lock (_lock) { _charges.Add(charge); }
    }

    public FakeCharge? FindCharge(string id)
    {
        lock (_lock) { return _charges.Find(c => c.Id == id); }
    }

    /// <summary>Claims <paramref name="key"/> for a request with <paramref name="fingerprint"/>: null when it is new
    /// (the caller must <see cref="Complete"/> or <see cref="Release"/> it), else the existing entry.</summary>
    public IdempotentResult? Claim(string key, string fingerprint)
    {
        lock (_lock)
        {
            if (_keys.TryGetValue(key, out var existing))
            {
                return existing;
            }

            _keys[key] = new IdempotentResult(fingerprint);
            return null;
        }
    }

    public void Complete(string key, int status, string body)
    {
        lock (_lock) { _keys[key].Answer = (status, body); }
    }

    /// <summary>Forgets a claim whose request did not run (Stripe does not keep keys of requests that failed validation).</summary>
    public void Release(string key)
    {
        lock (_lock) { _keys.Remove(key); }
    }
}
