using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using System.Text;
using Moonboot.Layout;

namespace Moonboot.Generators
{
    /// <summary>
    /// The Moonboot layout generator. For the project's [MoonbootConfig] class it emits typed bank constants, the
    /// geometry and a read-only layout object into the class, and, for a valid layout, the normalized manifest the
    /// SDK's build tasks read back. It reports nothing: <see cref="MoonbootAnalyzer"/> reports every MB diagnostic
    /// from the same <see cref="ConfigReader"/>, so the IDE shows them while typing and they are never doubled.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class MoonbootGenerator : IIncrementalGenerator
    {
        /// <summary>Names of the tracked pipeline steps (tests check that each one caches).</summary>
        public static class TrackingNames
        {
            /// <summary>One model per [MoonbootConfig] class.</summary>
            public const string Configs = "Moonboot.Configs";
            /// <summary>The emitter's input, without locations.</summary>
            public const string Generation = "Moonboot.Generation";
            /// <summary>Per-class summaries for the project-wide step.</summary>
            public const string Summaries = "Moonboot.Summaries";
            /// <summary>All summaries of the project.</summary>
            public const string AllConfigs = "Moonboot.AllConfigs";
            /// <summary>The valid layout the manifest is written from.</summary>
            public const string Manifest = "Moonboot.Manifest";

            /// <summary>Every tracked step.</summary>
            public static readonly ImmutableArray<string> All =
                ImmutableArray.Create(Configs, Generation, Summaries, AllConfigs, Manifest);
        }

        /// <inheritdoc />
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var configs = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    ConfigReader.ConfigAttributeName,
                    static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                    static (syntax, cancellationToken) => ConfigReader.Read(syntax, cancellationToken))
                .WithTrackingName(TrackingNames.Configs);

            // Constants: keyed on the layout only, so moving code around does not regenerate them.
            var generation = configs
                .Select(static (config, _) => config.ToGeneration())
                .WithTrackingName(TrackingNames.Generation);
            context.RegisterSourceOutput(generation, static (output, model) =>
            {
                if (model is null) return;
                output.AddSource(LayoutEmitter.HintName(model), SourceText.From(LayoutEmitter.EmitConfig(model), Encoding.UTF8));
            });

            // The manifest: only for a project with exactly one config class (the analyzer reports MB0010 otherwise).
            var all = configs
                .Select(static (config, _) => config.ToSummary())
                .WithTrackingName(TrackingNames.Summaries)
                .Collect()
                .Select(static (summaries, _) => new EquatableArray<ConfigSummary>(summaries.Where(s => s is not null).Select(s => s!)))
                .WithTrackingName(TrackingNames.AllConfigs);

            var manifest = all
                .Select(static (summaries, _) => summaries.Count == 1 ? summaries[0].ValidSpec : null)
                .WithTrackingName(TrackingNames.Manifest);
            context.RegisterSourceOutput(manifest, static (output, spec) =>
            {
                if (spec is null) return;
                output.AddSource(LayoutEmitter.ManifestHintName, SourceText.From(LayoutEmitter.EmitManifest(spec), Encoding.UTF8));
            });
        }
    }
}
