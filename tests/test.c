/* test.c — the small test harness shared by every test program. */
#include "test.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed, skipped;
static const char *current;
static int current_failures;

/* Starts a test case called name. */
void test_begin(const char *name)
{
	static bool line_buffered;
	if (!line_buffered) {
		setvbuf(stdout, NULL, _IOLBF, 0);
		line_buffered = true;
	}
	current = name;
	current_failures = 0;
}

/* Tells whether the test called name runs (see TEST_ONLY). */
bool test_wanted(const char *name)
{
	const char *only = getenv("TEST_ONLY");
	return !only || !*only || strstr(name, only);
}

/* Ends the current test case and counts it. */
void test_end(void)
{
	if (current_failures) {
		failed++;
		printf("FAIL %s\n", current);
	} else {
		passed++;
		if (getenv("TEST_VERBOSE"))
			printf("ok   %s\n", current);
	}
	fflush(stdout);
	current = NULL;
}

/* Records one check; prints where and what when it fails. */
bool test_check(bool ok, const char *what, const char *file, int line)
{
	if (!ok) {
		current_failures++;
		printf("  %s:%d: %s: échec de %s\n", file, line, current ? current : "?", what);
	}
	return ok;
}

/* Records a check with a printf-style explanation on failure. */
bool test_checkf(bool ok, const char *file, int line, const char *fmt, ...)
{
	if (!ok) {
		va_list ap;
		current_failures++;
		printf("  %s:%d: %s: ", file, line, current ? current : "?");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		putchar('\n');
	}
	return ok;
}

/* Checks that two strings (either may be NULL) are equal, evaluating each once. */
bool test_str(const char *a, const char *b, const char *what, const char *file, int line)
{
	return test_checkf(a && b && strcmp(a, b) == 0, file, line, "%s : « %s » au lieu de « %s »",
			   what, a ? a : "(null)", b ? b : "(null)");
}

/* Checks that two integers are equal, evaluating each once. */
bool test_int(long long a, long long b, const char *what, const char *file, int line)
{
	return test_checkf(a == b, file, line, "%s : %lld au lieu de %lld", what, a, b);
}

/* Counts a skipped case with a reason. */
void test_skip(const char *name, const char *why)
{
	skipped++;
	printf("skip %s: %s\n", name, why);
}

/* Prints the suite's closing line; returns the exit status. */
int test_report(const char *suite)
{
	if (skipped)
		printf("%s: %d passed, %d failed, %d skipped\n", suite, passed, failed, skipped);
	else
		printf("%s: %d passed, %d failed\n", suite, passed, failed);
	return failed ? 1 : 0;
}

/* Appends what the shell command cmd prints to out; its exit status, or -1
 * when it cannot run. */
int test_read_command(const char *cmd, struct buf *out)
{
	FILE *p = popen(cmd, "r");
	if (!p)
		return -1;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		buf_append(out, chunk, n);
	return pclose(p);
}
