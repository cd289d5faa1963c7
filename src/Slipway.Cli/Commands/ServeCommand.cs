using System.CommandLine;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Slipway.Core.Errors;
using Slipway.Server;

namespace Slipway.Cli.Commands;

/// <summary>
/// <c>slipway serve</c>: runs only the serving data plane (OIP REST and gRPC, <c>/invocations</c>, <c>/metrics</c>,
/// <c>/health/live|ready</c>) for endpoints whose specs come from a control plane or a file, until Ctrl+C. No database:
/// this is the process a Kubernetes Deployment replicates.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(CliContext cli)
    {
        var defaults = new ServeOptions();
        var controlPlane = new Option<string>("--control-plane")
        {
            Description = "URL of the Slipway server to follow, e.g. http://slipway:5000: its endpoints (or those named with --endpoint), alias moves, model downloads.",
        };
        var endpoints = new Option<string[]>("--endpoint") { Description = "An endpoint to serve; repeatable (default: every endpoint of the source)." };
        var file = new Option<string>("--file")
        {
            Description = "An endpoints file (.json, .yaml, .yml): a list of endpoint specs as the REST API takes them; models are paths relative to the file, or models:/… with --control-plane. Re-read when it changes.",
        };
        var host = new Option<string>("--host") { Description = "Address to listen on.", DefaultValueFactory = _ => defaults.Host };
        var port = new Option<int>("--port") { Description = "REST port (OIP, /invocations, /health, /metrics); 0 picks a free one.", DefaultValueFactory = _ => defaults.Port };
        var grpcPort = new Option<int>("--grpc-port")
        {
            Description = "Port of the Open Inference Protocol gRPC service; 0 turns it off.",
            DefaultValueFactory = _ => defaults.GrpcPort,
        };
        var modelCache = new Option<string>("--model-cache")
        {
            Description = "Folder for downloaded model versions.",
            DefaultValueFactory = _ => defaults.ModelCacheDirectory,
        };
        var pollInterval = new Option<string>("--poll-interval")
        {
            Description = "How often specs and aliases are read again: a number with ms, s or m, e.g. 500ms.",
            DefaultValueFactory = _ => "2s",
        };
        var inferenceLogDir = new Option<string>("--inference-log-dir")
        {
            Description = "Folder, or s3://bucket/prefix / azblob://container/prefix (settings from Slipway__Artifacts__* environment variables), for the inference log's Parquet segments (default: no inference log).",
        };

        var command = new Command("serve", "Run only the serving data plane for one or more endpoints, with specs from a control plane or a file (no database).")
        {
            controlPlane, endpoints, file, host, port, grpcPort, modelCache, pollInterval, inferenceLogDir,
        };
        command.SetAction(async (parseResult, ct) =>
        {
            var options = new ServeOptions
            {
                ControlPlane = parseResult.GetValue(controlPlane),
                File = parseResult.GetValue(file),
                Host = parseResult.GetValue(host)!,
                Port = parseResult.GetValue(port),
                GrpcPort = parseResult.GetValue(grpcPort),
                ModelCacheDirectory = parseResult.GetValue(modelCache)!,
                InferenceLogDirectory = parseResult.GetValue(inferenceLogDir),
            };
            options.Endpoints.AddRange(parseResult.GetValue(endpoints) ?? []);
            var problems = new List<string>();
            if (TryParseInterval(parseResult.GetValue(pollInterval)!, out var interval))
                options.PollInterval = interval;
            else
                problems.Add($"--poll-interval must be a positive number with ms, s or m, e.g. 2s (got '{parseResult.GetValue(pollInterval)}').");
            problems.AddRange(options.Validate());
            if (problems.Count > 0)
                return cli.Usage("Invalid configuration:\n  " + string.Join("\n  ", problems));

            WebApplication app;
            try
            {
                app = SlipwayServeHost.Build(options);
            }
            catch (SlipwayException ex)
            {
                return cli.Usage(ex.Message);
            }

            await using (app)
            {
                app.Lifetime.ApplicationStarted.Register(() => cli.Out.WriteLine(
                    $"Slipway data plane listening on {SlipwayHost.GetBaseAddress(app)}" + (SlipwayHost.GetGrpcAddress(app) is { } grpc ? $" (gRPC {grpc})" : "")));
                try
                {
                    await app.StartAsync(ct);
                    await app.WaitForShutdownAsync(ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    // Ctrl+C before the server finished starting.
                }
                catch (Exception ex) when (ex is IOException or InvalidOperationException)
                {
                    return cli.Fail(ex.Message);
                }
            }
            return CliApp.Success;
        });
        return command;
    }

    /// <summary>Reads <c>500ms</c>, <c>2s</c>, <c>1.5m</c>, or a bare number of seconds.</summary>
    internal static bool TryParseInterval(string text, out TimeSpan interval)
    {
        var value = text.Trim();
        var (number, unit) = value.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (value[..^2], 0.001)
            : value.EndsWith('s') || value.EndsWith('S') ? (value[..^1], 1.0)
            : value.EndsWith('m') || value.EndsWith('M') ? (value[..^1], 60.0)
            : (value, 1.0);
        interval = default;
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || amount <= 0 || amount * unit > TimeSpan.FromDays(1).TotalSeconds)
            return false;
        interval = TimeSpan.FromSeconds(amount * unit);
        return true;
    }
}
