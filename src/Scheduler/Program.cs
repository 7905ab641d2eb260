using JobPlatform.Hosting;
using JobPlatform.Scheduler.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddJobPlatformServiceDefaults();
builder.AddJobPlatformScheduler();

var app = builder.Build();
app.UseJobPlatformRequestLogging();
app.MapJobPlatformDefaultEndpoints();
app.Run();
