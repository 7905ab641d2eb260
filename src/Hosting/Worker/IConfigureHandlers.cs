using JobPlatform.Core;
using Microsoft.Extensions.DependencyInjection;

namespace JobPlatform.Hosting;

/// <summary>A handler registration made through DI, applied to the registry when the worker starts.</summary>
internal interface IConfigureHandlers
{
    void Apply(JobHandlerRegistry registry, IServiceProvider services);
}

/// <summary>Runs <typeparamref name="THandler"/> from a fresh DI scope for each attempt.</summary>
internal sealed class ConfigureHandler<TArgs, THandler>(JobKindOptions? options) : IConfigureHandlers
    where TArgs : IJobArgs
    where THandler : class, IJobHandler<TArgs>
{
    public void Apply(JobHandlerRegistry registry, IServiceProvider services) =>
        registry.Register<TArgs>(async (args, context, ct) =>
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<THandler>().HandleAsync(args, context, ct).ConfigureAwait(false);
        }, options);
}
