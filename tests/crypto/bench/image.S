/* The signed test image, embedded as it is (bench.sh signs it with imgtool). */
    .section .rodata.bench_image, "a"
    .balign 4
    .global bench_image
bench_image:
    .incbin "signed.bin"
    .global bench_image_end
bench_image_end:
