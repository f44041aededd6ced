# file: exchange.c  scenario: tampered-update  geometries: 0,9,35
# The forward verify's CRC comparison replaced by true: a copy of a changed update bank gets installed.
s/if \(crc == r->image_crc && installed/if (true \&\& installed/
