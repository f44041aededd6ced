namespace Moonboot.Generators.Tests
{
    /// <summary>Configs of real parts, as a user writes them.</summary>
    internal static class Layouts
    {
        /// <summary>The seed config of issue 2 (STM32L4, 2 KiB pages).</summary>
        public const string Seed = """
            using Moonboot;

            [MoonbootConfig(FlashOrigin = 0x0800_0000, RamOrigin = 0x2000_0000, PageSize = 2048)]
            public static partial class Memory
            {
                public const uint BootloaderSize = 32 * 1024;
                public const uint BankSize = 112 * 1024;
                public const uint RamSize = 160 * 1024;

                [Bank(BankRole.Bootloader, Location = 0)]                         public const uint Bootloader = BootloaderSize;
                [Bank(BankRole.Boot,       Location = BootloaderSize)]            public const uint Boot = BankSize;
                [Bank(BankRole.Update,     Location = BootloaderSize + BankSize)] public const uint Update = BankSize;
                [Bank(BankRole.Ram,        Location = 0)]                         public const uint Ram = RamSize;
            }
            """;

        /// <summary>nRF52840: flash at 0x0, 4 KiB pages, 4-byte words; update bank one page larger than boot.</summary>
        public const string FourKiBPagesAtZero = """
            using Moonboot;

            namespace Nrf52.Board
            {
                [MoonbootConfig(FlashOrigin = 0x0000_0000, RamOrigin = 0x2000_0000, PageSize = 4 * 1024, WriteSize = 4)]
                internal static partial class Nrf52Layout
                {
                    private const uint Page = 4 * 1024;
                    private const uint App = 120 * Page;

                    [Bank(BankRole.Bootloader, Location = 0)]              public const uint Loader = 12 * Page;
                    [Bank(BankRole.Boot,       Location = Loader)]         public const uint Application = App;
                    [Bank(BankRole.Update,     Location = Loader + App)]   public const uint Download = App + Page;
                    [Bank(BankRole.Ram,        Location = 0)]              public const uint Sram = 256 * 1024;
                }
            }
            """;

        /// <summary>STM32L4 with the update bank (and a scratch area) on an external QSPI NOR flash.</summary>
        public const string ExternalUpdateFlash = """
            using Moonboot;

            namespace Board;

            [MoonbootConfig(FlashOrigin = 0x0800_0000, RamOrigin = 0x2000_0000, PageSize = 2048, WriteSize = 8)]
            public static partial class QspiLayout
            {
                public const uint FlashSize = 1024 * 1024;
                public const uint LoaderSize = 64 * 1024;

                [Bank(BankRole.Bootloader, Location = 0)]                                     public const uint Bootloader = LoaderSize;
                [Bank(BankRole.Boot,       Location = LoaderSize)]                            public const uint Boot = FlashSize - LoaderSize;
                [Bank(BankRole.Update,     Location = 0, Unit = MemoryUnit.External)]         public const uint Update = FlashSize - LoaderSize + 2048;
                [Bank(BankRole.Scratch,    Location = 0x0100_0000, Unit = MemoryUnit.External)] public const uint Scratch = 64 * 1024;
                [Bank(BankRole.Ram,        Location = 0)]                                     public const uint Ram = 96 * 1024;
            }
            """;

        /// <summary>STM32F103 (1 KiB pages, half-word programming) without the RAM-state section.</summary>
        public const string NoRamState = """
            using Moonboot;

            namespace BluePill;

            [MoonbootConfig(FlashOrigin = 0x0800_0000, RamOrigin = 0x2000_0000, PageSize = 1 << 10, WriteSize = 2, HasRamState = false)]
            public static partial class Memory
            {
                [Bank(BankRole.Bootloader)]                  public const uint Bootloader = 16 * 1024;
                [Bank(BankRole.Boot, Location = 0x4000)]     public const uint Boot = 56 * 1024;
                [Bank(BankRole.Update, Location = 0x12000)]  public const uint Update = 56 * 1024;
                [Bank(BankRole.Ram)]                         public const uint Ram = 20 * 1024;
            }
            """;

        /// <summary>The seed with a State journal bank (two pages) at the end of flash.</summary>
        public const string StateBank = """
            using Moonboot;

            namespace Demo;

            [MoonbootConfig(FlashOrigin = 0x0800_0000, RamOrigin = 0x2000_0000, PageSize = 2048)]
            public static partial class Memory
            {
                public const uint BootloaderSize = 32 * 1024;
                public const uint BankSize = 110 * 1024;

                [Bank(BankRole.Bootloader, Location = 0)]                              public const uint Bootloader = BootloaderSize;
                [Bank(BankRole.Boot,       Location = BootloaderSize)]                 public const uint Boot = BankSize;
                [Bank(BankRole.Update,     Location = BootloaderSize + BankSize)]      public const uint Update = BankSize + 2048;
                [Bank(BankRole.State,      Location = BootloaderSize + 2 * BankSize + 2048)] public const uint Journal = 3 * 2048;
                [Bank(BankRole.Ram,        Location = 0)]                              public const uint Ram = 160 * 1024;
            }
            """;
    }
}
