namespace Serval.Worker.Tests.Http;

/// <summary>serval-worker completes socket I/O inline unless the environment says otherwise.</summary>
[NonParallelizable]
public sealed class SocketCompletionsTests
{
    private string? _saved;

    [SetUp]
    public void Save() => _saved = Environment.GetEnvironmentVariable(WorkerHost.InlineCompletionsVariable);

    [TearDown]
    public void Restore() => Environment.SetEnvironmentVariable(WorkerHost.InlineCompletionsVariable, _saved);

    [Test]
    public void Unset_IsTurnedOn()
    {
        Environment.SetEnvironmentVariable(WorkerHost.InlineCompletionsVariable, null);

        WorkerHost.PreferInlineSocketCompletions();

        Assert.That((Environment.GetEnvironmentVariable(WorkerHost.InlineCompletionsVariable), WorkerHost.InlineSocketCompletions), Is.EqualTo(("1", true)));
    }

    [Test]
    public void SetByTheUser_IsLeftAlone()
    {
        Environment.SetEnvironmentVariable(WorkerHost.InlineCompletionsVariable, "0");

        WorkerHost.PreferInlineSocketCompletions();

        Assert.That((Environment.GetEnvironmentVariable(WorkerHost.InlineCompletionsVariable), WorkerHost.InlineSocketCompletions), Is.EqualTo(("0", false)));
    }
}
