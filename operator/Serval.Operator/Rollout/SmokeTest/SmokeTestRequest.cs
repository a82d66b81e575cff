namespace Serval.Operator.Rollout.SmokeTest;

/// <summary>One smoke-test request: an Open Inference Protocol (V2) infer request body from the ConfigMap.</summary>
/// <param name="Key">The ConfigMap key it came from, e.g. <c>mlp.json</c>; messages name it.</param>
/// <param name="Body">The JSON body, sent as is.</param>
internal sealed record SmokeTestRequest(string Key, string Body);
