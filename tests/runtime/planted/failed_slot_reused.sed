# file: journal.c  scenario: update+confirm  geometries: 0,9,35
# A slot is programmed whatever it holds: a failed program's slot is reused, programmed twice.
s/if \(!blank\) \{/if (false) {/
