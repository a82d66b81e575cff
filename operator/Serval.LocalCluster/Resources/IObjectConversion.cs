using System.Text.Json.Nodes;

namespace Serval.LocalCluster.Resources;

/// <summary>Converts objects of a served version to and from the version they are stored in.</summary>
internal interface IObjectConversion
{
    JsonObject ToStorage(JsonObject served);

    JsonObject FromStorage(JsonObject stored);
}
