using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Slipway.Client;
using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Core.Pipelines;
using Slipway.Pipelines.Definition;
using Slipway.Pipelines.Parsing;
using Slipway.Pipelines.Tracking;

namespace Slipway.Pipelines.Server;

/// <summary>A stored pipeline with its parsed definition.</summary>
public sealed record StoredPipeline(PipelineRecord Record, PipelineDefinition Definition);

/// <summary>
/// Server-side pipelines: apply (validate and store a YAML definition), list, get, delete, and runs (start, cancel,
/// list, get, logs). Runs are queued here and executed by <see cref="PipelineRunCoordinator"/>, which honours each
/// pipeline's <c>concurrency</c> across replicas.
/// </summary>
public sealed partial class PipelineService(
    IPipelineStore store,
    LoopbackClientFactory loopback,
    PipelineRunCoordinator coordinator,
    TimeProvider time,
    ILogger<PipelineService> logger)
{
    public const int DefaultMaxResults = 50;
    public const int MaxMaxResults = 1000;
    private const int MaxYamlLength = 1024 * 1024;
    private const int MaxNameLength = 256;

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Validates <paramref name="yaml"/> and creates or replaces the pipeline it names. Every problem is reported in
    /// one <c>INVALID_PARAMETER_VALUE</c> whose message lists them as <c>file:line:col: message</c>.
    /// <paramref name="authorize"/> sees the parsed definition before anything is stored and may refuse it.
    /// </summary>
    public async Task<(StoredPipeline Pipeline, bool Created)> ApplyAsync(
        string? yaml, string? fileName, string? workingDirectory, AuditContext audit, CancellationToken ct,
        Action<PipelineDefinition>? authorize = null)
    {
        if (string.IsNullOrWhiteSpace(yaml))
            throw SlipwayException.MissingParameter("yaml");
        if (yaml.Length > MaxYamlLength)
            throw SlipwayException.InvalidParameter($"The pipeline YAML is larger than {MaxYamlLength} characters.");
        var definition = Parse(yaml, string.IsNullOrWhiteSpace(fileName) ? "pipeline.yaml" : fileName);
        ValidateName(definition.Name);
        authorize?.Invoke(definition);
        var existing = await store.GetAsync(definition.Name, ct);
        var now = time.GetUtcNow();
        long? next = NextSlot(definition.Triggers, now);
        if (existing is not null && next is not null && existing.NextScheduleTime is { } kept
            && SameSchedules(TryParse(existing.Yaml)?.Triggers, definition.Triggers))
            next = kept; // an unchanged schedule keeps its pending slot (a re-apply must not skip or repeat it)
        CheckWorkingDirectory(workingDirectory);
        var record = new PipelineRecord(definition.Name, yaml, Hash(yaml), Enabled: true, definition.Concurrency,
            existing?.CreationTime ?? now.ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds(), next, existing?.LastScheduleSlot)
        {
            WorkingDirectory = workingDirectory,
        };
        var (stored, created) = await store.UpsertAsync(record, audit, ct);
        return (new StoredPipeline(stored, definition), created);
    }

    public async Task<StoredPipeline> GetAsync(string name, CancellationToken ct)
    {
        var record = await store.GetAsync(name, ct) ?? throw PipelineErrors.NotFound(name);
        return new StoredPipeline(record, Definition(record));
    }

    /// <summary>
    /// Every stored pipeline whose definition still parses; one that no longer does (e.g. stored by an older server)
    /// is left out with a logged warning, so listing, schedules and triggers keep working for the others.
    /// </summary>
    public async Task<IReadOnlyList<StoredPipeline>> ListAsync(CancellationToken ct)
    {
        var pipelines = new List<StoredPipeline>();
        foreach (var record in await store.ListAsync(ct))
        {
            if (TryParse(record.Yaml, record.Name + ".yaml") is { } definition)
                pipelines.Add(new StoredPipeline(record, definition));
            else
                LogUnparsable(logger, record.Name);
        }
        return pipelines;
    }

    public Task DeleteAsync(string name, AuditContext audit, CancellationToken ct) => store.DeleteAsync(name, Now, audit, ct);

    /// <summary>The next cron slot after <paramref name="after"/> over all of a pipeline's schedules (UTC); null without one.</summary>
    public static long? NextSlot(PipelineTriggers triggers, DateTimeOffset after)
    {
        DateTimeOffset? next = null;
        foreach (var cron in triggers.Schedules)
        {
            if (PipelineParser.TryParseCron(cron, out var expression)
                && expression!.GetNextOccurrence(after, TimeZoneInfo.Utc) is { } occurrence
                && (next is null || occurrence < next))
                next = occurrence;
        }
        return next?.ToUnixTimeMilliseconds();
    }

    /// <summary>
    /// The parsed definition of a stored pipeline; <c>RESOURCE_CONFLICT</c> (409) listing the problems when the stored
    /// YAML no longer validates (re-apply a corrected file, or delete the pipeline).
    /// </summary>
    internal static PipelineDefinition Definition(PipelineRecord record)
    {
        var (definition, problems) = PipelineParser.Parse(record.Yaml, record.Name + ".yaml");
        return definition ?? throw new SlipwayException(ErrorCode.ResourceConflict,
            $"The stored definition of pipeline '{record.Name}' no longer validates; re-apply a corrected file or delete it ({problems.Count} problem(s)):\n"
            + string.Join("\n", problems.Select(p => p.ToString())));
    }

    private static PipelineDefinition? TryParse(string yaml, string fileName = "pipeline.yaml") => PipelineParser.Parse(yaml, fileName).Definition;

    private static PipelineDefinition Parse(string yaml, string fileName)
    {
        var (definition, problems) = PipelineParser.Parse(yaml, fileName);
        if (definition is not null)
            return definition;
        throw SlipwayException.InvalidParameter(
            $"The pipeline is not valid ({problems.Count} problem(s)):\n" + string.Join("\n", problems.Select(p => p.ToString())));
    }

    /// <summary>A stored pipeline's name is a URL path segment and an audit resource: a plain name, and not <c>runs</c>.</summary>
    private static void ValidateName(string name)
    {
        if (name.Length > MaxNameLength || !NamePattern().IsMatch(name) || name == "runs")
        {
            throw SlipwayException.InvalidParameter(
                $"Pipeline name '{name}' cannot be stored: use at most {MaxNameLength} letters, digits, '_', '-' and '.', starting with a letter or digit (and not 'runs').");
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    private static partial System.Text.RegularExpressions.Regex NamePattern();

    private static bool SameSchedules(PipelineTriggers? a, PipelineTriggers b) =>
        a is not null && a.Schedules.SequenceEqual(b.Schedules, StringComparer.Ordinal);

    private static string Hash(string yaml) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(yaml)));

    private SlipwayClient Client => loopback.Client;

    [LoggerMessage(EventId = 6030, Level = LogLevel.Warning, Message = "The stored definition of pipeline {Pipeline} no longer validates; it is skipped until re-applied")]
    private static partial void LogUnparsable(ILogger logger, string pipeline);

    [LoggerMessage(EventId = 6031, Level = LogLevel.Warning, Message = "Could not close the tracking run of cancelled pipeline run {RunId}")]
    private static partial void LogCancelTrackingFailed(ILogger logger, string runId, Exception exception);

    [LoggerMessage(EventId = 6032, Level = LogLevel.Warning, Message = "Could not read the log of step {Step} of pipeline run {RunId}")]
    private static partial void LogStepLogFailed(ILogger logger, string runId, string step, Exception exception);
}
