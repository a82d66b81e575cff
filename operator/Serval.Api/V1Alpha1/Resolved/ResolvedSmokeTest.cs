namespace Serval.Api.V1Alpha1;

/// <summary>The smoke test a new revision passes before it gets traffic.</summary>
/// <param name="ConfigMapName">The ConfigMap holding the requests.</param>
/// <param name="Tolerance">The largest absolute difference allowed per output value.</param>
public sealed record ResolvedSmokeTest(string ConfigMapName, double Tolerance);
