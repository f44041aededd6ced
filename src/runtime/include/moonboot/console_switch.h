/* The board console's off switch, shared by every board's moonboot_board.h (include it after the console's
 * declarations). MoonbootDefine MOONBOOT_CONSOLE=0 compiles every message of the firmware out (the calls and their
 * strings): a production bootloader without a console, the way bootloader sizes are usually compared. The console's
 * own file #undefs MOONBOOT_CONSOLE and still defines the functions. */
#ifndef MOONBOOT_CONSOLE_SWITCH_H
#define MOONBOOT_CONSOLE_SWITCH_H

#if defined(MOONBOOT_CONSOLE) && !MOONBOOT_CONSOLE
#define moonboot_board_putc(c) ((void)(c))
#define moonboot_board_puts(s) ((void)(s))
#define moonboot_board_put_hex(v) ((void)(v))
#define moonboot_board_put_dec(v) ((void)(v))
#endif

#endif
