using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Serval.Worker.Tests.Support;

/// <summary>Keeps every log line (warnings and above go to the test output too).</summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{logLevel}: {category}: {formatter(state, exception)}";
            owner._lines.Enqueue(line);
            if (logLevel >= LogLevel.Warning)
            {
                TestContext.Progress.WriteLine(line);
            }
        }
    }
}
