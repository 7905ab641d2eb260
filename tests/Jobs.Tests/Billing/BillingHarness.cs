using JobPlatform.Core;
using JobPlatform.FakeGateway;
using JobPlatform.Jobs.Billing;
using JobPlatform.Jobs.Resilience;
using JobPlatform.Jobs.Schema;
using JobPlatform.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace JobPlatform.Jobs.Tests.Billing;

/// <summary>
/// One test's billing world: its own schema (platform + catalogue migrations), a FakeGateway on a free port
/// requiring an API key, the billing handlers wired as the worker wires them, and an in-process engine.
/// </summary>
internal sealed class BillingHarness : IAsyncDisposable
{
    /// <summary>Fast job retries, so a failed attempt comes back within a second.</summary>
    public static readonly RetryPolicy FastRetry = new() { BaseDelay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(1) };

    private readonly ServiceProvider _services;
    private JobEngine? _engine;

    private BillingHarness(TestDatabase db, FakeGatewayServer gateway, string apiKey, DependencyOptions resilience, int pageSize)
    {
        Db = db;
        Gateway = gateway;
        ApiKey = apiKey;
        Client = db.CreateClient();
        Store = new BillingStore(db.DataSource, Client);
        _services = new ServiceCollection()
            .AddHttpClient(PaymentGatewayClient.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan).Services
            .BuildServiceProvider();
        GatewayOptions = new PaymentGatewayOptions { BaseUrl = gateway.BaseUrl, ApiKey = apiKey };
        Dependency = new Dependency(Dependencies.PaymentGateway, resilience);
        RunOptions = new BillingRunOptions { PageSize = pageSize };
    }

    public TestDatabase Db { get; }

    public FakeGatewayServer Gateway { get; }

    public string ApiKey { get; }

    public JobClient Client { get; }

    public BillingStore Store { get; }

    public PaymentGatewayOptions GatewayOptions { get; }

    public Dependency Dependency { get; }

    public BillingRunOptions RunOptions { get; }

    /// <summary>Quick in-process retries and a breaker that does not open unless a test asks for it.</summary>
    public static DependencyOptions QuietResilience(TimeSpan? timeout = null) => new()
    {
        Timeout = timeout ?? TimeSpan.FromSeconds(10),
        MaxRetryAttempts = 3,
        RetryDelay = TimeSpan.FromMilliseconds(20),
        MinimumThroughput = 1000,
        MaxInProcessRetryAfter = TimeSpan.FromSeconds(2),
    };

    public static async Task<BillingHarness> CreateAsync(DependencyOptions? resilience = null, int pageSize = 1000)
    {
        var db = await TestDatabase.CreateAsync();
        await JobsModuleMigration.CreateMigrator(db.DataSource, db.Schema).MigrateAsync();
        var apiKey = "sk_test_" + Guid.NewGuid().ToString("N");
        var gateway = await FakeGatewayServer.StartAsync(apiKey: apiKey);
        return new BillingHarness(db, gateway, apiKey, resilience ?? QuietResilience(), pageSize);
    }

    public BillingChargeHandler ChargeHandler(PaymentGatewayOptions? gatewayOptions = null, Func<Invoice, GatewayChargeOutcome, CancellationToken, Task>? afterGatewayCall = null) =>
        new(Store,
            new PaymentGatewayClient(_services.GetRequiredService<IHttpClientFactory>(), Options.Create(gatewayOptions ?? GatewayOptions)),
            new Dependencies([Dependency]),
            Db.DataSource,
            Options.Create(RunOptions),
            NullLogger<BillingChargeHandler>.Instance)
        {
            AfterGatewayCall = afterGatewayCall,
        };

    public BillingRunHandler RunHandler() => new(Store, Client, Options.Create(RunOptions), NullLogger<BillingRunHandler>.Instance);

    /// <summary>A registry with both billing kinds (as the worker registers them, with fast retries) and a
    /// completing stand-in for <c>email.send</c>, whose handler is another area's.</summary>
    public JobHandlerRegistry Registry(BillingChargeHandler? charge = null) => new JobHandlerRegistry()
        .Register(RunHandler(), new JobKindOptions { Timeout = TimeSpan.FromMinutes(1) })
        .Register(charge ?? ChargeHandler(), new JobKindOptions { Timeout = TimeSpan.FromMinutes(1), Retry = FastRetry })
        .Register<EmailSendArgs>((_, _, _) => Task.CompletedTask);

    public async Task StartEngineAsync(JobHandlerRegistry? registry = null)
    {
        _engine = new JobEngine(Db.DataSource, Db.EngineOptions(), registry ?? Registry(), jitter: () => 0.5);
        await _engine.StartAsync();
    }

    /// <summary>A customer with one active subscription of <paramref name="amountMinor"/> <paramref name="currency"/>; its id.</summary>
    public async Task<long> AddSubscriptionAsync(long amountMinor = 1999, string currency = "EUR", string status = "active", string startedOn = "2026-01-15", string? email = null)
    {
        var customer = await Db.ScalarAsync<long>(
            "INSERT INTO {schema}.billing_customers (email, name, gateway_customer) VALUES ($1, $2, $3) RETURNING id",
            email ?? $"ada{Guid.NewGuid():N}@example.com", "Ada Lovelace", "cus_" + Guid.NewGuid().ToString("N")[..14]);
        return await Db.ScalarAsync<long>(
            "INSERT INTO {schema}.billing_subscriptions (customer_id, plan, amount_minor, currency, status, started_on) VALUES ($1, 'pro', $2, $3, $4, $5::date) RETURNING id",
            customer, amountMinor, currency, status, startedOn);
    }

    public Task<long> CountAsync(string sql, params object[] args) => Db.ScalarAsync<long>(sql, args);

    public async Task<Job> WaitForAsync(Guid id, Func<Job, bool> predicate, string what, int seconds = 30)
    {
        Job? job = null;
        await TestDatabase.WaitUntilAsync(async () =>
        {
            job = await Client.GetAsync(id);
            return job is not null && predicate(job);
        }, TimeSpan.FromSeconds(seconds),
            $"{what} (last seen: {job?.State}, attempt {job?.Attempt}, errors: {string.Join(" | ", job?.Errors.Select(e => e.Message) ?? [])})");
        return job!;
    }

    public Task<Job> WaitForStateAsync(Guid id, JobState state, int seconds = 30) =>
        WaitForAsync(id, j => j.State == state, $"job {id} to be {state}", seconds);

    public async Task<Guid> EnqueueChargeAsync(long subscriptionId, string period = "2026-11") =>
        (await Client.EnqueueAsync(new BillingChargeArgs { SubscriptionId = subscriptionId, Period = period },
            new EnqueueOptions { Unique = new UniqueOptions { Key = BillingChargeArgs.UniqueKey(subscriptionId, period) } })).Id;

    public async ValueTask DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }

        await Gateway.DisposeAsync();
        await _services.DisposeAsync();
        await Db.DisposeAsync();
    }
}
