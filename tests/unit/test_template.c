/* test_template.c — the template engine against the official Mustache spec
 * files, plus the behaviours Maillage relies on beyond the spec. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "../../src/template.h"
#include "../spec.h"
#include "../test.h"
#include "unit.h"

/* Runs one spec example: partials, template, data, expected output. */
static void run_example(const char *file, json_t *t)
{
	char name[300];
	snprintf(name, sizeof(name), "mustache %s: %s", file,
		 json_string_value(json_object_get(t, "name")));
	test_begin(name);
	struct tmpl_set *set = tmpl_set_new();
	struct buf err = {0}, out = {0};
	const char *key;
	json_t *p;
	json_object_foreach(json_object_get(t, "partials"), key, p)
		CHECK(tmpl_add(set, key, json_string_value(p), json_string_length(p), &err) == 0);
	json_t *src = json_object_get(t, "template");
	if (CHECKF(tmpl_add(set, "__test__", json_string_value(src), json_string_length(src),
			    &err) == 0, "compile: %s", buf_str(&err))) {
		tmpl_render(set, "__test__", json_object_get(t, "data"), &out);
		const char *want = json_string_value(json_object_get(t, "expected"));
		CHECKF(strcmp(buf_str(&out), want) == 0, "got [%s] want [%s]", buf_str(&out), want);
	}
	buf_free(&err);
	buf_free(&out);
	tmpl_set_free(set);
	test_end();
}

/* Runs every example of the five spec files Maillage implements. */
static void mustache_spec(void)
{
	static const char *files[] = {"comments", "interpolation", "inverted", "partials",
				      "sections"};
	const char *dir = spec_dir();
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (!dir) {
			test_skip(files[i], "suites de conformité introuvables (../shared/specs ou MAILLAGE_SPECS)");
			continue;
		}
		char path[1024];
		snprintf(path, sizeof(path), "%s/mustache/%s.json", dir, files[i]);
		json_error_t jerr;
		json_t *root = json_load_file(path, 0, &jerr);
		test_begin(path);
		CHECKF(root != NULL, "%s: %s", path, jerr.text);
		test_end();
		size_t k;
		json_t *t;
		json_array_foreach(json_object_get(root, "tests"), k, t)
			run_example(files[i], t);
		json_decref(root);
	}
}

/* Renders src with data given as JSON text; returns the output (static). */
static const char *render(const char *src, const char *data)
{
	static struct buf out;
	struct tmpl_set *set = tmpl_set_new();
	struct buf err = {0};
	json_t *d = json_loads(data, 0, NULL);
	buf_reset(&out);
	if (tmpl_add(set, "t", src, strlen(src), &err) == 0)
		tmpl_render(set, "t", d, &out);
	else
		buf_printf(&out, "ERROR %s", buf_str(&err));
	json_decref(d);
	buf_free(&err);
	tmpl_set_free(set);
	return buf_str(&out);
}

/* The apostrophe is escaped too (attributes may use either quote). */
static void escapes_apostrophe(void)
{
	CHECK_STR(render("{{x}}", "{\"x\":\"l'<b>\"}"), "l&#39;&lt;b&gt;");
}

/* Empty strings and zero hide a section, as Maillage's templates expect. */
static void empty_string_and_zero_are_falsy(void)
{
	CHECK_STR(render("{{#e}}E{{/e}}{{^e}}none{{/e}}", "{\"e\":\"\"}"), "none");
	CHECK_STR(render("{{#n}}N{{/n}}{{^n}}zero{{/n}}", "{\"n\":0}"), "zero");
}

/* Syntax errors are refused with the line number, in French. */
static void syntax_errors_name_the_line(void)
{
	CHECK(strstr(render("a\n{{#x}}b", "{}"), "non fermée") != NULL);
	CHECK(strstr(render("a\nb\n{{/x}}", "{}"), "ligne 3") != NULL);
	CHECK(strstr(render("{{x", "{}"), "ERROR") != NULL);
	CHECK(strstr(render("{{=<% %>=}}", "{}"), "ERROR") != NULL);
}

/* A partial that includes itself forever stops instead of overflowing. */
static void runaway_recursion_stops(void)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf err = {0}, out = {0};
	CHECK(tmpl_add(set, "loop", "x{{>loop}}", 10, &err) == 0);
	json_t *d = json_object();
	CHECK(tmpl_render(set, "loop", d, &out) == 0);
	CHECK(out.len > 10 && out.len < 1000);
	CHECK(tmpl_render(set, "missing", d, &out) == -1);
	json_decref(d);
	buf_free(&err);
	buf_free(&out);
	tmpl_set_free(set);
}

/* A partial that includes itself inside a list of two items would render
 * 2^100 times before the depth limit: the total number of partials one
 * render expands is bounded too (found by fuzzing). */
static void exponential_recursion_stops(void)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf err = {0}, out = {0};
	const char *src = "[{{#items}}{{name}}{{> self}}{{/items}}]";
	CHECK(tmpl_add(set, "self", src, strlen(src), &err) == 0);
	json_t *d = json_pack("{s:[{s:s}, {s:s}]}", "items", "name", "a", "name", "b");
	CHECK(tmpl_render(set, "self", d, &out) == 0);
	CHECK(out.len > 1000 && out.len < 1000000);
	json_decref(d);
	buf_free(&err);
	buf_free(&out);
	tmpl_set_free(set);
}

/* Runs the template tests. */
void unit_template(void)
{
	mustache_spec();
	RUN(escapes_apostrophe);
	RUN(empty_string_and_zero_are_falsy);
	RUN(syntax_errors_name_the_line);
	RUN(runaway_recursion_stops);
	RUN(exponential_recursion_stops);
}
