using System.Globalization;
using System.Text;
using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Registry.Domain;
using Slipway.Tracking.Validation;

namespace Slipway.Registry;

public sealed partial class RegistryService
{
    private const int MaxCardFieldLength = 65535;
    private const int MaxCardListLength = 100;

    public async Task<ModelCard> GetModelCardAsync(string name, long version, CancellationToken ct)
    {
        await GetModelVersionAsync(name, version, ct);
        return await store.GetModelCardAsync(name, version, ct)
            ?? throw SlipwayException.NotFound($"Model version (name={name}, version={version}) has no model card");
    }

    public Task<ModelCard> SetModelCardAsync(string name, long version, ModelCard card, AuditContext audit, CancellationToken ct)
    {
        foreach (var (field, value) in new[] { ("intended_use", card.IntendedUse), ("training_data", card.TrainingData), ("limitations", card.Limitations) })
        {
            if (value is not null)
                Validator.MaxLength($"Model card field '{field}'", value, MaxCardFieldLength);
        }
        if (card.Owners.Count > MaxCardListLength || card.EvaluationMetrics.Count > MaxCardListLength)
            throw SlipwayException.InvalidParameter($"A model card holds at most {MaxCardListLength} owners and {MaxCardListLength} evaluation metrics.");
        foreach (var owner in card.Owners)
        {
            if (string.IsNullOrWhiteSpace(owner))
                throw SlipwayException.InvalidParameter("Model card owners cannot be empty.");
            Validator.MaxLength("Model card owner", owner, 256);
        }
        foreach (var metric in card.EvaluationMetrics)
        {
            if (string.IsNullOrWhiteSpace(metric.Name))
                throw SlipwayException.InvalidParameter("Model card evaluation metrics need a name.");
            Validator.MaxLength("Model card metric name", metric.Name, 250);
        }
        return store.SetModelCardAsync(name, version, card with { UpdatedTimestamp = Now, UpdatedBy = audit.Actor }, audit, ct);
    }

    /// <summary>
    /// The card as Markdown. When the card lists no evaluation metrics, the source run's latest metrics are shown
    /// instead, marked as such.
    /// </summary>
    public async Task<string> ExportModelCardMarkdownAsync(string name, long version, CancellationToken ct)
    {
        var card = await GetModelCardAsync(name, version, ct);
        var modelVersion = await GetModelVersionAsync(name, version, ct);
        var run = string.IsNullOrEmpty(modelVersion.RunId) ? null : await tracking.GetRunAsync(modelVersion.RunId, ct);
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Model card: {name} version {version}\n\n");
        md.Append(CultureInfo.InvariantCulture, $"- **Stage:** {modelVersion.CurrentStage}\n");
        if (modelVersion.Aliases.Count > 0)
            md.Append(CultureInfo.InvariantCulture, $"- **Aliases:** {string.Join(", ", modelVersion.Aliases)}\n");
        md.Append(CultureInfo.InvariantCulture, $"- **Source:** `{modelVersion.Source}`\n");
        if (!string.IsNullOrEmpty(modelVersion.RunId))
            md.Append(CultureInfo.InvariantCulture, $"- **Source run:** `{modelVersion.RunId}`\n");
        md.Append(CultureInfo.InvariantCulture, $"- **Owners:** {(card.Owners.Count == 0 ? "_not stated_" : string.Join(", ", card.Owners))}\n");
        md.Append(CultureInfo.InvariantCulture, $"- **Last updated:** {DateTimeOffset.FromUnixTimeMilliseconds(card.UpdatedTimestamp):u} by {card.UpdatedBy}\n\n");
        Section(md, "Intended use", card.IntendedUse);
        Section(md, "Training data", card.TrainingData);
        md.Append("## Evaluation metrics\n\n");
        var metrics = card.EvaluationMetrics.Count > 0
            ? card.EvaluationMetrics.Select(m => (m.Name, m.Value, m.Dataset)).ToList()
            : run?.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => (m.Key, m.Value, (string?)null)).ToList() ?? [];
        if (metrics.Count == 0)
        {
            md.Append("_None recorded._\n\n");
        }
        else
        {
            if (card.EvaluationMetrics.Count == 0)
                md.Append("_From the source run's latest logged values._\n\n");
            md.Append("| Metric | Value | Dataset |\n|---|---:|---|\n");
            foreach (var (metric, value, dataset) in metrics)
                md.Append(CultureInfo.InvariantCulture, $"| {EscapeCell(metric)} | {value.ToString("G6", CultureInfo.InvariantCulture)} | {EscapeCell(dataset ?? "")} |\n");
            md.Append('\n');
        }
        Section(md, "Limitations", card.Limitations);
        return md.ToString();
    }

    private static void Section(StringBuilder md, string title, string? text) =>
        md.Append("## ").Append(title).Append("\n\n").Append(string.IsNullOrWhiteSpace(text) ? "_Not stated._" : text.Trim()).Append("\n\n");

    private static string EscapeCell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ');
}
