using Serval.Operator.Hosting;

namespace Serval.Packaging.Tests.Support;

/// <summary>
/// The operator run in-process against an <see cref="ApiServer"/>, configured as the chart's Deployment configures
/// it: all namespaces, leader election with its Lease in the release namespace.
/// </summary>
internal sealed class InProcessOperator : IAsyncDisposable
{
    private readonly OperatorHost _host;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    private InProcessOperator(OperatorHost host)
    {
        _host = host;
        _run = host.RunAsync(_stop.Token);
    }

    public static async Task<InProcessOperator> StartAsync(ApiServer api, string leaseNamespace)
    {
        var options = new OperatorOptions
        {
            HealthPort = null,
            Registry = Prometheus.Metrics.NewCustomRegistry(),
            MaxRetryDelay = TimeSpan.FromMilliseconds(500),
            LeaderElection =
            {
                Enabled = true,
                Identity = "serval-0",
                LeaseNamespace = leaseNamespace,
                LeaseDuration = TimeSpan.FromSeconds(4),
                RenewDeadline = TimeSpan.FromSeconds(2),
                RetryPeriod = TimeSpan.FromMilliseconds(250),
            },
        };
        return new InProcessOperator(await OperatorHost.CreateAsync(api.Server.ClientConfiguration(), options, CancellationToken.None));
    }

    /// <summary>Stops it as SIGTERM does: in-flight reconciles finish, the Lease is released.</summary>
    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        await _run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
        _host.Dispose();
    }
}
