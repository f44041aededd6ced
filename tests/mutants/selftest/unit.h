#ifndef SELFTEST_UNIT_H
#define SELFTEST_UNIT_H
int count_above(const int *v, int n, int limit);
int digits(unsigned n);
const char *sign_name(int x);
int kind_weight(int kind);
#endif
