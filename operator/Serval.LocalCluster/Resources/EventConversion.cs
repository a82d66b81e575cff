using System.Text.Json.Nodes;

namespace Serval.LocalCluster.Resources;

/// <summary>
/// events.k8s.io/v1 Events are a second view of core/v1 Events, as on a real cluster: what the operator records through
/// one API shows in <c>kubectl get events</c> and <c>kubectl describe</c> through the other.
/// </summary>
internal sealed class EventConversion : IObjectConversion
{
    public static readonly EventConversion Instance = new();

    // events.k8s.io/v1 field -> core/v1 field; the rest (metadata, reason, type, action, eventTime, series, related,
    // reportingInstance) share their names.
    private static readonly (string Events, string Core)[] Renames =
    [
        ("regarding", "involvedObject"),
        ("note", "message"),
        ("reportingController", "reportingComponent"),
        ("deprecatedSource", "source"),
        ("deprecatedFirstTimestamp", "firstTimestamp"),
        ("deprecatedLastTimestamp", "lastTimestamp"),
        ("deprecatedCount", "count"),
    ];

    public JsonObject ToStorage(JsonObject served)
    {
        var core = Rename(served, toCore: true);
        core["apiVersion"] = "v1";
        core["kind"] = "Event";
        if (core["source"] is null && core["reportingComponent"] is JsonValue controller)
        {
            core["source"] = new JsonObject { ["component"] = controller.DeepClone() };
        }

        return core;
    }

    public JsonObject FromStorage(JsonObject stored)
    {
        var events = Rename(stored, toCore: false);
        events["apiVersion"] = "events.k8s.io/v1";
        events["kind"] = "Event";
        if (events["reportingController"] is null && events["deprecatedSource"]?["component"] is JsonValue component)
        {
            events["reportingController"] = component.DeepClone();
        }

        return events;
    }

    private static JsonObject Rename(JsonObject source, bool toCore)
    {
        var result = new JsonObject();
        foreach (var (key, value) in source)
        {
            var renamed = key;
            foreach (var (events, core) in Renames)
            {
                if (toCore && key == events)
                {
                    renamed = core;
                }
                else if (!toCore && key == core)
                {
                    renamed = events;
                }
            }

            result[renamed] = value?.DeepClone();
        }

        return result;
    }
}
