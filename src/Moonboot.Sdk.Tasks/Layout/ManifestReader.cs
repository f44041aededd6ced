using System;
using System.IO;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Moonboot.Layout;

namespace Moonboot.Sdk.Tasks.Layout
{
    /// <summary>
    /// Reads the layout manifest const that the generator compiled into the config assembly, with
    /// System.Reflection.Metadata only: the assembly is never loaded, and the file is read into memory and closed at
    /// once, so no lock outlives the call.
    /// </summary>
    internal static class ManifestReader
    {
        /// <summary>The manifest text, or null when the assembly has no manifest type/field.</summary>
        /// <exception cref="BadImageFormatException">The file is not a .NET assembly.</exception>
        /// <exception cref="IOException">The file cannot be read.</exception>
        public static string? Read(string assemblyPath)
        {
            byte[] image;
            using (var stream = new FileStream(assemblyPath, FileMode.Open, FileAccess.Read,
                       FileShare.ReadWrite | FileShare.Delete))
            {
                image = new byte[stream.Length];
                int read = 0;
                while (read < image.Length)
                {
                    int n = stream.Read(image, read, image.Length - read);
                    if (n == 0) break;
                    read += n;
                }
            }
            using var pe = new PEReader(new MemoryStream(image, writable: false));
            if (!pe.HasMetadata)
            {
                throw new BadImageFormatException("The file has no .NET metadata.");
            }
            var md = pe.GetMetadataReader();
            foreach (var typeHandle in md.TypeDefinitions)
            {
                var type = md.GetTypeDefinition(typeHandle);
                if (!md.StringComparer.Equals(type.Name, LayoutManifest.TypeName)
                    || !md.StringComparer.Equals(type.Namespace, LayoutManifest.TypeNamespace))
                {
                    continue;
                }
                foreach (var fieldHandle in type.GetFields())
                {
                    var field = md.GetFieldDefinition(fieldHandle);
                    if (!md.StringComparer.Equals(field.Name, LayoutManifest.FieldName)) continue;
                    var constantHandle = field.GetDefaultValue();
                    if (constantHandle.IsNil) return null;
                    var constant = md.GetConstant(constantHandle);
                    if (constant.TypeCode != ConstantTypeCode.String) return null;
                    var blob = md.GetBlobReader(constant.Value);
                    return blob.ReadUTF16(blob.Length);
                }
            }
            return null;
        }
    }
}
