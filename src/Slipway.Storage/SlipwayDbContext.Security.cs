using Microsoft.EntityFrameworkCore;
using Slipway.Storage.Security;

namespace Slipway.Storage;

public sealed partial class SlipwayDbContext
{
    public DbSet<UserRow> Users => Set<UserRow>();
    public DbSet<AccessTokenRow> AccessTokens => Set<AccessTokenRow>();
    public DbSet<PermissionRow> Permissions => Set<PermissionRow>();

    private static void ConfigureSecurity(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<UserRow>(e =>
        {
            e.ToTable("users");
            e.HasKey(x => x.Name);
            e.Property(x => x.Name).HasColumnName("name");
            e.Property(x => x.PasswordHash).HasColumnName("password_hash");
            e.Property(x => x.IsAdmin).HasColumnName("is_admin");
            e.Property(x => x.Roles).HasColumnName("roles");
            e.Property(x => x.CreationTime).HasColumnName("creation_time");
            e.Property(x => x.LastUpdateTime).HasColumnName("last_update_time");
        });
        modelBuilder.Entity<AccessTokenRow>(e =>
        {
            e.ToTable("access_tokens");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.Kind).HasColumnName("kind");
            e.Property(x => x.Subject).HasColumnName("subject");
            e.Property(x => x.Name).HasColumnName("name");
            e.Property(x => x.Prefix).HasColumnName("prefix");
            e.Property(x => x.Hash).HasColumnName("hash");
            e.Property(x => x.CreationTime).HasColumnName("creation_time");
            e.Property(x => x.ExpiryTime).HasColumnName("expiry_time");
            e.Property(x => x.RevokedTime).HasColumnName("revoked_time");
            e.Property(x => x.LastUsedTime).HasColumnName("last_used_time");
            e.Property(x => x.CreatedBy).HasColumnName("created_by");
            e.HasIndex(x => x.Hash).IsUnique();
            e.HasIndex(x => new { x.Kind, x.Subject });
        });
        modelBuilder.Entity<PermissionRow>(e =>
        {
            e.ToTable("permissions");
            e.HasKey(x => new { x.ResourceKind, x.ResourceKey, x.UserName });
            e.Property(x => x.ResourceKind).HasColumnName("resource_kind");
            e.Property(x => x.ResourceKey).HasColumnName("resource_key");
            e.Property(x => x.UserName).HasColumnName("user_name");
            e.Property(x => x.Level).HasColumnName("level");
            e.HasIndex(x => x.UserName);
        });
    }
}
