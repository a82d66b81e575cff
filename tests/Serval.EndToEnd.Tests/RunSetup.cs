using Serval.EndToEnd.Tests.TestSupport;

namespace Serval.EndToEnd.Tests;

/// <summary>Writes what the whole run learned about the operator's API requests.</summary>
[SetUpFixture]
public sealed class RunSetup
{
    [OneTimeTearDown]
    public void WriteOperatorRequests() => OperatorRequests.Write();
}
