# syntax=docker/dockerfile:1
# The DanVanKheo API. Build: docker build -t danvankheo-api .
# Run (read-only root file system; only the data volume and /tmp are writable):
#   docker run --read-only --tmpfs /tmp -v dvk-data:/data -p 8080:8080 \
#     -e AzureAd__Instance=... -e AzureAd__TenantId=... -e AzureAd__ClientId=... -e AzureAd__Audience=... danvankheo-api

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so the layer is reused until a dependency changes.
COPY Directory.Build.props Directory.Packages.props ./
COPY api/DanVanKheo.Api.csproj api/
RUN dotnet restore api/DanVanKheo.Api.csproj
# The API compiles the seed generator and embeds its data (demo dataset).
COPY seed/Generator/ seed/Generator/
COPY seed/data/ seed/data/
COPY api/ api/
RUN dotnet publish api/DanVanKheo.Api.csproj -c Release -o /app --no-restore -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
# The image's non-root user (APP_UID) owns the data folder and nothing else.
RUN mkdir /data && chown "$APP_UID" /data
COPY --from=build /app .
ENV ASPNETCORE_ENVIRONMENT=Production \
    ASPNETCORE_HTTP_PORTS=8080 \
    Storage__LiteDbPath=/data/danvankheo.db \
    Storage__SeedDemoData=false \
    DOTNET_EnableDiagnostics=0
VOLUME ["/data"]
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["dotnet", "DanVanKheo.Api.dll"]
