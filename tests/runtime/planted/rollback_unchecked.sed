# file: ../signing/signed.c  scenario: rollback  geometries: 42,43
# The request check ignores the security counters: an older image installs over a newer one.
s/moonboot_image_verify\(&source, keys->keys, keys->count, min_counter, &info\)/moonboot_image_verify(\&source, keys->keys, keys->count, 0, \&info)/
