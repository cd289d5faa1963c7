using Slipway.Core.Threading;

namespace Slipway.Registry.Webhooks;

/// <summary>Wakes the webhook dispatcher when a change in this process may have enqueued deliveries.</summary>
public sealed class WebhookSignal : WakeSignal;
