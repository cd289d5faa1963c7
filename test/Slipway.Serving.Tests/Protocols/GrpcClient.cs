// The test project compiles the client stub from the server's own proto, as a Triton or KServe client would. The
// generated GRPCInferenceService class therefore exists both here (holding the client) and in Slipway.Serving
// (holding the server base); the local one is the one meant, and this alias is the only place that names it.
#pragma warning disable CS0436
global using OipGrpcClient = Slipway.Serving.Protocols.Grpc.GRPCInferenceService.GRPCInferenceServiceClient;
#pragma warning restore CS0436
