using System.Text.Json.Nodes;
using Serval.LocalCluster.Json;

namespace Serval.LocalCluster.Resources.Strategies;

/// <summary>The pod spec defaults kube-apiserver fills in, so objects read back look as they would on a cluster.</summary>
internal static class PodSpecDefaults
{
    public static void Apply(JsonObject spec)
    {
        spec.TryAdd("restartPolicy", "Always");
        spec.TryAdd("terminationGracePeriodSeconds", 30);
        spec.TryAdd("dnsPolicy", "ClusterFirst");
        spec.TryAdd("securityContext", new JsonObject());
        spec.TryAdd("schedulerName", "default-scheduler");
        foreach (var list in new[] { "containers", "initContainers" })
        {
            if (spec[list] is not JsonArray containers)
            {
                continue;
            }

            foreach (var container in containers.OfType<JsonObject>())
            {
                container.TryAdd("terminationMessagePath", "/dev/termination-log");
                container.TryAdd("terminationMessagePolicy", "File");
                if (!container.ContainsKey("imagePullPolicy"))
                {
                    var image = container.StringAt("image") ?? string.Empty;
                    var lastSegment = image[(image.LastIndexOf('/') + 1)..];
                    var latest = !lastSegment.Contains(':', StringComparison.Ordinal) || lastSegment.EndsWith(":latest", StringComparison.Ordinal);
                    container["imagePullPolicy"] = latest && !image.Contains('@', StringComparison.Ordinal) ? "Always" : "IfNotPresent";
                }

                container.TryAdd("resources", new JsonObject());
                if (container["ports"] is JsonArray ports)
                {
                    foreach (var port in ports.OfType<JsonObject>())
                    {
                        port.TryAdd("protocol", "TCP");
                    }
                }
            }
        }
    }

    public static void Validate(JsonObject? spec, string path, FieldErrors errors)
    {
        if (spec?["containers"] is not JsonArray containers || containers.Count == 0)
        {
            errors.Required($"{path}.containers");
            return;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < containers.Count; i++)
        {
            var container = containers[i] as JsonObject;
            var name = container.StringAt("name");
            if (string.IsNullOrEmpty(name))
            {
                errors.Required($"{path}.containers[{i}].name");
            }
            else if (NameRules.Dns1123Label(name) is { } problem)
            {
                errors.Invalid($"{path}.containers[{i}].name", name, problem);
            }
            else if (!names.Add(name))
            {
                errors.Add(new Server.StatusCause("FieldValueDuplicate", $"Duplicate value: \"{name}\"", $"{path}.containers[{i}].name"));
            }

            if (string.IsNullOrEmpty(container.StringAt("image")))
            {
                errors.Required($"{path}.containers[{i}].image");
            }
        }
    }
}
