namespace Serval.Controllers.Cache;

internal enum StoreChangeType
{
    Added,
    Updated,
    Deleted,
}
