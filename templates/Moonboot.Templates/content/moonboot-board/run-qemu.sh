#!/usr/bin/env bash
# Builds MoonbootDevice and runs an update on QEMU's mps2-an386:
#   v1 boots and confirms, receives v2 (update-v2.bin, read through semihosting), requests a trial update and resets;
#   the bootloader exchanges the banks; v2 boots, confirms, and finds no v3: QEMU exits with code 0.
# Needs: apt-get install gcc-arm-none-eabi qemu-system-arm
set -euo pipefail
cd "$(dirname "$0")"
configuration=${CONFIGURATION:-Release}
out=obj/qemu
mkdir -p "$out"

# Version 2 of the application first, into its own object folder: the update to send. (Built first because the
# next build's incremental clean removes outputs it did not write itself.)
dotnet build Application -c "$configuration" -nologo -v q -p:AppVersion=2 \
    -p:MoonbootFirmwareName=MoonbootDevice.Application-v2 -p:MoonbootObjectDirectory=obj/v2/
# The signed image (MCUboot format, Common/Memory.cs's ImageHeaderSize): what the bootloader verifies before it installs.
cp "Application/bin/$configuration/MoonbootDevice.Application-v2.signed.bin" "$out/update-v2.bin"
dotnet build MoonbootDevice.sln -c "$configuration" -nologo -v q

# The flash image: 16 MiB of erased NOR (0xFF) with the bootloader and v1 at their bank offsets from the layout.
header=Bootloader/obj/moonboot/include/moonboot_layout.h
offset() { printf '%d' "$(sed -nE "s/^#define MOONBOOT_$1_BANK_OFFSET (0x[0-9a-fA-F]+)u$/\1/p" "$header")"; }
head -c 16777216 /dev/zero | LC_ALL=C tr '\000' '\377' >"$out/flash.img"
dd if="Bootloader/bin/$configuration/MoonbootDevice.Bootloader.bin" of="$out/flash.img" bs=1024 seek="$(($(offset BOOTLOADER) / 1024))" conv=notrunc status=none
dd if="Application/bin/$configuration/MoonbootDevice.Application.signed.bin" of="$out/flash.img" bs=1024 seek="$(($(offset BOOT) / 1024))" conv=notrunc status=none
# The CPU starts at 0x0: there QEMU restores, at every reset, the bootloader's initial stack pointer and reset vector.
head -c 8 "Bootloader/bin/$configuration/MoonbootDevice.Bootloader.bin" >"$out/boot-alias.bin"

cd "$out"
exec timeout 60 qemu-system-arm -M mps2-an386 -cpu cortex-m4 -display none -monitor none -nodefaults \
    -serial stdio -semihosting-config enable=on,target=native -icount shift=0,align=off,sleep=off \
    -object memory-backend-file,id=flash,mem-path=flash.img,size=16M,share=on -machine memory-backend=flash \
    -device loader,file=boot-alias.bin,addr=0x0,force-raw=on \
    2> >(grep -v 'nic lan9118.0 has no peer' >&2) # the board's Ethernet is unused
