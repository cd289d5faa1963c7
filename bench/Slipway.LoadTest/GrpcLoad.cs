using System.Diagnostics;
using Google.Protobuf;
using Grpc.Net.Client;
using Slipway.Serving.Protocols.Grpc;

namespace Slipway.LoadTest;

/// <summary>
/// A closed-loop gRPC load: <c>concurrency</c> calls in flight at all times (ModelInfer with raw input contents),
/// spread over a few HTTP/2 connections, for a fixed duration. Latency is measured per call.
/// </summary>
internal static class GrpcLoad
{
    public static async Task<(double PerSecond, LatencyStats Latency, long Failures)> RunAsync(Uri address, string model, float[] row, int concurrency, TimeSpan duration)
    {
        var raw = new byte[row.Length * sizeof(float)];
        Buffer.BlockCopy(row, 0, raw, 0, raw.Length);
        var request = new ModelInferRequest { ModelName = model };
        var input = new ModelInferRequest.Types.InferInputTensor { Name = "input", Datatype = "FP32" };
        input.Shape.Add(1);
        input.Shape.Add(row.Length);
        request.Inputs.Add(input);
        request.RawInputContents.Add(ByteString.CopyFrom(raw));

        const int Connections = 4;
        var channels = Enumerable.Range(0, Connections)
            .Select(_ => GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } }))
            .ToArray();
        var clients = channels.Select(c => new GRPCInferenceService.GRPCInferenceServiceClient(c)).ToArray();
        await clients[0].ModelInferAsync(request);

        var recorders = new LatencyRecorder[concurrency];
        long failures = 0;
        long completed = 0;
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var client = clients[worker % Connections];
            var recorder = recorders[worker] = new LatencyRecorder(50_000);
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    await client.ModelInferAsync(request);
                    recorder.Record(start);
                    Interlocked.Increment(ref completed);
                }
                catch (Grpc.Core.RpcException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }).ToArray();
        await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(started);
        foreach (var channel in channels)
            channel.Dispose();
        var latency = new LatencyStats(recorders.SelectMany(r => r.Ticks));
        return (completed / elapsed.TotalSeconds, latency, failures);
    }
}
