namespace Slipway.Storage.Rows;

// Rows of the serving module. An endpoint's spec is only ever read and written whole, so it is JSON text (the
// form of Slipway.Serving.Endpoints.EndpointSpecJson, which the audit trail records too).

public sealed class EndpointRow
{
    public string Name { get; set; } = "";

    /// <summary>The <c>EndpointSpec</c> as JSON.</summary>
    public string Spec { get; set; } = "";

    /// <summary>1 at creation, plus one per update; serving processes compare it to notice changes.</summary>
    public long Revision { get; set; }

    public long CreationTime { get; set; }
    public long LastUpdatedTime { get; set; }
}
