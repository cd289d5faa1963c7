namespace Slipway.Client.Protocol;

// Request and response bodies of Slipway's endpoint API (/api/slipway/v1/endpoints…); requests send EndpointSpec itself.

internal sealed record EndpointResponse(ServingEndpoint? Endpoint);

internal sealed record EndpointsResponse(List<ServingEndpoint>? Endpoints);
