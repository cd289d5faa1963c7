using System.Diagnostics;

namespace Slipway.Deploy.Tests.Support;

/// <summary>Runs the real <c>helm</c> command on the repository's chart, with its caches and config in a temporary folder.</summary>
internal static class Helm
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary><c>helm template RELEASE CHART -f values…</c>; fails the test when helm does.</summary>
    public static async Task<string> TemplateAsync(string release, params string[] valuesFiles)
    {
        var result = await RunAsync(["template", release, RepositoryPaths.Chart, "--namespace", "ml", .. valuesFiles.SelectMany(f => new[] { "-f", f })]);
        Assert.True(result.ExitCode == 0, $"helm template failed ({result.ExitCode}): {result.Error}");
        return result.Output;
    }

    public static async Task<Result> RunAsync(IEnumerable<string> arguments)
    {
        var home = Path.Combine(Path.GetTempPath(), "slipway-helm-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(home);
        try
        {
            var start = new ProcessStartInfo(RepositoryPaths.Helm)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in arguments)
                start.ArgumentList.Add(argument);
            // No cluster and no user configuration: helm must not read or write anything outside the temporary home.
            start.Environment["HELM_CACHE_HOME"] = Path.Combine(home, "cache");
            start.Environment["HELM_CONFIG_HOME"] = Path.Combine(home, "config");
            start.Environment["HELM_DATA_HOME"] = Path.Combine(home, "data");
            start.Environment["KUBECONFIG"] = Path.Combine(home, "kubeconfig");
            using var process = Process.Start(start)!;
            using var timeout = new CancellationTokenSource(Deadline);
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var error = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"helm {string.Join(' ', start.ArgumentList)} did not finish within {Deadline}.");
            }
            return new Result(process.ExitCode, await output, await error);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
