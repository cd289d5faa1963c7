using Microsoft.EntityFrameworkCore;
using Slipway.Storage.Rows;

namespace Slipway.Storage;

public sealed partial class SlipwayDbContext
{
    public DbSet<MonitorRow> Monitors => Set<MonitorRow>();
    public DbSet<MonitorRunRow> MonitorRuns => Set<MonitorRunRow>();
    public DbSet<MonitorAlertRow> MonitorAlerts => Set<MonitorAlertRow>();

    private static void ConfigureMonitoring(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<MonitorRow>(e =>
        {
            e.ToTable("monitors");
            e.HasKey(x => x.Name);
            e.Property(x => x.Name).HasColumnName("name");
            e.Property(x => x.Endpoint).HasColumnName("endpoint");
            e.Property(x => x.Spec).HasColumnName("spec");
            e.Property(x => x.NextRunTime).HasColumnName("next_run_time");
            e.Property(x => x.CreationTime).HasColumnName("creation_time");
            e.Property(x => x.LastUpdatedTime).HasColumnName("last_updated_time");
        });
        modelBuilder.Entity<MonitorRunRow>(e =>
        {
            e.ToTable("monitor_runs");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.Monitor).HasColumnName("monitor");
            e.Property(x => x.Trigger).HasColumnName("trigger");
            e.Property(x => x.Status).HasColumnName("status");
            e.Property(x => x.StartTime).HasColumnName("start_time");
            e.Property(x => x.EndTime).HasColumnName("end_time");
            e.Property(x => x.WindowStart).HasColumnName("window_start");
            e.Property(x => x.WindowEnd).HasColumnName("window_end");
            e.Property(x => x.RowsSeen).HasColumnName("rows_seen");
            e.Property(x => x.ModelVersion).HasColumnName("model_version");
            e.Property(x => x.DriftShare).HasColumnName("drift_share");
            e.Property(x => x.DatasetDrift).HasColumnName("dataset_drift");
            e.Property(x => x.DriftedColumns).HasColumnName("drifted_columns");
            e.Property(x => x.CheckedColumns).HasColumnName("checked_columns");
            e.Property(x => x.QualityFailures).HasColumnName("quality_failures");
            e.Property(x => x.Error).HasColumnName("error");
            e.Property(x => x.ReportHtml).HasColumnName("report_html");
            e.Property(x => x.ReportJson).HasColumnName("report_json");
            e.Property(x => x.Result).HasColumnName("result");
            e.HasIndex(x => new { x.Monitor, x.StartTime });
        });
        modelBuilder.Entity<MonitorAlertRow>(e =>
        {
            e.ToTable("monitor_alerts");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.Monitor).HasColumnName("monitor");
            e.Property(x => x.Rule).HasColumnName("rule");
            e.Property(x => x.Fingerprint).HasColumnName("fingerprint");
            e.Property(x => x.Labels).HasColumnName("labels");
            e.Property(x => x.Annotations).HasColumnName("annotations");
            e.Property(x => x.Status).HasColumnName("status");
            e.Property(x => x.StartsAt).HasColumnName("starts_at");
            e.Property(x => x.EndsAt).HasColumnName("ends_at");
            e.Property(x => x.LastSentAt).HasColumnName("last_sent_at");
            e.Property(x => x.UpdatedAt).HasColumnName("updated_at");
            e.HasIndex(x => new { x.Monitor, x.UpdatedAt });
        });
    }
}
