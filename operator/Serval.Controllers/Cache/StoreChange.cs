namespace Serval.Controllers.Cache;

/// <summary>One difference found when a relist replaced the cache's contents.</summary>
internal sealed record StoreChange<T>(StoreChangeType Type, T? Old, T New)
    where T : class;
