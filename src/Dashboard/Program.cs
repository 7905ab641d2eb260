using JobPlatform.Dashboard;
using JobPlatform.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddJobPlatformServiceDefaults();
builder.AddJobPlatformDashboard();

var app = builder.Build();
app.UseJobPlatformRequestLogging();
app.UseJobPlatformDashboard();
app.MapJobPlatformDefaultEndpoints();
app.Run();
