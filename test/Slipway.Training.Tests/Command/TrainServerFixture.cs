using Slipway.Testing;

namespace Slipway.Training.Tests.Command;

/// <summary>One real Slipway server (fresh SQLite database and artifact folder) shared by the tests of a class.</summary>
public sealed class TrainServerFixture : SlipwayServerFixture;
