# file: boot.c  scenario: update+confirm  geometries: 42,43
# A confirmed trial never raises the anti-rollback floor.
s/        r.security_counter = counter;//
