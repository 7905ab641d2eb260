using JobPlatform.Core;
using JobPlatform.Jobs;

namespace JobPlatform.Cli.Enqueueing;

/// <summary>The args records jobctl checks before writing: the built-in kind and the job catalogue's
/// (from the dependency-free contracts assembly; the handlers are never run here).</summary>
internal static class CatalogueKinds
{
    public static JobHandlerRegistry Create()
    {
        var registry = new JobHandlerRegistry();
        Add<EmailSendArgs>(registry);
        Add<ImageThumbnailArgs>(registry);
        Add<ImageTransformArgs>(registry);
        Add<BillingRunArgs>(registry);
        Add<BillingChargeArgs>(registry);
        Add<ReportGenerateArgs>(registry);
        return registry;
    }

    private static void Add<TArgs>(JobHandlerRegistry registry) where TArgs : IJobArgs =>
        registry.Register<TArgs>((_, _, _) => throw new InvalidOperationException("jobctl only validates args; workers run jobs."));
}
