using Microsoft.Extensions.Logging.Abstractions;
using Serval.Operator.Rollout.SmokeTest;

namespace Serval.Operator.Tests.Rollout.SmokeTest;

/// <summary>The smoke test against real workers serving the sample models.</summary>
public sealed class SmokeTestRunnerTests
{
    private SampleWorkers _workers = null!;
    private HttpClient _http = null!;
    private SmokeTestRunner _runner = null!;

    [OneTimeSetUp]
    public async Task StartWorkers()
    {
        _workers = await SampleWorkers.StartAsync("mlp", "mlp-v2", "mlp-wrong");
        _http = new HttpClient();
        _runner = new SmokeTestRunner(_http, NullLogger<SmokeTestRunner>.Instance);
    }

    [OneTimeTearDown]
    public async Task StopWorkers()
    {
        _http.Dispose();
        await _workers.DisposeAsync();
    }

    private static IReadOnlyList<SmokeTestRequest> Requests() => [new SmokeTestRequest("mlp.json", SampleWorkers.SampleRequest())];

    [Test]
    public async Task SameModel_Passes()
    {
        var result = await _runner.RunAsync(Requests(), "mlp", _workers["mlp"], _workers["mlp"], 0.01, CancellationToken.None);

        Assert.That(result.Passed, Is.True, result.Message);
        Assert.That(result.Message, Is.EqualTo("mlp.json answered like the stable revision (tolerance 0.01)"));
    }

    [Test]
    public async Task SlightlyMovedWeightsWithinTolerance_Pass()
    {
        var result = await _runner.RunAsync(Requests(), "mlp", _workers["mlp-v2"], _workers["mlp"], 0.1, CancellationToken.None);

        Assert.That(result.Passed, Is.True, result.Message);
    }

    [Test]
    public async Task WrongModel_FailsWithTheFirstMismatch()
    {
        var result = await _runner.RunAsync(Requests(), "mlp", _workers["mlp-wrong"], _workers["mlp"], 0.01, CancellationToken.None);

        Assert.That(result.Passed, Is.False);
        Assert.That(result.Message, Does.Match(@"^mlp\.json: output output value \[0\] is 10\.2727, expected -0\.2727 \(tolerance 0\.01\)$"));
    }

    [Test]
    public async Task StableAnsweringAnError_IsUnavailableNotFailed()
    {
        IReadOnlyList<SmokeTestRequest> requests = [new SmokeTestRequest("bad.json", """{"inputs":[{"name":"nope","shape":[1,16],"datatype":"FP32","data":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]}]}""")];

        var error = await Assert.ThrowsAsync<SmokeTestUnavailableException>(
            () => _runner.RunAsync(requests, "mlp", _workers["mlp-wrong"], _workers["mlp"], 0.01, CancellationToken.None));

        Assert.That(error!.Message, Does.StartWith("bad.json: the stable revision answered HTTP 400"));
    }

    [Test]
    public async Task CanaryAnsweringAnError_FailsWithTheStatus()
    {
        var nowhere = new Uri(_workers["mlp"], "nowhere/");

        var result = await _runner.RunAsync(Requests(), "mlp", nowhere, _workers["mlp"], 0.01, CancellationToken.None);

        Assert.That(result.Passed, Is.False);
        Assert.That(result.Message, Does.StartWith("mlp.json: answered HTTP 404"));
    }

    [Test]
    public async Task UnreachableCanary_IsUnavailableNotFailed()
    {
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        var error = await Assert.ThrowsAsync<SmokeTestUnavailableException>(
            () => _runner.RunAsync(Requests(), "mlp", new Uri($"http://127.0.0.1:{port}/"), _workers["mlp"], 0.01, CancellationToken.None));

        Assert.That(error!.Message, Does.Contain($"127.0.0.1:{port} did not answer"));
    }
}
