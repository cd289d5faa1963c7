using System.Text;

namespace Slipway.Web.Components.Shared;

/// <summary>
/// Writes text as a quoted literal of the MLflow search language, as its tokenizer
/// (<c>Slipway.Tracking.Search.FilterTokenizer</c>) reads quotes: a doubled quote mark stands for itself, a backslash
/// before the quote mark also stands for the quote mark, and any other backslash pair is kept verbatim.
/// </summary>
public static class SearchQuoting
{
    /// <summary>
    /// <paramref name="text"/> between <paramref name="quote"/> marks, or null when the tokenizer cannot read it back:
    /// a backslash right before that quote mark, or at the very end, always turns into an escape.
    /// </summary>
    public static string? Quote(string text, char quote)
    {
        var builder = new StringBuilder(text.Length + 2).Append(quote);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == quote)
            {
                builder.Append(quote).Append(quote);
            }
            else if (c == '\\')
            {
                // The tokenizer reads a backslash and the next character as a pair; the pair must not be "\<quote>".
                if (i + 1 >= text.Length || text[i + 1] == quote)
                    return null;
                builder.Append(c).Append(text[++i]);
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.Append(quote).ToString();
    }

    /// <summary>A string literal in single quotes, else in double quotes, else null (see <see cref="Quote"/>).</summary>
    public static string? QuoteString(string text) => Quote(text, '\'') ?? Quote(text, '"');
}
