using JobPlatform.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddJobPlatformServiceDefaults();
builder.AddJobPlatformWorker();

var app = builder.Build();
app.MapJobPlatformDefaultEndpoints();
app.Run();
