# file: journal.c  scenario: unit  geometries: -
# No renumbering at the highest seq: the next record gets an invalid seq and is lost.
s/if \(mb->state.seq >= MOONBOOT_SEQ_MAX\) \{/if (false) {/
