using Microsoft.EntityFrameworkCore;
using Slipway.Storage.Rows;

namespace Slipway.Storage;

public sealed partial class SlipwayDbContext
{
    public DbSet<EndpointRow> Endpoints => Set<EndpointRow>();

    private static void ConfigureServing(ModelBuilder modelBuilder) =>
        modelBuilder.Entity<EndpointRow>(e =>
        {
            e.ToTable("endpoints");
            e.HasKey(x => x.Name);
            e.Property(x => x.Name).HasColumnName("name");
            e.Property(x => x.Spec).HasColumnName("spec");
            e.Property(x => x.Revision).HasColumnName("revision");
            e.Property(x => x.CreationTime).HasColumnName("creation_time");
            e.Property(x => x.LastUpdatedTime).HasColumnName("last_updated_time");
        });
}
