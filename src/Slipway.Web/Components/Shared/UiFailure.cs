using Microsoft.Extensions.Logging;
using Slipway.Core.Errors;

namespace Slipway.Web.Components.Shared;

/// <summary>What a page does with an exception it caught before showing it: a domain error (bad input, not found,
/// permission denied) speaks for itself; anything else is logged with its details, where <c>ErrorBox</c> points.</summary>
public static class UiFailure
{
    /// <summary>Logs <paramref name="exception"/> unless it is a <see cref="SlipwayException"/>, and returns it to show.</summary>
    public static Exception Note(ILogger logger, string operation, Exception exception)
    {
        if (exception is not SlipwayException)
            UiLog.OperationFailed(logger, operation, exception);
        return exception;
    }
}
