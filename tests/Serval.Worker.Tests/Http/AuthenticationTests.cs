using System.Net;
using System.Text.Json.Nodes;
using Serval.Worker.Tests.Support;

namespace Serval.Worker.Tests.Http;

public sealed class AuthenticationTests
{
    private const string Token = "s3cret-token";

    private readonly TempDirectory _tokenDirectory = new();
    private TestWorker _worker = null!;

    private static readonly string Request = File.ReadAllText(RepositoryPaths.Combine("samples", "requests", "mlp.json"));

    [OneTimeSetUp]
    public async Task StartWorker()
    {
        var tokenFile = _tokenDirectory.Write("token", System.Text.Encoding.UTF8.GetBytes(Token + "\n"));
        _worker = await TestWorker.StartAsync(SampleModels.SampleModels.Mlp(), "mlp", o => o with { AuthTokenFile = tokenFile });
    }

    [OneTimeTearDown]
    public async Task StopWorker()
    {
        await _worker.DisposeAsync();
        _tokenDirectory.Dispose();
    }

    private async Task<HttpResponseMessage> InferWith(string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v2/models/mlp/infer") { Content = new StringContent(Request) };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await _worker.Client.SendAsync(request);
    }

    [Test]
    public async Task NoToken_Answers401WithAClearError()
    {
        using var response = await InferWith(null);
        var error = (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"];

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(response.Headers.WwwAuthenticate.Select(h => h.Scheme), Is.EqualTo(new[] { "Bearer" }));
            Assert.That(error, Is.EqualTo("missing or invalid bearer token: send the header 'Authorization: Bearer <token>'"));
        });
    }

    [TestCase("Bearer wrong-token")]
    [TestCase("Bearer s3cret-toke")]
    [TestCase("Basic czNjcmV0LXRva2Vu")]
    [TestCase("s3cret-token")]
    public async Task WrongToken_Answers401(string authorization)
    {
        using var response = await InferWith(authorization);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task RightToken_Answers200()
    {
        using var response = await InferWith("Bearer " + Token);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Metadata_NeedsTheToken()
    {
        using var response = await _worker.Client.GetAsync("v2/models/mlp");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [TestCase("v2/health/live")]
    [TestCase("v2/health/ready")]
    [TestCase("metrics")]
    public async Task ProbesAndMetrics_StayOpen(string path)
    {
        using var response = await _worker.Client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task RefusedInference_IsCountedAsAClientError()
    {
        using (await InferWith(null))
        {
        }

        var count = await _worker.MetricAsync("""serval_inference_requests_total{model="mlp",outcome="client_error"}""");

        Assert.That(count, Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task EmptyTokenFile_IsRefusedAtStart()
    {
        using var directory = new TempDirectory();
        var empty = directory.Write("token", []);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => TestWorker.StartAsync(SampleModels.SampleModels.Mlp(), "mlp", o => o with { AuthTokenFile = empty }));

        Assert.That(error!.Message, Does.StartWith($"--auth-token-file '{empty}' is empty"));
    }
}
