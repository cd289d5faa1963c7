using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Slipway.Cli.Output;

/// <summary>Helpers for the human-readable output: tables of plain (never markup-interpreted) text.</summary>
internal static class Tables
{
    public static Table Create(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in columns)
            table.AddColumn(new TableColumn(new Text(column)));
        return table;
    }

    public static void AddTextRow(this Table table, params string?[] cells) =>
        table.AddRow(cells.Select(c => (IRenderable)new Text(c ?? "")).ToArray());

    /// <summary>A Unix-milliseconds timestamp as <c>2025-01-31 12:00:00Z</c>; empty for null.</summary>
    public static string Time(long? unixMilliseconds) => unixMilliseconds is { } ms
        ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)
        : "";

    public static string Number(double value) => value.ToString("G10", CultureInfo.InvariantCulture);

    public static string Size(long? bytes) => bytes?.ToString(CultureInfo.InvariantCulture) ?? "";
}
