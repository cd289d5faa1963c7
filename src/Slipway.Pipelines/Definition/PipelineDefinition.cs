namespace Slipway.Pipelines.Definition;

/// <summary>A pipeline file that parsed and validated without problems.</summary>
/// <param name="Name">The pipeline's name (<c>name:</c>).</param>
/// <param name="FileName">Where the definition came from, used in problems and logs.</param>
/// <param name="Params">Declared parameters with their default values.</param>
/// <param name="Concurrency">How many runs of this pipeline may be active at once (enforced by the server).</param>
/// <param name="Steps">Steps in file order; <see cref="StepDefinition.Needs"/> gives the DAG.</param>
public sealed record PipelineDefinition(
    string Name,
    string FileName,
    IReadOnlyDictionary<string, string> Params,
    int Concurrency,
    IReadOnlyList<StepDefinition> Steps)
{
    /// <summary>Where each parameter is declared, for problems found after parsing.</summary>
    internal IReadOnlyDictionary<string, SourceLocation> ParamLocations { get; init; } =
        new Dictionary<string, SourceLocation>();

    /// <summary>What starts the pipeline on the server by itself (<c>on:</c>); empty when the file has no <c>on:</c> block.</summary>
    public PipelineTriggers Triggers { get; init; } = PipelineTriggers.None;

    /// <summary>The names in <paramref name="overrides"/> that this pipeline does not declare.</summary>
    public IReadOnlyList<string> UndeclaredParams(IReadOnlyDictionary<string, string> overrides) =>
        overrides.Keys.Where(k => !Params.ContainsKey(k)).ToList();

    /// <summary>The declared parameters with <paramref name="overrides"/> applied over their defaults; a name the
    /// pipeline does not declare is an <see cref="ArgumentException"/>.</summary>
    public Dictionary<string, string> ResolveParams(IReadOnlyDictionary<string, string> overrides)
    {
        var unknown = UndeclaredParams(overrides);
        if (unknown.Count > 0)
            throw new ArgumentException($"pipeline '{Name}' declares no parameter(s): {string.Join(", ", unknown)}", nameof(overrides));
        var parameters = new Dictionary<string, string>(Params, StringComparer.Ordinal);
        foreach (var (key, value) in overrides)
            parameters[key] = value;
        return parameters;
    }

    public StepDefinition? FindStep(string id)
    {
        foreach (var step in Steps)
        {
            if (step.Id == id)
                return step;
        }
        return null;
    }
}

/// <summary>One step of a pipeline, as written in the file (expressions not yet resolved).</summary>
public sealed record StepDefinition
{
    public required string Id { get; init; }
    public required string Uses { get; init; }
    public IReadOnlyList<string> Needs { get; init; } = [];
    public IReadOnlyDictionary<string, string> With { get; init; } = new Dictionary<string, string>();
    /// <summary>Executable and arguments for <c>uses: command</c>; never passed through a shell.</summary>
    public IReadOnlyList<string> Run { get; init; } = [];
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
    /// <summary>Outputs the step declares in addition to those its kind always produces.</summary>
    public IReadOnlyList<string> Outputs { get; init; } = [];
    public int Retries { get; init; }
    public TimeSpan? Timeout { get; init; }
    public bool Cache { get; init; }
    public SourceLocation Location { get; init; }

    /// <summary>
    /// Where each value sits in the file, keyed like <c>with.data</c>, <c>run[1]</c>, <c>needs[0]</c>,
    /// so validation done after parsing can still point at the right line.
    /// </summary>
    internal IReadOnlyDictionary<string, SourceLocation> ValueLocations { get; init; } =
        new Dictionary<string, SourceLocation>();

    internal SourceLocation Locate(string key) =>
        ValueLocations.TryGetValue(key, out var location) ? location : Location;

    /// <summary>Every string that may hold <c>${{ }}</c> expressions, with its location key.</summary>
    internal IEnumerable<(string Key, string Text)> TemplatedValues()
    {
        foreach (var (name, value) in With)
            yield return ($"with.{name}", value);
        for (var i = 0; i < Run.Count; i++)
            yield return ($"run[{i}]", Run[i]);
        foreach (var (name, value) in Env)
            yield return ($"env.{name}", value);
    }
}

/// <summary>A 1-based line and column in a pipeline file.</summary>
public readonly record struct SourceLocation(int Line, int Column);

/// <summary>One thing wrong with a pipeline file; every problem is reported, not only the first.</summary>
public sealed record PipelineProblem(string FileName, int Line, int Column, string Message)
{
    public override string ToString() => $"{FileName}:{Line}:{Column}: {Message}";
}
