namespace Slipway.Core.Security;

/// <summary>
/// Authorization policy names, one per resource and permission level. Every route is mapped with one of them
/// from day one; until authentication lands each policy allows all, so no route can later escape access control.
/// </summary>
public static class SlipwayPolicies
{
    public const string ExperimentsRead = "experiments:read";
    public const string ExperimentsEdit = "experiments:edit";
    public const string ExperimentsManage = "experiments:manage";
    public const string ModelsRead = "models:read";
    public const string ModelsEdit = "models:edit";
    public const string ModelsManage = "models:manage";
    public const string AuditRead = "audit:read";
    public const string WebhooksManage = "webhooks:manage";
    public const string EndpointsRead = "endpoints:read";
    public const string EndpointsEdit = "endpoints:edit";
    public const string EndpointsManage = "endpoints:manage";
    public const string ServingInfer = "serving:infer";
    public const string MonitorsRead = "monitors:read";
    public const string MonitorsEdit = "monitors:edit";
    public const string MonitorsManage = "monitors:manage";
    public const string PipelinesRead = "pipelines:read";
    public const string PipelinesEdit = "pipelines:edit";
    public const string PipelinesManage = "pipelines:manage";
    public const string Operations = "operations";
    /// <summary>The web UI's pages and its interactive connection; each page then acts through the module services.</summary>
    public const string Ui = "ui";

    public static readonly IReadOnlyList<string> All =
        [ExperimentsRead, ExperimentsEdit, ExperimentsManage, ModelsRead, ModelsEdit, ModelsManage, AuditRead, WebhooksManage,
         EndpointsRead, EndpointsEdit, EndpointsManage, ServingInfer, MonitorsRead, MonitorsEdit, MonitorsManage,
         PipelinesRead, PipelinesEdit, PipelinesManage, Operations, Ui];
}
