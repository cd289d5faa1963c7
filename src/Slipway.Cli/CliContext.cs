using Spectre.Console;

namespace Slipway.Cli;

/// <summary>Where a command writes: plain writers for JSON and messages, a Spectre console for tables.</summary>
internal sealed class CliContext
{
    private const int RedirectedWidth = 200;

    public CliContext(TextWriter output, TextWriter error)
    {
        Out = output;
        Error = error;
        var isTerminal = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });

        // Tables written to a file or a pipe should not be squeezed to a guessed 80 columns.
        if (!isTerminal)
            Console.Profile.Width = RedirectedWidth;
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    public IAnsiConsole Console { get; }

    public int Fail(string message)
    {
        Error.WriteLine($"error: {message}");
        return CliApp.Failure;
    }

    public int Usage(string message)
    {
        Error.WriteLine($"error: {message}");
        return CliApp.UsageError;
    }
}
