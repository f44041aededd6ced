# file: journal.c  scenario: update+confirm  geometries: 35,41
# An unreadable journal slot (ECC error of a torn record) stops the scan instead of counting as torn.
s/return rc == MOONBOOT_FLASH_ERROR_READ \? MOONBOOT_OK : rc;/return rc;/
s/continue; \/\* an interrupted erase or program: no record \*\//return rc;/
