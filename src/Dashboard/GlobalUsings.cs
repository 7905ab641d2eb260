// Hangfire's dashboard routes, not ASP.NET Core's, wherever this project says RouteCollection.
global using RouteCollection = Hangfire.Dashboard.RouteCollection;
