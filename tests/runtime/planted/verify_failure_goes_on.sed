# file: exchange.c  scenario: tampered-update  geometries: 0,9,35
# A failed verify that does not switch to the revert: the chain runs forward again over the installed image.
s/r->flags \|= MOONBOOT_FLAG_REVERT;//
