using System.Linq;
using Xunit;

namespace Moonboot.Generators.Tests
{
    /// <summary>The generated code of real layouts, against approved snapshots.</summary>
    public class SnapshotTests
    {
        private static string Generate(string source)
        {
            var run = GeneratorHarness.RunGenerator(source);
            Assert.Empty(run.GeneratorDiagnostics);
            Assert.Empty(run.CompilerDiagnostics);
            Assert.Equal(2, run.Result.GeneratedSources.Length);
            return run.AllSources();
        }

        [Fact]
        public void Seed() => Snapshot.Verify(Generate(Layouts.Seed));

        [Fact]
        public void FourKiBPagesAtZero() => Snapshot.Verify(Generate(Layouts.FourKiBPagesAtZero));

        [Fact]
        public void ExternalUpdateFlash() => Snapshot.Verify(Generate(Layouts.ExternalUpdateFlash));

        [Fact]
        public void NoRamState() => Snapshot.Verify(Generate(Layouts.NoRamState));

        [Fact]
        public void StateBank() => Snapshot.Verify(Generate(Layouts.StateBank));
    }
}
