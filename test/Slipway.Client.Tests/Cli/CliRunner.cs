using Slipway.Cli;

namespace Slipway.Client.Tests.Cli;

public sealed record CliResult(int ExitCode, string Out, string Error);

/// <summary>Runs the <c>slipway</c> command in-process with captured output.</summary>
public static class CliRunner
{
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliApp.RunAsync(args, output, error);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }
}
