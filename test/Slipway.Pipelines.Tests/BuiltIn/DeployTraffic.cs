using System.Text;

namespace Slipway.Pipelines.Tests.BuiltIn;

/// <summary>
/// Sends two-row OIP REST inference requests to an endpoint from a background task until disposed, as the endpoint's
/// callers would during a rollout; counts the answers by status. Disposing lets the request in flight finish, so the
/// counts match what the server answered.
/// </summary>
internal sealed class DeployTraffic : IAsyncDisposable
{
    private const string Body = """{"inputs":[{"name":"x","shape":[2,3],"datatype":"FP32","data":[1,2,3,4,5,6]}]}""";

    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _ok;
    private int _failed;

    public DeployTraffic(Uri server, string endpoint)
    {
        _http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        _loop = Task.Run(() => RunAsync($"v2/models/{endpoint}/infer"));
    }

    public int Ok => Volatile.Read(ref _ok);

    public int Failed => Volatile.Read(ref _failed);

    private async Task RunAsync(string path)
    {
        // Bounded by count as well as by the test: at most ~10 minutes at this pace, and far less in practice.
        for (var i = 0; i < 200_000 && !_stop.IsCancellationRequested; i++)
        {
            try
            {
                using var response = await _http.PostAsync(path, new StringContent(Body, Encoding.UTF8, "application/json"));
                Interlocked.Increment(ref response.IsSuccessStatusCode ? ref _ok : ref _failed);
                await Task.Delay(3, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                Interlocked.Increment(ref _failed);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _http.Dispose();
        _stop.Dispose();
    }
}
