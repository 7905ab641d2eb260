using System.Text.RegularExpressions;
using JobPlatform.Core;
using YamlDotNet.RepresentationModel;

namespace JobPlatform.Deploy.Tests;

/// <summary>What every rendered overlay must hold, checked on <c>kubectl kustomize</c>'s output.</summary>
public sealed partial class KubernetesTests
{
    /// <summary>A .NET host's shutdown when nothing sets it (HostOptions.ShutdownTimeout's default).</summary>
    private static readonly TimeSpan DefaultHostShutdown = TimeSpan.FromSeconds(30);

    /// <summary>What the worker host adds to the engine's ShutdownTimeout and CancelGrace for its own stop
    /// (JobPlatformWorkerExtensions).</summary>
    private static readonly TimeSpan WorkerHostMargin = TimeSpan.FromSeconds(20);

    public static TheoryData<string> Overlays => new(Manifests.Overlays);

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_deployment_has_probes_resources_a_restricted_non_root_context_and_a_grace_period_above_its_shutdown(string overlay)
    {
        var objects = Manifests.Render(overlay);
        var config = objects.Single(o => o.Kind() == "ConfigMap" && o.Name() == "jobplatform").Map("data");
        var deployments = objects.Where(o => o.Kind() == "Deployment").ToList();
        Assert.Equal(["jobplatform-dashboard", "jobplatform-scheduler", "jobplatform-worker"], deployments.Select(d => d.Name()).Order());
        foreach (var d in deployments)
        {
            var pod = d.Map("spec").Map("template").Map("spec");
            var name = d.Name();
            Assert.True(pod.Map("securityContext").Str("runAsNonRoot") == "true", $"{name}: runAsNonRoot");
            Assert.Equal("false", pod.Str("automountServiceAccountToken"));
            Assert.NotEmpty(pod.Seq("topologySpreadConstraints"));

            foreach (var c in pod.Seq("initContainers").Concat(pod.Seq("containers")))
            {
                var where = $"{name}/{c.Str("name")}";
                var resources = c.Map("resources");
                Assert.True(resources.MapOrNull("requests")?.StrOrNull("cpu") is not null, $"{where}: no CPU request");
                Assert.True(resources.MapOrNull("requests")?.StrOrNull("memory") is not null, $"{where}: no memory request");
                Assert.True(resources.MapOrNull("limits")?.StrOrNull("memory") is not null, $"{where}: no memory limit");
                var security = c.Map("securityContext");
                Assert.Equal("false", security.Str("allowPrivilegeEscalation"));
                Assert.Equal("true", security.Str("readOnlyRootFilesystem"));
                Assert.Equal(["ALL"], security.Map("capabilities").Strings("drop"));
            }

            var main = Assert.Single(pod.Seq("containers"));
            Assert.Equal("/health/live", main.Map("livenessProbe").Map("httpGet").Str("path"));
            Assert.Equal("/health/ready", main.Map("readinessProbe").Map("httpGet").Str("path"));
            // A new pod starts only after the migration: its init step waits for the schema.
            var init = Assert.Single(pod.Seq("initContainers"));
            Assert.Equal(["migrate", "--check", "--wait", "10m"], init.Strings("args"));

            var grace = TimeSpan.FromSeconds(int.Parse(pod.Str("terminationGracePeriodSeconds")));
            var shutdown = name == "jobplatform-worker"
                ? Setting(config, main, "JobPlatform__Worker__ShutdownTimeout", JobEngineOptions.DefaultShutdownTimeout)
                  + Setting(config, main, "JobPlatform__Worker__CancelGrace", JobEngineOptions.DefaultCancelGrace) + WorkerHostMargin
                : DefaultHostShutdown;
            Assert.True(grace > shutdown, $"{name}: terminationGracePeriodSeconds {grace.TotalSeconds} s is not above its shutdown of {shutdown.TotalSeconds} s");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_image_is_pinned_to_an_exact_version_or_a_digest(string overlay)
    {
        var images = Manifests.Render(overlay)
            .Where(o => o.Kind() is "Deployment" or "Job")
            .SelectMany(o => o.Map("spec").Map("template").Map("spec") is var pod ? pod.Seq("initContainers").Concat(pod.Seq("containers")) : [])
            .Select(c => c.Str("image"))
            .ToList();
        Assert.Equal(7, images.Count);
        Assert.All(images, image => Assert.Matches(PinnedImage(), image));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Secrets_exist_for_every_credential_and_hold_no_value(string overlay)
    {
        var secrets = Manifests.Render(overlay).Where(o => o.Kind() == "Secret").ToList();
        Assert.Equal(
            ["jobplatform-dashboard-users", "jobplatform-database", "jobplatform-payment-gateway", "jobplatform-slack", "jobplatform-smtp"],
            secrets.Select(s => s.Name()).Order());
        foreach (var secret in secrets)
        {
            var values = new[] { secret.MapOrNull("stringData"), secret.MapOrNull("data") }.Where(m => m is not null).SelectMany(m => m!.Children).ToList();
            Assert.NotEmpty(values);
            Assert.All(values, kv => Assert.True(((YamlScalarNode)kv.Value).Value is "" or null,
                $"Secret {secret.Name()} key {kv.Key} holds a value; secrets come from the cluster's secret manager"));
        }
    }

    [Fact]
    public void Production_scales_workers_with_keda_on_every_queue_they_serve_and_development_on_cpu()
    {
        var production = Manifests.Render("production");
        Assert.DoesNotContain(production, o => o.Kind() == "HorizontalPodAutoscaler");
        var scaled = production.Single(o => o.Kind() == "ScaledObject");
        Assert.Equal("jobplatform-worker", scaled.Map("spec").Map("scaleTargetRef").Str("name"));
        var triggers = scaled.Map("spec").Seq("triggers").ToList();
        var queues = production.Single(o => o.Kind() == "ConfigMap").Map("data").Children.Keys
            .Select(k => ((YamlScalarNode)k).Value!)
            .Where(k => k.StartsWith("JobPlatform__Worker__Queues__", StringComparison.Ordinal))
            .Select(k => k["JobPlatform__Worker__Queues__".Length..])
            .ToList();
        Assert.NotEmpty(queues);
        foreach (var queue in queues)
        {
            Assert.Contains(triggers, t => t.StrOrNull("name") == $"{queue}-latency" && t.Str("type") == "postgresql");
            Assert.Contains(triggers, t => t.StrOrNull("name") == $"{queue}-depth" && t.Str("type") == "postgresql");
        }

        Assert.Contains(triggers, t => t.Str("type") == "cpu");
        Assert.Contains(production, o => o.Kind() == "ServiceMonitor");

        var development = Manifests.Render("development");
        Assert.DoesNotContain(development, o => o.Kind() == "ScaledObject");
        var hpa = development.Single(o => o.Kind() == "HorizontalPodAutoscaler");
        Assert.Equal("cpu", Assert.Single(hpa.Map("spec").Seq("metrics")).Map("resource").Str("name"));
    }

    [Fact]
    public void The_migration_job_uses_jobctl_and_runs_as_a_pre_sync_hook()
    {
        var job = Manifests.Render("production").Single(o => o.Kind() == "Job");
        var container = Assert.Single(job.Map("spec").Map("template").Map("spec").Seq("containers"));
        Assert.Contains("/jobctl:", container.Str("image"));
        Assert.Equal(["migrate"], container.Strings("args"));
        Assert.Equal("PreSync", job.Map("metadata").Map("annotations").Str("argocd.argoproj.io/hook"));
    }

    private static TimeSpan Setting(YamlMappingNode config, YamlMappingNode container, string key, TimeSpan fallback)
    {
        var env = container.Seq("env").FirstOrDefault(e => e.Str("name") == key)?.StrOrNull("value");
        var text = env ?? config.StrOrNull(key);
        return text is null ? fallback : TimeSpan.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A tag of an exact version (1.0.0, 10.0.12-trixie-slim) or a digest; never latest or a moving major.</summary>
    [GeneratedRegex(@"^[a-z0-9./-]+(:\d+\.\d+\.\d+[a-z0-9.-]*|@sha256:[0-9a-f]{64})$")]
    internal static partial Regex PinnedImage();
}
