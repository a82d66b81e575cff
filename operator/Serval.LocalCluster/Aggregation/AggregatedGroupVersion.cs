using System.Text.Json.Nodes;

namespace Serval.LocalCluster.Aggregation;

/// <summary>A group-version served through an APIService, with the backend's APIResourceList when it answered.</summary>
internal sealed record AggregatedGroupVersion(string Group, string Version, JsonObject? ResourceList);
