using Slipway.Core.Errors;

namespace Slipway.Security.Accounts;

/// <summary>
/// What a user name, role name and token name may look like. User names may not hold ':' because HTTP Basic splits
/// "user:password" at the first colon, nor '/' because they are path segments of the REST API and of audit resources,
/// nor control characters, which would let a name forge lines in logs.
/// </summary>
public static class AccountRules
{
    public const int MaxUserNameLength = 256;
    public const int MaxTokenNameLength = 100;
    public const int MaxRoleLength = 100;

    public static string UserName(string? name, string parameter = "name")
    {
        if (string.IsNullOrEmpty(name))
            throw SlipwayException.MissingParameter(parameter);
        if (name.Length > MaxUserNameLength)
            throw SlipwayException.InvalidParameter($"User names are at most {MaxUserNameLength} characters long.");
        if (name.Any(c => c is ':' or '/' || char.IsControl(c)))
            throw SlipwayException.InvalidParameter("User names may not contain ':', '/' or control characters.");
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length != name.Length)
            throw SlipwayException.InvalidParameter("User names may not start or end with white space.");
        return name;
    }

    public static string TokenName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw SlipwayException.MissingParameter("name");
        if (name.Length > MaxTokenNameLength || name.Any(char.IsControl))
            throw SlipwayException.InvalidParameter($"Token names are 1 to {MaxTokenNameLength} characters without control characters.");
        return name;
    }

    /// <summary>Role names, de-duplicated; <c>admin</c> is refused because it is a flag of its own.</summary>
    public static IReadOnlyList<string> Roles(IReadOnlyList<string> roles)
    {
        foreach (var role in roles)
        {
            if (string.IsNullOrWhiteSpace(role) || role.Length > MaxRoleLength || role.Any(c => char.IsControl(c) || c == ','))
                throw SlipwayException.InvalidParameter($"Invalid role '{role}': roles are 1 to {MaxRoleLength} characters without ',' or control characters.");
            if (role == Core.Security.SlipwayClaims.AdminRole)
                throw SlipwayException.InvalidParameter("'admin' is not a role: set the 'admin' flag instead.");
        }
        return roles.Distinct(StringComparer.Ordinal).ToList();
    }
}
