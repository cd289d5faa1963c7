using Slipway.Monitoring.Statistics.Methods;

namespace Slipway.Monitoring.Statistics;

/// <summary>Every drift method by its Evidently name.</summary>
public static class DriftMethods
{
    public static readonly IDriftMethod Ks = new KsMethod();
    public static readonly IDriftMethod ChiSquare = new ChiSquareMethod();
    public static readonly IDriftMethod Z = new ZMethod();
    public static readonly IDriftMethod Psi = new PsiMethod();
    public static readonly IDriftMethod KlDiv = new KlDivMethod();
    public static readonly IDriftMethod JensenShannon = new JensenShannonMethod();
    public static readonly IDriftMethod Wasserstein = new WassersteinMethod();
    public static readonly IDriftMethod Hellinger = new HellingerMethod();
    public static readonly IDriftMethod Anderson = new AndersonMethod();
    public static readonly IDriftMethod CramerVonMises = new CramerVonMisesMethod();
    public static readonly IDriftMethod MannWhitney = new MannWhitneyMethod();
    public static readonly IDriftMethod TTest = new TTestMethod();
    public static readonly IDriftMethod EnergyDistance = new EnergyDistanceMethod();
    public static readonly IDriftMethod GTest = new GTestMethod();
    public static readonly IDriftMethod FisherExact = new FisherExactMethod();
    public static readonly IDriftMethod Tvd = new TvdMethod();

    public static IReadOnlyList<IDriftMethod> All { get; } =
        [Ks, ChiSquare, Z, Psi, KlDiv, JensenShannon, Wasserstein, Hellinger, Anderson, CramerVonMises, MannWhitney, TTest, EnergyDistance, GTest, FisherExact, Tvd];

    private static readonly Dictionary<string, IDriftMethod> ByName = All.ToDictionary(m => m.Name, StringComparer.Ordinal);

    public static IDriftMethod? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The names, for error messages.</summary>
    public static string Names => string.Join(", ", All.Select(m => m.Name));
}
