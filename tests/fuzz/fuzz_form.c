/* fuzz_form.c — libFuzzer target for what a request carries: the target
 * (path and query), a form body and a cookie header. Anything is read or
 * refused with a status, never a crash; what is read is valid UTF-8
 * without NUL. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/req.h"
#include "../../src/text.h"

/* Aborts unless every field of the list is valid UTF-8. */
static void valid(const struct kv_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (!text_utf8_valid(l->items[i].key, strlen(l->items[i].key)) ||
		    !text_utf8_valid(l->items[i].val, strlen(l->items[i].val)))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	struct req req = {0};
	int st = req_set_target(&req, "GET", s);
	if (st == 0) {
		if (!text_utf8_valid(req.path, strlen(req.path)))
			abort();
		valid(&req.query);
	} else if (st != 400 && st != 414) {
		abort();
	}
	req.body = s;
	req.body_len = size;
	req.content_type = "application/x-www-form-urlencoded";
	st = req_parse_form(&req);
	if (st == 0)
		valid(&req.form);
	else if (st != 400)
		abort();
	req_parse_cookies(&req, s);
	req_free(&req);
	free(s);
	return 0;
}
