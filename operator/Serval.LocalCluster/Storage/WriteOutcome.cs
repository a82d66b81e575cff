namespace Serval.LocalCluster.Storage;

/// <summary>What a conditional commit found.</summary>
internal enum WriteOutcome
{
    Committed,
    NotFound,
    AlreadyExists,
    Conflict,
}
