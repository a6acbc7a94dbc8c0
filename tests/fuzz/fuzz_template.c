/* fuzz_template.c — libFuzzer target for the template engine: any source
 * compiles or is refused with a message; what compiles renders over a
 * fixed context (with a partial that includes itself) without a crash,
 * and the values it prints are escaped. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf err = {0}, out = {0};
	static const char partial[] = "[{{#items}}{{name}}{{> self}}{{/items}}]";
	tmpl_add(set, "self", partial, sizeof(partial) - 1, &err);
	buf_reset(&err);
	if (tmpl_add(set, "t", (const char *)data, size, &err) == 0) {
		json_t *ctx = json_pack("{s:s, s:i, s:b, s:[{s:s}, {s:s}], s:{s:s}}", "name",
					"<script>&\"'", "n", 0, "yes", 1, "items", "name", "<b>", "name",
					"x", "obj", "k", "<i>");
		tmpl_render(set, "t", ctx, &out);
		if (strstr(buf_str(&out), "<script>&") && !memmem(data, size, "{{{", 3) &&
		    !memmem(data, size, "{{&", 3) && !memmem(data, size, "<script>", 8) &&
		    !memmem(data, size, "=", 1))
			abort(); /* a value printed with {{ }} came out unescaped */
		json_decref(ctx);
	} else if (err.len == 0) {
		abort(); /* every refusal says why */
	}
	buf_free(&err);
	buf_free(&out);
	tmpl_set_free(set);
	return 0;
}
