using JobPlatform.Core;
using Microsoft.Extensions.Configuration;

namespace JobPlatform.Hosting.Tests;

public sealed class WorkerOptionsBindingTests
{
    [Fact]
    public void Binding_a_workers_retry_settings_changes_that_worker_only_not_the_default_policy()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["JobPlatform:Worker:Retry:BaseDelay"] = "00:00:42",
            ["JobPlatform:Worker:Tuning:HeartbeatInterval"] = "00:00:02",
        }).Build();

        var bound = configuration.GetSection(JobEngineOptions.SectionName).Get<JobEngineOptions>()!;

        Assert.Equal(TimeSpan.FromSeconds(42), bound.Retry.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(2), bound.Tuning.HeartbeatInterval);
        Assert.Equal(RetryPolicy.DefaultBaseDelay, RetryPolicy.Default.BaseDelay);
        Assert.Equal(RetryPolicy.DefaultBaseDelay, new JobEngineOptions().Retry.BaseDelay);
        Assert.Equal(JobEngineTuning.DefaultHeartbeatInterval, new JobEngineOptions().Tuning.HeartbeatInterval);
    }
}
