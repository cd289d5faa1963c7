using System.Diagnostics;
using System.Net;

namespace Slipway.Testing;

/// <summary>
/// Waits for a <c>slipway</c> child process to answer 200 on <c>/health/ready</c> (migrations applied, listening),
/// failing at once with its output if it exits first, and after <paramref name="timeout"/> otherwise.
/// </summary>
public static class ReadinessProbe
{
    public static async Task WaitAsync(Uri baseAddress, Process process, string name, Func<string> output, TimeSpan timeout, TimeSpan? pollInterval = null)
    {
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"{name} exited with code {process.ExitCode} before it was ready:\n{output()}");
            try
            {
                using var response = await client.GetAsync("health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // A start-up pause longer than the request timeout: ask again.
            }
            await Task.Delay(pollInterval ?? TimeSpan.FromMilliseconds(100));
        }
        throw new TimeoutException($"{name} was not ready on {baseAddress} within {timeout}:\n{output()}");
    }
}
