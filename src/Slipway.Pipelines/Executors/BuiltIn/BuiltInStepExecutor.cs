using Slipway.Client;
using Slipway.Core.Errors;
using Slipway.Pipelines.Execution;

namespace Slipway.Pipelines.Executors.BuiltIn;

/// <summary>
/// The common frame of the built-in step kinds: they talk to the server only through <see cref="SlipwayClient"/>, so
/// they run alike in the CLI and inside the server. Expected failures (a bad <c>with:</c> value, bad data, a refusal
/// by the server) become <see cref="StepResult.Failure"/> with the reason, logged too; cancellation propagates, and
/// anything else is left to the runner, which records it as an executor error.
/// </summary>
public abstract class BuiltInStepExecutor : IStepExecutor
{
    /// <summary>The client every call to the server goes through.</summary>
    protected BuiltInStepExecutor(SlipwayClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        Client = client;
    }

    protected SlipwayClient Client { get; }

    public async Task<StepResult> ExecuteAsync(StepInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        string error;
        try
        {
            return await ExecuteCoreAsync(new StepArguments(invocation), invocation, cancellationToken);
        }
        catch (StepArgumentException e)
        {
            error = e.Message;
        }
        catch (SlipwayException e)
        {
            error = e.Message;
        }
        catch (SlipwayApiException e) when (!e.IsTransient)
        {
            error = $"the server refused: {e.Message} ({e.ErrorCode})";
        }
        catch (NotSupportedException e)
        {
            error = e.Message;
        }
        return Fail(invocation, error);
    }

    /// <summary>Runs the step; <paramref name="arguments"/> reads its <c>with:</c> values.</summary>
    protected abstract Task<StepResult> ExecuteCoreAsync(StepArguments arguments, StepInvocation invocation, CancellationToken cancellationToken);

    /// <summary>Logs the reason and returns it as the step's failure.</summary>
    protected static StepResult Fail(StepInvocation invocation, string error)
    {
        invocation.Log.Write(StepLogStream.Stderr, error);
        return StepResult.Failure(error);
    }

    protected static void Log(StepInvocation invocation, string line) => invocation.Log.Write(StepLogStream.Stdout, line);

    /// <summary>Sets a tag on the step's child run when there is one.</summary>
    protected async Task TagStepRunAsync(StepInvocation invocation, string key, string value, CancellationToken ct)
    {
        if (invocation.MlflowRunId is { } runId)
            await Client.SetTagAsync(runId, key, value, ct);
    }
}
