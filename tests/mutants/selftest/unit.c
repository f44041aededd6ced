/* The self-test's unit: a few sites per operator, so the mutant counts can be checked by hand
 * (tests/mutants/selftest.sh). Operators in comments (a < b, x == 1, 42) and strings are not code. */
#include "unit.h"

#define LIMIT (3 < 4) /* preprocessor lines are never mutated */

int count_above(const int *v, int n, int limit)
{
    int c = 0;
    for (int i = 0; i < n; i++) {
        if (v[i] > limit) {
            c++;
        }
    }
    return c;
}

int digits(unsigned n)
{
    int d = 1;
    while (n >= 10u) {
        n /= 10u;
        d++;
    }
    return d;
}

const char *sign_name(int x)
{
    if (x == 0) {
        return "zero <= 0";
    }
    return x < 0 && x != -1 ? "negative" : "minus one or positive";
}

int kind_weight(int kind)
{
    switch (kind) {
    case 1:
        return 10;
    case 2:
        return 20;
    default:
        return 0;
    }
}
