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
    /// <summary>User, token and permission administration of other users; admins only.</summary>
    public const string Admin = "admin";
    /// <summary>Any signed-in user, acting on their own account (their tokens, who they are).</summary>
    public const string Authenticated = "authenticated";

    public static readonly IReadOnlyList<string> All =
        [ExperimentsRead, ExperimentsEdit, ExperimentsManage, ModelsRead, ModelsEdit, ModelsManage, AuditRead, WebhooksManage,
         EndpointsRead, EndpointsEdit, EndpointsManage, ServingInfer, MonitorsRead, MonitorsEdit, MonitorsManage,
         PipelinesRead, PipelinesEdit, PipelinesManage, Operations, Ui, Admin, Authenticated];

    /// <summary>
    /// What a policy asks of the user once authentication is on. Resource policies name a kind and a level: the
    /// route checks the level on the resource the request names (or filters a list by READ). <see cref="ServingInfer"/>
    /// is decided per endpoint (its own tokens, else READ on it); audit, webhooks and administration need an admin;
    /// the rest need a signed-in user.
    /// </summary>
    public static PolicyRequirement Requirement(string policy) => policy switch
    {
        ExperimentsRead => new(ResourceKind.Experiment, PermissionLevel.Read),
        ExperimentsEdit => new(ResourceKind.Experiment, PermissionLevel.Edit),
        ExperimentsManage => new(ResourceKind.Experiment, PermissionLevel.Manage),
        ModelsRead => new(ResourceKind.Model, PermissionLevel.Read),
        ModelsEdit => new(ResourceKind.Model, PermissionLevel.Edit),
        ModelsManage => new(ResourceKind.Model, PermissionLevel.Manage),
        EndpointsRead => new(ResourceKind.Endpoint, PermissionLevel.Read),
        EndpointsEdit => new(ResourceKind.Endpoint, PermissionLevel.Edit),
        EndpointsManage => new(ResourceKind.Endpoint, PermissionLevel.Manage),
        ServingInfer => new(ResourceKind.Endpoint, PermissionLevel.Read),
        MonitorsRead => new(ResourceKind.Monitor, PermissionLevel.Read),
        MonitorsEdit => new(ResourceKind.Monitor, PermissionLevel.Edit),
        MonitorsManage => new(ResourceKind.Monitor, PermissionLevel.Manage),
        PipelinesRead => new(ResourceKind.Pipeline, PermissionLevel.Read),
        PipelinesEdit => new(ResourceKind.Pipeline, PermissionLevel.Edit),
        PipelinesManage => new(ResourceKind.Pipeline, PermissionLevel.Manage),
        AuditRead or WebhooksManage or Admin => new(null, PermissionLevel.None, AdminOnly: true),
        _ => new(null, PermissionLevel.None),
    };
}

/// <summary>What a policy needs: a level on a resource of <see cref="Kind"/>, or (no kind) just a signed-in user, or an admin.</summary>
public sealed record PolicyRequirement(ResourceKind? Kind, PermissionLevel Level, bool AdminOnly = false);
