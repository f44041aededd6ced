using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Moonboot.Layout;

namespace Moonboot.Generators
{
    /// <summary>
    /// Reads one [MoonbootConfig] class into a <see cref="ConfigModel"/>: checks the declaration rules, evaluates the
    /// attribute arguments and bank consts (the compiler has already folded every constant expression), validates
    /// the layout with the shared <see cref="LayoutRules"/>, and places each diagnostic on the token it is about.
    /// </summary>
    internal static class ConfigReader
    {
        public const string ConfigAttributeName = "Moonboot.MoonbootConfigAttribute";
        public const string BankAttributeName = "Moonboot.BankAttribute";

        /// <summary>Nested class name the generator emits for a bank role.</summary>
        public static string BankClassName(BankRole role) => role.ToString() + "Bank";

        public const string GeometryClassName = "Geometry";
        public const string LayoutPropertyName = "Layout";

        private sealed class BankSites
        {
            public LocationInfo? Declarator;
            public LocationInfo? LocationArgument;
            public LocationInfo? UnitArgument;
        }

        /// <summary>The generator's entry: the node ForAttributeWithMetadataName found.</summary>
        public static ConfigModel Read(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
            Read((TypeDeclarationSyntax)context.TargetNode, (INamedTypeSymbol)context.TargetSymbol,
                context.Attributes[0], context.SemanticModel.Compilation, cancellationToken);

        /// <summary>Reads one class declaration that carries <paramref name="attribute"/>; the analyzer and the
        /// generator both come through here, so they agree on every rule and every location.</summary>
        /// <remarks>No pattern variables behind ||, &amp;&amp; or ?: here: Stryker.NET flips those operators, and a mutant that
        /// leaves a variable unassigned (CS0165) makes it drop every mutant of the method (build/mutants-dotnet.sh).</remarks>
        public static ConfigModel Read(TypeDeclarationSyntax syntax, INamedTypeSymbol type, AttributeData attribute,
            Compilation compilation, CancellationToken cancellationToken)
        {
            var diagnostics = new List<DiagnosticInfo>();
            var classLocation = LocationInfo.From(syntax.Identifier);
            string name = type.Name;
            string display = type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
            var containing = type.ContainingNamespace;
            string ns = containing is null || containing.IsGlobalNamespace
                ? ""
                : containing.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
            bool canEmit = true;

            // [MoonbootConfig] on two parts of one partial class: the compiler reports CS0579; only the first part
            // speaks for the class, so the layout is neither generated nor reported twice.
            var first = type.GetAttributes().FirstOrDefault(a =>
                a.AttributeClass?.ToDisplayString() == ConfigAttributeName && a.ApplicationSyntaxReference is not null);
            var firstReference = first?.ApplicationSyntaxReference;
            var thisReference = attribute.ApplicationSyntaxReference;
            if (firstReference is not null && thisReference is not null
                && (firstReference.SyntaxTree != thisReference.SyntaxTree || firstReference.Span != thisReference.Span))
            {
                return new ConfigModel(ns, name, display, classLocation, CanEmit: false, Spec: null,
                    HasLayoutErrors: false, EquatableArray<DiagnosticInfo>.Empty) { IsRepeatedAttribute = true };
            }

            void Report(LayoutRule rule, string message, LocationInfo? location) =>
                diagnostics.Add(new DiagnosticInfo(rule.Id, message, location, null));

            // Declaration rules.
            if (type.ContainingType is not null || type.TypeParameters.Length > 0)
            {
                canEmit = false;
                Report(LayoutRule.ConfigNested,
                    type.ContainingType is not null
                        ? $"The [MoonbootConfig] class '{display}' is nested in '{type.ContainingType.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)}'; declare it as a top-level class in a namespace."
                        : $"The [MoonbootConfig] class '{display}' is generic; a layout is one fixed set of constants, so remove the type parameters.",
                    classLocation);
            }
            if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                canEmit = false;
                Report(LayoutRule.ConfigNotPartial,
                    $"The [MoonbootConfig] class '{display}' must be partial so the generator can add the bank constants to it: declare it 'public static partial class {name}'.",
                    classLocation);
            }
            if (!type.IsStatic)
            {
                canEmit = false;
                Report(LayoutRule.ConfigNotStatic,
                    $"The [MoonbootConfig] class '{display}' must be static: it only holds constants. Declare it 'public static partial class {name}'.",
                    classLocation);
            }

            // [MoonbootConfig] arguments, with the location of each named argument.
            bool complete = true;
            var attributeSyntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
            var propertySites = NamedArgumentSites(attributeSyntax);
            ulong flashOrigin = 0, ramOrigin = 0;
            ulong pageSize = LayoutDefaults.PageSize, writeSize = LayoutDefaults.WriteSize;
            ulong erasedValue = LayoutDefaults.ErasedValue;
            bool hasRamState = LayoutDefaults.HasRamState;
            ulong imageHeaderSize = LayoutDefaults.ImageHeaderSize;
            foreach (var argument in attribute.NamedArguments)
            {
                var value = argument.Value;
                if (value.Kind == TypedConstantKind.Error || value.Value is null)
                {
                    complete = false;
                    continue;
                }
                // Stryker disable String : Stryker.NET compiles every mutant into one assembly, and a case label must be
                // a constant, so it cannot switch an emptied label on at run time: these mutants only fail to compile.
                switch (argument.Key)
                {
                    case "FlashOrigin": flashOrigin = ToULong(value.Value); break;
                    case "RamOrigin": ramOrigin = ToULong(value.Value); break;
                    case "PageSize": pageSize = ToULong(value.Value); break;
                    case "WriteSize": writeSize = ToULong(value.Value); break;
                    case "ErasedValue": erasedValue = ToULong(value.Value); break;
                    case "HasRamState": hasRamState = Equals(value.Value, true); break;
                    case "ImageHeaderSize": imageHeaderSize = ToULong(value.Value); break;
                }
                // Stryker restore String
            }

            // Banks, in declaration order.
            var bankAttributeType = compilation.GetTypeByMetadataName(BankAttributeName);
            var banks = new List<LayoutBankSpec>();
            var bankSites = new Dictionary<string, BankSites>(StringComparer.Ordinal);
            foreach (var member in type.GetMembers())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var field = member as IFieldSymbol;
                if (field is null) continue;
                var bankAttribute = field.GetAttributes().FirstOrDefault(a =>
                    SymbolEqualityComparer.Default.Equals(a.AttributeClass, bankAttributeType));
                if (bankAttribute is null) continue;

                // The field's location is its name in the declarator.
                var sites = new BankSites { Declarator = LocationInfo.From(field.Locations.FirstOrDefault()) };
                var bankSyntax = bankAttribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
                var bankArguments = NamedArgumentSites(bankSyntax);
                // A rule about a bank's Location or Unit only fires on a value the user wrote (the defaults, offset 0 on
                // internal memory, break none), so the fallback to the bank's name is there for safety only.
                sites.LocationArgument = SiteOf(bankArguments, "Location", sites.Declarator);
                sites.UnitArgument = SiteOf(bankArguments, "Unit", sites.Declarator);

                if (!field.IsConst || field.Type.SpecialType != SpecialType.System_UInt32)
                {
                    canEmit = false;
                    complete = false;
                    Report(LayoutRule.BankNotConstUInt,
                        $"[Bank] is on {Describe(field)} '{field.Name}', but a bank is a const uint whose value is its size in bytes: 'public const uint {field.Name} = 64 * 1024;'.",
                        sites.Declarator);
                    continue;
                }
                var sizeValue = field.ConstantValue as uint?; // null when the constant does not compile
                var roleArgument = bankAttribute.ConstructorArguments.Length == 1 ? bankAttribute.ConstructorArguments[0] : default;
                var roleValue = roleArgument.Kind == TypedConstantKind.Error ? null : roleArgument.Value as int?;
                if (roleValue is null)
                {
                    // The compiler reports the broken argument itself.
                    complete = false;
                    continue;
                }
                // A cast the compiler accepts, [Bank((BankRole)42)] or Unit = (MemoryUnit)7, names no bank: MB0027
                // says so at the argument, and the layout is neither checked nor generated.
                bool defined = ReportUndefined(LayoutRules.CheckRole(field.Name, roleValue.Value),
                    LocationInfo.From(RoleArgument(bankSyntax)) ?? sites.Declarator, diagnostics);
                ulong location = 0;
                int unitValue = (int)MemoryUnit.Internal;
                foreach (var argument in bankAttribute.NamedArguments)
                {
                    if (argument.Value.Kind == TypedConstantKind.Error || argument.Value.Value is null)
                    {
                        complete = false;
                        continue;
                    }
                    if (argument.Key == "Location") location = ToULong(argument.Value.Value);
                    else if (argument.Key == "Unit") unitValue = Convert.ToInt32(argument.Value.Value, System.Globalization.CultureInfo.InvariantCulture);
                }
                if (!ReportUndefined(LayoutRules.CheckUnit(field.Name, unitValue), sites.UnitArgument, diagnostics)) defined = false;
                if (sizeValue is null || !defined)
                {
                    // The compiler reports a broken constant itself.
                    complete = false;
                    continue;
                }
                banks.Add(new LayoutBankSpec(field.Name, (BankRole)roleValue.Value, (MemoryUnit)unitValue, location, sizeValue.Value));
                bankSites[field.Name] = sites;
            }

            // The names the generator adds must be free.
            var generatedNames = new List<string> { GeometryClassName, LayoutPropertyName };
            foreach (var bank in banks)
            {
                string bankClass = BankClassName(bank.Role);
                if (!generatedNames.Contains(bankClass)) generatedNames.Add(bankClass);
            }
            foreach (var generated in generatedNames)
            {
                // The generator's own members (seen by the analyzer, which runs on the generated trees too) do not count.
                var taken = type.GetMembers(generated).FirstOrDefault(m => !m.IsImplicitlyDeclared
                    && !m.DeclaringSyntaxReferences.All(r => r.SyntaxTree.FilePath.EndsWith(LayoutEmitter.HintSuffix, StringComparison.Ordinal)));
                if (taken is null) continue;
                canEmit = false;
                string purpose = generated == GeometryClassName ? "the page size, image size and RAM-state constants"
                    : generated == LayoutPropertyName ? "the read-only layout object"
                    : "the constants of the " + generated.Substring(0, generated.Length - 4) + " bank";
                Report(LayoutRule.GeneratedNameTaken,
                    $"The generator adds '{generated}' to '{display}' ({purpose}), but '{display}' already declares {Describe(taken)} '{generated}'. Rename yours.",
                    LocationInfo.From(taken.Locations.FirstOrDefault()) ?? classLocation);
            }

            // The layout rules, shared with the SDK's tasks.
            LayoutSpec? spec = null;
            bool hasLayoutErrors = false;
            if (complete)
            {
                spec = new LayoutSpec(name, flashOrigin, ramOrigin, pageSize, writeSize, erasedValue, hasRamState, banks, imageHeaderSize);
                foreach (var issue in LayoutRules.Validate(spec))
                {
                    if (issue.Severity == LayoutIssueSeverity.Error) hasLayoutErrors = true;
                    LocationInfo? location = issue.Target switch
                    {
                        // The defaults break no rule, so a property rule is about a value written in the attribute.
                        LayoutIssueTarget.ConfigProperty => SiteOf(propertySites, issue.TargetName, classLocation),
                        LayoutIssueTarget.Bank when bankSites.TryGetValue(issue.TargetName, out var sites) =>
                            BankSite(issue, spec, sites),
                        _ => classLocation,
                    };
                    diagnostics.Add(new DiagnosticInfo(issue.Id, issue.Message, location, issue.Suggestions));
                }
            }

            return new ConfigModel(ns, name, display, classLocation, canEmit, spec, hasLayoutErrors,
                new EquatableArray<DiagnosticInfo>(diagnostics.ToArray()));
        }

        /// <summary>Location rules point at the Location (or Unit) argument, the others at the bank's name.</summary>
        private static LocationInfo? BankSite(LayoutIssue issue, LayoutSpec spec, BankSites sites)
        {
            if (issue.Rule == LayoutRule.LocationNotPageAligned) return sites.LocationArgument;
            if (issue.Rule == LayoutRule.BankMustBeInternal) return sites.UnitArgument;
            if (issue.Rule == LayoutRule.BootloaderNotAtStart)
            {
                var bank = spec.Banks.First(b => b.Name == issue.TargetName);
                return bank.Location != 0 ? sites.LocationArgument : sites.UnitArgument;
            }
            return sites.Declarator;
        }

        /// <summary>Adds an MB0027 issue, if any, at <paramref name="site"/>; true when the value is defined.</summary>
        private static bool ReportUndefined(LayoutIssue? issue, LocationInfo? site, List<DiagnosticInfo> diagnostics)
        {
            if (issue is null) return true;
            diagnostics.Add(new DiagnosticInfo(issue.Id, issue.Message, site, issue.Suggestions));
            return false;
        }

        /// <summary>The role: the [Bank] argument without a name (or with 'role:').</summary>
        private static AttributeArgumentSyntax? RoleArgument(AttributeSyntax? attribute) =>
            attribute?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals is null);

        private static LocationInfo? SiteOf(Dictionary<string, LocationInfo?> sites, string name, LocationInfo? fallback)
        {
            if (!sites.TryGetValue(name, out var site)) site = fallback;
            return site;
        }

        private static Dictionary<string, LocationInfo?> NamedArgumentSites(AttributeSyntax? attribute)
        {
            var sites = new Dictionary<string, LocationInfo?>(StringComparer.Ordinal);
            if (attribute?.ArgumentList is null) return sites;
            foreach (var argument in attribute.ArgumentList.Arguments)
            {
                var nameEquals = argument.NameEquals;
                if (nameEquals is not null)
                {
                    sites[nameEquals.Name.Identifier.ValueText] = LocationInfo.From(argument);
                }
            }
            return sites;
        }

        private static ulong ToULong(object value) => value switch
        {
            uint u => u,
            int i => unchecked((ulong)(uint)i),
            ulong ul => ul,
            byte by => by,
            _ => Convert.ToUInt64(value, System.Globalization.CultureInfo.InvariantCulture),
        };

        private static string Describe(ISymbol symbol)
        {
            var format = SymbolDisplayFormat.CSharpErrorMessageFormat;
            switch (symbol)
            {
                case IFieldSymbol field:
                    string type = field.Type.ToDisplayString(format);
                    if (field.IsConst) return "a const " + type;
                    if (field.IsStatic && field.IsReadOnly) return "a static readonly " + type + " field";
                    if (field.IsStatic) return "a static " + type + " field";
                    return "a " + type + " field";
                case IPropertySymbol: return "a property";
                case IMethodSymbol: return "a method";
                case INamedTypeSymbol: return "a nested type";
                case IEventSymbol: return "an event";
                default: return "a member";
            }
        }
    }
}
