using System.Globalization;
using static System.FormattableString;

namespace Slipway.Pipelines.Executors.BuiltIn;

/// <summary>The <c>with:</c> values of a <c>deploy</c> step, read and checked before anything is changed.</summary>
internal sealed record DeploySettings
{
    public required string Endpoint { get; init; }
    public required string ModelName { get; init; }
    /// <summary>The pinned version, or null when <see cref="Alias"/> is to be resolved.</summary>
    public string? Version { get; init; }
    public string? Alias { get; init; }
    /// <summary>Traffic percentages of the new route, increasing, ending at 100.</summary>
    public required IReadOnlyList<int> Stages { get; init; }
    public TimeSpan StageDuration { get; init; }
    public TimeSpan StageTimeout { get; init; }
    /// <summary>How long a route may take to load its model before the rollout gives up.</summary>
    public TimeSpan ReadyTimeout { get; init; }
    public int MinRequests { get; init; }
    public double MaxErrorRate { get; init; }
    public double MaxErrorRateIncrease { get; init; }
    public double MaxLatencyRatio { get; init; }
    public double? MaxP99Ms { get; init; }
    public double LatencyFloorMs { get; init; }
    public TimeSpan PollInterval { get; init; }
    public required string Route { get; init; }

    public string ModelArgument => Alias is null ? RegisteredModelUri.OfVersion(ModelName, Version!) : RegisteredModelUri.OfAlias(ModelName, Alias);

    /// <exception cref="StepArgumentException">A value is missing, unreadable or out of range.</exception>
    public static DeploySettings Read(StepArguments arguments)
    {
        var (modelName, version, alias) = ParseModel(arguments.Required("model"));
        var stageDuration = Positive(arguments, "stage_duration", arguments.Duration("stage_duration", TimeSpan.FromMinutes(1)));
        var stageTimeout = Positive(arguments, "stage_timeout", arguments.Duration("stage_timeout", stageDuration * 3));
        if (stageTimeout < stageDuration)
            throw new StepArgumentException("stage_timeout", $"with: stage_timeout ({stageTimeout}) must be at least stage_duration ({stageDuration})");
        var minRequests = arguments.Integer("min_requests", 20);
        if (minRequests < 1)
            throw new StepArgumentException("min_requests", Invariant($"with: min_requests = {minRequests} must be at least 1"));
        var maxP99 = arguments.OptionalNumber("max_p99_ms");
        if (maxP99 is <= 0)
            throw new StepArgumentException("max_p99_ms", Invariant($"with: max_p99_ms = {maxP99} must be above 0"));
        var ratio = arguments.Number("max_latency_ratio", 1.5);
        if (ratio <= 0)
            throw new StepArgumentException("max_latency_ratio", Invariant($"with: max_latency_ratio = {ratio} must be above 0"));
        var floor = arguments.Number("latency_floor_ms", 5);
        if (floor < 0)
            throw new StepArgumentException("latency_floor_ms", Invariant($"with: latency_floor_ms = {floor} must not be negative"));
        return new DeploySettings
        {
            Endpoint = arguments.Required("endpoint"),
            ModelName = modelName,
            Version = version,
            Alias = alias,
            Stages = ParseStages(arguments.Optional("stages") ?? "10,50,100"),
            StageDuration = stageDuration,
            StageTimeout = stageTimeout,
            ReadyTimeout = Positive(arguments, "ready_timeout", arguments.Duration("ready_timeout", TimeSpan.FromMinutes(10))),
            MinRequests = minRequests,
            MaxErrorRate = Fraction(arguments, "max_error_rate", 0.05),
            MaxErrorRateIncrease = Fraction(arguments, "max_error_rate_increase", 0.02),
            MaxLatencyRatio = ratio,
            MaxP99Ms = maxP99,
            LatencyFloorMs = floor,
            PollInterval = Positive(arguments, "poll_interval", arguments.Duration("poll_interval", TimeSpan.FromSeconds(5))),
            Route = arguments.Optional("route") ?? "canary",
        };
    }

    /// <summary><c>models:/name/N</c> or <c>models:/name@alias</c>; anything else (a run or file URI) cannot be canaried.</summary>
    private static (string Name, string? Version, string? Alias) ParseModel(string uri) =>
        RegisteredModelUri.TryParse(uri, out var parsed)
            ? (parsed.Name, parsed.Version, parsed.Alias)
            : throw new StepArgumentException("model", $"with: model = '{uri}' is not a registered model version: use models:/NAME/VERSION or models:/NAME@ALIAS");

    private static int[] ParseStages(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var stages = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i].TrimEnd('%');
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out stages[i]) || stages[i] is < 1 or > 100 ||
                (i > 0 && stages[i] <= stages[i - 1]))
                throw BadStages(text);
        }
        if (stages.Length == 0 || stages[^1] != 100)
            throw BadStages(text);
        return stages;
    }

    private static StepArgumentException BadStages(string text) =>
        new("stages", $"with: stages = '{text}' is not a list of increasing percentages from 1 to 100 ending at 100, such as 10,50,100");

    private static double Fraction(StepArguments arguments, string key, double @default)
    {
        var value = arguments.Number(key, @default);
        return value is >= 0 and <= 1
            ? value
            : throw new StepArgumentException(key, $"with: {key} = {value.ToString(CultureInfo.InvariantCulture)} is not a fraction from 0 to 1");
    }

    private static TimeSpan Positive(StepArguments arguments, string key, TimeSpan value) =>
        value > TimeSpan.Zero ? value : throw new StepArgumentException(key, $"with: {key} = '{arguments.Optional(key)}' must be longer than 0");
}
