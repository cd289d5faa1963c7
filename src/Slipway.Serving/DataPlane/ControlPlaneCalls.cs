using Slipway.Client;
using Slipway.Core.Errors;

namespace Slipway.Serving.DataPlane;

/// <summary>
/// Calls to a control plane with a deadline, failures turned into <see cref="SlipwayException"/> whose message says
/// what went wrong (unreachable, timed out, or the server's own answer), as route statuses and logs show it.
/// </summary>
internal static class ControlPlaneCalls
{
    /// <summary>How long listing endpoints or resolving a model may take before the pass moves on.</summary>
    public static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long downloading one model version may take.</summary>
    public static readonly TimeSpan DownloadTimeout = TimeSpan.FromMinutes(30);

    public static async Task<T> CallAsync<T>(SlipwayClient client, Func<CancellationToken, Task<T>> call, TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            return await call(deadline.Token);
        }
        catch (SlipwayApiException e)
        {
            var code = e.IsNotFound ? ErrorCode.ResourceDoesNotExist
                : (int)e.StatusCode is >= 400 and < 500 ? ErrorCode.InvalidParameterValue
                : ErrorCode.TemporarilyUnavailable;
            throw new SlipwayException(code, $"The control plane {client.BaseAddress} answered {e.ErrorCode}: {e.Message}");
        }
        catch (HttpRequestException e)
        {
            throw new SlipwayException(ErrorCode.TemporarilyUnavailable, $"The control plane {client.BaseAddress} is unreachable: {e.Message}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new SlipwayException(ErrorCode.TemporarilyUnavailable, $"The control plane {client.BaseAddress} did not answer within {timeout.TotalSeconds:0} s.");
        }
    }
}
