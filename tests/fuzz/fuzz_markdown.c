/* fuzz_markdown.c — libFuzzer target for the renderer: any input must render
 * without a sanitizer report, in both modes, into HTML that cannot run
 * script (no <script, no on…= attribute, no refused URL scheme). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../src/markdown.h"
#include "../safety.h"

static const struct md_glossary glossary[] = {
	{"CAI", "Centre d'action interculturelle"},
	{"CPAS", "Centre public d'action sociale"},
};

/* Resolves any target starting with a capital letter, echoing it back. */
static bool wiki(const char *target, struct buf *href, void *ctx)
{
	(void)ctx;
	if (target[0] < 'A' || target[0] > 'Z')
		return false;
	buf_printf(href, "/communes/%s", target);
	return true;
}

/* Renders data in one mode and aborts on unsafe output. */
static void check(const uint8_t *data, size_t size, const struct md_opts *o)
{
	struct buf html = {0}, plain = {0}, why = {0};
	struct md_actions actions = {0};
	md_render((const char *)data, size, o, &html, &plain, &actions);
	if (!safety_check(buf_str(&html), &why)) {
		fprintf(stderr, "sortie dangereuse : %s\n%s\n", buf_str(&why), buf_str(&html));
		abort();
	}
	md_actions_free(&actions);
	buf_free(&html);
	buf_free(&plain);
	buf_free(&why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct md_opts normal = {.glossary = glossary, .nglossary = 2, .wiki = wiki};
	static const struct md_opts spec = {.spec = true, .extensions = 0x1FF};
	check(data, size, &normal);
	check(data, size, &spec);
	return 0;
}
