# syntax=docker/dockerfile:1
# The worker: the engine and the job catalogue's handlers. Build from the repository's root:
#   docker build -f deploy/images/worker.Dockerfile -t jobplatform-worker:1.0.0 .
# Versions are exact (the SDK and runtime this repository builds and is tested with); replace them with digests
# (image@sha256:…) in a registry that mirrors them.
ARG DOTNET_SDK=10.0.401-trixie-slim
ARG DOTNET_RUNTIME=10.0.12-trixie-slim

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_SDK} AS build
WORKDIR /src
# Restore first, from the project files only, so a change of code does not download the packages again.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Core/Core.csproj src/Core/
COPY src/Hosting/Hosting.csproj src/Hosting/
COPY src/Jobs.Contracts/Jobs.Contracts.csproj src/Jobs.Contracts/
COPY src/Jobs/Jobs.csproj src/Jobs/
COPY src/Worker/Worker.csproj src/Worker/
RUN dotnet restore src/Worker/Worker.csproj
COPY src/ src/
RUN dotnet publish src/Worker/Worker.csproj -c Release --no-restore -o /app /p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_RUNTIME} AS final
ARG DOTNET_RUNTIME
# Chromium renders the PDF reports (Reports:ChromiumPath); fonts so that they have glyphs. libvips comes inside
# the NetVips.Native package, not from apt.
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_NOLOGO=1 \
    JobPlatform__Logging__Format=json \
    Reports__ChromiumPath=/usr/bin/chromium \
    Blobs__Root=/var/lib/jobplatform/blobs
EXPOSE 8080
# The blob store's directory belongs to the unprivileged user, so a volume mounted there starts writable.
RUN mkdir -p /var/lib/jobplatform/blobs && chown "$APP_UID" /var/lib/jobplatform/blobs
# The image's unprivileged user (uid 1654). The root filesystem can be read-only: the worker writes only to /tmp
# (Chromium's profile) and the blob store.
USER $APP_UID
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="jobplatform-worker" \
      org.opencontainers.image.description="JobPlatform worker: runs jobs from PostgreSQL queues" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="mcr.microsoft.com/dotnet/aspnet:${DOTNET_RUNTIME}"
ENTRYPOINT ["dotnet", "JobPlatform.Worker.dll"]
