# file: journal.c  scenario: unit  geometries: -
# A CRC-valid record is trusted without its range checks against the layout.
s/if \(!record_fits_layout\(mb, &d\)\) \{/if (false) {/
