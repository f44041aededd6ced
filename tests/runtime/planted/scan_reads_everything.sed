# file: journal.c  scenario: unit  geometries: -
# The scan walks every slot of the newest page instead of a binary search (boot time grows with the journal).
s/uint32_t mid = lo \+ \(hi - lo\) \/ 2u;/uint32_t mid = lo + 1u;/
