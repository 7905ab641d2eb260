using JobPlatform.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace JobPlatform.Hosting.Tests;

public sealed class DataSourceDefaultsTests
{
    [Theory]
    [InlineData("Host=127.0.0.1;Database=jobs", ConnectionDefaults.MaxAutoPrepare)]
    [InlineData("Host=127.0.0.1;Database=jobs;Max Auto Prepare=0", 0)]
    public void The_hosts_data_source_prepares_statements_unless_the_connection_string_decides(string connectionString, int expected)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:JobPlatform"] = connectionString });
        builder.AddJobPlatformClient();
        using var host = builder.Build();
        var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxAutoPrepare);
    }
}
