using System.Collections.Frozen;
using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Slipway.Web.Assets;

/// <summary>
/// Serves the UI's scripts and styles from resources embedded in this assembly: blazor.web.js from the ASP.NET Core
/// assets pack, plotly.js from Plotly.Blazor and our own files under <c>/ui/</c>. Each file is read once, gzipped
/// once and answered with an ETag, so the UI needs no files beside the binary and nothing from the network.
/// </summary>
internal static class UiAssets
{
    private const string ResourcePrefix = "ui/";
    private static readonly Assembly Assembly = typeof(UiAssets).Assembly;
    // Every servable file, known from the assembly's resource names at start: a request for anything else is a 404
    // and adds nothing to memory. Contents are read on first use.
    private static readonly FrozenDictionary<string, Lazy<Asset>> Assets = Assembly.GetManifestResourceNames()
        .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
        .ToFrozenDictionary(name => name[ResourcePrefix.Length..], name => new Lazy<Asset>(() => Load(name)), StringComparer.Ordinal);

    /// <summary>Paths the browser asks for, relative to the site root, mapped to their resource names; the group lets
    /// the caller add conventions (who may fetch them, which headers they get).</summary>
    public static RouteGroupBuilder MapUiAssets(this IEndpointRouteBuilder app)
    {
        var assets = app.MapGroup("");
        assets.MapGet("/_framework/blazor.web.js", (HttpContext context) => Serve(context, "_framework/blazor.web.js"));
        assets.MapGet("/_content/Plotly.Blazor/{file}", (HttpContext context, string file) => Serve(context, "_content/Plotly.Blazor/" + file));
        assets.MapGet("/ui/{**path}", (HttpContext context, string path) => Serve(context, path));
        return assets;
    }

    /// <summary>The version stamp appended to our own asset URLs, so a new build is never served a stale copy.</summary>
    public static string Version { get; } = Convert.ToHexStringLower(
        SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Assembly.ManifestModule.ModuleVersionId.ToString())))[..12];

    private static Task Serve(HttpContext context, string path)
    {
        if (!Assets.TryGetValue(path, out var entry))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        var asset = entry.Value;
        var headers = context.Response.Headers;
        headers.ETag = asset.ETag;
        headers.CacheControl = "public, max-age=3600";
        headers.Vary = HeaderNames.AcceptEncoding;
        if (context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        context.Response.ContentType = asset.ContentType;
        var body = asset.Content;
        if (context.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            headers.ContentEncoding = "gzip";
            body = asset.Gzipped.Value;
        }
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private static Asset Load(string resourceName)
    {
        using var stream = Assembly.GetManifestResourceStream(resourceName)!;
        var content = new byte[stream.Length];
        stream.ReadExactly(content);
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..16] + "\"";
        return new Asset(content, ContentTypeOf(resourceName), etag);
    }

    private static string ContentTypeOf(string path) => Path.GetExtension(path) switch
    {
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    private sealed class Asset(byte[] content, string contentType, string etag)
    {
        public byte[] Content { get; } = content;
        public string ContentType { get; } = contentType;
        public string ETag { get; } = etag;
        public Lazy<byte[]> Gzipped { get; } = new(() => Gzip(content));

        private static byte[] Gzip(byte[] content)
        {
            using var output = new MemoryStream(content.Length / 3);
            using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
                gzip.Write(content);
            return output.ToArray();
        }
    }
}
