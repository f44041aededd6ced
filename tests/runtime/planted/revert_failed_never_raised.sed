# file: exchange.c  scenario: damaged-revert  geometries: 0,9,35
# REVERT_FAILED never raised: a damaged restored image starts as if it were intact.
s/r->result = MOONBOOT_RESULT_REVERT_FAILED;//
