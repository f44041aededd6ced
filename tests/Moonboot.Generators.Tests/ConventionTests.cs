using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Moonboot.Layout;
using Xunit;

namespace Moonboot.Generators.Tests
{
    /// <summary>Analyzer conventions: the lowest Roslyn, static descriptors in the release files, real help links.</summary>
    public class ConventionTests
    {
        private static string Root => DocsTests.RepositoryRoot();

        private static string Property(string file, string name) =>
            Regex.Match(File.ReadAllText(Path.Combine(Root, file)), "<" + name + ">([^<]+)</" + name + ">").Groups[1].Value;

        [Fact]
        public void TheseTestsRunOnTheLowestSupportedRoslyn()
        {
            // This project references Microsoft.CodeAnalysis.CSharp at $(RoslynVersion), the version the analyzer and
            // generator are built against: every test here runs them on the oldest compiler they claim to load in.
            var expected = Version.Parse(Property("Directory.Build.props", "RoslynVersion"));
            var running = typeof(Compilation).Assembly.GetName().Version!;
            Assert.Equal(new Version(expected.Major, expected.Minor, 0, 0), running);
            foreach (var reference in typeof(MoonbootGenerator).Assembly.GetReferencedAssemblies().Where(a => a.Name!.StartsWith("Microsoft.CodeAnalysis")))
            {
                Assert.True(reference.Version <= running, $"{reference} is newer than Roslyn {running}");
            }
        }

        [Fact]
        public void EachDescriptorMatchesItsRule()
        {
            Assert.Equal(LayoutRule.All.Select(r => r.Id), DiagnosticDescriptors.All.Select(d => d.Id));
            foreach (var rule in LayoutRule.All)
            {
                var descriptor = DiagnosticDescriptors.Get(rule.Id);
                Assert.Equal(rule.Severity == LayoutIssueSeverity.Error ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
                    descriptor.DefaultSeverity);
                Assert.Equal(rule.Title, descriptor.Title.ToString());
                Assert.Equal("Moonboot.Layout", descriptor.Category);
                Assert.Equal(rule.HelpLink, descriptor.HelpLinkUri);
            }
            Assert.Equal(new MoonbootAnalyzer().SupportedDiagnostics, DiagnosticDescriptors.All);
        }

        [Fact]
        public void HelpLinksComeFromTheRepositoryUrlAndNameExistingPages()
        {
            string repository = Property("Directory.Build.props", "RepositoryUrl");
            Assert.StartsWith("https://", repository);
            Assert.StartsWith(repository + "/blob/main/docs/diagnostics/", HelpLinks.For("MB0001"));
            foreach (var descriptor in DiagnosticDescriptors.All)
            {
                string page = descriptor.HelpLinkUri.Substring(repository.Length + "/blob/main/".Length);
                Assert.True(File.Exists(Path.Combine(Root, page)), $"{descriptor.Id} links to {page}, which does not exist");
            }
            // No other address is written by hand anywhere in the shipped sources.
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories)
                         .Concat(Directory.EnumerateFiles(Path.Combine(Root, "sdk"), "*.*", SearchOption.AllDirectories))
                         .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar)
                                  && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar)))
            {
                Assert.DoesNotContain("docs/diagnostics/MB", File.ReadAllText(file).Replace("docs/diagnostics/MBxxxx", ""));
            }
        }

        [Fact]
        public void EveryDescriptorIsInTheReleaseFiles()
        {
            string dir = Path.Combine(Root, "src", "Moonboot.Generators");
            string releases = File.ReadAllText(Path.Combine(dir, "AnalyzerReleases.Shipped.md"))
                + File.ReadAllText(Path.Combine(dir, "AnalyzerReleases.Unshipped.md"));
            foreach (var descriptor in DiagnosticDescriptors.All)
            {
                Assert.Matches(new Regex("^" + descriptor.Id + @" \| " + Regex.Escape(descriptor.Category) + @" \| "
                    + descriptor.DefaultSeverity + @" \|", RegexOptions.Multiline), releases);
            }
        }

        [Fact]
        public void TheGeneratorReportsNothingEvenForABrokenLayout()
        {
            var run = GeneratorHarness.RunGenerator(Layouts.Seed.Replace("PageSize = 2048", "PageSize = 3000").Replace("static partial", "partial"));
            Assert.NotEmpty(run.Moonboot);
            Assert.Empty(run.GeneratorDiagnostics);
        }

        [Fact]
        public void RolesUnitsAndDefaultsAreDefinedOnce()
        {
            // One file declares them; Moonboot.Config compiles it as the public API, the layout model as its own
            // internal copy (src/Moonboot.Layout/LayoutVocabulary.cs). A second declaration anywhere is a second set.
            var sources = Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar)
                         && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar))
                .ToDictionary(f => Path.GetRelativePath(Root, f).Replace('\\', '/'), File.ReadAllText);
            foreach (var declaration in new[] { @"\benum\s+\w*BankRole\b", @"\benum\s+\w*MemoryUnit\b", @"\bclass\s+LayoutDefaults\b" })
            {
                Assert.Equal(new[] { "src/Moonboot.Layout/LayoutVocabulary.cs" },
                    sources.Where(s => Regex.IsMatch(s.Value, declaration)).Select(s => s.Key));
            }
            Assert.Contains("Include=\"../Moonboot.Layout/LayoutVocabulary.cs\"",
                File.ReadAllText(Path.Combine(Root, "src/Moonboot.Config/Moonboot.Config.csproj")));
            // The attribute's initial values are the defaults, not numbers of their own.
            Assert.DoesNotMatch(@"\{ get; set; \} = \d", sources["src/Moonboot.Config/Attributes.cs"]);
        }
    }
}
