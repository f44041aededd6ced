using System.Reflection;
using System.Reflection.Emit;
using Moonboot.Layout;

namespace Moonboot.Sdk.Tasks.Tests;

/// <summary>Writes small real assemblies to disk, shaped like a compiled config project.</summary>
internal static class TestAssemblies
{
    /// <summary>An assembly with <c>Moonboot.Generated.MoonbootLayoutManifest.Text</c> = <paramref name="manifest"/>,
    /// or without that type when <paramref name="manifest"/> is null.</summary>
    public static void Write(string path, string? manifest)
    {
        var builder = new PersistedAssemblyBuilder(new AssemblyName("TestConfig"), typeof(object).Assembly);
        var module = builder.DefineDynamicModule("TestConfig");
        var other = module.DefineType("TestConfig.Memory", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed);
        other.DefineField("Boot", typeof(uint), FieldAttributes.Public | FieldAttributes.Static | FieldAttributes.Literal)
            .SetConstant(114688u);
        other.CreateType();
        if (manifest is not null)
        {
            var type = module.DefineType(LayoutManifest.TypeNamespace + "." + LayoutManifest.TypeName,
                TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed);
            type.DefineField(LayoutManifest.FieldName, typeof(string),
                FieldAttributes.Public | FieldAttributes.Static | FieldAttributes.Literal).SetConstant(manifest);
            type.CreateType();
        }
        builder.Save(path);
    }
}
