using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Slipway.Core.Errors;
using Slipway.Server;

namespace Slipway.Cli.Commands;

/// <summary><c>slipway server</c>: runs the tracking server until Ctrl+C.</summary>
internal static class ServerCommand
{
    public static Command Create(CliContext cli)
    {
        // No DefaultValueFactory: an option counts only when given, so appsettings.json and SLIPWAY_* stay in force otherwise.
        var host = new Option<string>("--host") { Description = "Address to listen on (default: SLIPWAY_HOST, else 127.0.0.1)." };
        var port = new Option<int>("--port") { Description = "TCP port; 0 picks a free one (default: SLIPWAY_PORT, else 5000)." };
        var backendStoreUri = new Option<string>("--backend-store-uri")
        {
            Description = "Metadata store: sqlite:///path or postgresql://… (default: SLIPWAY_BACKEND_STORE_URI, else sqlite:///./slipway-data/slipway.db).",
        };
        var artifactsDestination = new Option<string>("--artifacts-destination")
        {
            Description = "Where artifacts and inference logs go: a folder, file:///path, s3://bucket/prefix or azblob://container/prefix "
                + "(default: SLIPWAY_ARTIFACTS_DESTINATION, else ./slipway-data/artifacts). Object-store settings: Slipway:Artifacts, see docs/storage.md.",
        };

        var grpcPort = new Option<int>("--grpc-port")
        {
            Description = "Port of the Open Inference Protocol gRPC service; 0 turns it off (default: SLIPWAY_GRPC_PORT, else 5001).",
        };
        var approvers = new Option<string>("--approvers")
        {
            Description = "Comma-separated users holding the approver role for registry approval policies (default: SLIPWAY_APPROVERS).",
        };

        var auth = new Option<bool>("--auth")
        {
            Description = "Turn authentication and per-resource permissions on (Slipway:Auth:Enabled). The first start needs "
                + "SLIPWAY_ADMIN_PASSWORD to create the administrator. See docs/security.md.",
        };
        var insecureNoAuth = new Option<bool>("--insecure-no-auth")
        {
            Description = "Allow listening beyond loopback with authentication off: anyone who can reach the port controls Slipway.",
        };

        var command = new Command("server", "Run the Slipway server: MLflow REST API, model registry, artifact proxy, and model serving (OIP REST and gRPC, /invocations).")
        {
            host, port, grpcPort, backendStoreUri, artifactsDestination, approvers, auth, insecureNoAuth,
        };
        command.SetAction(async (parseResult, ct) =>
        {
            var options = SlipwayHost.LoadOptions();
            if (parseResult.GetResult(host) is not null)
                options.Host = parseResult.GetValue(host)!;
            if (parseResult.GetResult(port) is not null)
                options.Port = parseResult.GetValue(port);
            if (parseResult.GetResult(backendStoreUri) is not null)
                options.BackendStoreUri = parseResult.GetValue(backendStoreUri)!;
            if (parseResult.GetResult(artifactsDestination) is not null)
                options.ArtifactsDestination = parseResult.GetValue(artifactsDestination)!;
            if (parseResult.GetResult(grpcPort) is not null)
                options.GrpcPort = parseResult.GetValue(grpcPort);
            if (parseResult.GetResult(approvers) is not null)
                options.SetApprovers(parseResult.GetValue(approvers)!);
            if (parseResult.GetValue(auth))
                options.Auth.Enabled = true;
            if (parseResult.GetValue(insecureNoAuth))
                options.InsecureNoAuth = true;

            WebApplication app;
            try
            {
                app = SlipwayHost.Build(options);
            }
            catch (SlipwayException ex)
            {
                return cli.Usage(ex.Message);
            }

            await using (app)
            {
                app.Lifetime.ApplicationStarted.Register(() => cli.Out.WriteLine($"Slipway listening on {SlipwayHost.GetBaseAddress(app)}"));
                try
                {
                    await SlipwayHost.RunAsync(app, ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    // Ctrl+C before the server finished starting.
                }
                catch (Exception ex) when (ex is IOException or SlipwayException or InvalidOperationException)
                {
                    return cli.Fail(ex.Message);
                }
            }

            return CliApp.Success;
        });
        return command;
    }
}
