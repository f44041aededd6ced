# file: journal.c  scenario: update+confirm  geometries: 35,36,41
# The driver's blank_check is ignored: a slot whose cut program still reads erased is programmed again (ECC).
s/if \(f->blank_check != NULL\) \{/if (false) {/
