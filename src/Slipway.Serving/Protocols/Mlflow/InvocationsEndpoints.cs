using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Core.Errors;
using Slipway.Core.Security;
using Slipway.Serving.Inference;
using Slipway.Serving.Security;
using Slipway.Tracking.Api;

namespace Slipway.Serving.Protocols.Mlflow;

/// <summary>
/// MLflow's scoring protocol: <c>POST /endpoints/{name}/invocations</c> with <c>dataframe_split</c>,
/// <c>dataframe_records</c>, <c>instances</c>, <c>inputs</c> or CSV, and <c>/ping</c>, <c>/health</c>, <c>/version</c>.
/// When the process serves exactly one endpoint (<c>slipway serve</c>), the same routes also answer at the root, as
/// <c>mlflow models serve</c> does. Errors use MLflow's <c>{"error_code","message"}</c>.
/// </summary>
public static class InvocationsEndpoints
{
    public const long MaxBodyBytes = 64L * 1024 * 1024;

    private static readonly string Version =
        typeof(InvocationsEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static IEndpointRouteBuilder MapMlflowScoring(this IEndpointRouteBuilder app)
    {
        foreach (var prefix in new[] { "/endpoints/{name}", "" })
        {
            app.MapPost(prefix + "/invocations", InvokeAsync).RequireAuthorization(SlipwayPolicies.ServingInfer);
            // As route handlers (Delegate), so that the IResult they return is written.
            app.MapGet(prefix + "/ping", (Func<HttpContext, Task<IResult>>)Ping).RequireAuthorization(SlipwayPolicies.ServingInfer);
            app.MapGet(prefix + "/health", (Func<HttpContext, Task<IResult>>)Ping).RequireAuthorization(SlipwayPolicies.ServingInfer);
            app.MapGet(prefix + "/version", (Func<HttpContext, Task<IResult>>)VersionOf).RequireAuthorization(SlipwayPolicies.ServingInfer);
        }
        return app;
    }

    private static async Task<IResult> VersionOf(HttpContext context)
    {
        try
        {
            await ResolveAsync(context);
            return Results.Text(Version, "text/plain");
        }
        catch (SlipwayException e)
        {
            return MlflowJsonResult.Error(e.Code, e.Message);
        }
    }

    private static async Task<IResult> Ping(HttpContext context)
    {
        try
        {
            var target = await ResolveAsync(context);
            return target.IsReady ? Results.Text("\n", "text/plain") : MlflowJsonResult.Error(ErrorCode.TemporarilyUnavailable, $"Endpoint '{target.Name}' is not ready.");
        }
        catch (SlipwayException e)
        {
            return MlflowJsonResult.Error(e.Code, e.Message);
        }
    }

    private static async Task InvokeAsync(HttpContext context)
    {
        IResult result;
        try
        {
            result = await InvokeCoreAsync(context);
        }
        catch (SlipwayException e)
        {
            // MLflow's scoring server reports bad input as BAD_REQUEST.
            result = MlflowJsonResult.Error(e.Code == ErrorCode.InvalidParameterValue ? ErrorCode.BadRequest : e.Code, e.Message);
        }
        catch (JsonException e)
        {
            result = MlflowJsonResult.Error(ErrorCode.BadRequest, "Malformed JSON in request body: " + e.Message);
        }
        catch (BadHttpRequestException e)
        {
            result = MlflowJsonResult.Error(ErrorCode.BadRequest, e.Message);
        }
        await result.ExecuteAsync(context);
    }

    private static async Task<IResult> InvokeCoreAsync(HttpContext context)
    {
        var target = await ResolveAsync(context);
        var signature = target.Signature ?? throw new SlipwayException(ErrorCode.TemporarilyUnavailable, $"Endpoint '{target.Name}' is not ready.");
        var request = context.Request;
        if (request.ContentLength > MaxBodyBytes)
            throw SlipwayException.InvalidParameter($"Request body of {request.ContentLength} bytes exceeds the limit of {MaxBodyBytes} bytes.");
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = MaxBodyBytes;
        var mediaType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        IReadOnlyList<Tensor> inputs;
        bool records;
        switch (mediaType)
        {
            case "application/json":
                using (var document = await JsonDocument.ParseAsync(request.Body, default, context.RequestAborted))
                    (inputs, records) = InvocationsParser.ParseJson(document.RootElement, signature);
                break;
            case "text/csv":
                using (var reader = new StreamReader(request.Body, Encoding.UTF8))
                    inputs = InvocationsParser.ParseCsv(await reader.ReadToEndAsync(context.RequestAborted), signature);
                records = true;
                break;
            default:
                throw SlipwayException.InvalidParameter(
                    $"Content type must be one of application/json or text/csv, got '{request.ContentType}'.");
        }
        var inference = new InferenceRequest(null, inputs, null, null);
        var answer = await target.InferAsync(inference, new InferenceContext(context.TraceIdentifier, name => HeaderValue(context, name), "mlflow"), context.RequestAborted);
        return new MlflowJsonResult(w => PredictionsWriter.Write(w, answer.Outputs, records));
    }

    private static string? HeaderValue(HttpContext context, string name) =>
        context.Request.Headers.TryGetValue(name, out var values) ? values.ToString() : null;

    /// <summary>
    /// The endpoint the request names (or the only one served, at the root), once the <see cref="IInferenceAuthorizer"/>
    /// lets the caller use it; a named endpoint is authorized before it is looked up, so a refused caller cannot tell
    /// which names exist.
    /// </summary>
    private static async ValueTask<IInferenceTarget> ResolveAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var authorizer = services.GetService<IInferenceAuthorizer>() ?? OpenInferenceAuthorizer.Instance;
        var targets = services.GetRequiredService<IInferenceTargets>();
        if (context.Request.RouteValues.TryGetValue("name", out var value) && value is string name)
        {
            await authorizer.AuthorizeAsync(context, name, context.RequestAborted);
            return targets.Find(name) ?? throw SlipwayException.NotFound($"Endpoint '{name}' not found.");
        }
        var all = targets.All;
        var target = all.Count == 1
            ? all[0]
            : throw SlipwayException.NotFound(all.Count == 0
                ? "No endpoint is served here."
                : "Several endpoints are served here; use /endpoints/{name}/invocations.");
        await authorizer.AuthorizeAsync(context, target.Name, context.RequestAborted);
        return target;
    }
}
