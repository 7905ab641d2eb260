using System.Diagnostics;
using JobPlatform.TestSupport;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace JobPlatform.Deploy.Tests;

/// <summary>The deployment files as their tools read them: overlays rendered by <c>kubectl kustomize</c>, the compose
/// file with its anchors and merge keys resolved.</summary>
internal static class Manifests
{
    public static readonly string[] Overlays = ["development", "production"];

    /// <summary>Every object an overlay renders, as YAML mappings.</summary>
    public static IReadOnlyList<YamlMappingNode> Render(string overlay)
    {
        var dir = ProductPaths.Source($"deploy/kubernetes/overlays/{overlay}");
        var psi = new ProcessStartInfo("kubectl", ["kustomize", dir]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("kubectl did not start");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill();
            throw new TimeoutException($"kubectl kustomize {dir} did not finish in 60 s");
        }

        Assert.True(p.ExitCode == 0, $"kubectl kustomize {dir} failed: {stderr.Result}");
        return Parse(new StringReader(stdout.Result));
    }

    /// <summary>The documents of a YAML stream, with anchors expanded and merge keys (<c>&lt;&lt;</c>) applied.</summary>
    public static IReadOnlyList<YamlMappingNode> Parse(TextReader text)
    {
        var stream = new YamlStream();
        stream.Load(new MergingParser(new Parser(text)));
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    public static YamlMappingNode LoadFile(string relative)
    {
        using var reader = File.OpenText(ProductPaths.Source(relative));
        return Assert.Single(Parse(reader));
    }

    public static string Kind(this YamlMappingNode o) => o.Str("kind");

    public static string Name(this YamlMappingNode o) => o.Map("metadata").Str("name");

    public static YamlMappingNode Map(this YamlMappingNode o, string key) =>
        o.Children.TryGetValue(key, out var v) ? (YamlMappingNode)v : throw new KeyNotFoundException($"no '{key}' in {Describe(o)}");

    public static YamlMappingNode? MapOrNull(this YamlMappingNode o, string key) =>
        o.Children.TryGetValue(key, out var v) ? v as YamlMappingNode : null;

    public static IEnumerable<YamlMappingNode> Seq(this YamlMappingNode o, string key) =>
        o.Children.TryGetValue(key, out var v) ? ((YamlSequenceNode)v).Children.Cast<YamlMappingNode>() : [];

    public static string Str(this YamlMappingNode o, string key) =>
        o.Children.TryGetValue(key, out var v) ? ((YamlScalarNode)v).Value ?? "" : throw new KeyNotFoundException($"no '{key}' in {Describe(o)}");

    public static string? StrOrNull(this YamlMappingNode o, string key) =>
        o.Children.TryGetValue(key, out var v) ? (v as YamlScalarNode)?.Value : null;

    public static IEnumerable<string> Strings(this YamlMappingNode o, string key) =>
        o.Children.TryGetValue(key, out var v) ? ((YamlSequenceNode)v).Children.Select(c => ((YamlScalarNode)c).Value ?? "") : [];

    private static string Describe(YamlMappingNode o) => o.Start.ToString();
}
