using System.Globalization;
using Slipway.Client;
using Slipway.Pipelines.Execution;

namespace Slipway.Pipelines.Executors.BuiltIn;

/// <summary>
/// <c>uses: register</c>: makes a logged model a new version of a registered model (created when missing), with the
/// source run so lineage links run → version, waits until the version is READY and tags it with the pipeline run.
/// </summary>
/// <remarks>
/// <c>with:</c> <c>model_uri</c> (<c>runs:/&lt;run&gt;/model</c>, or an <c>mlflow-artifacts:</c> URI with
/// <c>run_id</c>), <c>name</c>, <c>description</c>, <c>tags</c> (<c>k=v,k2=v2</c>), <c>ready_timeout</c> (default 5m).
/// Outputs <c>model_name</c>, <c>version</c> and <c>model_uri</c> (<c>models:/name/N</c>).
/// </remarks>
public sealed class RegisterStepExecutor(SlipwayClient client, TimeProvider? timeProvider = null) : BuiltInStepExecutor(client)
{
    public const string PipelineRunTag = "slipway.pipeline.run_id";
    public const string PipelineStepTag = "slipway.pipeline.step";
    public const string PipelineTag = "slipway.pipeline";

    private const string Ready = "READY";
    private const string FailedRegistration = "FAILED_REGISTRATION";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    protected override async Task<StepResult> ExecuteCoreAsync(StepArguments arguments, StepInvocation invocation, CancellationToken cancellationToken)
    {
        var source = arguments.Required("model_uri");
        var name = arguments.Required("name");
        var description = arguments.Optional("description");
        var userTags = arguments.Pairs("tags");
        var readyTimeout = arguments.Duration("ready_timeout", TimeSpan.FromMinutes(5));
        var runId = arguments.Optional("run_id") ?? SourceRun(source);

        await EnsureRegisteredModelAsync(name, invocation, cancellationToken);
        var tags = new Dictionary<string, string>(userTags, StringComparer.Ordinal)
        {
            [PipelineTag] = invocation.PipelineName,
            [PipelineRunTag] = invocation.RunId,
            [PipelineStepTag] = invocation.StepId,
        };
        var version = invocation.Attempt > 1 ? await EarlierAttemptAsync(name, source, invocation, cancellationToken) : null;
        if (version is not null)
        {
            Log(invocation, $"reusing {name} version {version.Version}, created by an earlier attempt of this step");
        }
        else
        {
            version = await Client.CreateModelVersionAsync(name, source, runId, tags, description: description, ct: cancellationToken);
            Log(invocation, $"created {name} version {version.Version} from {source}" + (runId is null ? "" : $" (run {runId})"));
        }

        version = await WaitUntilReadyAsync(version, readyTimeout, cancellationToken);
        if (version.Status == FailedRegistration)
            return Fail(invocation, $"{name} version {version.Version} failed registration");
        if (version.Status is not (Ready or ""))
            return Fail(invocation, $"{name} version {version.Version} is still {version.Status} after {readyTimeout}");

        await TagStepRunAsync(invocation, "slipway.registered_model", $"{name}/{version.Version}", cancellationToken);
        return StepResult.Success(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["model_name"] = name,
            ["version"] = version.Version,
            ["model_uri"] = $"models:/{name}/{version.Version}",
        });
    }

    /// <summary>The run of a <c>runs:/</c> source; null for other sources.</summary>
    private static string? SourceRun(string source) =>
        source.StartsWith("runs:/", StringComparison.OrdinalIgnoreCase) ? ArtifactFetcher.ParseRunsUri(source).RunId : null;

    private async Task EnsureRegisteredModelAsync(string name, StepInvocation invocation, CancellationToken ct)
    {
        try
        {
            await Client.GetRegisteredModelAsync(name, ct);
        }
        catch (SlipwayApiException e) when (e.IsNotFound)
        {
            try
            {
                await Client.CreateRegisteredModelAsync(name, ct: ct);
                Log(invocation, $"created registered model {name}");
            }
            catch (SlipwayApiException race) when (race.ErrorCode == ApiErrorCodes.ResourceAlreadyExists)
            {
                // Another pipeline created it between our read and create; its model is the one we want.
            }
        }
    }

    /// <summary>
    /// A retry must not register the model twice: the version an earlier attempt created carries this pipeline run's
    /// and step's tags. Names with a quote cannot be put in a filter safely, so they are not looked up.
    /// </summary>
    private async Task<ModelVersion?> EarlierAttemptAsync(string name, string source, StepInvocation invocation, CancellationToken ct)
    {
        if (name.Contains('\'', StringComparison.Ordinal) || invocation.RunId.Contains('\'', StringComparison.Ordinal) || invocation.StepId.Contains('\'', StringComparison.Ordinal))
            return null;
        var filter = $"name = '{name}' and tags.`{PipelineRunTag}` = '{invocation.RunId}' and tags.`{PipelineStepTag}` = '{invocation.StepId}'";
        var page = await Client.SearchModelVersionsAsync(filter, ct: ct);
        return page.Items.Where(v => v.Source == source).MaxBy(v => long.Parse(v.Version, CultureInfo.InvariantCulture));
    }

    // MLflow creates versions PENDING_REGISTRATION while it copies artifacts; Slipway's are READY at once, so
    // this usually returns without a second read.
    private async Task<ModelVersion> WaitUntilReadyAsync(ModelVersion version, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = _time.GetUtcNow() + timeout;
        while (version.Status is not (Ready or FailedRegistration or "") && _time.GetUtcNow() < deadline)
        {
            await Task.Delay(PollInterval, _time, ct);
            version = await Client.GetModelVersionAsync(version.Name, version.Version, ct);
        }
        return version;
    }
}
