using System.Text.Json.Nodes;
using k8s.Autorest;

namespace Serval.LocalCluster.Tests.TestSupport;

/// <summary>Reads the metav1.Status a failed KubernetesClient call carried.</summary>
internal static class ApiErrors
{
    public static async Task<(int Code, JsonObject Status)> CatchAsync(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (HttpOperationException e)
        {
            return ((int)e.Response.StatusCode, JsonNode.Parse(e.Response.Content) as JsonObject ?? new JsonObject());
        }

        Assert.Fail("the call was expected to fail");
        return default;
    }

    public static string? Reason(this JsonObject status) => status["reason"]?.GetValue<string>();
}
