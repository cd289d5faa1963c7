namespace Slipway.Storage.Rows;

/// <summary>One audit record; <see cref="Before"/> and <see cref="After"/> are JSON documents or null.</summary>
public sealed class AuditEventRow
{
    public long Id { get; set; }
    public long Timestamp { get; set; }
    public string Actor { get; set; } = "";
    public string Action { get; set; } = "";
    public string Resource { get; set; } = "";
    public string? Before { get; set; }
    public string? After { get; set; }
    public string? RequestId { get; set; }
}
