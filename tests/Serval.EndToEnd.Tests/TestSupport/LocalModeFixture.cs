using Serval.Operator.Local;

namespace Serval.EndToEnd.Tests.TestSupport;

/// <summary>
/// A fresh local mode for each test, in a state directory of its own, with an HTTP client for status.url; the API
/// requests the operator made are recorded (for the chart's RBAC check) before everything stops.
/// </summary>
public abstract class LocalModeFixture
{
    protected string State { get; private set; } = null!;

    protected LocalMode Local { get; private set; } = null!;

    protected HttpClient Http { get; private set; } = null!;

    [SetUp]
    public async Task StartLocalModeAsync()
    {
        State = Directory.CreateTempSubdirectory("serval-e2e-").FullName;
        var options = new LocalModeOptions { StateDirectory = State };
        Configure(options);
        Local = await LocalMode.StartAsync(options, CancellationToken.None);
        Http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
    }

    [TearDown]
    public async Task StopLocalModeAsync()
    {
        Http.Dispose();
        OperatorRequests.Record(Local.Server.Requests.Snapshot());
        await Local.DisposeAsync();
        Directory.Delete(State, recursive: true);
    }

    /// <summary>Changes to the local mode a fixture's tests need (shorter periods, windows).</summary>
    protected virtual void Configure(LocalModeOptions options)
    {
    }
}
