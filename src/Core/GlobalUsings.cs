// The engine's parts live in feature folders with namespaces of their own; inside Core they see each other freely.
global using JobPlatform.Core.Completion;
global using JobPlatform.Core.Engine;
global using JobPlatform.Core.Execution;
global using JobPlatform.Core.Fetching;
global using JobPlatform.Core.HandOff;
global using JobPlatform.Core.Heartbeat;
global using JobPlatform.Core.Notifications;
