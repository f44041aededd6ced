# file: exchange.c  scenario: unit  geometries: -
# Signed: the installed image's hash is not checked again after the exchange.
s/installed = moonboot_check_image\(/installed = (int32_t)MOONBOOT_CHECK_PASSED; (void)moonboot_check_image(/
