# file: common.c  scenario: update+confirm  geometries: 0,9,35
# A copied page is not read back: a weak cell in a saved old page is vouched for by the next record.
s/rc = MOONBOOT_ERR_FLASH;/rc = MOONBOOT_OK;/
