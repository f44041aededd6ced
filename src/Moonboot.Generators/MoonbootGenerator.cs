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
    /// The Moonboot layout generator. For the project's [MoonbootConfig] class it validates the layout (reporting
    /// MB0001..MB0023 at the offending token), emits typed bank constants, the geometry and a read-only layout
    /// object into the class, and, for a valid layout, the normalized manifest the SDK's build tasks read back.
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
            /// <summary>The diagnostics of each class.</summary>
            public const string Diagnostics = "Moonboot.Diagnostics";
            /// <summary>Per-class summaries for the project-wide steps.</summary>
            public const string Summaries = "Moonboot.Summaries";
            /// <summary>All summaries of the project.</summary>
            public const string AllConfigs = "Moonboot.AllConfigs";
            /// <summary>MB0010: more than one config class.</summary>
            public const string MultipleConfigs = "Moonboot.MultipleConfigs";
            /// <summary>The valid layout the manifest is written from.</summary>
            public const string Manifest = "Moonboot.Manifest";

            /// <summary>Every tracked step.</summary>
            public static readonly ImmutableArray<string> All =
                ImmutableArray.Create(Configs, Generation, Diagnostics, Summaries, AllConfigs, MultipleConfigs, Manifest);
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

            // Diagnostics: their own stream, so a moved squiggle never re-runs the emitter.
            var diagnostics = configs
                .Select(static (config, _) => config.Diagnostics)
                .WithTrackingName(TrackingNames.Diagnostics);
            context.RegisterSourceOutput(diagnostics, static (output, list) =>
            {
                foreach (var diagnostic in list) output.ReportDiagnostic(diagnostic.ToDiagnostic());
            });

            var all = configs
                .Select(static (config, _) => config.ToSummary())
                .WithTrackingName(TrackingNames.Summaries)
                .Collect()
                .Select(static (summaries, _) => new EquatableArray<ConfigSummary>(summaries.Where(s => s is not null).Select(s => s!)))
                .WithTrackingName(TrackingNames.AllConfigs);

            var multiple = all
                .Select(static (summaries, _) => MultipleConfigDiagnostics(summaries))
                .WithTrackingName(TrackingNames.MultipleConfigs);
            context.RegisterSourceOutput(multiple, static (output, list) =>
            {
                foreach (var diagnostic in list) output.ReportDiagnostic(diagnostic.ToDiagnostic());
            });

            var manifest = all
                .Select(static (summaries, _) => summaries.Count == 1 ? summaries[0].ValidSpec : null)
                .WithTrackingName(TrackingNames.Manifest);
            context.RegisterSourceOutput(manifest, static (output, spec) =>
            {
                if (spec is null) return;
                output.AddSource(LayoutEmitter.ManifestHintName, SourceText.From(LayoutEmitter.EmitManifest(spec), Encoding.UTF8));
            });
        }

        private static EquatableArray<DiagnosticInfo> MultipleConfigDiagnostics(EquatableArray<ConfigSummary> summaries)
        {
            if (summaries.Count < 2) return EquatableArray<DiagnosticInfo>.Empty;
            var first = summaries[0];
            var list = new DiagnosticInfo[summaries.Count - 1];
            for (int i = 1; i < summaries.Count; i++)
            {
                list[i - 1] = new DiagnosticInfo(LayoutRule.MultipleConfigs.Id,
                    $"'{summaries[i].DisplayName}' is a second [MoonbootConfig] class, but '{first.DisplayName}' already " +
                    "is this project's layout. A project has exactly one layout: remove one attribute, or move the " +
                    "second layout into its own project.",
                    summaries[i].ClassLocation);
            }
            return new EquatableArray<DiagnosticInfo>(list);
        }
    }
}
