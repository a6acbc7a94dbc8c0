/* test.h — the small test harness shared by every test program.
 * A test case passes when none of its checks failed; each program ends with
 * "SUITE: N passed, N failed" and exits non-zero on any failure. */
#ifndef MAILLAGE_TEST_H
#define MAILLAGE_TEST_H

#include <stdbool.h>

#include "../src/buf.h"

/* Starts a test case called name. */
void test_begin(const char *name);
/* Ends the current test case and counts it. */
void test_end(void);
/* Records one check; prints where and what when it fails. */
bool test_check(bool ok, const char *what, const char *file, int line);
/* Records a check with a printf-style explanation on failure. */
bool test_checkf(bool ok, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Counts a skipped case with a reason. */
void test_skip(const char *name, const char *why);
/* Prints the suite's closing line; returns the exit status. */
int test_report(const char *suite);

#define CHECK(c) test_check((c), #c, __FILE__, __LINE__)
#define CHECKF(c, ...) test_checkf((c), __FILE__, __LINE__, __VA_ARGS__)
/* Checks that two strings (either may be NULL) are equal, evaluating each once. */
bool test_str(const char *a, const char *b, const char *what, const char *file, int line);
/* Checks that two integers are equal, evaluating each once. */
bool test_int(long long a, long long b, const char *what, const char *file, int line);
#define CHECK_STR(a, b) test_str((a), (b), #a, __FILE__, __LINE__)
#define CHECK_INT(a, b) test_int((long long)(a), (long long)(b), #a, __FILE__, __LINE__)
#define RUN(fn) (test_wanted(#fn) ? (test_begin(#fn), fn(), test_end()) : (void)0)

/* Appends what the shell command cmd prints to out; its exit status, or -1
 * when it cannot run. */
int test_read_command(const char *cmd, struct buf *out);

/* Tells whether the test called name runs: all of them, or those whose
 * name contains TEST_ONLY when it is set (to rerun one while working). */
bool test_wanted(const char *name);

#endif
