using System.Linq.Expressions;

namespace Slipway.Storage.Tracking;

/// <summary>
/// Lets search predicates be written as templates: <c>r =&gt; db.Params.Any(p =&gt; … &amp;&amp; Match.Text(p.Value))</c>,
/// where <see cref="Match.Text"/> and <see cref="Match.Number"/> are placeholders replaced by a comparison chosen
/// at run time. The result is an ordinary expression tree that EF translates to SQL on every provider.
/// </summary>
internal static class PredicateInliner
{
    public static Expression<Func<TRow, bool>> Inline<TRow, TValue>(
        Expression<Func<TRow, bool>> template, Expression<Func<TValue, bool>> comparison)
    {
        var body = new Visitor(comparison).Visit(template.Body);
        return Expression.Lambda<Func<TRow, bool>>(body, template.Parameters);
    }

    private sealed class Visitor(LambdaExpression comparison) : ExpressionVisitor
    {
        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            if (node.Method.DeclaringType == typeof(Match))
            {
                var argument = Visit(node.Arguments[0]);
                return new Replace(comparison.Parameters[0], argument).Visit(comparison.Body);
            }
            return base.VisitMethodCall(node);
        }
    }

    private sealed class Replace(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}

/// <summary>Placeholders for <see cref="PredicateInliner"/>; never executed.</summary>
internal static class Match
{
    public static bool Text(string value) => throw new InvalidOperationException("placeholder");

    public static bool Number(double value) => throw new InvalidOperationException("placeholder");

    public static bool Long(long value) => throw new InvalidOperationException("placeholder");
}
