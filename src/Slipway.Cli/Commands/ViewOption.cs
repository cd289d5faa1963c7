using System.CommandLine;
using Slipway.Client;

namespace Slipway.Cli.Commands;

/// <summary><c>--view active|deleted|all</c>, shared by the list and search commands.</summary>
internal static class ViewOption
{
    public static Option<string> Create()
    {
        var option = new Option<string>("--view")
        {
            Description = "Which lifecycle stages to show.",
            DefaultValueFactory = _ => "active",
        };
        option.AcceptOnlyFromAmong("active", "deleted", "all");
        return option;
    }

    public static ViewType Parse(string? value) => value switch
    {
        "deleted" => ViewType.DeletedOnly,
        "all" => ViewType.All,
        _ => ViewType.ActiveOnly,
    };
}
