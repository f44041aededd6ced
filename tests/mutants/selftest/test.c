/* The self-test's tests. `./t quick` is tier 1 (count_above, digits); `./t` adds sign_name and kind_weight
 * (tier 2). Built with -DWEAK, the boundary case of count_above is left out: a planted weak test. */
#include <stdio.h>
#include <string.h>

#include "unit.h"

static int passed, failed;

static void check(int ok, const char *what)
{
    if (ok) {
        passed++;
    } else {
        failed++;
        printf("FAIL %s\n", what);
    }
}

int main(int argc, char **argv)
{
    int quick = argc > 1 && strcmp(argv[1], "quick") == 0;
    /* Guards on both sides: a mutant that reads one element too far counts a 100, whatever the stack holds. */
    static const int v[] = {100, 1, 5, 9, 100};
    check(count_above(v + 1, 3, 4) == 2, "count_above");
    check(count_above(v + 1, 0, 4) == 0, "count_above: empty");
#ifndef WEAK
    static const int w[] = {100, 1, 4, 9, 100};
    check(count_above(w + 1, 3, 4) == 1, "count_above: an element equal to the limit is not above it");
#endif
    check(digits(7) == 1 && digits(10) == 2 && digits(12345) == 5, "digits");
    if (!quick) {
        check(strcmp(sign_name(0), "zero <= 0") == 0, "sign_name(0)");
        check(strcmp(sign_name(-5), "negative") == 0, "sign_name(-5)");
        check(strcmp(sign_name(-1), "minus one or positive") == 0, "sign_name(-1)");
        check(strcmp(sign_name(3), "minus one or positive") == 0, "sign_name(3)");
        check(kind_weight(1) == 10 && kind_weight(2) == 20 && kind_weight(0) == 0 && kind_weight(3) == 0,
              "kind_weight");
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
