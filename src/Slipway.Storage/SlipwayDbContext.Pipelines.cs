using Microsoft.EntityFrameworkCore;
using Slipway.Storage.Rows;

namespace Slipway.Storage;

public sealed partial class SlipwayDbContext
{
    public DbSet<PipelineRow> Pipelines => Set<PipelineRow>();
    public DbSet<PipelineRunRow> PipelineRuns => Set<PipelineRunRow>();
    public DbSet<PipelineStepCacheRow> PipelineStepCache => Set<PipelineStepCacheRow>();

    private static void ConfigurePipelines(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<PipelineRow>(e =>
        {
            e.ToTable("pipelines");
            e.HasKey(x => x.Name);
            e.Property(x => x.Name).HasColumnName("name");
            e.Property(x => x.Yaml).HasColumnName("yaml");
            e.Property(x => x.DefinitionHash).HasColumnName("definition_hash");
            e.Property(x => x.Enabled).HasColumnName("enabled");
            e.Property(x => x.Concurrency).HasColumnName("concurrency");
            e.Property(x => x.CreationTime).HasColumnName("creation_time");
            e.Property(x => x.LastUpdatedTime).HasColumnName("last_updated_time");
            e.Property(x => x.NextScheduleTime).HasColumnName("next_schedule_time");
            e.Property(x => x.LastScheduleSlot).HasColumnName("last_schedule_slot");
            e.Property(x => x.WorkingDirectory).HasColumnName("working_directory");
            e.Property(x => x.ClaimSequence).HasColumnName("claim_sequence");
        });
        modelBuilder.Entity<PipelineRunRow>(e =>
        {
            e.ToTable("pipeline_runs");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.Pipeline).HasColumnName("pipeline");
            e.Property(x => x.Status).HasColumnName("status");
            e.Property(x => x.TriggerKind).HasColumnName("trigger_kind");
            e.Property(x => x.TriggerDetail).HasColumnName("trigger_detail");
            e.Property(x => x.Params).HasColumnName("params");
            e.Property(x => x.Steps).HasColumnName("steps");
            e.Property(x => x.ExperimentId).HasColumnName("experiment_id");
            e.Property(x => x.WorkingDirectory).HasColumnName("working_directory");
            e.Property(x => x.CreationTime).HasColumnName("creation_time");
            e.Property(x => x.StartTime).HasColumnName("start_time");
            e.Property(x => x.EndTime).HasColumnName("end_time");
            e.Property(x => x.Replica).HasColumnName("replica");
            e.Property(x => x.CancelRequested).HasColumnName("cancel_requested");
            e.Property(x => x.Error).HasColumnName("error");
            e.Property(x => x.HeartbeatTime).HasColumnName("heartbeat_time");
            e.HasIndex(x => new { x.Pipeline, x.CreationTime });
            e.HasIndex(x => new { x.Status, x.CreationTime });
        });
        modelBuilder.Entity<PipelineStepCacheRow>(e =>
        {
            e.ToTable("pipeline_step_cache");
            e.HasKey(x => new { x.Pipeline, x.CacheKey });
            e.Property(x => x.Pipeline).HasColumnName("pipeline");
            e.Property(x => x.CacheKey).HasColumnName("cache_key");
            e.Property(x => x.Outputs).HasColumnName("outputs");
            e.Property(x => x.SourceRun).HasColumnName("source_run");
            e.Property(x => x.CreationTime).HasColumnName("creation_time");
        });
    }
}
