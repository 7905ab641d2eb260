// A Stripe-like payment gateway for demos: dotnet JobPlatform.FakeGateway.dll --urls http://127.0.0.1:5090 [--ApiKey sk_test_demo]
await JobPlatform.FakeGateway.FakeGatewayServer.RunAsync(args);
