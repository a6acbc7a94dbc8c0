/* sweep.c — the bad input sweep: every form that the coordination and the
 * administration see on the main pages is sent again with a hostile string
 * in each of its text fields, and every query parameter of the lists gets
 * them too. Never a 500; what is accepted is stored byte for byte and
 * shows escaped wherever it appears afterwards; what is not is refused with
 * a message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/buf.h"
#include "../../src/db.h"
#include "../../src/html.h"
#include "../test.h"
#include "harness.h"
#include "pages.h"


/* The hostile strings: markup, SQL, format strings, control characters,
 * invalid UTF-8, right-to-left marks, and 100 KB of text (built below). */
static const char *const hostile[] = {
	"<script>alert('x')</script>", "\"><img src=x onerror=alert(1)>",
	"'; DROP TABLE meeting; --", "%s%n%x%99999999d", "a\x01\x07\x1b[31mb",
	"\xff\xfe\xc3\x28", "\xe2\x80\xae\xe2\x80\x8fgnp.exe", "{{> layout_head}}{{{csrf}}}",
	"[[Ciney]] javascript:alert(1)", NULL /* the long one */};

/* Pages whose forms are swept (with, found at run time, the edit forms of
 * a planned meeting, a body and a letter, and a letter's event form): the
 * organisations', the glossary's, the mandates', a bilan's and a date
 * poll's among them; and the queries of the lists. */
static const char *const form_pages[] = {
	"/meetings/new", "/bodies/new", "/letters/new", "/account", "/admin/webhooks",
	"/motions/commune-hospitaliere/communes/91030", "/organisations/new", "/glossary",
	"/mandates/new", "/bodies/coordination-locale-namur/reviews/2031",
	"/bodies/coordination-locale-namur/polls/new"};
static const char *const list_queries[] = {
	"/meetings?body=%s&territory=%s&year=%s", "/bodies?kind=%s&status=%s&territory=%s&axis=%s",
	"/search?q=%s&kind=&body=&commune=&year=", "/interpellations?year=%s&level=%s&signer=%s",
	"/letters?kind=%s&status=%s&commune=%s", "/actions?mine=%s&page=%s",
	"/api/v1/meetings?modified_since=%s&page=%s", "/login?next=%s",
	"/search?q=reunion&kind=%s&body=%s&commune=%s&territory=%s",
	"/search?q=reunion&year=%s&from=%s&to=%s&page=%s", "/search.json?q=%s&kind=%s&year=%s",
	"/interpellations.csv?year=%s&level=%s&signer=%s&commune=%s",
	"/interpellations?kind=%s&commune=%s&status=%s", "/meetings/1/diff?from=%s&to=%s",
	"/meetings/1?invited=%s", "/account?ok=%s", "/assets/maillage.css?v=%s",
	"/api/v1/papers?modified_since=%s&page=%s", "/reports/%s", "/reports/%s/figures.csv",
	"/reports/%s/rapport.odt", "/mandates?ended=%s", "/bodies/coordination-locale-namur/reviews/%s",
	"/bodies/coordination-locale-namur/polls/%s"};

/* A form found on a page: where it posts and the names of its fields. */
struct form {
	char action[200];
	char fields[40][40];
	char values[40][80]; /* the value shown (selects: their first choice) */
	bool text[40];       /* a text field (input, textarea) */
	char type[40][20];   /* its type ("text", "url", "email"…) */
	int n;
};

/* Reads the attribute name="…" of the tag starting at tag into out. */
static bool attr(const char *tag, const char *end, const char *name, char *out, size_t size)
{
	char key[32];
	snprintf(key, sizeof(key), " %s=\"", name);
	const char *p = strstr(tag, key);
	if (!p || p > end)
		return false;
	p += strlen(key);
	const char *q = strchr(p, '"');
	snprintf(out, size, "%.*s", (int)(q - p), p);
	return true;
}

/* Finds the post forms of html (at most max). */
static int forms_of(const char *html, struct form *f, int max)
{
	int n = 0;
	for (const char *p = strstr(html, "<form method=\"post\""); p && n < max;
	     p = strstr(p + 1, "<form method=\"post\"")) {
		const char *end = strstr(p, "</form>");
		if (!end)
			break;
		memset(&f[n], 0, sizeof(f[n]));
		attr(p, strchr(p, '>'), "action", f[n].action, sizeof(f[n].action));
		for (const char *t = strchr(p + 1, '<'); t && t < end && f[n].n < 40; t = strchr(t + 1, '<')) {
			const char *te = strchr(t, '>');
			bool input = strncmp(t, "<input", 6) == 0, area = strncmp(t, "<textarea", 9) == 0;
			bool select = strncmp(t, "<select", 7) == 0;
			char name[40], type[20] = "text";
			if (!(input || area || select) || !attr(t, te, "name", name, sizeof(name)))
				continue;
			attr(t, te, "type", type, sizeof(type));
			int k = f[n].n++;
			snprintf(f[n].fields[k], sizeof(f[n].fields[k]), "%s", name);
			snprintf(f[n].type[k], sizeof(f[n].type[k]), "%s", type);
			f[n].text[k] = area || (input && (strcmp(type, "text") == 0 || strcmp(type, "url") == 0 ||
							  strcmp(type, "search") == 0 || strcmp(type, "email") == 0));
			if (select) {
				/* the first option that chooses something */
				const char *stop = strstr(t, "</select>");
				for (const char *o = strstr(t, "<option value=\""); o && o < stop && !*f[n].values[k];
				     o = strstr(o + 1, "<option value=\""))
					attr(o, strchr(o, '>'), "value", f[n].values[k], sizeof(f[n].values[k]));
			} else if (strcmp(name, "date") == 0 || strcmp(type, "date") == 0) {
				/* a day a field: a poll's slots differ, after it closes */
				snprintf(f[n].values[k], sizeof(f[n].values[k]), "2031-03-%02d",
					 strcmp(name, "closes") == 0 ? 1 : k % 27 + 2);
			} else if (strcmp(type, "time") == 0) {
				snprintf(f[n].values[k], sizeof(f[n].values[k]), "%s",
					 strncmp(name, "end", 3) == 0 ? "12:00" : "10:00");
			} else if (strcmp(type, "checkbox") == 0) {
				f[n].n--; /* left unchecked */
			} else {
				attr(t, te, "value", f[n].values[k], sizeof(f[n].values[k]));
			}
		}
		n++;
	}
	return n;
}

/* Tells whether html shows s unescaped somewhere it should not: a tag or
 * an attribute break that the string carried. */
static bool unescaped(const char *html, const char *s)
{
	if (!strchr(s, '<') && !strchr(s, '"'))
		return false;
	return strstr(html, s) != NULL;
}

/* Tells whether value is stored whole in some column of some table (the
 * full-text index's own tables aside). */
static bool stored(const char *value)
{
	static json_t *columns;
	if (!columns)
		columns = db_rows("SELECT m.name AS t, p.name AS c FROM sqlite_schema m, "
				  "pragma_table_info(m.name) p WHERE m.type = 'table' AND "
				  "m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'doc_fts%'", NULL);
	size_t i;
	json_t *col;
	json_array_foreach(columns, i, col) {
		char sql[200];
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM \"%s\" WHERE CAST(\"%s\" AS BLOB) = "
			 "CAST(? AS BLOB)", json_string_value(json_object_get(col, "t")),
			 json_string_value(json_object_get(col, "c")));
		if (db_int(0, sql, "t", value) > 0)
			return true;
	}
	return false;
}

/* Tells whether a refused form says why: the form's message, or the error
 * page's. */
static bool says_why(const char *html)
{
	return strstr(html, "role=\"alert\"") || strstr(html, "<p class=\"status\">Erreur");
}

/* Writes into out an ordinary value for field k of f when the page left it
 * empty, so that only the swept field is hostile (unique per post n). */
static const char *ordinary(const struct form *f, int k, int n, char *out, size_t size)
{
	const char *name = f->fields[k];
	if (!f->text[k] || *f->values[k])
		snprintf(out, size, "%s", f->values[k]);
	else if (strstr(name, "slug"))
		snprintf(out, size, "balayage-%d-%d", n, k);
	else if (strcmp(name, "acronym") == 0) /* one word */
		snprintf(out, size, "BALAYAGE%d", n);
	else if (strcmp(f->type[k], "url") == 0 || strcmp(name, "video") == 0 ||
		 strcmp(name, "link") == 0 || strcmp(name, "url") == 0)
		snprintf(out, size, "https://exemple.org/%d", n);
	else if (strcmp(f->type[k], "email") == 0)
		snprintf(out, size, "balayage%d@exemple.org", n);
	else if (strcmp(name, "q") == 0 || strstr(name, "pass"))
		snprintf(out, size, "%s", f->values[k]);
	else
		snprintf(out, size, "Texte ordinaire %d", n);
	return out;
}

/* Every form, every text field, every hostile string. */
static void sweep_forms(void)
{
	struct browser who[2];
	memset(who, 0, sizeof(who));
	CHECK_INT(harness_login(&who[0], "coord@pages.test", PASSWORD), 303);
	CHECK_INT(harness_login(&who[1], "admin@pages.test", PASSWORD), 303);
	struct buf longest = {0};
	while (longest.len < 100 * 1024)
		buf_puts(&longest, "Réunion « longue » <b>x</b> ");
	size_t base = longest.len;
	int posts = 0, kept = 0;
	char pages[16][96];
	size_t np = 0;
	for (; np < sizeof(form_pages) / sizeof(form_pages[0]); np++)
		snprintf(pages[np], sizeof(pages[np]), "%s", form_pages[np]);
	/* a planned meeting of its own, for the edit form */
	CHECK(db_exec("INSERT INTO meeting (body_id, title, start, status, visibility) SELECT id, "
		      "'Balayage', '2031-03-03T10:00', 'planned', 'members' FROM body WHERE slug = "
		      "'coordination-locale-namur'", NULL) == 1);
	snprintf(pages[np++], sizeof(pages[0]), "/meetings/%lld/edit", db_last_id());
	json_t *body = db_row("SELECT slug FROM body ORDER BY id", NULL);
	snprintf(pages[np++], sizeof(pages[0]), "/bodies/%s/edit",
		 json_string_value(json_object_get(body, "slug")));
	json_decref(body);
	long long letter = db_int(0, "SELECT id FROM letter WHERE deleted = 0 ORDER BY id", NULL);
	snprintf(pages[np++], sizeof(pages[0]), "/letters/%lld/edit", letter);
	snprintf(pages[np++], sizeof(pages[0]), "/letters/%lld", letter);
	for (size_t p = 0; p < np; p++) {
		const char *path = pages[p];
		struct browser *b = &who[strstr(path, "/admin/") ? 1 : 0];
		struct call page;
		CHECK_INT(call(&page, b, "GET", path, NULL), 200);
		struct form forms[8];
		int nf = forms_of(buf_str(&page.resp.body), forms, 8);
		if (getenv("SWEEP_DEBUG"))
			for (int f = 0; f < nf; f++)
				fprintf(stderr, "%s : %s (%d champs)\n", path, forms[f].action, forms[f].n);
		call_free(&page);
		for (int f = 0; f < nf; f++) {
			if (strstr(forms[f].action, "logout") || strstr(forms[f].action, "/delete"))
				continue; /* they take no text */
			for (int field = 0; field < forms[f].n; field++) {
				if (!forms[f].text[field])
					continue;
				for (size_t h = 0; h < sizeof(hostile) / sizeof(hostile[0]); h++) {
					/* each value unique, so that an earlier post cannot pass for it */
					char value[160];
					snprintf(value, sizeof(value), "%s ·%d",
						 hostile[h] ? hostile[h] : "", posts);
					if (!hostile[h]) {
						longest.len = base;
						buf_puts(&longest, value);
					}
					const char *sent = hostile[h] ? value : buf_str(&longest);
					struct buf body = {0};
					buf_printf(&body, "_csrf=%s", b->csrf);
					for (int k = 0; k < forms[f].n; k++) {
						if (strcmp(forms[f].fields[k], "_csrf") == 0)
							continue;
						buf_printf(&body, "&%s=", forms[f].fields[k]);
						char plain[80];
						const char *v = k == field ? sent
							: ordinary(&forms[f], k, posts, plain, sizeof(plain));
						html_url_encode(&body, v, strlen(v));
					}
					struct call c;
					int st = call(&c, b, "POST", forms[f].action, buf_str(&body));
					CHECKF(st < 500, "POST %s, %s = chaîne %zu : %d", forms[f].action,
					       forms[f].fields[field], h, st);
					CHECKF(!unescaped(buf_str(&c.resp.body), sent), "POST %s, %s : non échappé",
					       forms[f].action, forms[f].fields[field]);
					if (getenv("SWEEP_DEBUG"))
						fprintf(stderr, "%s %s %zu → %d\n", forms[f].action,
							forms[f].fields[field], h, st);
					if (getenv("SWEEP_DEBUG") && st >= 400) {
						const char *m = strstr(buf_str(&c.resp.body), "role=\"alert\"");
						fprintf(stderr, "  %.200s\n", m ? m : buf_str(&c.resp.body));
					}
					if (st == 303) {
						CHECKF(stored(sent), "POST %s, %s = chaîne %zu : accepté mais pas "
						       "gardé tel quel", forms[f].action, forms[f].fields[field], h);
						kept++;
					} else {
						CHECKF(st >= 400 && says_why(buf_str(&c.resp.body)),
						       "POST %s, %s = chaîne %zu : refusé (%d) sans message",
						       forms[f].action, forms[f].fields[field], h, st);
					}
					const char *loc = resp_get_header(&c.resp, "Location");
					if (st == 303 && loc && *loc == '/') {
						struct call after;
						char target[256];
						snprintf(target, sizeof(target), "%s", loc);
						call_free(&c);
						CHECKF(call(&after, b, "GET", target, NULL) < 500, "%s", target);
						CHECKF(!unescaped(buf_str(&after.resp.body), sent), "%s : non échappé",
						       target);
						call_free(&after);
					} else {
						call_free(&c);
					}
					buf_free(&body);
					posts++;
				}
			}
		}
	}
	CHECKF(posts >= 150, "%d envois seulement", posts); /* 16 text fields × 10 strings */
	CHECKF(kept >= posts / 3, "%d envois gardés sur %d", kept, posts);
	/* what was accepted shows escaped in the lists and the search too */
	const char *lists[] = {"/meetings", "/bodies", "/letters", "/interpellations", "/search?q=script",
			       "/search?q=r%C3%A9union", "/"};
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		struct call c;
		CHECKF(call(&c, &who[0], "GET", lists[i], NULL) < 500, "%s", lists[i]);
		for (size_t h = 0; h + 1 < sizeof(hostile) / sizeof(hostile[0]); h++)
			CHECKF(!unescaped(buf_str(&c.resp.body), hostile[h]), "%s, chaîne %zu", lists[i], h);
		call_free(&c);
	}
	struct buf problems = {0};
	CHECK_INT(db_check(&problems), 0);
	buf_free(&problems);
	buf_free(&longest);
}

/* Every query parameter of the lists, every hostile string. */
static void sweep_queries(void)
{
	struct browser b = {0};
	CHECK_INT(harness_login(&b, "partenaire@pages.test", PASSWORD), 303);
	for (size_t q = 0; q < sizeof(list_queries) / sizeof(list_queries[0]); q++)
		for (size_t h = 0; h + 1 < sizeof(hostile) / sizeof(hostile[0]); h++) {
			struct buf enc = {0}, target = {0};
			html_url_encode(&enc, hostile[h], strlen(hostile[h]));
			const char *e = buf_str(&enc);
			buf_printf(&target, list_queries[q], e, e, e, e);
			struct call c;
			int st = call(&c, &b, "GET", buf_str(&target), NULL);
			CHECKF(st < 500, "%s : %d", buf_str(&target), st);
			/* HTML must escape it; JSON and CSV carry it as data */
			bool html = c.resp.content_type && strncmp(c.resp.content_type, "text/html", 9) == 0;
			CHECKF(!html || !unescaped(buf_str(&c.resp.body), hostile[h]), "%s : non échappé",
			       buf_str(&target));
			call_free(&c);
			buf_free(&enc);
			buf_free(&target);
		}
}

/* The editor's live preview (POST /preview, text) gets every hostile
 * string: a fragment, never a 500, markup escaped. */
static void sweep_preview(void)
{
	struct browser b = {0};
	CHECK_INT(harness_login(&b, "coord@pages.test", PASSWORD), 303);
	for (size_t h = 0; h + 1 < sizeof(hostile) / sizeof(hostile[0]); h++) {
		struct buf form = {0};
		buf_printf(&form, "_csrf=%s&text=", b.csrf);
		html_url_encode(&form, hostile[h], strlen(hostile[h]));
		struct call c;
		int st = call(&c, &b, "POST", "/preview", buf_str(&form));
		CHECKF(st == 200 || (st == 400 && says_why(buf_str(&c.resp.body))), "chaîne %zu : %d",
		       h, st);
		CHECKF(!unescaped(buf_str(&c.resp.body), hostile[h]), "chaîne %zu : non échappé", h);
		call_free(&c);
		buf_free(&form);
	}
}

/* Runs the bad input sweep. */
void pages_sweep(void)
{
	harness_fresh();
	RUN(sweep_forms);
	RUN(sweep_preview);
	RUN(sweep_queries);
}
