using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Slipway.Core.Errors;
using Slipway.Core.Security;
using Slipway.Serving.Inference;
using Slipway.Serving.Security;

namespace Slipway.Serving.Protocols.Oip;

/// <summary>
/// The Open Inference Protocol (KServe V2) REST API with the binary tensor extension. A thin adapter: it translates
/// HTTP to <see cref="InferenceRequest"/> and back, and each OIP model name is a serving endpoint's name.
/// </summary>
public static partial class OipEndpoints
{
    private static readonly string ServerVersion =
        typeof(OipEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>
    /// Maps <c>/v2</c>. Server liveness and readiness are open to anyone (probes); server metadata needs the
    /// <see cref="SlipwayPolicies.ServingInfer"/> policy; every model route also asks the registered
    /// <see cref="IInferenceAuthorizer"/> whether the caller may use that endpoint.
    /// </summary>
    public static RouteGroupBuilder Map(IEndpointRouteBuilder app)
    {
        var v2 = app.MapGroup("/v2").WithTags("Open Inference Protocol");
        var authorizer = app.ServiceProvider.GetService<IInferenceAuthorizer>() ?? OpenInferenceAuthorizer.Instance;
        MapRoute(v2, "GET", "/health/live", "OipServerLive", "Server liveness", ServerLiveAsync, null).AllowAnonymous();
        MapRoute(v2, "GET", "/health/ready", "OipServerReady", "Server readiness: every endpoint ready", ServerReadyAsync, null).AllowAnonymous();
        MapRoute(v2, "GET", "", "OipServerMetadata", "Server name, version and extensions", ServerMetadataAsync, null);
        foreach (var (prefix, suffix) in new[] { ("/models/{name}", ""), ("/models/{name}/versions/{version}", "Version") })
        {
            MapRoute(v2, "GET", prefix, "OipModelMetadata" + suffix, "Model metadata", ModelMetadataAsync, authorizer);
            MapRoute(v2, "GET", prefix + "/ready", "OipModelReady" + suffix, "Model readiness", ModelReadyAsync, authorizer);
            MapRoute(v2, "POST", prefix + "/infer", "OipModelInfer" + suffix, "Inference", InferAsync, authorizer);
        }
        // Anything else under /v2 (an unknown path, or a known path with the wrong method) answers in OIP's error shape.
        app.MapFallback("/v2/{**rest}", context =>
                OipErrors.WriteAsync(context, StatusCodes.Status404NotFound, $"No OIP route {context.Request.Method} {context.Request.Path}."))
            .RequireAuthorization(SlipwayPolicies.ServingInfer);
        return v2;
    }

    /// <param name="authorizer">Asked about the <c>{name}</c> endpoint before the handler runs; null for server-level routes.</param>
    private static IEndpointConventionBuilder MapRoute(
        RouteGroupBuilder group, string method, string pattern, string name, string summary, RequestDelegate handler, IInferenceAuthorizer? authorizer) =>
        group.MapMethods(pattern, [method], context => HandleAsync(context, authorizer, handler))
            .WithName(name)
            .WithSummary(summary)
            .RequireAuthorization(SlipwayPolicies.ServingInfer);

    /// <summary>Runs a handler and turns any failure into <c>{"error"}</c> with its status (the connection is cut if the answer had begun).</summary>
    private static async Task HandleAsync(HttpContext context, IInferenceAuthorizer? authorizer, RequestDelegate handler)
    {
        try
        {
            if (authorizer is not null)
                await authorizer.AuthorizeAsync(context, (string)context.Request.RouteValues["name"]!, context.RequestAborted);
            await handler(context);
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away (a cancelled read or write, a reset connection); there is no one to answer.
        }
        catch (Exception exception) when (!context.Response.HasStarted)
        {
            if (OipErrors.ToError(exception) is { } error)
            {
                await OipErrors.WriteAsync(context, OipErrors.StatusFor(error.Code), error.Message);
                return;
            }
            LogUnexpected(Logger(context), context.Request.Path, exception);
            await OipErrors.WriteAsync(context, StatusCodes.Status500InternalServerError, "Internal error: " + exception.GetType().Name);
        }
        catch (Exception exception)
        {
            // Part of the answer is on the wire: a cut connection is the only reply that cannot pass for a whole one.
            LogUnexpected(Logger(context), context.Request.Path, exception);
            context.Abort();
        }
    }

    private static Task ServerLiveAsync(HttpContext context) => OipResults.WriteJsonAsync(context, StatusCodes.Status200OK, w =>
    {
        w.WriteStartObject();
        w.WriteBoolean("live"u8, true);
        w.WriteEndObject();
    });

    private static Task ServerReadyAsync(HttpContext context)
    {
        var ready = true;
        foreach (var target in Targets(context).All)
            ready &= target.IsReady;
        return OipResults.WriteJsonAsync(context, ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("ready"u8, ready);
            w.WriteEndObject();
        });
    }

    private static Task ServerMetadataAsync(HttpContext context) => OipResults.WriteJsonAsync(context, StatusCodes.Status200OK, w =>
    {
        w.WriteStartObject();
        w.WriteString("name"u8, "slipway");
        w.WriteString("version"u8, ServerVersion);
        w.WriteStartArray("extensions"u8);
        w.WriteStringValue("binary_tensor_data");
        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static Task ModelMetadataAsync(HttpContext context)
    {
        var target = ResolveTarget(context);
        var signature = target.Signature
            ?? throw new SlipwayException(ErrorCode.TemporarilyUnavailable, $"Model '{target.Name}' is not loaded yet.");
        return OipResults.WriteJsonAsync(context, StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteString("name"u8, target.Name);
            w.WriteStartArray("versions"u8);
            foreach (var version in target.Versions)
                w.WriteStringValue(version);
            w.WriteEndArray();
            w.WriteString("platform"u8, target.Platform);
            WriteSpecs(w, "inputs"u8, signature.Inputs);
            WriteSpecs(w, "outputs"u8, signature.Outputs);
            w.WriteEndObject();
        });
    }

    private static Task ModelReadyAsync(HttpContext context)
    {
        var target = ResolveTarget(context);
        var ready = target.IsReady;
        return OipResults.WriteJsonAsync(context, ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, w =>
        {
            w.WriteStartObject();
            w.WriteString("name"u8, target.Name);
            w.WriteBoolean("ready"u8, ready);
            w.WriteEndObject();
        });
    }

    private static void WriteSpecs(System.Text.Json.Utf8JsonWriter w, ReadOnlySpan<byte> name, IReadOnlyList<TensorSpec> specs)
    {
        w.WriteStartArray(name);
        foreach (var spec in specs)
        {
            w.WriteStartObject();
            w.WriteString("name"u8, spec.Name);
            w.WriteString("datatype"u8, spec.DataType.WireName());
            OipJsonWriter.WriteShape(w, "shape"u8, spec.Shape);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static IInferenceTargets Targets(HttpContext context) => context.RequestServices.GetRequiredService<IInferenceTargets>();

    /// <summary>The endpoint named in the path; a version in the path must be one the endpoint serves now.</summary>
    private static IInferenceTarget ResolveTarget(HttpContext context)
    {
        var name = (string)context.Request.RouteValues["name"]!;
        var target = Targets(context).Find(name) ?? throw SlipwayException.NotFound($"Model '{name}' is not served here.");
        if (context.Request.RouteValues["version"] is string version && !Serves(target, version))
            throw SlipwayException.NotFound($"Model '{name}' does not serve version '{version}' (it serves: {string.Join(", ", target.Versions)}).");
        return target;
    }

    private static bool Serves(IInferenceTarget target, string version)
    {
        foreach (var served in target.Versions)
        {
            if (served == version)
                return true;
        }
        return false;
    }

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Slipway.Serving.Protocols.Oip");

    [LoggerMessage(EventId = 4500, Level = LogLevel.Error, Message = "Unhandled error on OIP request {Path}")]
    private static partial void LogUnexpected(ILogger logger, PathString path, Exception exception);
}
