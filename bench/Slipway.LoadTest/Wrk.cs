using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Slipway.LoadTest;

/// <summary>The outcome of one wrk run: requests per second, latency percentiles and failed answers.</summary>
internal sealed record WrkResult(double RequestsPerSecond, double P50Ms, double P90Ms, double P99Ms, long Requests, long Non2xx, long SocketErrors)
{
    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"{Requests:N0} requests; p50 {P50Ms:0.00} ms / p90 {P90Ms:0.00} ms / p99 {P99Ms:0.00} ms; non-2xx {Non2xx}, socket errors {SocketErrors}");
}

/// <summary>
/// Drives wrk (Debian package <c>wrk</c>) with a POST body from a generated Lua script: fixed connections, threads and
/// duration, the load generator sharing the machine's cores with the server as it would in production sidecars.
/// </summary>
internal static partial class Wrk
{
    public static bool IsInstalled() => File.Exists("/usr/bin/wrk") || File.Exists("/usr/local/bin/wrk");

    public static async Task<WrkResult> PostAsync(Uri url, string contentType, byte[] body, int connections, int threads, TimeSpan duration)
    {
        var folder = Directory.CreateTempSubdirectory("slipway-wrk-");
        try
        {
            var bodyPath = Path.Combine(folder.FullName, "body");
            await File.WriteAllBytesAsync(bodyPath, body);
            var script = Path.Combine(folder.FullName, "post.lua");
            await File.WriteAllTextAsync(script, $$"""
                local f = io.open("{{bodyPath}}", "rb")
                wrk.method = "POST"
                wrk.body = f:read("*all")
                f:close()
                wrk.headers["Content-Type"] = "{{contentType}}"
                """);
            var start = new ProcessStartInfo("wrk")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[] { "-t", threads.ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture),
                         "-d", $"{(int)duration.TotalSeconds}s", "--latency", "-s", script, url.ToString() })
                start.ArgumentList.Add(arg);
            using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start wrk");
            var output = await process.StandardOutput.ReadToEndAsync();
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"wrk failed ({process.ExitCode}): {errors}{output}");
            return Parse(output);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    internal static WrkResult Parse(string output)
    {
        double Rate() => double.Parse(RequestsPerSecondPattern().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        double Percentile(string p)
        {
            var match = Regex.Match(output, @"^\s+" + p + @"%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
            if (!match.Success)
                return double.NaN;
            var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
        }
        long Count(Regex pattern)
        {
            var match = pattern.Match(output);
            return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        }
        var socketErrors = SocketErrorsPattern().Match(output);
        long socket = 0;
        if (socketErrors.Success)
        {
            foreach (Group group in socketErrors.Groups.Cast<Group>().Skip(1))
                socket += long.Parse(group.Value, CultureInfo.InvariantCulture);
        }
        return new WrkResult(Rate(), Percentile("50"), Percentile("90"), Percentile("99"), Count(RequestsPattern()), Count(Non2xxPattern()), socket);
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecondPattern();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex RequestsPattern();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex Non2xxPattern();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorsPattern();
}
