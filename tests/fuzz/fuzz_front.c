/* fuzz_front.c — libFuzzer target for the front matter reader: any input is
 * parsed or refused with a message, never a crash or a sanitizer report. */
#include <stdint.h>
#include <stdlib.h>

#include "../../src/front.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const allowed[] = {"title", "start", "members", NULL};
	struct front f;
	struct buf err = {0};
	if (front_parse((const char *)data, size, &f, &err) == 0) {
		front_check_keys(&f, allowed, &err);
		if (f.body + f.body_len != (const char *)data + size)
			abort(); /* the body must end where the file ends */
		front_free(&f);
	} else if (err.len == 0) {
		abort(); /* every refusal says why */
	}
	buf_free(&err);
	return 0;
}
