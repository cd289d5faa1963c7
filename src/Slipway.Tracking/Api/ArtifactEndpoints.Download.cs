using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Slipway.Artifacts;
using Slipway.Core.Errors;

namespace Slipway.Tracking.Api;

internal static partial class ArtifactEndpoints
{
    /// <summary>
    /// GET and HEAD of one artifact. One bytes range is served by the store itself (S3 and Azure fetch only those
    /// bytes); anything else in a Range header is ignored and the whole file sent, as HTTP allows, and so is a Range
    /// whose <c>If-Range</c> does not name the current version. HEAD describes the whole file.
    /// </summary>
    private static async Task<IResult> DownloadAsync(IArtifactStore store, HttpContext context, string routePrefix)
    {
        var path = RelativePath(context, routePrefix);
        var headOnly = HttpMethods.IsHead(context.Request.Method);
        var range = headOnly ? null : ArtifactRange.ParseHttpHeader(context.Request.Headers.Range);
        var ifRange = context.Request.Headers.IfRange.ToString();
        ArtifactContent? content;
        try
        {
            content = await store.OpenReadAsync(path, range, context.RequestAborted);
        }
        catch (ArtifactRangeNotSatisfiableException e)
        {
            // With an If-Range that does not match, the Range does not apply at all: the whole file is the answer.
            content = ifRange.Length > 0 ? await store.OpenReadAsync(path, null, context.RequestAborted) : null;
            if (content is not null && !IfRangeMatches(ifRange, content.ETag))
                return Send(context, content, path, ranged: false, headOnly);
            if (content is not null)
                await content.DisposeAsync();
            context.Response.Headers.ContentRange = $"bytes */{e.TotalLength}";
            return Results.StatusCode(StatusCodes.Status416RangeNotSatisfiable);
        }
        if (content is null)
            throw SlipwayException.NotFound($"Artifact '{path}' does not exist.");
        if (range is not null && ifRange.Length > 0 && !IfRangeMatches(ifRange, content.ETag))
        {
            // The client holds part of another version (or dated its validator, and no date is sent): bytes of this
            // version would corrupt its copy, so it gets the whole file.
            await content.DisposeAsync();
            content = await store.OpenReadAsync(path, null, context.RequestAborted)
                ?? throw SlipwayException.NotFound($"Artifact '{path}' does not exist.");
            range = null;
        }
        return Send(context, content, path, ranged: range is not null, headOnly);
    }

    private static ArtifactDownload Send(HttpContext context, ArtifactContent content, string path, bool ranged, bool headOnly)
    {
        try
        {
            var name = path[(path.LastIndexOf('/') + 1)..];
            var headers = context.Response.Headers;
            headers.ContentDisposition = ContentDisposition(name);
            headers.XContentTypeOptions = "nosniff";
            headers.AcceptRanges = "bytes";
            if (content.ETag is { } eTag)
                headers.ETag = eTag;
            return new ArtifactDownload(content, ContentTypes.Guess(name), ranged, headOnly);
        }
        catch
        {
            // Until the result owns it, the open response (an S3 or Azure connection) is ours to close.
            content.Dispose();
            throw;
        }
    }

    /// <summary>
    /// <c>attachment; filename=NAME</c> exactly as MLflow sends it when the name is an RFC 9110 token (the recorded
    /// MLflow traces compare it byte for byte). Any other name is given twice (RFC 6266): <c>filename*</c> in UTF-8
    /// percent-encoding (RFC 5987) for clients that read it, and a quoted ASCII <c>filename</c> with every other
    /// character replaced by <c>_</c>. Header values must be visible ASCII, so a raw <c>è</c> or a control character
    /// would fail the whole response.
    /// </summary>
    internal static string ContentDisposition(string name)
    {
        if (name.Length > 0 && name.All(IsTokenChar))
            return "attachment; filename=" + name;
        var fallback = string.Create(name.Length, name, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
                span[i] = source[i] is >= ' ' and <= '~' and not '"' and not '\\' ? source[i] : '_';
        });
        var value = new ContentDispositionHeaderValue("attachment") { FileName = fallback, FileNameStar = name };
        return value.ToString();
    }

    // tchar of RFC 9110 §5.6.2: visible ASCII except separators.
    private static bool IsTokenChar(char c) =>
        c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
            or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';

    /// <summary>RFC 9110 §13.1.5: the range applies only when If-Range is a strong entity tag equal to the current one.</summary>
    private static bool IfRangeMatches(string ifRange, string? eTag) =>
        eTag is not null && !ifRange.StartsWith("W/", StringComparison.Ordinal) && string.Equals(ifRange.Trim(), eTag, StringComparison.Ordinal);
}

/// <summary>
/// Sends an opened artifact: 200 with the whole file, or 206 with <c>Content-Range</c> when a byte range was asked for;
/// for HEAD only the headers. The content is disposed whatever happens.
/// </summary>
internal sealed record ArtifactDownload(ArtifactContent Content, string ContentType, bool Ranged, bool HeadOnly) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        await using (Content)
        {
            var response = httpContext.Response;
            response.StatusCode = Ranged ? StatusCodes.Status206PartialContent : StatusCodes.Status200OK;
            if (Ranged)
                response.Headers.ContentRange = $"bytes {Content.Offset}-{Content.Offset + Content.Length - 1}/{Content.TotalLength}";
            response.ContentType = ContentType;
            response.ContentLength = Content.Length;
            if (!HeadOnly)
                await Content.Stream.CopyToAsync(response.Body, httpContext.RequestAborted);
        }
    }
}
