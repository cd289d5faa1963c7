using System.Text;
using System.Text.Json;

namespace Slipway.Deploy.Tests.Docker;

/// <summary>One instruction of a Dockerfile: the keyword (upper case) and the rest of its logical line.</summary>
internal sealed record DockerInstruction(string Keyword, string Arguments)
{
    /// <summary>The arguments of an exec-form instruction (<c>["dotnet", "x.dll"]</c>).</summary>
    public IReadOnlyList<string> ExecForm()
    {
        Assert.StartsWith("[", Arguments);
        return JsonSerializer.Deserialize<string[]>(Arguments)!;
    }

    /// <summary>The whitespace-separated words, flags included.</summary>
    public IReadOnlyList<string> Words() => Arguments.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>A build stage: its <c>FROM</c> image, its name, and its instructions.</summary>
internal sealed record DockerStage(string Image, string? Name, IReadOnlyList<DockerInstruction> Instructions)
{
    public IEnumerable<DockerInstruction> All(string keyword) => Instructions.Where(i => i.Keyword == keyword);
}

/// <summary>
/// A Dockerfile read the way BuildKit reads it, as far as these tests need: comments and parser directives dropped,
/// lines joined at a trailing backslash, instructions grouped into stages by <c>FROM</c>. There is no Docker engine on
/// the test machine, so the image is checked through its recipe.
/// </summary>
internal sealed class Dockerfile
{
    private Dockerfile(IReadOnlyList<DockerStage> stages) => Stages = stages;

    public IReadOnlyList<DockerStage> Stages { get; }

    public DockerStage Final => Stages[^1];

    public static Dockerfile Load(string path)
    {
        var stages = new List<DockerStage>();
        (string Image, string? Name)? current = null;
        var instructions = new List<DockerInstruction>();
        foreach (var line in LogicalLines(File.ReadAllLines(path)))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var keyword = (space < 0 ? line : line[..space]).ToUpperInvariant();
            var arguments = space < 0 ? "" : line[(space + 1)..].Trim();
            if (keyword == "FROM")
            {
                if (current is { } previous)
                    stages.Add(new DockerStage(previous.Image, previous.Name, instructions));
                var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToArray();
                current = (words[0], words.Length == 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null);
                instructions = [];
            }
            else
            {
                Assert.True(current is not null, $"'{keyword}' before the first FROM in {path}");
                instructions.Add(new DockerInstruction(keyword, arguments));
            }
        }
        if (current is { } last)
            stages.Add(new DockerStage(last.Image, last.Name, instructions));
        return new Dockerfile(stages);
    }

    private static IEnumerable<string> LogicalLines(IEnumerable<string> lines)
    {
        var pending = new StringBuilder();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && pending.Length == 0))
                continue; // comments (and parser directives) end nowhere, even inside a continued instruction
            if (line.EndsWith('\\'))
            {
                pending.Append(line[..^1]).Append(' ');
                continue;
            }
            pending.Append(line);
            if (pending.ToString().Trim() is { Length: > 0 } complete)
                yield return complete;
            pending.Clear();
        }
        if (pending.Length > 0)
            yield return pending.ToString().Trim();
    }
}
