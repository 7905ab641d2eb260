using Microsoft.Extensions.Options;

namespace JobPlatform.Jobs.Billing;

/// <summary>Fails the worker's start, naming the key and the bad value, when <c>Billing:Gateway:BaseUrl</c> is not an http(s) URL.</summary>
internal sealed class PaymentGatewayOptionsValidator : IValidateOptions<PaymentGatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, PaymentGatewayOptions options) =>
        options.Validate() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
