# syntax=docker/dockerfile:1
# The scheduler: recurring schedules on Quartz.NET's clustered store, platform tasks and backlog alerts. Build
# from the repository's root:
#   docker build -f deploy/images/scheduler.Dockerfile -t jobplatform-scheduler:1.0.0 .
# Versions are exact; replace them with digests (image@sha256:…) in a registry that mirrors them.
ARG DOTNET_SDK=10.0.401-trixie-slim
ARG DOTNET_RUNTIME=10.0.12-trixie-slim

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_SDK} AS build
WORKDIR /src
# Restore first, from the project files only, so a change of code does not download the packages again.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Core/Core.csproj src/Core/
COPY src/Hosting/Hosting.csproj src/Hosting/
COPY src/Scheduler.Hosting/Scheduler.Hosting.csproj src/Scheduler.Hosting/
COPY src/Scheduler/Scheduler.csproj src/Scheduler/
RUN dotnet restore src/Scheduler/Scheduler.csproj
COPY src/ src/
RUN dotnet publish src/Scheduler/Scheduler.csproj -c Release --no-restore -o /app /p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_RUNTIME} AS final
ARG DOTNET_RUNTIME
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_NOLOGO=1 \
    JobPlatform__Logging__Format=json
EXPOSE 8080
# The image's unprivileged user (uid 1654); the scheduler writes nothing to disk (root filesystem read-only).
USER $APP_UID
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="jobplatform-scheduler" \
      org.opencontainers.image.description="JobPlatform scheduler: recurring schedules, maintenance tasks and backlog alerts" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="mcr.microsoft.com/dotnet/aspnet:${DOTNET_RUNTIME}"
ENTRYPOINT ["dotnet", "JobPlatform.Scheduler.dll"]
