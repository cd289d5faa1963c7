using Slipway.Core.Security;

namespace Slipway.Security;

/// <summary>
/// Authentication and access control, bound from <c>Slipway:Auth</c> (see docs/security.md). Off by default, in
/// which case the server refuses to listen beyond loopback unless told <c>--insecure-no-auth</c>.
/// </summary>
public sealed class SecurityOptions
{
    public const string SectionName = "Slipway:Auth";

    /// <summary>Turns authentication and per-resource permissions on (<c>--auth</c>). Implied by <see cref="Oidc"/>.</summary>
    public bool Enabled { get; set; }

    /// <summary>What a signed-in user holds on a resource they have no grant on: READ (MLflow's default), EDIT,
    /// MANAGE or NO_PERMISSIONS.</summary>
    public string DefaultPermission { get; set; } = "READ";

    /// <summary>The administrator created on first start when there are no users yet.</summary>
    public string AdminUser { get; set; } = "admin";

    /// <summary>That administrator's first password (<c>SLIPWAY_ADMIN_PASSWORD</c>); needed only while no user exists.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>PBKDF2-HMAC-SHA256 iterations for new password hashes (OWASP 2023: 600,000). Stored hashes keep their own count.</summary>
    public int PasswordIterations { get; set; } = 600_000;

    /// <summary>Shortest accepted password.</summary>
    public int MinPasswordLength { get; set; } = 12;

    /// <summary>How long a verified password is remembered (in memory, as a keyed hash) so that HTTP Basic clients,
    /// which send it with every request, do not pay the slow hash each time. 0 turns the cache off.</summary>
    public TimeSpan CredentialCacheLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long users, tokens and grants read from the database are reused before being read again. Changes made
    /// through this process take effect at once; changes made through another replica within this bound.</summary>
    public TimeSpan AccessCacheLifetime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Failed sign-ins allowed per user name, and per client address, within <see cref="FailureWindow"/>; past it
    /// further attempts answer 429 until the window has passed, even with the right password.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Lifetime of a personal access token when the request names none; tokens may not outlive <see cref="MaxTokenLifetime"/>.</summary>
    public TimeSpan DefaultTokenLifetime { get; set; } = TimeSpan.FromDays(90);

    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromDays(366);

    /// <summary>The UI's session: an HTTP-only, SameSite=Strict cookie, Secure unless <see cref="CookieSecure"/> is false
    /// (browsers accept Secure cookies on http://localhost).</summary>
    public bool CookieSecure { get; set; } = true;

    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Where the data-protection keys that sign the session cookie live; default: beside the database
    /// (<c>slipway-data/keys</c>). Share it between replicas so that any replica accepts a session.</summary>
    public string? KeysDirectory { get; set; }

    /// <summary>Let Prometheus scrape <c>/metrics</c> without credentials (default: a signed-in user is needed; give the
    /// scraper a token, see docs/security.md).</summary>
    public bool AnonymousMetrics { get; set; }

    /// <summary>Origins allowed by CORS; empty (the default) sends no CORS headers at all.</summary>
    public List<string> CorsOrigins { get; } = [];

    /// <summary>Single sign-on: JWT bearer tokens from an OpenID Connect provider.</summary>
    public OidcOptions Oidc { get; } = new();

    /// <summary>Whether authentication is on: enabled explicitly or by configuring an OIDC authority.</summary>
    public bool IsEnabled => Enabled || Oidc.IsConfigured;

    public PermissionLevel DefaultLevel =>
        PermissionLevels.TryParse(DefaultPermission, out var level) ? level : PermissionLevel.Read;

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!PermissionLevels.TryParse(DefaultPermission, out _))
            problems.Add($"Slipway:Auth:DefaultPermission must be READ, EDIT, MANAGE or NO_PERMISSIONS (got '{DefaultPermission}').");
        if (PasswordIterations < 10_000)
            problems.Add($"Slipway:Auth:PasswordIterations must be at least 10000 (got {PasswordIterations}).");
        if (MinPasswordLength < 8)
            problems.Add($"Slipway:Auth:MinPasswordLength must be at least 8 (got {MinPasswordLength}).");
        if (MaxFailedSignIns < 1)
            problems.Add("Slipway:Auth:MaxFailedSignIns must be at least 1.");
        if (string.IsNullOrWhiteSpace(AdminUser))
            problems.Add("Slipway:Auth:AdminUser must not be empty.");
        if (DefaultTokenLifetime <= TimeSpan.Zero || DefaultTokenLifetime > MaxTokenLifetime)
            problems.Add("Slipway:Auth:DefaultTokenLifetime must be positive and at most MaxTokenLifetime.");
        foreach (var origin in CorsOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/")
                problems.Add($"Slipway:Auth:CorsOrigins: '{origin}' is not an origin such as https://app.example.com.");
        }
        problems.AddRange(Oidc.Validate());
        return problems;
    }
}

/// <summary>JWT bearer validation against an OpenID Connect provider (<c>Slipway:Auth:Oidc</c>).</summary>
public sealed class OidcOptions
{
    /// <summary>The issuer, e.g. <c>https://login.example.com/realms/ml</c>; its discovery document gives the signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience tokens must carry (the client id registered for Slipway).</summary>
    public string? Audience { get; set; }

    /// <summary>Allow an http:// authority (tests, a provider on the same host). Off by default.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The claim that names the user (default <c>preferred_username</c>, then <c>sub</c>).</summary>
    public string UserClaim { get; set; } = "preferred_username";

    /// <summary>The claim listing the user's groups or roles (default <c>groups</c>).</summary>
    public string RolesClaim { get; set; } = "groups";

    /// <summary>The group that makes a user an administrator.</summary>
    public string AdminGroup { get; set; } = "slipway-admins";

    /// <summary>The group that gives the approver role.</summary>
    public string ApproverGroup { get; set; } = "slipway-approvers";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Authority);

    public IReadOnlyList<string> Validate()
    {
        if (!IsConfigured)
            return [];
        var problems = new List<string>();
        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            problems.Add($"Slipway:Auth:Oidc:Authority must be an http(s) URL (got '{Authority}').");
        else if (uri.Scheme == "http" && RequireHttpsMetadata)
            problems.Add("Slipway:Auth:Oidc:Authority is http://; set Slipway:Auth:Oidc:RequireHttpsMetadata=false to allow it.");
        if (string.IsNullOrWhiteSpace(Audience))
            problems.Add("Slipway:Auth:Oidc:Audience must be set when an authority is.");
        return problems;
    }
}
