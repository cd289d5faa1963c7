using Microsoft.EntityFrameworkCore;
using Slipway.Storage.Rows;

namespace Slipway.Storage;

public sealed partial class SlipwayDbContext
{
    public DbSet<RegisteredModelRow> RegisteredModels => Set<RegisteredModelRow>();
    public DbSet<RegisteredModelTagRow> RegisteredModelTags => Set<RegisteredModelTagRow>();
    public DbSet<RegisteredModelAliasRow> RegisteredModelAliases => Set<RegisteredModelAliasRow>();
    public DbSet<ModelVersionRow> ModelVersions => Set<ModelVersionRow>();
    public DbSet<ModelVersionTagRow> ModelVersionTags => Set<ModelVersionTagRow>();
    public DbSet<ModelCardRow> ModelCards => Set<ModelCardRow>();
    public DbSet<ApprovalRequestRow> ApprovalRequests => Set<ApprovalRequestRow>();
    public DbSet<ApprovalDecisionRow> ApprovalDecisions => Set<ApprovalDecisionRow>();
    public DbSet<WebhookRow> Webhooks => Set<WebhookRow>();
    public DbSet<WebhookDeliveryRow> WebhookDeliveries => Set<WebhookDeliveryRow>();

    private static void ConfigureRegistry(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<RegisteredModelRow>(e =>
        {
            e.ToTable("registered_models");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").ValueGeneratedOnAdd();
            e.Property(x => x.Name).HasColumnName("name");
            e.Property(x => x.CreationTime).HasColumnName("creation_time");
            e.Property(x => x.LastUpdatedTime).HasColumnName("last_updated_time");
            e.Property(x => x.Description).HasColumnName("description");
            e.Property(x => x.LastVersion).HasColumnName("last_version");
            e.Property(x => x.Policy).HasColumnName("policy");
            e.HasIndex(x => x.Name).IsUnique();
        });
        modelBuilder.Entity<RegisteredModelTagRow>(e =>
        {
            e.ToTable("registered_model_tags");
            e.HasKey(x => new { x.ModelId, x.Key });
            e.Property(x => x.ModelId).HasColumnName("model_id");
            e.Property(x => x.Key).HasColumnName("key");
            e.Property(x => x.Value).HasColumnName("value");
        });
        modelBuilder.Entity<RegisteredModelAliasRow>(e =>
        {
            e.ToTable("registered_model_aliases");
            e.HasKey(x => new { x.ModelId, x.Alias });
            e.Property(x => x.ModelId).HasColumnName("model_id");
            e.Property(x => x.Alias).HasColumnName("alias");
            e.Property(x => x.Version).HasColumnName("version");
        });
        modelBuilder.Entity<ModelVersionRow>(e =>
        {
            e.ToTable("model_versions");
            e.HasKey(x => new { x.ModelId, x.Version });
            e.Property(x => x.ModelId).HasColumnName("model_id");
            e.Property(x => x.Version).HasColumnName("version");
            e.Property(x => x.CreationTime).HasColumnName("creation_time");
            e.Property(x => x.LastUpdatedTime).HasColumnName("last_updated_time");
            e.Property(x => x.Description).HasColumnName("description");
            e.Property(x => x.UserId).HasColumnName("user_id");
            e.Property(x => x.CurrentStage).HasColumnName("current_stage");
            e.Property(x => x.Source).HasColumnName("source");
            e.Property(x => x.RunId).HasColumnName("run_id");
            e.Property(x => x.RunLink).HasColumnName("run_link");
            e.Property(x => x.Status).HasColumnName("status");
            e.HasIndex(x => x.RunId);
            e.HasIndex(x => x.LastUpdatedTime);
            e.HasIndex(x => new { x.ModelId, x.CurrentStage, x.Version });
        });
        modelBuilder.Entity<ModelVersionTagRow>(e =>
        {
            e.ToTable("model_version_tags");
            e.HasKey(x => new { x.ModelId, x.Version, x.Key });
            e.Property(x => x.ModelId).HasColumnName("model_id");
            e.Property(x => x.Version).HasColumnName("version");
            e.Property(x => x.Key).HasColumnName("key");
            e.Property(x => x.Value).HasColumnName("value");
        });
        modelBuilder.Entity<ModelCardRow>(e =>
        {
            e.ToTable("model_cards");
            e.HasKey(x => new { x.ModelId, x.Version });
            e.Property(x => x.ModelId).HasColumnName("model_id");
            e.Property(x => x.Version).HasColumnName("version");
            e.Property(x => x.IntendedUse).HasColumnName("intended_use");
            e.Property(x => x.TrainingData).HasColumnName("training_data");
            e.Property(x => x.EvaluationMetrics).HasColumnName("evaluation_metrics");
            e.Property(x => x.Limitations).HasColumnName("limitations");
            e.Property(x => x.Owners).HasColumnName("owners");
            e.Property(x => x.UpdatedTime).HasColumnName("updated_time");
            e.Property(x => x.UpdatedBy).HasColumnName("updated_by");
        });
        modelBuilder.Entity<ApprovalRequestRow>(e =>
        {
            e.ToTable("approval_requests");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").ValueGeneratedOnAdd();
            e.Property(x => x.ModelId).HasColumnName("model_id");
            e.Property(x => x.Version).HasColumnName("version");
            e.Property(x => x.TargetKind).HasColumnName("target_kind");
            e.Property(x => x.Target).HasColumnName("target");
            e.Property(x => x.Status).HasColumnName("status");
            e.Property(x => x.Requester).HasColumnName("requester");
            e.Property(x => x.Comment).HasColumnName("comment");
            e.Property(x => x.RequiredApprovals).HasColumnName("required_approvals");
            e.Property(x => x.CreatedTime).HasColumnName("created_time");
            e.Property(x => x.DecidedTime).HasColumnName("decided_time");
            e.Property(x => x.Gates).HasColumnName("gates");
            e.HasIndex(x => new { x.ModelId, x.Id });
        });
        modelBuilder.Entity<ApprovalDecisionRow>(e =>
        {
            e.ToTable("approval_decisions");
            e.HasKey(x => new { x.RequestId, x.Approver });
            e.Property(x => x.RequestId).HasColumnName("request_id");
            e.Property(x => x.Approver).HasColumnName("approver");
            e.Property(x => x.Approve).HasColumnName("approve");
            e.Property(x => x.Comment).HasColumnName("comment");
            e.Property(x => x.Time).HasColumnName("time");
        });
        modelBuilder.Entity<WebhookRow>(e =>
        {
            e.ToTable("webhooks");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").ValueGeneratedOnAdd();
            e.Property(x => x.Name).HasColumnName("name");
            e.Property(x => x.Url).HasColumnName("url");
            e.Property(x => x.Events).HasColumnName("events");
            e.Property(x => x.ModelName).HasColumnName("model_name");
            e.Property(x => x.Secret).HasColumnName("secret");
            e.Property(x => x.Active).HasColumnName("active");
            e.Property(x => x.CreatedTime).HasColumnName("created_time");
        });
        modelBuilder.Entity<WebhookDeliveryRow>(e =>
        {
            e.ToTable("webhook_deliveries");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").ValueGeneratedOnAdd();
            e.Property(x => x.WebhookId).HasColumnName("webhook_id");
            e.Property(x => x.Event).HasColumnName("event");
            e.Property(x => x.Payload).HasColumnName("payload");
            e.Property(x => x.Status).HasColumnName("status");
            e.Property(x => x.Attempts).HasColumnName("attempts");
            e.Property(x => x.CreatedTime).HasColumnName("created_time");
            e.Property(x => x.NextAttemptTime).HasColumnName("next_attempt_time");
            e.Property(x => x.DeliveredTime).HasColumnName("delivered_time");
            e.Property(x => x.LastStatusCode).HasColumnName("last_status_code");
            e.Property(x => x.LastError).HasColumnName("last_error");
            e.HasIndex(x => new { x.Status, x.NextAttemptTime });
            e.HasIndex(x => new { x.WebhookId, x.Id });
        });
    }
}
