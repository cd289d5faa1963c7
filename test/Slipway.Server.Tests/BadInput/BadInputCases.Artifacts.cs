using System.Text;
using static Slipway.Server.Tests.Infrastructure.MlflowError;

namespace Slipway.Server.Tests.BadInput;

/// <summary>
/// Artifact rows. MLflow's <c>validate_path_is_safe</c> (mlflow/utils/uri.py) decodes the path until it is stable, then
/// rejects <c>..</c> segments, absolute and <c>file:</c> paths and backslashes with 400 INVALID_PARAMETER_VALUE; the
/// multipart routes validate the path and their body before answering that multipart is not supported.
/// Every upload here is named <c>evil-{marker}</c> so the fixture can find it wherever it might have landed.
/// </summary>
public static partial class BadInputCases
{
    private const string RunArtifacts = "{exp}/{run}/artifacts/";

    private static IEnumerable<BadInputCase> Artifacts()
    {
        var traversals = new (string Name, string Path)[]
        {
            ("..%2F out of the run folder and the root", RunArtifacts + "..%2F..%2F..%2F..%2Fevil-{marker}.txt"),
            ("..%2F from the root into its parent's parent", "..%2F..%2Fevil-{marker}.txt"),
            ("literal ../ segments", RunArtifacts + "../../../evil-{marker}.txt"),
            ("%2e%2e/ segments inside the route", RunArtifacts + "%2e%2e/%2e%2e/%2e%2e/evil-{marker}.txt"),
            ("%2e%2e/ segments from the root", "%2e%2e/%2e%2e/evil-{marker}.txt"),
            ("double-encoded %252e%252e%252f", RunArtifacts + "%252e%252e%252f%252e%252e%252f%252e%252e%252f%252e%252e%252fevil-{marker}.txt"),
            ("double-encoded %252e%252e/ segments", "%252e%252e/%252e%252e/evil-{marker}.txt"),
            ("an absolute path after a double slash", "/{parent}/evil-{marker}.txt"),
            ("an encoded absolute path", "{parentEnc}%2Fevil-{marker}.txt"),
            ("a file: URI", "file%3A%2F%2F{parentEnc}%2Fevil-{marker}.txt"),
            ("encoded backslashes", "{exp}/..%5C..%5C..%5Cevil-{marker}.txt"),
            ("raw backslashes", "{exp}\\..\\..\\evil-{marker}.txt"),
        };
        foreach (var (name, path) in traversals)
            yield return new("artifact PUT with " + name, "PUT", Proxy + "artifacts/" + path, EvilBytes, 400, [InvalidParameterValue]);
        foreach (var (name, path) in traversals.Where(t => t.Name.StartsWith("..%2F", StringComparison.Ordinal) || t.Name.Contains("encoded", StringComparison.Ordinal)))
        {
            yield return new("mpu/create with " + name, "POST", Proxy + "mpu/create/" + path,
                BadInputCase.Json("""{"path": "evil-{marker}.txt", "num_parts": 2}"""), 400, [InvalidParameterValue]);
        }

        var secrets = new (string Name, string Path)[]
        {
            ("..%2F to /etc/passwd", "{exp}/..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd"),
            ("//etc/passwd", "/etc/passwd"),
            ("%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd"),
            ("double-encoded ../ to /etc/passwd", "%252e%252e%252f%252e%252e%252f%252e%252e%252f%252e%252e%252fetc%252fpasswd"),
            ("file:///etc/passwd", "file%3A%2F%2F%2Fetc%2Fpasswd"),
            ("backslashes to the canary", "{exp}\\..\\..\\canary-{marker}.txt"),
        };
        foreach (var (name, path) in secrets)
            yield return new("artifact GET of " + name, "GET", Proxy + "artifacts/" + path, null, 400, [InvalidParameterValue]);
        // HEAD answers the same status and headers as GET, without the body.
        foreach (var (name, path) in secrets)
            yield return new("artifact HEAD of " + name, "HEAD", Proxy + "artifacts/" + path, null, 400, []);
        yield return new("artifact HEAD of a missing file", "HEAD", Proxy + "artifacts/" + RunArtifacts + "no-such-file.txt", null, 404, []);
        yield return new("artifact GET of a path over 1024 bytes", "GET", Proxy + "artifacts/" + RunArtifacts + string.Join('/', Enumerable.Repeat(new string('n', 250), 5)), null, 400, [InvalidParameterValue]);
        // Not traversal, but still the client's mistake: never a 5xx (clients retry those).
        yield return new("artifact PUT below an existing file", "PUT", Proxy + "artifacts/" + RunArtifacts + "keep.txt/evil-{marker}.txt", EvilBytes, 400, [InvalidParameterValue]);
        yield return new("artifact PUT with a 300-character file name", "PUT", Proxy + "artifacts/" + RunArtifacts + new string('n', 300) + "-evil-{marker}.txt", EvilBytes, 400, [InvalidParameterValue]);
        yield return new("artifact GET of a missing file", "GET", Proxy + "artifacts/" + RunArtifacts + "no-such-file.txt", null, 404, [ResourceDoesNotExist]);

        yield return new("artifact DELETE of the canary via ..%2F", "DELETE", Proxy + "artifacts/..%2Fcanary-{marker}.txt", null, 400, [InvalidParameterValue]);
        yield return new("artifact DELETE of the canary via an absolute path", "DELETE", Proxy + "artifacts/{dataDirEnc}%2Fcanary-{marker}.txt", null, 400, [InvalidParameterValue]);
        yield return new("artifact DELETE of the canary via double encoding", "DELETE", Proxy + "artifacts/%252e%252e%252fcanary-{marker}.txt", null, 400, [InvalidParameterValue]);
        yield return new("artifact DELETE of the data folder via ..%2F", "DELETE", Proxy + "artifacts/" + RunArtifacts + "..%2F..%2F..%2F..", null, 400, [InvalidParameterValue]);
        yield return new("artifact DELETE of the artifact root", "DELETE", Proxy + "artifacts/", null, AnyClientError, []);

        yield return new("artifact list of ../..", "GET", Proxy + "artifacts?path=..%2F..", null, 400, [InvalidParameterValue]);
        yield return new("artifact list of /etc", "GET", Proxy + "artifacts?path=%2Fetc", null, 400, [InvalidParameterValue]);
        yield return new("artifact list of double-encoded ..", "GET", Proxy + "artifacts?path=%252e%252e", null, 400, [InvalidParameterValue]);
        yield return new("artifact list with backslashes", "GET", Proxy + "artifacts?path=..%5C..", null, 400, [InvalidParameterValue]);

        yield return Get("artifacts/list without run_id", "artifacts/list", 400, InvalidParameterValue);
        yield return Get("artifacts/list of an unknown run", "artifacts/list?run_id=" + UnknownRun, 404, ResourceDoesNotExist);
        yield return Get("artifacts/list of ../..", "artifacts/list?run_id={run}&path=..%2F..%2F..", 400, InvalidParameterValue);
        yield return Get("artifacts/list of /etc", "artifacts/list?run_id={run}&path=%2Fetc", 400, InvalidParameterValue);
        yield return Get("artifacts/list of double-encoded ..", "artifacts/list?run_id={run}&path=%252e%252e%252f%252e%252e", 400, InvalidParameterValue);

        yield return new("mpu/create without path in the body", "POST", Proxy + "mpu/create/" + RunArtifacts + "evil-{marker}.bin",
            BadInputCase.Json("""{"num_parts": 2}"""), 400, [InvalidParameterValue]);
        yield return new("mpu/create with malformed JSON", "POST", Proxy + "mpu/create/" + RunArtifacts + "evil-{marker}.bin",
            BadInputCase.Json(MalformedJson), 400, NotAnObject);
        yield return new("mpu/complete without parts", "POST", Proxy + "mpu/complete/" + RunArtifacts + "evil-{marker}.bin",
            BadInputCase.Json("""{"path": "evil-{marker}.bin", "upload_id": "u1"}"""), 400, [InvalidParameterValue]);
        yield return new("mpu/complete with ..%2F", "POST", Proxy + "mpu/complete/..%2F..%2Fevil-{marker}.bin",
            BadInputCase.Json("""{"path": "evil-{marker}.bin", "upload_id": "u1", "parts": [{"part_number": 1, "etag": "e"}]}"""), 400, [InvalidParameterValue]);
        yield return new("mpu/abort without path in the body", "POST", Proxy + "mpu/abort/" + RunArtifacts + "evil-{marker}.bin",
            BadInputCase.Json("""{"upload_id": "u1"}"""), 400, [InvalidParameterValue]);
        yield return new("mpu/abort with ..%2F", "POST", Proxy + "mpu/abort/..%2F..%2Fevil-{marker}.bin",
            BadInputCase.Json("""{"path": "evil-{marker}.bin", "upload_id": "u1"}"""), 400, [InvalidParameterValue]);
    }

    private static HttpContent? EvilBytes(BadInputFixture fixture)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("planted by a traversal test " + fixture.Marker));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
        return content;
    }
}
