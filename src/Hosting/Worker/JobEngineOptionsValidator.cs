using JobPlatform.Core;
using Microsoft.Extensions.Options;

namespace JobPlatform.Hosting;

/// <summary>Fails the start with the engine's own messages, each naming its configuration key.</summary>
internal sealed class JobEngineOptionsValidator : IValidateOptions<JobEngineOptions>
{
    public ValidateOptionsResult Validate(string? name, JobEngineOptions options)
    {
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
