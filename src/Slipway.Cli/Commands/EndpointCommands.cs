using System.CommandLine;
using System.Globalization;
using System.Text.Json.Serialization;
using Slipway.Cli.Output;
using Slipway.Client;

namespace Slipway.Cli.Commands;

/// <summary><c>slipway endpoints create|update|get|list|delete</c>: serving endpoints, their routes and live status.</summary>
internal static class EndpointCommands
{
    private const string DefaultRoute = "default";
    private const string DefaultShadow = "shadow";

    public static Command Create(ClientCommandFactory factory) =>
        new("endpoints", "Serving endpoints: routes with traffic weights, a shadow route, sticky routing and batching.")
        {
            Write(factory, "create", "Create an endpoint; its models start loading at once."),
            Write(factory, "update", "Replace an endpoint's spec; routes that keep their name keep serving while new versions load."),
            Get(factory),
            List(factory),
            Delete(factory),
        };

    /// <summary>The options that make up a spec, shared by <c>create</c> and <c>update</c> (which replaces the whole spec).</summary>
    private sealed class SpecOptions
    {
        public Option<string> Model { get; } = new("--model") { Description = "The model of the default route: models:/NAME@ALIAS (follows the alias), models:/NAME/VERSION, or a server-local path." };
        public Option<string[]> Routes { get; } = new("--route") { Description = "A route as NAME=MODEL:WEIGHT (weight 0 to 100, default 100), e.g. canary=models:/fraud/4:10; repeatable." };
        public Option<string> Shadow { get; } = new("--shadow") { Description = "A model that gets a copy of every request; its answers are compared, never returned." };
        public Option<string> StickyHeader { get; } = new("--sticky-header") { Description = "A request header (e.g. X-User-Id) whose value keeps a caller on one route." };
        public Option<int?> MaxBatchSize { get; } = new("--max-batch-size") { Description = "Turn adaptive batching on: most rows per model run (1 to 4096)." };
        public Option<double?> MaxQueueDelayMs { get; } = new("--max-queue-delay-ms") { Description = "With batching: longest wait for a batch to fill, 0 to 1000 ms (default 2)." };
        public Option<int?> MaxQueueSize { get; } = new("--max-queue-size") { Description = "With batching: requests that may wait before the endpoint answers 429 (default 1000)." };
        public Option<double?> LogSampleRate { get; } = new("--log-sample-rate") { Description = "Fraction of requests written to the inference log, 0 to 1 (default 0)." };
        public Option<string> Description { get; } = new("--description") { Description = "What the endpoint is for." };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { Model, Routes, Shadow, StickyHeader, MaxBatchSize, MaxQueueDelayMs, MaxQueueSize, LogSampleRate, Description })
                command.Options.Add(option);
        }

        /// <summary>The spec, or a usage message explaining what is wrong with the options.</summary>
        public (EndpointSpec? Spec, string? Problem) Build(ClientInvocation call, string name)
        {
            var routes = new List<EndpointRoute>();
            if (call.Value(Model) is { Length: > 0 } model)
                routes.Add(new EndpointRoute(DefaultRoute, model));
            foreach (var text in call.Value(Routes) ?? [])
            {
                if (ParseRoute(text) is not { } route)
                    return (null, $"--route '{text}' is not NAME=MODEL or NAME=MODEL:WEIGHT.");
                routes.Add(route);
            }
            if (routes.Count == 0)
                return (null, "Give the endpoint a model: --model URI, or one or more --route NAME=MODEL:WEIGHT.");

            EndpointBatching? batching = null;
            if (call.Value(MaxBatchSize) is { } size)
                batching = new EndpointBatching(size, call.Value(MaxQueueDelayMs) ?? 2, call.Value(MaxQueueSize) ?? 1000);
            else if (call.Value(MaxQueueDelayMs) is not null || call.Value(MaxQueueSize) is not null)
                return (null, "--max-queue-delay-ms and --max-queue-size need --max-batch-size (which turns batching on).");

            var spec = new EndpointSpec
            {
                Name = name,
                Description = call.Value(Description),
                Routes = routes,
                Shadow = call.Value(Shadow) is { Length: > 0 } shadow ? new EndpointRoute(DefaultShadow, shadow) : null,
                StickyHeader = call.Value(StickyHeader) is { Length: > 0 } header ? header : null,
                Batching = batching,
                LogSampleRate = call.Value(LogSampleRate) ?? 0,
            };
            return (spec, null);
        }

        /// <summary>
        /// <c>NAME=MODEL[:WEIGHT]</c>. Model references contain colons themselves (<c>models:/…</c>), so only a last
        /// segment that is a whole number is taken as the weight.
        /// </summary>
        internal static EndpointRoute? ParseRoute(string text)
        {
            var equals = text.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == text.Length - 1)
                return null;
            var name = text[..equals];
            var model = text[(equals + 1)..];
            var colon = model.LastIndexOf(':');
            if (colon > 0 && int.TryParse(model[(colon + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var weight))
                return new EndpointRoute(name, model[..colon], weight);
            return new EndpointRoute(name, model);
        }
    }

    private static Command Write(ClientCommandFactory factory, string verb, string description)
    {
        var name = NameArgument();
        var options = new SpecOptions();
        var command = factory.Create(verb, description, async call =>
        {
            var (spec, problem) = options.Build(call, call.Value(name)!);
            if (spec is null)
                return call.Cli.Usage(problem!);
            var endpoint = verb == "create"
                ? await call.Client.CreateEndpointAsync(spec, call.CancellationToken)
                : await call.Client.UpdateEndpointAsync(spec, call.CancellationToken);
            if (call.Json)
                return call.WriteJson(endpoint, EndpointCliJsonContext.Default.ServingEndpoint);
            await call.Cli.Out.WriteLineAsync($"{(verb == "create" ? "Created" : "Updated")} endpoint '{endpoint.Name}' (revision {endpoint.Revision}).");
            WriteRoutes(call, endpoint);
            return CliApp.Success;
        });
        command.Arguments.Add(name);
        options.AddTo(command);
        return command;
    }

    private static Command Get(ClientCommandFactory factory)
    {
        var name = NameArgument();
        var command = factory.Create("get", "Show an endpoint: its spec and what each route serves now.", async call =>
        {
            var endpoint = await call.Client.GetEndpointAsync(call.Value(name)!, call.CancellationToken);
            if (call.Json)
                return call.WriteJson(endpoint, EndpointCliJsonContext.Default.ServingEndpoint);
            var table = Tables.Create("Field", "Value");
            table.AddTextRow("name", endpoint.Name);
            table.AddTextRow("description", endpoint.Description);
            table.AddTextRow("ready", endpoint.Status.Ready ? "yes" : "no");
            table.AddTextRow("revision", endpoint.Revision.ToString(CultureInfo.InvariantCulture));
            table.AddTextRow("created", Tables.Time(endpoint.CreationTimestamp));
            table.AddTextRow("updated", Tables.Time(endpoint.LastUpdatedTimestamp));
            table.AddTextRow("sticky_header", endpoint.StickyHeader);
            table.AddTextRow("batching", endpoint.Batching is { } b
                ? $"max {b.MaxBatchSize} rows, wait ≤ {Tables.Number(b.MaxQueueDelayMs)} ms, queue ≤ {b.MaxQueueSize}"
                : "off");
            table.AddTextRow("log_sample_rate", Tables.Number(endpoint.LogSampleRate));
            if (endpoint.Status.ShadowStatistics is { } shadow)
                table.AddTextRow("shadow", $"{shadow.Requests} copied, {shadow.Disagreements} disagreed, {shadow.Errors} failed, {shadow.Dropped} dropped");
            call.Cli.Console.Write(table);
            WriteRoutes(call, endpoint);
            return CliApp.Success;
        });
        command.Arguments.Add(name);
        return command;
    }

    private static Command List(ClientCommandFactory factory) =>
        factory.Create("list", "List endpoints with the versions they serve.", async call =>
        {
            var endpoints = await call.Client.ListEndpointsAsync(call.CancellationToken);
            if (call.Json)
                return call.WriteJson(new EndpointsList(endpoints), EndpointCliJsonContext.Default.EndpointsList);
            var table = Tables.Create("Name", "Ready", "Routes", "Shadow", "Revision", "Updated");
            foreach (var endpoint in endpoints)
            {
                table.AddTextRow(
                    endpoint.Name,
                    endpoint.Status.Ready ? "yes" : "no",
                    string.Join(", ", endpoint.Status.Routes.Select(r => $"{r.Name} {r.Weight}% → {r.ServingVersion ?? "-"} ({r.State})")),
                    endpoint.Shadow?.Model ?? "",
                    endpoint.Revision.ToString(CultureInfo.InvariantCulture),
                    Tables.Time(endpoint.LastUpdatedTimestamp));
            }
            call.Cli.Console.Write(table);
            return CliApp.Success;
        });

    private static Command Delete(ClientCommandFactory factory)
    {
        var name = NameArgument();
        var command = factory.Create("delete", "Delete an endpoint; it stops serving at once.", async call =>
        {
            var endpointName = call.Value(name)!;
            await call.Client.DeleteEndpointAsync(endpointName, call.CancellationToken);
            if (call.Json)
                return call.WriteJson(new EmptyResult(), EndpointCliJsonContext.Default.EmptyResult);
            await call.Cli.Out.WriteLineAsync($"Deleted endpoint '{endpointName}'.");
            return CliApp.Success;
        });
        command.Arguments.Add(name);
        return command;
    }

    private static void WriteRoutes(ClientInvocation call, ServingEndpoint endpoint)
    {
        var table = Tables.Create("Route", "Model", "Weight", "Serving", "State", "Pending", "Load ms", "Error");
        var routes = endpoint.Status.Shadow is { } shadow ? endpoint.Status.Routes.Append(shadow) : endpoint.Status.Routes;
        foreach (var r in routes)
        {
            table.AddTextRow(
                r.Name, r.Model, ReferenceEquals(r, endpoint.Status.Shadow) ? "shadow" : r.Weight.ToString(CultureInfo.InvariantCulture),
                r.ServingVersion, r.State, r.PendingVersion, r.LoadMs is { } ms ? Tables.Number(Math.Round(ms, 1)) : "", r.Error);
        }
        call.Cli.Console.Write(table);
    }

    private static Argument<string> NameArgument() => new("NAME") { Description = "The endpoint's name." };
}

/// <summary>The shapes <c>--json</c> prints for the endpoint commands, in the server's snake_case format.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    WriteIndented = true)]
[JsonSerializable(typeof(ServingEndpoint))]
[JsonSerializable(typeof(EndpointsList))]
[JsonSerializable(typeof(EmptyResult))]
internal sealed partial class EndpointCliJsonContext : JsonSerializerContext;

internal sealed record EndpointsList(IReadOnlyList<ServingEndpoint> Endpoints);
