using JobPlatform.Hosting;
using JobPlatform.Jobs;

var builder = WebApplication.CreateBuilder(args);
builder.AddJobPlatformServiceDefaults();
builder.AddJobPlatformWorker();
builder.AddJobPlatformJobs();

var app = builder.Build();
app.UseJobPlatformRequestLogging();
app.MapJobPlatformDefaultEndpoints();
app.Run();
