# syntax=docker/dockerfile:1
#
# The Slipway image: one `slipway` command that runs the control plane (`slipway server`, the default) or the serving
# data plane (`slipway serve`), and that pipeline Jobs run for `uses: train` steps. Build from the repository root:
#
#   docker build -t ghcr.io/slipway/slipway:latest .
#
# The tag matches KubernetesExecutorOptions.DefaultImage and the Helm chart's default image, so that the pipelines'
# Kubernetes executor and the chart pull the same thing. See docs/kubernetes.md.
#
# The default command listens on every interface, so it turns authentication on: the first start creates the
# administrator `admin` from SLIPWAY_ADMIN_PASSWORD (at least 12 characters), which later starts no longer need:
#
#   docker run -p 5000:5000 -v slipway-data:/data -e SLIPWAY_ADMIN_PASSWORD="$(cat admin-password)" ghcr.io/slipway/slipway:latest
#
# Behind a network that already controls access, `server --host 0.0.0.0 --insecure-no-auth` runs without it.

# ---- build: restore with only the project files first, so that a source change does not throw the restore layer away
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
WORKDIR /source

COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Slipway.Core/Slipway.Core.csproj src/Slipway.Core/
COPY src/Slipway.Artifacts/Slipway.Artifacts.csproj src/Slipway.Artifacts/
COPY src/Slipway.Client/Slipway.Client.csproj src/Slipway.Client/
COPY src/Slipway.Storage/Slipway.Storage.csproj src/Slipway.Storage/
COPY src/Slipway.Tracking/Slipway.Tracking.csproj src/Slipway.Tracking/
COPY src/Slipway.Security/Slipway.Security.csproj src/Slipway.Security/
COPY src/Slipway.Registry/Slipway.Registry.csproj src/Slipway.Registry/
COPY src/Slipway.Serving/Slipway.Serving.csproj src/Slipway.Serving/
COPY src/Slipway.Monitoring/Slipway.Monitoring.csproj src/Slipway.Monitoring/
COPY src/Slipway.Pipelines/Slipway.Pipelines.csproj src/Slipway.Pipelines/
COPY src/Slipway.Training/Slipway.Training.csproj src/Slipway.Training/
COPY src/Slipway.Web/Slipway.Web.csproj src/Slipway.Web/
COPY src/Slipway.Server/Slipway.Server.csproj src/Slipway.Server/
COPY src/Slipway.Cli/Slipway.Cli.csproj src/Slipway.Cli/
# An architecture-specific restore: the publish output then carries only this platform's native libraries
# (ONNX Runtime, DuckDB, LightGBM, SQLite) instead of the runtimes/ folders of every platform.
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet restore src/Slipway.Cli/Slipway.Cli.csproj -a "$TARGETARCH"

COPY src/ src/
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish src/Slipway.Cli/Slipway.Cli.csproj -c Release -a "$TARGETARCH" --self-contained false --no-restore \
        -p:UseAppHost=false -o /app

# ---- runtime: the ASP.NET Core image on Ubuntu 24.04 (glibc), not the chiseled one. The native libraries need
# glibc and libstdc++ (both in every variant), but LightGBM also links libgomp.so.1 (OpenMP), which no chiseled image
# ships and which cannot be added to one without a package manager. ICU is not needed: the app runs with
# InvariantGlobalization (Directory.Build.props).
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgomp1 \
    && rm -rf /var/lib/apt/lists/*

# /data is the working directory, so every relative default of `slipway server` (./slipway-data/slipway.db, artifacts,
# model cache, pipeline runs) lands on the volume; with PostgreSQL and object storage it only holds caches and can be
# an emptyDir. The application itself stays read-only under /app.
RUN mkdir -p /data && chown "$APP_UID" /data
VOLUME /data
COPY --from=build /app /app/
WORKDIR /data

# The image's unprivileged `app` user (UID 1654 in the .NET 8+ images).
USER $APP_UID
# 5000 REST (MLflow API, UI, OIP, /metrics, /health) and 5001 OIP gRPC of `slipway server`; `slipway serve`
# listens on 8080/8081 unless told otherwise.
EXPOSE 5000 5001
ENTRYPOINT ["dotnet", "/app/slipway.dll"]
# Listening beyond loopback needs authentication (or an explicit --insecure-no-auth): `slipway server` refuses otherwise.
CMD ["server", "--host", "0.0.0.0", "--auth"]
