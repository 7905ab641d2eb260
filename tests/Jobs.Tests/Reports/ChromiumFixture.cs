using JobPlatform.Jobs.Reports;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace JobPlatform.Jobs.Tests.Reports;

/// <summary>One warm Chromium shared by the report tests of the <see cref="ChromiumCollection"/> (a launch costs 1-3 s).</summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    internal ChromiumBrowser Browser { get; } = new(Options.Create(new ReportOptions()), NullLogger<ChromiumBrowser>.Instance);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Browser.DisposeAsync();
}

/// <summary>The tests that print on the shared browser.</summary>
[CollectionDefinition(Name)]
public sealed class ChromiumCollection : ICollectionFixture<ChromiumFixture>
{
    public const string Name = "chromium";
}
