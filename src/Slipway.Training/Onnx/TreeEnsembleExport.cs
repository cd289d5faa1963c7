using System.Reflection;
using Microsoft.ML.Trainers.FastTree;

namespace Slipway.Training.Onnx;

/// <summary>
/// Turns ML.NET tree ensembles into one ai.onnx.ml <c>TreeEnsembleRegressor</c> with a target per score column,
/// following ML.NET's evaluation exactly (<c>InternalRegressionTree.GetLeaf</c>):
/// <list type="bullet">
/// <item>A numeric split goes left when <c>x &lt;= threshold</c> (BRANCH_LEQ, left = true branch). A NaN goes
/// right, unless the tree has a default value for missing (LightGBM), in which case it goes where that value
/// would; <c>nodes_missing_value_tracks_true</c> encodes the side.</item>
/// <item>A categorical split (LightGBM on one-hot slots) goes right when any of its slots is &gt; 0. Each distinct
/// slot set becomes one extra feature, the sum of its slots (a MatMul over the NaN-free features), and the node a
/// split of that sum at 0.</item>
/// <item>Leaf values and thresholds are written as double tensors and the features cast to double, so ONNX Runtime
/// accumulates in double as ML.NET does; a tree's output is its leaf value (ML.NET's ensemble sums leaves without tree weights or bias).</item>
/// </list>
/// </summary>
internal static class TreeEnsembleExport
{
    private static readonly FieldInfo? InternalTreeField = typeof(RegressionTreeBase).GetField("_tree", BindingFlags.Instance | BindingFlags.NonPublic);

    public static string Add(OnnxGraphBuilder graph, string features, int width, TreeScoreModel model)
    {
        var categoricalSets = new List<int[]>();
        var setIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var attributes = new TreeAttributes();
        var treeId = 0;
        for (var target = 0; target < model.Ensembles.Count; target++)
        {
            foreach (var tree in model.Ensembles[target].Trees)
                AddTree(attributes, tree, treeId++, target, width, categoricalSets, setIndex);
        }

        var input = features;
        if (categoricalSets.Count > 0)
            input = graph.Node("Concat", [features, CategoricalSums(graph, features, width, categoricalSets)], attributes: OnnxAttribute.Int("axis", 1));

        // On a double input ONNX Runtime keeps thresholds and sums in double (on float it would round leaf values to
        // float); float to double is exact, so every comparison decides as ML.NET's float one does.
        input = graph.Node("Cast", [input], attributes: OnnxAttribute.Int("to", (long)Proto.TensorProto.Types.DataType.Double));
        return graph.Node("TreeEnsembleRegressor", [input], domain: OnnxGraphBuilder.MlDomain, attributes:
        [
            OnnxAttribute.Int("n_targets", model.Ensembles.Count),
            OnnxAttribute.String("aggregate_function", "SUM"),
            OnnxAttribute.String("post_transform", "NONE"),
            OnnxAttribute.Doubles("base_values_as_tensor", new double[model.Ensembles.Count]),
            OnnxAttribute.Ints("nodes_treeids", attributes.TreeIds),
            OnnxAttribute.Ints("nodes_nodeids", attributes.NodeIds),
            OnnxAttribute.Ints("nodes_featureids", attributes.FeatureIds),
            OnnxAttribute.Doubles("nodes_values_as_tensor", attributes.Thresholds),
            OnnxAttribute.Strings("nodes_modes", attributes.Modes),
            OnnxAttribute.Ints("nodes_truenodeids", attributes.TrueIds),
            OnnxAttribute.Ints("nodes_falsenodeids", attributes.FalseIds),
            OnnxAttribute.Ints("nodes_missing_value_tracks_true", attributes.MissingTracksTrue),
            OnnxAttribute.Ints("target_treeids", attributes.TargetTreeIds),
            OnnxAttribute.Ints("target_nodeids", attributes.TargetNodeIds),
            OnnxAttribute.Ints("target_ids", attributes.TargetIds),
            OnnxAttribute.Doubles("target_weights_as_tensor", attributes.TargetWeights),
        ]);
    }

    private static void AddTree(TreeAttributes a, RegressionTree tree, int treeId, int target, int width, List<int[]> sets, Dictionary<string, int> setIndex)
    {
        var nodes = tree.NumberOfNodes;
        if (nodes == 0)
        {
            // ML.NET gives a tree without splits an output of zero.
            a.AddLeaf(treeId, 0, target, 0);
            return;
        }

        var defaults = DefaultValueForMissing(tree);
        for (var n = 0; n < nodes; n++)
        {
            var left = ChildId(tree.LeftChild[n], nodes);
            var right = ChildId(tree.RightChild[n], nodes);
            if (tree.CategoricalSplitFlags[n])
            {
                var slots = tree.GetCategoricalSplitFeaturesAt(n).Order().ToArray();
                if (slots.Length == 0 || slots[0] < 0 || slots[^1] >= width)
                    throw new OnnxExportException("A categorical split refers to slots outside the feature vector.");
                var key = string.Join(',', slots);
                if (!setIndex.TryGetValue(key, out var set))
                {
                    set = sets.Count;
                    setIndex[key] = set;
                    sets.Add(slots);
                }
                // sum of slots <= 0 means none is > 0: ML.NET keeps to the left (LTE) child.
                a.AddBranch(treeId, n, width + set, 0, left, right, missingTracksTrue: false);
            }
            else
            {
                var feature = tree.NumericalSplitFeatureIndexes[n];
                if (feature < 0 || feature >= width)
                    throw new OnnxExportException($"A split refers to feature {feature}, outside the {width} feature slots.");
                var threshold = tree.NumericalSplitThresholds[n];
                // NaN <= t is false, so NaN goes right unless a default value replaces it first.
                var missingLeft = defaults is not null && defaults[n] <= threshold;
                a.AddBranch(treeId, n, feature, threshold, left, right, missingLeft);
            }
        }

        for (var leaf = 0; leaf < tree.NumberOfLeaves; leaf++)
            a.AddLeaf(treeId, nodes + leaf, target, tree.LeafValues[leaf]);
    }

    /// <summary>ML.NET marks a leaf child as the bitwise complement of its leaf index; leaves follow the nodes here.</summary>
    private static long ChildId(int child, int nodes) => child >= 0 ? child : nodes + ~child;

    /// <summary>
    /// LightGBM trees can carry a per-node value that replaces NaN before the comparison. The public tree API does not
    /// expose it, so it is read from the internal tree; without it a model with missing values could not be exported.
    /// </summary>
    private static float[]? DefaultValueForMissing(RegressionTree tree)
    {
        var inner = InternalTreeField?.GetValue(tree)
            ?? throw new OnnxExportException("Cannot read the tree's missing-value routing from this ML.NET version.");
        var field = inner.GetType().GetField("DefaultValueForMissing", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            ?? throw new OnnxExportException("Cannot read the tree's missing-value routing from this ML.NET version.");
        return field.GetValue(inner) as float[];
    }

    private static string CategoricalSums(OnnxGraphBuilder graph, string features, int width, List<int[]> sets)
    {
        var matrix = new float[width * sets.Count];
        for (var s = 0; s < sets.Count; s++)
        {
            foreach (var slot in sets[s])
                matrix[(slot * sets.Count) + s] = 1f;
        }
        // A NaN in an unrelated numeric slot would turn every sum into NaN (NaN * 0); one-hot slots are never NaN.
        var clean = OnnxExporter.ZeroMissing(graph, features);
        return graph.Node("MatMul", [clean, graph.FloatConstant("categorical_sets", matrix, width, sets.Count)]);
    }

    private sealed class TreeAttributes
    {
        public List<long> TreeIds { get; } = [];
        public List<long> NodeIds { get; } = [];
        public List<long> FeatureIds { get; } = [];
        public List<double> Thresholds { get; } = [];
        public List<string> Modes { get; } = [];
        public List<long> TrueIds { get; } = [];
        public List<long> FalseIds { get; } = [];
        public List<long> MissingTracksTrue { get; } = [];
        public List<long> TargetTreeIds { get; } = [];
        public List<long> TargetNodeIds { get; } = [];
        public List<long> TargetIds { get; } = [];
        public List<double> TargetWeights { get; } = [];

        public void AddBranch(int tree, long node, int feature, double threshold, long left, long right, bool missingTracksTrue)
        {
            Add(tree, node, feature, threshold, "BRANCH_LEQ", left, right, missingTracksTrue ? 1 : 0);
        }

        public void AddLeaf(int tree, long node, int target, double value)
        {
            Add(tree, node, 0, 0, "LEAF", 0, 0, 0);
            TargetTreeIds.Add(tree);
            TargetNodeIds.Add(node);
            TargetIds.Add(target);
            TargetWeights.Add(value);
        }

        private void Add(int tree, long node, int feature, double threshold, string mode, long trueId, long falseId, long missing)
        {
            TreeIds.Add(tree);
            NodeIds.Add(node);
            FeatureIds.Add(feature);
            Thresholds.Add(threshold);
            Modes.Add(mode);
            TrueIds.Add(trueId);
            FalseIds.Add(falseId);
            MissingTracksTrue.Add(missing);
        }
    }
}
