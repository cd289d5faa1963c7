using System.Globalization;
using System.Text;
using Slipway.Serving.Endpoints;

namespace Slipway.Serving.DataPlane;

/// <summary>
/// The model cache of a serving process: one folder per registry version, <c>&lt;cache&gt;/&lt;model&gt;/&lt;version&gt;/</c>,
/// filled once and loaded from there. Shared by <see cref="ModelResolver"/> (copies from the artifact store) and
/// <see cref="RemoteModelSource"/> (downloads from a control plane).
/// </summary>
internal static class ModelCache
{
    public static string FolderFor(string cacheDirectory, ResolvedModel model) =>
        Path.Combine(Path.GetFullPath(cacheDirectory), SafeName(model.ModelName), SafeName(model.Version));

    /// <summary>
    /// The folder, filled first when it does not exist: <paramref name="fill"/> writes into a temporary folder beside it,
    /// which is then moved into place, so a half-written version is never loaded.
    /// </summary>
    public static async Task<string> GetOrFillAsync(string folder, Func<string, CancellationToken, Task> fill, CancellationToken ct)
    {
        if (Directory.Exists(folder))
            return folder;
        var temporary = folder + ".partial-" + Guid.NewGuid().ToString("N");
        try
        {
            Directory.CreateDirectory(temporary);
            await fill(temporary, ct);
            try
            {
                Directory.Move(temporary, folder);
            }
            catch (IOException) when (Directory.Exists(folder))
            {
                // Another load of the same version finished first; its copy is as good as this one.
            }
        }
        finally
        {
            if (Directory.Exists(temporary))
                Directory.Delete(temporary, recursive: true);
        }
        return folder;
    }

    /// <summary>A name as one safe folder name: anything but letters, digits, '_', '-' and inner dots is %-escaped.</summary>
    public static string SafeName(string name)
    {
        var builder = new StringBuilder(name.Length);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in name.EnumerateRunes())
        {
            if (rune.IsAscii && (char.IsAsciiLetterOrDigit((char)rune.Value) || rune.Value is '_' or '-' || (rune.Value == '.' && builder.Length > 0)))
            {
                builder.Append((char)rune.Value);
                continue;
            }
            var count = rune.EncodeToUtf8(bytes);
            foreach (var b in bytes[..count])
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }
}
