using System.Text.Json.Nodes;

namespace Serval.LocalCluster.Resources;

/// <summary>
/// One column of <c>kubectl get</c>'s table: its definition (as in metav1.TableColumnDefinition) and how to compute the cell
/// from an object at a given moment (ages are relative to now).
/// </summary>
public sealed record PrinterColumn(string Name, string Type, string Format, string Description, int Priority,
    Func<JsonObject, DateTimeOffset, JsonNode?> Cell);
