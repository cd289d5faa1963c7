namespace Slipway.Cli;

/// <summary>The <c>slipway</c> executable.</summary>
public static class Program
{
    public static Task<int> Main(string[] args) => CliApp.RunAsync(args, Console.Out, Console.Error);
}
