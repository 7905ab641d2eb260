using System.Text.Json;
using JobPlatform.TestSupport;

namespace JobPlatform.Hosting.Tests;

/// <summary>
/// Only the scheduler's host references Quartz (src/Scheduler.Hosting): the worker, the job catalogue, jobctl and the
/// dashboard are built without it. Read from each project's dependency manifest, which lists every package it runs
/// with, transitive ones too (an unused package reference would still show there, where an assembly's own reference
/// list would drop it).
/// </summary>
public sealed class QuartzBoundaryTests
{
    [Theory]
    [InlineData("src/Worker", "JobPlatform.Worker")]
    [InlineData("src/Jobs", "JobPlatform.Jobs")]
    [InlineData("src/Cli", "jobctl")]
    [InlineData("src/Dashboard", "JobPlatform.Dashboard")]
    public void Is_built_without_Quartz(string project, string assembly)
    {
        var libraries = Libraries(project, assembly);

        // The manifest is read in full: the platform's own projects are in it.
        Assert.Contains("JobPlatform.Core", libraries);
        Assert.Contains("JobPlatform.Hosting", libraries);
        Assert.DoesNotContain(libraries, name => name.StartsWith("Quartz", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_scheduler_is_built_with_Quartz_read_the_same_way()
    {
        var libraries = Libraries("src/Scheduler", "JobPlatform.Scheduler");

        Assert.Contains("Quartz", libraries);
        Assert.Contains("JobPlatform.Scheduler.Hosting", libraries);
    }

    /// <summary>The names of every library in the manifest and of every dependency any of them declares.</summary>
    private static HashSet<string> Libraries(string project, string assembly)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(ProductPaths.DepsJson(project, assembly)));
        var root = manifest.RootElement;
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var library in root.GetProperty("libraries").EnumerateObject())
        {
            names.Add(library.Name.Split('/')[0]);
        }

        foreach (var target in root.GetProperty("targets").EnumerateObject())
        {
            foreach (var library in target.Value.EnumerateObject())
            {
                names.Add(library.Name.Split('/')[0]);
                if (library.Value.TryGetProperty("dependencies", out var dependencies))
                {
                    foreach (var dependency in dependencies.EnumerateObject())
                    {
                        names.Add(dependency.Name);
                    }
                }
            }
        }

        return names;
    }
}
