namespace Slipway.Client;

/// <summary>One page of search results.</summary>
/// <typeparam name="T">The type of the items.</typeparam>
/// <param name="Items">The items on this page.</param>
/// <param name="NextPageToken">Pass it back as <c>pageToken</c> to read the next page; null or empty on the last page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextPageToken)
{
    /// <summary>True when a further page may exist.</summary>
    public bool HasMore => !string.IsNullOrEmpty(NextPageToken);
}
