# syntax=docker/dockerfile:1
# jobctl, the operators' command line; deployments run its `migrate` before new workers start. Build from the
# repository's root:
#   docker build -f deploy/images/jobctl.Dockerfile -t jobplatform-jobctl:1.0.0 .
# Versions are exact; replace them with digests (image@sha256:…) in a registry that mirrors them.
ARG DOTNET_SDK=10.0.401-trixie-slim
ARG DOTNET_RUNTIME=10.0.12-trixie-slim

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_SDK} AS build
WORKDIR /src
# Restore first, from the project files only, so a change of code does not download the packages again.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Core/Core.csproj src/Core/
COPY src/Hosting/Hosting.csproj src/Hosting/
COPY src/Jobs.Contracts/Jobs.Contracts.csproj src/Jobs.Contracts/
COPY src/Cli/Cli.csproj src/Cli/
RUN dotnet restore src/Cli/Cli.csproj
COPY src/ src/
RUN dotnet publish src/Cli/Cli.csproj -c Release --no-restore -o /app /p:UseAppHost=false

# The ASP.NET runtime: jobctl shares the hosts' library (src/Hosting), which is an ASP.NET Core library.
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_RUNTIME} AS final
ARG DOTNET_RUNTIME
WORKDIR /app
COPY --from=build /app .
ENV DOTNET_NOLOGO=1
USER $APP_UID
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="jobplatform-jobctl" \
      org.opencontainers.image.description="jobctl: migrate, inspect and steer JobPlatform's queues" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="mcr.microsoft.com/dotnet/aspnet:${DOTNET_RUNTIME}"
ENTRYPOINT ["dotnet", "jobctl.dll"]
CMD ["migrate"]
