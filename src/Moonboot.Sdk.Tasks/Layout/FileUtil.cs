using System.IO;
using System.Text;

namespace Moonboot.Sdk.Tasks.Layout
{
    internal static class FileUtil
    {
        /// <summary>UTF-8 without BOM, "\n" line ends: generated files are byte-identical on every host.</summary>
        public static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

        /// <summary>Writes <paramref name="text"/> unless the file already holds exactly it. True when written.</summary>
        public static bool WriteIfDifferent(string path, string text)
        {
            byte[] bytes = Utf8.GetBytes(text);
            if (File.Exists(path))
            {
                byte[] existing = File.ReadAllBytes(path);
                if (Equal(existing, bytes)) return false;
            }
            string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
            File.WriteAllBytes(path, bytes);
            return true;
        }

        private static bool Equal(byte[] a, byte[] b)
        {
            if (a.Length != b.Length) return false;
            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i]) return false;
            }
            return true;
        }
    }
}
