using Slipway.Pipelines.Definition;

namespace Slipway.Pipelines.Validation;

/// <summary>The <c>needs</c> graph: cycle detection and transitive dependency queries.</summary>
internal sealed class DependencyGraph
{
    private readonly Dictionary<string, IReadOnlyList<string>> _needs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _ancestors = new(StringComparer.Ordinal);

    public DependencyGraph(IEnumerable<StepDefinition> steps)
    {
        foreach (var step in steps)
            _needs[step.Id] = step.Needs;
    }

    /// <summary>True when <paramref name="stepId"/> needs <paramref name="dependencyId"/>, directly or not.</summary>
    public bool DependsOn(string stepId, string dependencyId) => Ancestors(stepId).Contains(dependencyId);

    private HashSet<string> Ancestors(string stepId)
    {
        if (_ancestors.TryGetValue(stepId, out var known))
            return known;
        // Iterative walk with a visited set, so a cycle (reported separately) cannot loop forever.
        var ancestors = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(NeedsOf(stepId));
        while (pending.TryPop(out var current))
        {
            if (ancestors.Add(current))
            {
                foreach (var next in NeedsOf(current))
                    pending.Push(next);
            }
        }
        _ancestors[stepId] = ancestors;
        return ancestors;
    }

    /// <summary>Each elementary cycle found by depth-first search, once, as a list of step ids.</summary>
    public IReadOnlyList<IReadOnlyList<string>> FindCycles()
    {
        var cycles = new List<IReadOnlyList<string>>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 = on path, 2 = done
        var path = new List<string>();
        foreach (var id in _needs.Keys)
            Visit(id, state, path, cycles);
        return cycles;
    }

    private void Visit(string id, Dictionary<string, int> state, List<string> path, List<IReadOnlyList<string>> cycles)
    {
        state[id] = 1;
        path.Add(id);
        foreach (var next in NeedsOf(id))
        {
            if (next == id)
                continue; // a self-need is reported on its own
            if (state.GetValueOrDefault(next) == 1)
            {
                // Edges point from a step to what it needs; reverse so the cycle reads in run order.
                var start = path.IndexOf(next);
                var cycle = path[start..];
                cycle.Reverse();
                cycles.Add(cycle);
            }
            else if (state.GetValueOrDefault(next) == 0)
            {
                Visit(next, state, path, cycles);
            }
        }
        path.RemoveAt(path.Count - 1);
        state[id] = 2;
    }

    private IReadOnlyList<string> NeedsOf(string id) => _needs.TryGetValue(id, out var needs) ? needs : [];
}
