using Microsoft.Data.Sqlite;
using Npgsql;
using Slipway.Core.Errors;

namespace Slipway.Storage;

public enum StorageProvider
{
    Sqlite,
    PostgreSql,
}

/// <summary>A parsed <c>--backend-store-uri</c>: which provider, and the ADO.NET connection string for it.</summary>
public sealed record BackendStore(StorageProvider Provider, string ConnectionString, string? SqliteFilePath)
{
    /// <summary>
    /// Accepts MLflow's forms: <c>sqlite:///relative/path.db</c>, <c>sqlite:////absolute/path.db</c> and
    /// <c>postgresql://user:pass@host:port/db[?sslmode=…]</c> (also <c>postgres://</c>).
    /// </summary>
    public static BackendStore Parse(string uri)
    {
        if (uri.StartsWith("sqlite:///", StringComparison.Ordinal))
        {
            var path = uri["sqlite:///".Length..];
            if (path.Length == 0 || path == ":memory:")
                throw SlipwayException.InvalidParameter("sqlite backend needs a file path, e.g. sqlite:///./slipway-data/slipway.db (in-memory databases lose every write).");
            var full = Path.GetFullPath(path);
            var builder = new SqliteConnectionStringBuilder
            {
                DataSource = full,
                Cache = SqliteCacheMode.Private,
                Pooling = true,
                DefaultTimeout = 30,
            };
            return new BackendStore(StorageProvider.Sqlite, builder.ToString(), full);
        }
        if (uri.StartsWith("postgresql://", StringComparison.Ordinal) || uri.StartsWith("postgres://", StringComparison.Ordinal))
            return new BackendStore(StorageProvider.PostgreSql, PostgresConnectionString(new Uri(uri)), null);
        throw SlipwayException.InvalidParameter($"Unsupported backend store URI '{Redact(uri)}': use sqlite:///path.db or postgresql://user:pass@host:port/db.");
    }

    private static string PostgresConnectionString(Uri uri)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
            MaxPoolSize = 50,
            MaxAutoPrepare = 64,
        };
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
                builder.Password = Uri.UnescapeDataString(parts[1]);
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            if (kv.Length == 2)
                builder[Uri.UnescapeDataString(kv[0])] = Uri.UnescapeDataString(kv[1]);
        }
        return builder.ToString();
    }

    /// <summary>
    /// The URI without its password, for messages and logs: the password of <c>user:password@</c>, and the value of any
    /// query setting that holds one (<see cref="Parse"/> passes query settings on as connection-string keywords, so
    /// <c>?password=…</c>, <c>?Pwd=…</c> or <c>?SSL Password=…</c> is a secret too).
    /// </summary>
    public static string Redact(string uri)
    {
        var query = uri.IndexOf('?', StringComparison.Ordinal);
        var head = query < 0 ? uri : uri[..query];
        var at = head.LastIndexOf('@');
        var scheme = head.IndexOf("://", StringComparison.Ordinal);
        if (at >= 0 && scheme >= 0)
        {
            var colon = head.IndexOf(':', scheme + 3);
            if (colon > 0 && colon < at)
                head = head[..(colon + 1)] + "***" + head[at..];
        }
        if (query < 0)
            return head;
        var pairs = uri[(query + 1)..].Split('&').Select(pair =>
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            return eq >= 0 && IsSecretSetting(Uri.UnescapeDataString(pair[..eq])) ? pair[..(eq + 1)] + "***" : pair;
        });
        return head + "?" + string.Join('&', pairs);
    }

    private static bool IsSecretSetting(string key)
    {
        var normalized = key.Replace(" ", "", StringComparison.Ordinal).Trim();
        return normalized.Contains("password", StringComparison.OrdinalIgnoreCase)
            || normalized.Equals("pwd", StringComparison.OrdinalIgnoreCase)
            || normalized.Equals("psw", StringComparison.OrdinalIgnoreCase);
    }
}
