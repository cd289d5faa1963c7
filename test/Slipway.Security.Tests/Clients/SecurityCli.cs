using System.Text.Json;
using Slipway.Cli;

namespace Slipway.Security.Tests.Clients;

/// <summary>What one <c>slipway</c> invocation did.</summary>
public sealed record CliOutcome(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- out ---\n{Out}\n--- error ---\n{Error}";

    /// <summary>The <c>--json</c> output, after checking the command succeeded.</summary>
    public JsonElement Json()
    {
        Assert.True(ExitCode == CliApp.Success, ToString());
        using var document = JsonDocument.Parse(Out);
        return document.RootElement.Clone();
    }
}

/// <summary>
/// Runs the <c>slipway</c> command in-process with captured output and the given standard input (for
/// <c>--password-stdin</c>). Standard input is process-wide, so callers belong to <see cref="ClientEnvironmentCollection"/>.
/// </summary>
public static class SecurityCli
{
    public static Task<CliOutcome> RunAsync(params string[] args) => RunWithInputAsync("", args);

    public static async Task<CliOutcome> RunWithInputAsync(string standardInput, params string[] args)
    {
        var previousInput = Console.In;
        using var input = new StringReader(standardInput);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetIn(input);
        try
        {
            var exitCode = await CliApp.RunAsync(args, output, error);
            return new CliOutcome(exitCode, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetIn(previousInput);
        }
    }
}
