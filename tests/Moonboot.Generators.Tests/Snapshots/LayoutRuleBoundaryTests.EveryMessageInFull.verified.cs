## overlap
MB0001 Error Bank Update
Bank 'Update' (0x08023800..0x0803F800) overlaps bank 'Boot' (0x08008000..0x08024000) on internal flash. Move 'Update' to Location 0x00024000 or later, or shrink 'Boot'.
## location
MB0002 Error Bank Update [147456,149504]
Bank 'Update' starts at offset 0x00024100 (0x08024100), which is not a multiple of PageSize 2048: a page erase would hit its neighbour. Use Location 0x00024000 or 0x00024800.
## size
MB0003 Error Bank Update [114688,116736]
Bank 'Update' is 114944 bytes, not a multiple of PageSize 2048. Use 114688 or 116736 bytes.
## page size
MB0004 Error ConfigProperty PageSize
PageSize 3000 is not a power of two; flash erase pages are powers of two such as 2048 or 4096. Use the erase page size from the part's reference manual.
## page size 0
MB0004 Error ConfigProperty PageSize
PageSize 0 is not a power of two; flash erase pages are never 0. Use the erase page size from the part's reference manual.
## no update bank
MB0005 Error ConfigClass Memory
The layout 'Memory' has no Update bank. Add one: [Bank(BankRole.Update, Location = ...)] public const uint Update = <size in bytes>;
## update smaller
MB0006 Error Bank Update
Update bank 'Update' is 65536 bytes (64 KiB), smaller than boot bank 'Boot' (114688 bytes (112 KiB)): the update bank must be at least 114688 bytes (112 KiB), and 116736 bytes (114 KiB) (one page more) to let an image fill the whole boot bank.
## bootloader moved
MB0007 Warning Bank Bootloader
Bootloader bank 'Bootloader' starts at 0x08001000, not at FlashOrigin 0x08000000: most parts start executing at the start of flash, so make sure yours boots from this address (or set Location = 0).
## RAM state
MB0008 Error Bank Ram
RAM bank 'Ram' is 32 bytes, but the RAM state alone takes 32 bytes at its top. Enlarge the RAM bank or set HasRamState = false.
## past 4 GiB
MB0009 Error Bank Spare
Bank 'Spare' (0xFFFFF800..0x100000800) runs past the end of the 32-bit address space at 0x100000000 by 2048 bytes (2 KiB). Check its Location and size, and the config's origin.
## write size
MB0013 Error ConfigProperty WriteSize
WriteSize 3 is not a valid program granule: use 1, 2, 4, 8 or 16 bytes, no larger than PageSize (STM32L4: 8, nRF52: 4, STM32H7: 32 is not supported yet).
## duplicate
MB0014 Error Bank Update2
Bank 'Update2' has role Update, which bank 'Update' already has; a layout has at most one bank per role.
## state one page
MB0015 Error Bank Journal
State bank 'Journal' is 2048 bytes (2 KiB): the journal needs at least two pages (4096 bytes (4 KiB)) so one always holds the state while the other is erased.
## empty
MB0016 Error Bank Spare
Bank 'Spare' has size 0; give it its size in bytes.
## erased value
MB0017 Error ConfigProperty ErasedValue
ErasedValue 0x000000AA is neither 0xFF (NOR flash) nor 0x00.
## external boot
MB0018 Error Bank Boot
Bank 'Boot' has role Boot but Unit = MemoryUnit.External: the CPU executes the bootloader and boot banks in place and uses RAM directly, so they must be internal. Only Update, State and Scratch banks may live on external flash.
## no room
MB0019 Error Bank Update
Update bank 'Update' is 2048 bytes (2 KiB): the exchange keeps one spare page of 2048 bytes (2 KiB) in it, which leaves no room for an image. Give the update bank at least two pages.
## RAM misaligned
MB0020 Error Bank Ram
RAM bank 'Ram' (0x20000004..0x20028004) must start and end on an 8-byte boundary: the stack starts at its top (AAPCS requires 8-byte alignment) and the RAM state sits there.
## state wear
MB0024 Warning Bank Journal
State bank 'Journal' has 2 pages, but an exchange of the largest image (55 pages) writes up to 112 journal records of 32 bytes, so its pages would be erased more often than the bank pages and wear out first. Give it 3 pages: 6144 bytes (6 KiB).
## page below record
MB0025 Error ConfigProperty PageSize
PageSize 16 is smaller than the runtime's 32-byte journal record, so the bootloader would refuse the layout at boot (moonboot_init). Use the part's erase page size; parts whose pages are smaller than 32 bytes are not supported.
## header unaligned
MB0026 Error ConfigProperty ImageHeaderSize
ImageHeaderSize 0x00000120 is not a multiple of 128 between 128 and 0x0000FF80: the application's vector table sits right after the header, and VTOR needs it aligned (128 bytes for up to 32 vectors; use a multiple of the table's own alignment, e.g. 0x200 for up to 128 vectors). Use 0x00000100 or 0x00000180, or 0 for CRC-only images.
## header too large
MB0026 Error ConfigProperty ImageHeaderSize
ImageHeaderSize 0x00000780 plus the 156-byte TLV area of a signed image leaves no room for an application in the largest image the exchange moves (2048 bytes (2 KiB)). Use a smaller header (0x200 is usual) or larger banks.
