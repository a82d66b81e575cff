using Microsoft.Extensions.Logging;

namespace Serval.Controllers.Reconciliation;

internal static partial class ControllerLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Controller {Controller} started with {Workers} workers and {Queued} objects queued")]
    public static partial void Started(ILogger logger, string controller, int workers, int queued);

    [LoggerMessage(Level = LogLevel.Information, Message = "Controller {Controller} stopped")]
    public static partial void Stopped(ILogger logger, string controller);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Controller {Controller}: reconciles still running after {Timeout}; cancelling them")]
    public static partial void ShutdownTimedOut(ILogger logger, string controller, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Controller {Controller}: reconcile of {Key} failed (attempt {Attempt}): {Message}")]
    public static partial void ReconcileError(ILogger logger, string controller, Serval.Controllers.Cache.ObjectKey key, int attempt, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Controller {Controller}: reconcile of {Key} met a newer version of an object it wrote (attempt {Attempt}); retrying: {Message}")]
    public static partial void ReconcileConflict(ILogger logger, string controller, Serval.Controllers.Cache.ObjectKey key, int attempt, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "Controller {Controller}: reconcile of {Key} threw (attempt {Attempt})")]
    public static partial void ReconcileThrew(ILogger logger, Exception error, string controller, Serval.Controllers.Cache.ObjectKey key, int attempt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Controller {Controller}: reconciled {Key}: {Result} in {Duration}")]
    public static partial void Reconciled(ILogger logger, string controller, Serval.Controllers.Cache.ObjectKey key, string result, TimeSpan duration);
}
