# file: common.c  scenario: unit  geometries: -
# Bank access does not check the page against the bank.
s/if \(page >= bank->size \/ page_size\) \{/if (false) {/
