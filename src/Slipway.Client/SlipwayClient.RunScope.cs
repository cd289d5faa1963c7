using System.Reflection;

namespace Slipway.Client;

public sealed partial class SlipwayClient
{
    /// <summary>
    /// Starts a run and returns a scope for it: <c>await using var run = await client.StartRunAsync("exp", "name");</c>.
    /// Call <see cref="ActiveRun.CompleteAsync"/> at the end to finish it; a run disposed without that ends FAILED.
    /// </summary>
    /// <param name="experimentIdOrName">An experiment name (created when missing) or id; see <see cref="GetOrCreateExperimentAsync"/>.</param>
    /// <param name="runName">The run name; null lets the server pick one.</param>
    /// <param name="tags">Extra tags. The run also gets <c>mlflow.user</c>, <c>mlflow.source.name</c> and
    /// <c>mlflow.source.type</c> (= <c>LOCAL</c>), as MLflow's <c>start_run</c> sets them, unless given here.</param>
    /// <param name="ct">Cancels the start (not the run).</param>
    public async Task<ActiveRun> StartRunAsync(string experimentIdOrName, string? runName = null, IEnumerable<KeyValuePair<string, string>>? tags = null, CancellationToken ct = default)
    {
        var experimentId = await GetOrCreateExperimentAsync(experimentIdOrName, ct).ConfigureAwait(false);
        var allTags = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [UserTag] = Environment.UserName,
            ["mlflow.source.name"] = Assembly.GetEntryAssembly()?.GetName().Name ?? "dotnet",
            ["mlflow.source.type"] = "LOCAL",
        };
        foreach (var (key, value) in tags ?? [])
            allTags[key] = value;
        var run = await CreateRunAsync(experimentId, runName, allTags, ct: ct).ConfigureAwait(false);
        return new ActiveRun(this, run, _timeProvider);
    }

    /// <summary>
    /// Runs <paramref name="body"/> inside a new run and ends it by outcome: FINISHED when the delegate returns,
    /// KILLED when it throws <see cref="OperationCanceledException"/> for <paramref name="ct"/>, FAILED on any other
    /// exception (which is rethrown).
    /// </summary>
    /// <returns>The run id.</returns>
    public async Task<string> TrackRunAsync(string experimentIdOrName, string? runName, Func<ActiveRun, Task> body, CancellationToken ct = default)
    {
        var run = await StartRunAsync(experimentIdOrName, runName, ct: ct).ConfigureAwait(false);
        await using (run.ConfigureAwait(false))
        {
            try
            {
                await body(run).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await TryEndAsync(run, RunStatus.Killed).ConfigureAwait(false);
                throw;
            }

            // Any other exception leaves the block and DisposeAsync ends the run FAILED.
            await run.CompleteAsync(ct).ConfigureAwait(false);
        }

        return run.RunId;
    }

    private static async Task TryEndAsync(ActiveRun run, RunStatus status)
    {
        try
        {
            await run.EndAsync(status, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The cancellation is what the caller needs to see.
        }
    }
}
