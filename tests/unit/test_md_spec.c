/* test_md_spec.c — the md4c 0.4.8 conformance suites run against
 * `maillage render --spec`, each with its own extensions as md4c's own test
 * scripts run them. Outputs are compared after normalising only what
 * legitimately differs: heading ids, rel attributes, the accessible names
 * of task-list checkboxes (aria-label), "<br>" against
 * "<br />", and white space as CommonMark's own runner folds it. Two kinds of
 * examples are expected to differ, by Maillage's safety rules:
 * - raw HTML that the reference passes through is escaped: each raw tag of
 *   the input must show as text, and the output may hold no tag but the
 *   renderer's own;
 * - links and images whose scheme is not http(s), mailto or tel are not
 *   links: the output must equal the reference without those anchors. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../src/buf.h"
#include "../../src/html.h"
#include "../../src/markdown.h"
#include "../spec.h"
#include "../test.h"
#include "unit.h"

#define FENCE "````````````````````````````````"

/* Returns the maillage binary under test. */
static const char *binary(void)
{
	const char *b = getenv("MAILLAGE_BIN");
	return b && *b ? b : "build/asan/maillage";
}

/* Runs `maillage render --spec [--ext ext]` on input; output into out. */
static int render_spec(const char *input, const char *ext, struct buf *out)
{
	char path[] = "/tmp/maillage-md-XXXXXX", cmd[512];
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, input, strlen(input)) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	snprintf(cmd, sizeof(cmd), "%s render --spec%s%s < %s", binary(), ext ? " --ext " : "",
		 ext ? ext : "", path);
	FILE *p = popen(cmd, "r");
	char chunk[4096];
	size_t n;
	while (p && (n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		buf_append(out, chunk, n);
	int st = p ? pclose(p) : -1;
	unlink(path);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Tells whether the tag name at s (after '<' or "</") is a block tag. */
static bool block_tag(const char *s, size_t n)
{
	static const char *const blocks[] = {"p", "ul", "ol", "li", "blockquote", "h1", "h2", "h3",
					     "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr",
					     "th", "td", "pre"};
	for (size_t i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++)
		if (strlen(blocks[i]) == n && strncmp(blocks[i], s, n) == 0)
			return true;
	return false;
}

/* Appends a tag without id and rel attributes and with "/>" as ">". */
static void put_tag(struct buf *out, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t attr = strncmp(s + i, " id=\"", 5) == 0 ? 5 : strncmp(s + i, " rel=\"", 6) == 0 ? 6
			: strncmp(s + i, " aria-label=\"", 13) == 0 ? 13 : 0;
		if (s[i] == ' ' && attr && i + attr < n) {
			const char *q = memchr(s + i + attr, '"', n - i - attr);
			if (q) {
				i = (size_t)(q - s) + 1;
				continue;
			}
		}
		if (strncmp(s + i, " />", 3) == 0 || strncmp(s + i, "/>", 2) == 0) {
			buf_putc(out, '>');
			break;
		}
		buf_putc(out, s[i++]);
	}
}

/* Tells whether c is ASCII white space. */
static bool ws(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* Returns the length of the white space character at s (ASCII or Unicode,
 * as the CommonMark runner's regular expressions see it), or 0. */
static size_t ws_len(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	if (ws(s[0]))
		return 1;
	if (u[0] == 0xC2 && u[1] == 0xA0)
		return 2;
	if (u[0] == 0xE2 && u[1] == 0x80 && ((u[2] >= 0x80 && u[2] <= 0x8A) || u[2] == 0xA8 ||
					     u[2] == 0xA9 || u[2] == 0xAF))
		return 3;
	if ((u[0] == 0xE2 && u[1] == 0x81 && u[2] == 0x9F) ||
	    (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80) ||
	    (u[0] == 0xE1 && u[1] == 0x9A && u[2] == 0x80))
		return 3;
	return 0;
}

/* Removes white space at the end of out. */
static void trim_end(struct buf *out)
{
	while (out->len && ws(out->data[out->len - 1]))
		out->data[--out->len] = '\0';
}

/* Normalises HTML for comparison (see the head of this file). */
static void normalize(const char *s, struct buf *out)
{
	bool skip_ws = true;
	int pre = 0;
	for (size_t i = 0; s[i];) {
		const char *end = s[i] == '<' ? strchr(s + i, '>') : NULL;
		if (!end) {
			size_t w = pre ? 0 : ws_len(s + i);
			if (w) {
				if (!skip_ws)
					buf_putc(out, ' ');
				skip_ws = true;
				i += w;
			} else {
				buf_putc(out, s[i++]);
				skip_ws = false;
			}
			continue;
		}
		size_t n = (size_t)(end - (s + i)) + 1;
		const char *name = s + i + 1 + (s[i + 1] == '/');
		size_t nlen = strcspn(name, " />\n");
		if (nlen == 3 && strncmp(name, "pre", 3) == 0)
			pre += s[i + 1] == '/' ? -1 : 1;
		if (block_tag(name, nlen)) {
			trim_end(out);
			skip_ws = true;
		}
		put_tag(out, s + i, n);
		i += n;
	}
	trim_end(out);
}

/* Collects into tags the raw tags of input that expected passes through
 * verbatim, one per line; tells whether there are any. */
static bool raw_html_tags(const char *input, const char *expected, struct buf *tags)
{
	for (const char *p = strchr(input, '<'); p; p = strchr(p + 1, '<')) {
		char c = p[1];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '/' || c == '!' ||
		      c == '?'))
			continue;
		/* a tag ends at its '>', or at the end of its line when unclosed */
		const char *end = strpbrk(p + 1, "<>");
		size_t n = end && *end == '>' ? (size_t)(end - p) + 1 : strcspn(p, "\n");
		struct buf tag = {0};
		buf_append(&tag, p, n);
		if (strstr(expected, tag.data))
			buf_printf(tags, "%s\n", tag.data);
		buf_free(&tag);
	}
	return tags->len > 0;
}

/* Tells whether every tag of out is one the renderer writes itself. */
static bool own_tags_only(const char *out, struct buf *why)
{
	static const char *const own[] = {
		"p", "pre", "code", "em", "strong", "a", "img", "ul", "ol", "li", "blockquote",
		"h1", "h2", "h3", "h4", "h5", "h6", "hr", "br", "table", "thead", "tbody", "tr",
		"th", "td", "del", "u", "x-equation", "x-wikilink", "input", "abbr", "span"};
	for (const char *p = strchr(out, '<'); p; p = strchr(p + 1, '<')) {
		const char *name = p + 1 + (p[1] == '/');
		size_t n = strcspn(name, " />\n");
		bool known = false;
		for (size_t i = 0; i < sizeof(own) / sizeof(own[0]) && !known; i++)
			known = strlen(own[i]) == n && strncmp(own[i], name, n) == 0;
		if (!known) {
			buf_printf(why, "balise étrangère : %.40s", p);
			return false;
		}
	}
	return true;
}

/* Tells whether each raw tag (one per line) shows escaped in out and out
 * holds no tag but the renderer's own. */
static bool tags_escaped(const char *out, const char *tags, struct buf *why)
{
	bool ok = own_tags_only(out, why);
	struct buf t = {0}, esc = {0};
	for (const char *p = tags; *p && ok;) {
		size_t n = strcspn(p, "\n");
		buf_reset(&esc);
		html_escape_text(&esc, p, n);
		if (!strstr(out, esc.data)) {
			buf_printf(why, "« %s » n'apparaît pas comme texte", esc.data);
			ok = false;
		}
		p += n + (p[n] == '\n');
	}
	buf_free(&t);
	buf_free(&esc);
	return ok;
}

/* Tells whether the URL in s (up to its quote) has a scheme Maillage refuses. */
static bool refused_scheme(const char *s)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-.");
	if (n == 0 || s[n] != ':' || !((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z'))
		return false;
	static const char *const ok[] = {"http", "https", "mailto", "tel"};
	for (size_t i = 0; i < 4; i++)
		if (strlen(ok[i]) == n && strncasecmp(s, ok[i], n) == 0)
			return false;
	return true;
}

/* Writes into out the reference without the links and images whose scheme
 * Maillage refuses (an image becomes its alt text); returns how many. */
static int strip_refused(const char *html, struct buf *out)
{
	int count = 0;
	int drop_close = 0;
	for (const char *p = html; *p;) {
		if (strncmp(p, "<a href=\"", 9) == 0 && refused_scheme(p + 9)) {
			p = strchr(p, '>') + 1;
			drop_close++;
			count++;
		} else if (strncmp(p, "</a>", 4) == 0 && drop_close) {
			p += 4;
			drop_close--;
		} else if (strncmp(p, "<img src=\"", 10) == 0 && refused_scheme(p + 10)) {
			const char *alt = strstr(p, "alt=\""), *end = strchr(p, '>');
			if (alt && alt < end)
				buf_append(out, alt + 5, strcspn(alt + 5, "\""));
			p = end + 1;
			count++;
		} else {
			buf_putc(out, *p++);
		}
	}
	return count;
}

/* Replaces every "→" of md4c's test format with a tab. */
static void tabs(struct buf *b)
{
	char *p;
	while ((p = strstr(buf_str(b), "\xE2\x86\x92"))) {
		*p = '\t';
		memmove(p + 1, p + 3, b->len - (size_t)(p + 3 - b->data) + 1);
		b->len -= 2;
	}
}

struct counts {
	int same, escaped, refused, failed;
};

/* Checks one example; counts it. */
static void run_example(const char *file, int number, int line, struct buf *in,
			struct buf *want, const char *ext, struct counts *k)
{
	char name[256];
	snprintf(name, sizeof(name), "md4c %s exemple %d (ligne %d)", file, number, line);
	test_begin(name);
	tabs(in);
	tabs(want);
	struct buf got = {0}, tags = {0}, a = {0}, b = {0}, why = {0}, kept = {0};
	int rc = render_spec(buf_str(in), ext, &got);
	CHECKF(rc == 0, "code de sortie %d", rc);
	if (raw_html_tags(buf_str(in), buf_str(want), &tags)) {
		bool ok = tags_escaped(buf_str(&got), buf_str(&tags), &why);
		CHECKF(ok, "HTML brut : %s\n%s--- obtenu :\n%s", buf_str(&why), buf_str(in),
		       buf_str(&got));
		k->escaped += ok;
		k->failed += !ok;
	} else {
		int refused = strip_refused(buf_str(want), &kept);
		normalize(buf_str(&kept), &a);
		normalize(buf_str(&got), &b);
		bool ok = strcmp(buf_str(&a), buf_str(&b)) == 0;
		CHECKF(ok, "entrée :\n%s--- attendu :\n%s\n--- obtenu :\n%s", buf_str(in), buf_str(&a),
		       buf_str(&b));
		k->same += ok && !refused;
		k->refused += ok && refused;
		k->failed += !ok;
	}
	buf_free(&got);
	buf_free(&tags);
	buf_free(&why);
	buf_free(&kept);
	buf_free(&a);
	buf_free(&b);
	test_end();
}

/* Runs every example of one suite file with the given extensions. */
/* What runs one example of a suite. */
typedef void example_fn(const char *file, int number, int line, struct buf *in,
			struct buf *want, const char *ext, struct counts *k);

/* Reads the examples of one suite file, each given to run. */
static void read_suite(const char *dir, const char *file, const char *ext, example_fn *run,
		       struct counts *k)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/md4c-0.4.8/%s", dir, file);
	FILE *f = fopen(path, "r");
	if (!f) {
		test_skip(file, "fichier de la suite introuvable");
		return;
	}
	struct buf in = {0}, want = {0};
	char line[8192];
	int state = 0, number = 0, lineno = 0, start = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (state == 0 && strncmp(line, FENCE " example", strlen(FENCE " example")) == 0) {
			state = 1;
			start = lineno;
			buf_reset(&in);
			buf_reset(&want);
		} else if (state == 1 && strcmp(line, ".\n") == 0) {
			state = 2;
		} else if (state == 1) {
			buf_puts(&in, line);
		} else if (state == 2 && strncmp(line, FENCE, strlen(FENCE)) == 0) {
			state = 0;
			run(file, ++number, start, &in, &want, ext, k);
		} else if (state == 2) {
			buf_puts(&want, line);
		}
	}
	fclose(f);
	buf_free(&in);
	buf_free(&want);
}

/* Runs one suite against the HTML renderer. */
static void run_suite(const char *dir, const char *file, const char *ext)
{
	struct counts k = {0};
	read_suite(dir, file, ext, run_example, &k);
	printf("md4c %-31s %3d identiques, %2d HTML brut échappé, %d lien(s) refusé(s), "
	       "%d échec(s)\n", file, k.same, k.escaped, k.refused, k.failed);
}

/* Adds to words (" w1 w2 … ") each word of s[0..n): a run of letters,
 * digits and non-ASCII bytes. */
static void add_words(struct buf *words, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t start = i;
		while (i < n && (isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80))
			i++;
		if (i > start) {
			buf_append(words, s + start, i - start);
			buf_putc(words, ' ');
		} else {
			i++;
		}
	}
}

/* Collects the words a reader of html sees or follows: its text (the five
 * escaped characters decoded; block edges, line breaks and images part
 * words) and the values of its attributes. */
static void html_words(const char *html, struct buf *words)
{
	struct buf text = {0}, attrs = {0};
	for (const char *p = html; *p;) {
		if (*p == '<') {
			const char *end = strchr(p, '>');
			for (const char *q = p; end && q < end; q++)
				if (*q == '"') { /* an attribute's value */
					const char *close = memchr(q + 1, '"', (size_t)(end - q - 1));
					if (!close)
						break;
					buf_putc(&attrs, ' ');
					buf_append(&attrs, q + 1, (size_t)(close - q - 1));
					q = close;
				}
			/* a block's edge separates words, an inline tag does not */
			const char *name = p + 1 + (p[1] == '/');
			if (block_tag(name, strcspn(name, " />")))
				buf_putc(&text, ' ');
			p = end ? end + 1 : p + strlen(p);
			continue;
		}
		static const char *const escaped[][2] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"},
							 {"&quot;", "\""}, {"&#39;", "'"}};
		size_t k = 0;
		while (k < 5 && strncmp(p, escaped[k][0], strlen(escaped[k][0])) != 0)
			k++;
		buf_puts(&text, k < 5 ? escaped[k][1] : (char[]){*p, 0});
		p += k < 5 ? strlen(escaped[k][0]) : 1;
	}
	buf_putc(words, ' ');
	add_words(words, text.data ? text.data : "", text.len);
	add_words(words, attrs.data ? attrs.data : "", attrs.len);
	buf_free(&text);
	buf_free(&attrs);
}

/* One example rendered as mail text: every word of the text is (a part
 * of) a word of the HTML rendering, a list's number aside, so that none
 * was glued to the next. */
static void run_text_example(const char *file, int number, int line, struct buf *in,
			     struct buf *want, const char *ext, struct counts *k)
{
	(void)want;
	(void)ext;
	char name[256];
	snprintf(name, sizeof(name), "texte des courriers : md4c %s exemple %d (ligne %d)", file,
		 number, line);
	test_begin(name);
	tabs(in);
	struct buf html = {0}, text = {0}, seen = {0}, got = {0};
	struct md_opts all = {.spec = true, .extensions = 0x1FF & ~(unsigned)MDX_UNDERLINE};
	bool ok = md_render(buf_str(in), in->len, &all, &html, NULL, NULL) == 0 &&
		  md_render_text(buf_str(in), in->len, &text) == 0;
	html_words(buf_str(&html), &seen);
	buf_puts(&seen, "x "); /* a done task's box */
	add_words(&got, text.data ? text.data : "", text.len);
	const char *missing = NULL;
	char word[512];
	for (const char *w = buf_str(&got); ok && *w;) {
		size_t n = strcspn(w, " ");
		snprintf(word, sizeof(word), "%.*s", (int)(n < 500 ? n : 500), w);
		if (strspn(w, "0123456789") < n && !strstr(buf_str(&seen), word))
			missing = word, ok = false;
		w += n + 1;
	}
	CHECKF(ok, "mot « %s » absent du HTML\nentrée :\n%s--- texte :\n%s", missing ? missing : "?",
	       buf_str(in), buf_str(&text));
	k->same += ok;
	k->failed += !ok;
	buf_free(&html);
	buf_free(&text);
	buf_free(&seen);
	buf_free(&got);
	test_end();
}

/* Runs the md4c suites, each with the extensions md4c's scripts give it. */
void unit_md_spec(void)
{
	static const char *suites[][2] = {
		{"spec.txt", NULL},
		{"coverage.txt", NULL},
		{"tables.txt", "tables"},
		{"strikethrough.txt", "strikethrough"},
		{"tasklists.txt", "tasklists"},
		{"permissive-url-autolinks.txt", "permissive-url-autolinks"},
		{"permissive-www-autolinks.txt", "permissive-www-autolinks"},
		{"permissive-email-autolinks.txt", "permissive-email-autolinks"},
		{"wiki-links.txt", "wiki-links,tables"},
		{"underline.txt", "underline"},
		{"latex-math.txt", "latex-math"},
	};
	const char *dir = spec_dir();
	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		if (!dir)
			test_skip(suites[i][0], "suites de conformité introuvables (../shared/specs ou "
				  "MAILLAGE_SPECS)");
		else
			run_suite(dir, suites[i][0], suites[i][1]);
	}
	/* the plain text of mails: the whole corpus, no word glued to the next */
	struct counts k = {0};
	for (size_t i = 0; dir && i < sizeof(suites) / sizeof(suites[0]); i++)
		read_suite(dir, suites[i][0], NULL, run_text_example, &k);
	printf("md4c texte des courriers : %d exemples sans mot collé, %d échec(s)\n", k.same,
	       k.failed);
}
