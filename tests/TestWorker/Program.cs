using JobPlatform.Hosting;
using JobPlatform.TestWorker;

var builder = WebApplication.CreateBuilder(args);
builder.AddJobPlatformServiceDefaults();
builder.AddJobPlatformWorker();
builder.Services.AddJobHandler<RecordArgs, RecordHandler>();

var app = builder.Build();
app.MapJobPlatformDefaultEndpoints();
app.Run();
