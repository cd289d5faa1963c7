namespace Slipway.Tracking.Search;

/// <summary>What a filter or order_by clause refers to.</summary>
public enum EntityKind
{
    Metric,
    Param,
    Tag,
    Attribute,
    Dataset,
}

public enum Comparator
{
    Equal,
    NotEqual,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
    Like,
    ILike,
    In,
    NotIn,
}

/// <summary>
/// A comparison value: exactly one of <see cref="Text"/>, <see cref="Number"/> or <see cref="List"/> is set.
/// </summary>
public sealed record FilterValue(string? Text, double? Number, IReadOnlyList<string>? List)
{
    public static FilterValue OfText(string text) => new(text, null, null);

    public static FilterValue OfNumber(double number) => new(null, number, null);

    public static FilterValue OfList(IReadOnlyList<string> list) => new(null, null, list);
}

/// <summary>
/// One <c>type.key op value</c> clause. For <see cref="EntityKind.Attribute"/> the key is canonical
/// (<c>run_id</c>, <c>run_name</c>, <c>status</c>, <c>user_id</c>, <c>artifact_uri</c>, <c>start_time</c>,
/// <c>end_time</c>, <c>lifecycle_stage</c> for runs; <c>name</c>, <c>creation_time</c>, <c>last_update_time</c>
/// for experiments); for <see cref="EntityKind.Dataset"/> it is <c>name</c>, <c>digest</c> or <c>context</c>.
/// </summary>
public sealed record FilterClause(EntityKind Kind, string Key, Comparator Comparator, FilterValue Value);

/// <summary>One <c>order_by</c> entry, with a canonical key as in <see cref="FilterClause"/>.</summary>
public sealed record OrderClause(EntityKind Kind, string Key, bool Ascending);
