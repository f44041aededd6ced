using Moonboot.Layout;

namespace Moonboot.Generators
{
    /// <summary>
    /// Everything the generator learned from one [MoonbootConfig] class, as plain values: no symbols, syntax nodes,
    /// Locations or compilations, so the pipeline can compare it with the previous run and skip unchanged work.
    /// </summary>
    /// <param name="Namespace">The class's namespace, "" for the global namespace.</param>
    /// <param name="ClassName">The class's simple name.</param>
    /// <param name="DisplayName">The fully qualified name, for messages.</param>
    /// <param name="ClassLocation">The class identifier, where class-level diagnostics go.</param>
    /// <param name="CanEmit">False when a declaration rule is broken (not partial, not static, nested, name taken,
    /// a [Bank] that is not a const uint): then nothing is added to the class.</param>
    /// <param name="Spec">The declared layout; null when it could not be read completely.</param>
    /// <param name="HasLayoutErrors">True when <see cref="LayoutRules.Validate"/> found an error.</param>
    /// <param name="Diagnostics">Every diagnostic of this class, declaration and layout rules alike.</param>
    internal sealed record ConfigModel(
        string Namespace,
        string ClassName,
        string DisplayName,
        LocationInfo? ClassLocation,
        bool CanEmit,
        LayoutSpec? Spec,
        bool HasLayoutErrors,
        EquatableArray<DiagnosticInfo> Diagnostics)
    {
        /// <summary>What the constants emitter needs; null when nothing may be emitted. Carries no locations, so
        /// edits that only move the class around do not regenerate its source.</summary>
        public GenerationModel? ToGeneration() =>
            CanEmit && Spec is not null ? new GenerationModel(Namespace, ClassName, Spec) : null;

        /// <summary>The spec worth a manifest: complete and free of errors.</summary>
        public LayoutSpec? ValidSpec => CanEmit && Spec is not null && !HasLayoutErrors ? Spec : null;

        /// <summary>A second [MoonbootConfig] on another part of the same partial class (compiler error CS0579).</summary>
        public bool IsRepeatedAttribute { get; init; }

        public ConfigSummary? ToSummary() => IsRepeatedAttribute ? null : new(DisplayName, ClassLocation, ValidSpec);
    }

    /// <summary>Input of the constants emitter.</summary>
    internal sealed record GenerationModel(string Namespace, string ClassName, LayoutSpec Spec);

    /// <summary>One config class as the project-wide steps see it (MB0010, the manifest).</summary>
    internal sealed record ConfigSummary(string DisplayName, LocationInfo? ClassLocation, LayoutSpec? ValidSpec);
}
