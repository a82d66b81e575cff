using Microsoft.Extensions.Logging;

namespace Serval.LocalCluster.Tests.TestSupport;

/// <summary>Writes warnings and errors of the code under test to the test run's progress output, where a failure can be read.</summary>
internal sealed class ProgressLoggerProvider : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new ProgressLogger(categoryName);

    public void Dispose()
    {
    }

    private sealed class ProgressLogger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                TestContext.Progress.WriteLine($"{logLevel} {category}: {formatter(state, exception)} {exception}");
            }
        }
    }
}
