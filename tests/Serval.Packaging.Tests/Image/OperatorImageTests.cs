using System.Diagnostics;
using Serval.Packaging.Tests.Support;

namespace Serval.Packaging.Tests.Image;

/// <summary>
/// No container engine here, so this runs what operator/Dockerfile runs: its build stage's COPY lines into a fresh
/// context and its <c>dotnet publish</c> line as written; then the published operator, started with the arguments
/// the Helm chart gives it and the environment the image sets, serves /healthz against an API server.
/// </summary>
public sealed class OperatorImageTests
{
    [Test]
    public void Dockerfile_RunsAsNonRootOnAChiseledBase()
    {
        var runtime = Dockerfile.Stages()["runtime"];

        Assert.Multiple(() =>
        {
            Assert.That(runtime[0], Does.Contain("chiseled"));
            Assert.That(runtime, Has.Some.Match("^USER [1-9][0-9]*:[1-9][0-9]*$"));
            Assert.That(runtime, Has.Some.StartsWith("ENTRYPOINT [\"dotnet\", \"/app/serval-operator.dll\"]"));
        });
    }

    [Test]
    public async Task Publish_AsTheDockerfileDoes_GivesAnOperatorThatStartsWithTheChartsArguments()
    {
        var context = Directory.CreateTempSubdirectory("serval-operator-image-").FullName;
        var output = Path.Combine(context, "out");
        try
        {
            Dockerfile.PrepareContext(context);
            var publish = Dockerfile.Stages()["build"].Single(i => i.StartsWith("RUN dotnet publish", StringComparison.Ordinal))[4..];
            var command = publish.Replace(" -o /out", $" -o {output}", StringComparison.Ordinal) + " -nologo -v quiet";
            var published = await RunAsync(context, "bash", ["-c", command], TimeSpan.FromMinutes(8));
            Assert.That(published.ExitCode, Is.Zero, published.ToString());

            var chart = await RenderedChart.TemplateAsync();
            var args = chart.Single("Deployment")["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]!.AsArray()
                .Select(a => (string)a!).ToList();
            await using var api = await ApiServer.StartAsync(RenderedChart.Namespace);
            api.Server.ApplyManifests(File.ReadAllText(Repository.Path("crds", "serving.serval.dev_inferenceservices.yaml")));
            var port = FreePort();
            args = args.Select(a => a.StartsWith("--metrics-port=", StringComparison.Ordinal) ? $"--metrics-port={port}" : a).ToList();

            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add(Path.Combine(output, "serval-operator.dll"));
            foreach (var a in args.Append("--kubeconfig").Append(api.Kubeconfig))
            {
                info.ArgumentList.Add(a);
            }

            // The image's own environment (its ENV lines), so a setting there that stops the runtime fails here.
            foreach (var env in Dockerfile.Stages()["runtime"].Where(i => i.StartsWith("ENV ", StringComparison.Ordinal)))
            {
                foreach (var pair in env[4..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var (name, value) = (pair.Split('=', 2)[0], pair.Split('=', 2)[1]);
                    info.Environment[name] = value;
                }
            }

            info.Environment["POD_NAME"] = "serval-0";
            info.Environment["POD_NAMESPACE"] = RenderedChart.Namespace;
            using var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            try
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
                var healthy = false;
                while (!healthy && !process.HasExited && DateTime.UtcNow < deadline)
                {
                    try
                    {
                        healthy = (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"))).IsSuccessStatusCode;
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        await Task.Delay(100);
                    }
                }

                Assert.That(healthy, Is.True, $"the published operator did not serve /healthz with the chart's arguments {string.Join(' ', args)}; exited: {process.HasExited}");
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }

                await process.WaitForExitAsync();
                TestContext.Out.WriteLine(await stdout + await stderr);
            }
        }
        finally
        {
            Directory.Delete(context, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<ToolResult> RunAsync(string directory, string file, string[] args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} did not finish within {timeout}");
        }

        return new ToolResult($"{file} {string.Join(' ', args)}", process.ExitCode, await stdout, await stderr);
    }
}
