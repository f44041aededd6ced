using System;
using System.IO;
using System.Collections.Generic;
using System.Linq;
using System.Xml;
using System.Xml.Linq;
using Moonboot.Layout;
using Moonboot.Sdk.Tasks.Layout;

namespace Moonboot.Imaging
{
    /// <summary>
    /// Finds the layout of a Moonboot config: a layout.txt, a built config assembly (the manifest const the generator
    /// compiles into it), or a config project (folder or .csproj), whose newest built assembly is read, or failing that
    /// the layout.txt its build wrote under obj/. The project is never built here: a stale build would be worse than a
    /// clear message.
    /// </summary>
    public static class LayoutLoader
    {
        public static ImageLayout Load(string path)
        {
            if (Directory.Exists(path)) return FromProject(FindProjectFile(path));
            if (!File.Exists(path))
            {
                throw new MoonbootException(MoonbootError.LayoutNotFound,
                    $"layout '{path}' does not exist (give a config project folder or .csproj, its built .dll, or a layout.txt)");
            }
            string ext = Path.GetExtension(path).ToLowerInvariant();
            if (ext == ".csproj") return FromProject(path);
            if (ext == ".dll" || ext == ".exe") return FromAssembly(path);
            return ImageLayout.FromManifest(ReadText(path), path);
        }

        public static ImageLayout FromAssembly(string path)
        {
            string? manifest;
            try
            {
                manifest = ManifestReader.Read(path);
            }
            catch (BadImageFormatException)
            {
                throw new MoonbootException(MoonbootError.LayoutFormat, $"'{path}' is not a .NET assembly");
            }
            catch (IOException e)
            {
                throw new MoonbootException(MoonbootError.FileUnreadable, $"'{path}' cannot be read: {e.Message}");
            }
            if (manifest == null)
            {
                throw new MoonbootException(MoonbootError.LayoutFormat,
                    $"'{path}' has no {LayoutManifest.TypeNamespace}.{LayoutManifest.TypeName}: it is not a Moonboot config assembly (one with a [MoonbootConfig] class)");
            }
            return ImageLayout.FromManifest(manifest, path);
        }

        private static string FindProjectFile(string folder)
        {
            var projects = Directory.GetFiles(folder, "*.csproj");
            if (projects.Length == 1) return projects[0];
            throw new MoonbootException(MoonbootError.LayoutNotFound, projects.Length == 0
                ? $"folder '{folder}' has no .csproj: give the config project's folder, its .dll or a layout.txt"
                : $"folder '{folder}' has {projects.Length} projects: name the .csproj");
        }

        private static ImageLayout FromProject(string csproj, int depth = 0)
        {
            string folder = Path.GetDirectoryName(Path.GetFullPath(csproj))!;
            string name = Path.GetFileNameWithoutExtension(csproj);
            string bin = Path.Combine(folder, "bin");
            var assembly = Directory.Exists(bin)
                ? Directory.GetFiles(bin, name + ".dll", SearchOption.AllDirectories)
                    .Where(p => !p.Contains(Path.DirectorySeparatorChar + "ref" + Path.DirectorySeparatorChar))
                    .OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
                : null;
            if (assembly != null) return FromAssembly(assembly);
            string obj = Path.Combine(folder, "obj");
            var layoutTxt = Directory.Exists(obj)
                ? Directory.GetFiles(obj, "layout.txt", SearchOption.AllDirectories)
                    .Where(p => Path.GetFileName(Path.GetDirectoryName(p)) == "moonboot")
                    .OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
                : null;
            if (layoutTxt != null) return ImageLayout.FromManifest(ReadText(layoutTxt), layoutTxt);
            // A firmware project (bootloader, application) takes its layout from the config project it references.
            if (depth == 0)
            {
                foreach (var reference in ProjectReferences(csproj))
                {
                    if (File.Exists(reference)) return FromProject(reference, depth + 1);
                }
            }
            throw new MoonbootException(MoonbootError.ProjectNotBuilt,
                $"project '{csproj}' has not been built (no bin/**/{name}.dll): run 'dotnet build {csproj}' first");
        }

        private static IEnumerable<string> ProjectReferences(string csproj)
        {
            XDocument project;
            try
            {
                project = XDocument.Load(csproj);
            }
            catch (Exception e) when (e is XmlException || e is IOException)
            {
                yield break;
            }
            string folder = Path.GetDirectoryName(Path.GetFullPath(csproj))!;
            foreach (var element in project.Descendants().Where(e => e.Name.LocalName == "ProjectReference"))
            {
                var include = (string?)element.Attribute("Include");
                if (!string.IsNullOrEmpty(include)) yield return Path.GetFullPath(Path.Combine(folder, include!.Replace('\\', Path.DirectorySeparatorChar)));
            }
        }

        private static string ReadText(string path)
        {
            try
            {
                return File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new MoonbootException(MoonbootError.FileUnreadable, $"'{path}' cannot be read: {e.Message}");
            }
        }
    }
}
