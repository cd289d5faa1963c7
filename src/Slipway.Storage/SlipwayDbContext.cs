using Microsoft.EntityFrameworkCore;
using Slipway.Storage.Rows;

namespace Slipway.Storage;

/// <summary>
/// The metadata database. One model for SQLite and PostgreSQL; the migrations in Migrations/ are provider-neutral.
/// The registry's tables are configured in <c>SlipwayDbContext.Registry.cs</c>.
/// </summary>
public sealed partial class SlipwayDbContext(DbContextOptions<SlipwayDbContext> options) : DbContext(options)
{
    public DbSet<ExperimentRow> Experiments => Set<ExperimentRow>();
    public DbSet<ExperimentTagRow> ExperimentTags => Set<ExperimentTagRow>();
    public DbSet<RunRow> Runs => Set<RunRow>();
    public DbSet<ParamRow> Params => Set<ParamRow>();
    public DbSet<RunTagRow> RunTags => Set<RunTagRow>();
    public DbSet<MetricRow> Metrics => Set<MetricRow>();
    public DbSet<LatestMetricRow> LatestMetrics => Set<LatestMetricRow>();
    public DbSet<DatasetRow> Datasets => Set<DatasetRow>();
    public DbSet<RunInputRow> RunInputs => Set<RunInputRow>();
    public DbSet<RunInputTagRow> RunInputTags => Set<RunInputTagRow>();
    public DbSet<AuditEventRow> AuditEvents => Set<AuditEventRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ExperimentRow>(e =>
        {
            e.ToTable("experiments");
            e.HasKey(x => x.ExperimentId);
            e.Property(x => x.ExperimentId).HasColumnName("experiment_id").ValueGeneratedOnAdd();
            e.Property(x => x.Name).HasColumnName("name");
            e.Property(x => x.ArtifactLocation).HasColumnName("artifact_location");
            e.Property(x => x.LifecycleStage).HasColumnName("lifecycle_stage");
            e.Property(x => x.CreationTime).HasColumnName("creation_time");
            e.Property(x => x.LastUpdateTime).HasColumnName("last_update_time");
            e.HasIndex(x => x.Name).IsUnique();
        });
        modelBuilder.Entity<ExperimentTagRow>(e =>
        {
            e.ToTable("experiment_tags");
            e.HasKey(x => new { x.ExperimentId, x.Key });
            e.Property(x => x.ExperimentId).HasColumnName("experiment_id");
            e.Property(x => x.Key).HasColumnName("key");
            e.Property(x => x.Value).HasColumnName("value");
        });
        modelBuilder.Entity<RunRow>(e =>
        {
            e.ToTable("runs");
            e.HasKey(x => x.RunUuid);
            e.Property(x => x.RunUuid).HasColumnName("run_uuid");
            e.Property(x => x.Name).HasColumnName("name");
            e.Property(x => x.ExperimentId).HasColumnName("experiment_id");
            e.Property(x => x.UserId).HasColumnName("user_id");
            e.Property(x => x.Status).HasColumnName("status");
            e.Property(x => x.StartTime).HasColumnName("start_time");
            e.Property(x => x.EndTime).HasColumnName("end_time");
            e.Property(x => x.ArtifactUri).HasColumnName("artifact_uri");
            e.Property(x => x.LifecycleStage).HasColumnName("lifecycle_stage");
            e.Property(x => x.DeletedTime).HasColumnName("deleted_time");
            e.HasIndex(x => new { x.ExperimentId, x.StartTime });
        });
        modelBuilder.Entity<ParamRow>(e =>
        {
            e.ToTable("params");
            e.HasKey(x => new { x.RunUuid, x.Key });
            e.Property(x => x.RunUuid).HasColumnName("run_uuid");
            e.Property(x => x.Key).HasColumnName("key");
            e.Property(x => x.Value).HasColumnName("value");
        });
        modelBuilder.Entity<RunTagRow>(e =>
        {
            e.ToTable("tags");
            e.HasKey(x => new { x.RunUuid, x.Key });
            e.Property(x => x.RunUuid).HasColumnName("run_uuid");
            e.Property(x => x.Key).HasColumnName("key");
            e.Property(x => x.Value).HasColumnName("value");
        });
        modelBuilder.Entity<MetricRow>(e =>
        {
            e.ToTable("metrics");
            e.HasKey(x => new { x.RunUuid, x.Key, x.Step, x.Timestamp, x.Value, x.IsNan });
            MapMetricColumns(e.Property(x => x.RunUuid), e.Property(x => x.Key), e.Property(x => x.Step), e.Property(x => x.Timestamp), e.Property(x => x.Value), e.Property(x => x.IsNan));
        });
        modelBuilder.Entity<LatestMetricRow>(e =>
        {
            e.ToTable("latest_metrics");
            e.HasKey(x => new { x.RunUuid, x.Key });
            MapMetricColumns(e.Property(x => x.RunUuid), e.Property(x => x.Key), e.Property(x => x.Step), e.Property(x => x.Timestamp), e.Property(x => x.Value), e.Property(x => x.IsNan));
            e.HasIndex(x => new { x.Key, x.Value });
        });
        modelBuilder.Entity<DatasetRow>(e =>
        {
            e.ToTable("datasets");
            e.HasKey(x => x.DatasetUuid);
            e.Property(x => x.DatasetUuid).HasColumnName("dataset_uuid");
            e.Property(x => x.ExperimentId).HasColumnName("experiment_id");
            e.Property(x => x.Name).HasColumnName("name");
            e.Property(x => x.Digest).HasColumnName("digest");
            e.Property(x => x.SourceType).HasColumnName("dataset_source_type");
            e.Property(x => x.Source).HasColumnName("dataset_source");
            e.Property(x => x.Schema).HasColumnName("dataset_schema");
            e.Property(x => x.Profile).HasColumnName("dataset_profile");
            e.HasIndex(x => new { x.ExperimentId, x.Name, x.Digest }).IsUnique();
        });
        modelBuilder.Entity<RunInputRow>(e =>
        {
            e.ToTable("run_inputs");
            e.HasKey(x => new { x.RunUuid, x.DatasetUuid });
            e.Property(x => x.RunUuid).HasColumnName("run_uuid");
            e.Property(x => x.DatasetUuid).HasColumnName("dataset_uuid");
            e.Property(x => x.Position).HasColumnName("position");
        });
        modelBuilder.Entity<RunInputTagRow>(e =>
        {
            e.ToTable("run_input_tags");
            e.HasKey(x => new { x.RunUuid, x.DatasetUuid, x.Key });
            e.Property(x => x.RunUuid).HasColumnName("run_uuid");
            e.Property(x => x.DatasetUuid).HasColumnName("dataset_uuid");
            e.Property(x => x.Key).HasColumnName("key");
            e.Property(x => x.Value).HasColumnName("value");
        });
        modelBuilder.Entity<AuditEventRow>(e =>
        {
            e.ToTable("audit_events");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").ValueGeneratedOnAdd();
            e.Property(x => x.Timestamp).HasColumnName("timestamp");
            e.Property(x => x.Actor).HasColumnName("actor");
            e.Property(x => x.Action).HasColumnName("action");
            e.Property(x => x.Resource).HasColumnName("resource");
            e.Property(x => x.Before).HasColumnName("before");
            e.Property(x => x.After).HasColumnName("after");
            e.Property(x => x.RequestId).HasColumnName("request_id");
            e.HasIndex(x => new { x.Resource, x.Id });
            e.HasIndex(x => x.Timestamp);
        });
        ConfigureRegistry(modelBuilder);
        ConfigureServing(modelBuilder);
        ConfigureMonitoring(modelBuilder);
        ConfigurePipelines(modelBuilder);
        ConfigureSecurity(modelBuilder);
    }

    private static void MapMetricColumns(
        Microsoft.EntityFrameworkCore.Metadata.Builders.PropertyBuilder<string> runUuid,
        Microsoft.EntityFrameworkCore.Metadata.Builders.PropertyBuilder<string> key,
        Microsoft.EntityFrameworkCore.Metadata.Builders.PropertyBuilder<long> step,
        Microsoft.EntityFrameworkCore.Metadata.Builders.PropertyBuilder<long> timestamp,
        Microsoft.EntityFrameworkCore.Metadata.Builders.PropertyBuilder<double> value,
        Microsoft.EntityFrameworkCore.Metadata.Builders.PropertyBuilder<bool> isNan)
    {
        runUuid.HasColumnName("run_uuid");
        key.HasColumnName("key");
        step.HasColumnName("step");
        timestamp.HasColumnName("timestamp");
        value.HasColumnName("value");
        isNan.HasColumnName("is_nan");
    }
}
