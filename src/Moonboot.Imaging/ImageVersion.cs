using System;
using System.Globalization;

namespace Moonboot.Imaging
{
    /// <summary>MCUboot's image version: major.minor.revision+build (8, 8, 16 and 32 bits).</summary>
    public readonly struct ImageVersion : IEquatable<ImageVersion>
    {
        public ImageVersion(byte major, byte minor, ushort revision, uint build)
        {
            Major = major; Minor = minor; Revision = revision; Build = build;
        }

        public byte Major { get; }
        public byte Minor { get; }
        public ushort Revision { get; }
        public uint Build { get; }

        /// <summary>Parses "1", "1.2", "1.2.3" or "1.2.3+4", as imgtool's -v does; a bad string is MBT1004.</summary>
        public static ImageVersion Parse(string text)
        {
            string main = text;
            uint build = 0;
            int plus = text.IndexOf('+');
            if (plus >= 0)
            {
                main = text.Substring(0, plus);
                build = ParsePart(text.Substring(plus + 1), uint.MaxValue, text, "build");
            }
            var parts = main.Split('.');
            if (parts.Length > 3)
            {
                throw Bad(text);
            }
            byte major = (byte)ParsePart(parts[0], byte.MaxValue, text, "major");
            byte minor = parts.Length > 1 ? (byte)ParsePart(parts[1], byte.MaxValue, text, "minor") : (byte)0;
            ushort revision = parts.Length > 2 ? (ushort)ParsePart(parts[2], ushort.MaxValue, text, "revision") : (ushort)0;
            return new ImageVersion(major, minor, revision, build);
        }

        private static uint ParsePart(string part, uint max, string text, string name)
        {
            if (part.Length == 0 || !uint.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out uint value))
            {
                throw Bad(text);
            }
            if (value > max)
            {
                throw new MoonbootException(MoonbootError.BadArgument,
                    $"version '{text}': the {name} number {value} is larger than {max}");
            }
            return value;
        }

        private static MoonbootException Bad(string text) =>
            new MoonbootException(MoonbootError.BadArgument,
                $"version '{text}' is not major[.minor[.revision]][+build], e.g. 1.2.3+4");

        public override string ToString() =>
            string.Format(CultureInfo.InvariantCulture, "{0}.{1}.{2}+{3}", Major, Minor, Revision, Build);

        public bool Equals(ImageVersion other) =>
            Major == other.Major && Minor == other.Minor && Revision == other.Revision && Build == other.Build;

        public override bool Equals(object? obj) => obj is ImageVersion other && Equals(other);

        public override int GetHashCode() => (Major << 24) ^ (Minor << 16) ^ Revision ^ (int)Build;
    }
}
