/* template.c — the Mustache subset over templates/: parsed once into a tree,
 * rendered against jansson values with HTML escaping by default. */
#include "template.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "html.h"
#include "text.h"

#define TMPL_MAX_DEPTH 100 /* nested contexts and partials */
#define TMPL_MAX_EXPANSIONS 10000 /* partials rendered by one render, in all */

enum node_kind { N_TEXT, N_VAR, N_RAW, N_SECTION, N_INVERTED, N_PARTIAL };

struct node;

struct node_list {
	struct node *items;
	size_t n, cap;
};

struct node {
	enum node_kind kind;
	const char *text; /* N_TEXT: slice of the template's source */
	size_t len;
	char *name;       /* tag name (dotted path or partial name) */
	char **path;      /* name split at dots; npath 0 means "." */
	size_t npath;
	char *indent;     /* N_PARTIAL: indentation of a standalone tag */
	struct node_list children;
};

struct tmpl {
	char *name;
	char *src;
	struct node_list nodes;
	struct tmpl *next;
};

struct tmpl_set {
	struct tmpl *list;
	char *dir;         /* where tmpl_load_dir read from, for dev reloads */
	time_t newest;     /* newest mtime seen there */
};

/* Returns a new empty set of templates; free it with tmpl_set_free. */
struct tmpl_set *tmpl_set_new(void)
{
	struct tmpl_set *s = calloc(1, sizeof(*s));
	if (!s)
		abort();
	return s;
}

/* Frees the nodes of a list, recursively. */
static void nodes_free(struct node_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct node *nd = &l->items[i];
		free(nd->name);
		for (size_t k = 0; k < nd->npath; k++)
			free(nd->path[k]);
		free(nd->path);
		free(nd->indent);
		nodes_free(&nd->children);
	}
	free(l->items);
}

/* Frees one template. */
static void tmpl_free(struct tmpl *t)
{
	free(t->name);
	free(t->src);
	nodes_free(&t->nodes);
	free(t);
}

/* Frees the set and every template in it. */
void tmpl_set_free(struct tmpl_set *set)
{
	if (!set)
		return;
	struct tmpl *t = set->list;
	while (t) {
		struct tmpl *next = t->next;
		tmpl_free(t);
		t = next;
	}
	free(set->dir);
	free(set);
}

/* Appends a zeroed node to l and returns it. */
static struct node *node_push(struct node_list *l, enum node_kind kind)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->items = realloc(l->items, l->cap * sizeof(*l->items));
		if (!l->items)
			abort();
	}
	struct node *nd = &l->items[l->n++];
	memset(nd, 0, sizeof(*nd));
	nd->kind = kind;
	return nd;
}


/* Sets the name of nd and splits it at dots into its path. */
static void node_name(struct node *nd, const char *s, size_t n)
{
	nd->name = text_dup(s, n);
	if (n == 1 && s[0] == '.')
		return;
	nd->npath = 1;
	for (size_t i = 0; i < n; i++)
		nd->npath += s[i] == '.';
	nd->path = calloc(nd->npath, sizeof(char *));
	if (!nd->path)
		abort();
	size_t k = 0, start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			nd->path[k++] = text_dup(s + start, i - start);
			start = i + 1;
		}
	}
}

/* Tells whether c is a space or a tab. */
static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Returns the 1-based line number of offset off in src. */
static int line_of(const char *src, size_t off)
{
	int line = 1;
	for (size_t i = 0; i < off; i++)
		line += src[i] == '\n';
	return line;
}

/* Finds where the line holding a standalone tag ends (after its newline), or
 * returns -1 when other text shares the line with the tag. */
static long standalone_end(const char *src, size_t len, size_t ls, size_t open,
			   size_t close)
{
	for (size_t i = ls; i < open; i++)
		if (!is_blank(src[i]))
			return -1;
	size_t i = close;
	while (i < len && is_blank(src[i]))
		i++;
	if (i == len)
		return (long)i;
	if (src[i] == '\n')
		return (long)i + 1;
	if (src[i] == '\r' && i + 1 < len && src[i + 1] == '\n')
		return (long)i + 2;
	return -1;
}

/* Parses src into t->nodes; returns -1 and a message in err on a syntax error. */
static int parse(struct tmpl *t, const char *src, size_t len, struct buf *err)
{
	struct node_list *stack[TMPL_MAX_DEPTH];
	struct node *open_nodes[TMPL_MAX_DEPTH];
	size_t depth = 0;
	struct node_list *cur = &t->nodes;
	size_t pos = 0;

	for (;;) {
		const char *o = memmem(src + pos, len - pos, "{{", 2);
		if (!o) {
			if (pos < len) {
				struct node *nd = node_push(cur, N_TEXT);
				nd->text = src + pos;
				nd->len = len - pos;
			}
			break;
		}
		size_t open = (size_t)(o - src);
		bool triple = open + 2 < len && src[open + 2] == '{';
		const char *closer = triple ? "}}}" : "}}";
		size_t from = open + 2 + triple;
		const char *c = memmem(src + from, len - from, closer, strlen(closer));
		if (!c) {
			buf_printf(err, "%s, ligne %d : balise non fermée", t->name,
				   line_of(src, open));
			return -1;
		}
		size_t inner = open + 2 + triple, close = (size_t)(c - src) + strlen(closer);
		char kind = triple ? '{' : src[inner];
		if (strchr("#^/!>&", kind) && !triple)
			inner++;
		size_t a = inner, b = (size_t)(c - src);
		while (a < b && is_blank(src[a]))
			a++;
		while (b > a && is_blank(src[b - 1]))
			b--;
		if (kind == '=') {
			buf_printf(err, "%s, ligne %d : changement de délimiteurs non pris en charge",
				   t->name, line_of(src, open));
			return -1;
		}
		if (kind != '!' && a == b) {
			buf_printf(err, "%s, ligne %d : balise vide", t->name, line_of(src, open));
			return -1;
		}
		size_t ls = open;
		while (ls > 0 && src[ls - 1] != '\n')
			ls--;
		long end = -1;
		if (strchr("#^/!>", kind))
			end = standalone_end(src, len, ls, open, close);
		size_t text_end = end >= 0 ? ls : open;
		if (text_end > pos) {
			struct node *nd = node_push(cur, N_TEXT);
			nd->text = src + pos;
			nd->len = text_end - pos;
		}
		pos = end >= 0 ? (size_t)end : close;

		struct node *nd;
		switch (kind) {
		case '!':
			break;
		case '#':
		case '^':
			if (depth == TMPL_MAX_DEPTH) {
				buf_printf(err, "%s, ligne %d : sections trop imbriquées", t->name,
					   line_of(src, open));
				return -1;
			}
			nd = node_push(cur, kind == '#' ? N_SECTION : N_INVERTED);
			node_name(nd, src + a, b - a);
			stack[depth] = cur;
			open_nodes[depth++] = nd;
			cur = &nd->children;
			break;
		case '/':
			if (depth == 0 || strlen(open_nodes[depth - 1]->name) != b - a ||
			    memcmp(open_nodes[depth - 1]->name, src + a, b - a) != 0) {
				buf_printf(err, "%s, ligne %d : fermeture inattendue de « %.*s »",
					   t->name, line_of(src, open), (int)(b - a), src + a);
				return -1;
			}
			cur = stack[--depth];
			break;
		case '>':
			nd = node_push(cur, N_PARTIAL);
			nd->name = text_dup(src + a, b - a);
			if (end >= 0 && open > ls)
				nd->indent = text_dup(src + ls, open - ls);
			break;
		default:
			nd = node_push(cur, kind == '{' || kind == '&' ? N_RAW : N_VAR);
			node_name(nd, src + a, b - a);
		}
	}
	if (depth) {
		buf_printf(err, "%s : section « %s » non fermée", t->name,
			   open_nodes[depth - 1]->name);
		return -1;
	}
	return 0;
}

/* Compiles src into a new template called name, or NULL with err set. */
static struct tmpl *compile(const char *name, const char *src, size_t len, struct buf *err)
{
	struct tmpl *t = calloc(1, sizeof(*t));
	if (!t)
		abort();
	t->name = text_dup(name, strlen(name));
	t->src = text_dup(src, len);
	if (parse(t, t->src, len, err) < 0) {
		tmpl_free(t);
		return NULL;
	}
	return t;
}

/* Compiles src[0..len) under name, replacing a template of that name. */
int tmpl_add(struct tmpl_set *set, const char *name, const char *src, size_t len,
	     struct buf *err)
{
	struct tmpl *t = compile(name, src, len, err);
	if (!t)
		return -1;
	for (struct tmpl **p = &set->list; *p; p = &(*p)->next) {
		if (strcmp((*p)->name, name) == 0) {
			struct tmpl *old = *p;
			t->next = old->next;
			*p = t;
			tmpl_free(old);
			return 0;
		}
	}
	t->next = set->list;
	set->list = t;
	return 0;
}

/* Returns the newest mtime of the .mustache files in dir (0 if none). */
static time_t newest_mtime(const char *dir)
{
	time_t newest = 0;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *e;
	char path[4096];
	while ((e = readdir(d))) {
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (strstr(e->d_name, ".mustache") && stat(path, &st) == 0 &&
		    st.st_mtime > newest)
			newest = st.st_mtime;
	}
	closedir(d);
	return newest;
}

/* Loads every NAME.mustache file of dir into the set; -1 and err on failure. */
int tmpl_load_dir(struct tmpl_set *set, const char *dir, struct buf *err)
{
	DIR *d = opendir(dir);
	if (!d) {
		buf_printf(err, "dossier de gabarits illisible : %s", dir);
		return -1;
	}
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		const char *ext = ".mustache";
		if (n <= strlen(ext) || strcmp(e->d_name + n - strlen(ext), ext) != 0)
			continue;
		char path[4096], name[256];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		snprintf(name, sizeof(name), "%.*s", (int)(n - strlen(ext)), e->d_name);
		struct buf src = {0};
		if (buf_read_file(&src, path) < 0) {
			buf_printf(err, "gabarit illisible : %s", path);
			rc = -1;
		} else {
			rc = tmpl_add(set, name, buf_str(&src), src.len, err);
		}
		buf_free(&src);
	}
	closedir(d);
	free(set->dir);
	set->dir = text_dup(dir, strlen(dir));
	set->newest = newest_mtime(dir);
	return rc;
}

/* Tells whether a file of the directory the set was loaded from changed. */
bool tmpl_dir_changed(const struct tmpl_set *set)
{
	return set->dir && newest_mtime(set->dir) != set->newest;
}

/* Takes the folder's files as they are now as seen (a set kept after its
 * files failed to compile is then not reloaded until they change again). */
void tmpl_dir_seen(struct tmpl_set *set)
{
	if (set->dir)
		set->newest = newest_mtime(set->dir);
}

/* Returns the template called name, or NULL. */
static const struct tmpl *find(const struct tmpl_set *set, const char *name)
{
	for (const struct tmpl *t = set->list; t; t = t->next)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

/* Tells whether the set holds a template called name. */
bool tmpl_exists(const struct tmpl_set *set, const char *name)
{
	return find(set, name) != NULL;
}

struct ctx {
	const struct tmpl_set *set;
	json_t *stack[TMPL_MAX_DEPTH];
	size_t depth;
	size_t partials; /* partials being rendered, against runaway recursion */
	size_t expansions; /* partials rendered so far, against exponential recursion */
	struct buf *out;
};

/* Resolves a tag's name against the context stack; NULL when missing. */
static json_t *lookup(const struct ctx *cx, const struct node *nd)
{
	if (nd->npath == 0)
		return cx->depth ? cx->stack[cx->depth - 1] : NULL;
	json_t *v = NULL;
	for (size_t i = cx->depth; i-- > 0;) {
		json_t *o = cx->stack[i];
		if (json_is_object(o) && (v = json_object_get(o, nd->path[0])))
			break;
	}
	for (size_t k = 1; v && k < nd->npath; k++)
		v = json_is_object(v) ? json_object_get(v, nd->path[k]) : NULL;
	return v;
}

/* Tells whether a value hides a section: missing, null, false, "", 0, []. */
static bool falsy(json_t *v)
{
	return !v || json_is_null(v) || json_is_false(v) ||
	       (json_is_string(v) && json_string_length(v) == 0) ||
	       (json_is_integer(v) && json_integer_value(v) == 0) ||
	       (json_is_array(v) && json_array_size(v) == 0);
}

/* Appends the text of a scalar value, escaped unless raw. */
static void put_value(struct buf *out, json_t *v, bool raw)
{
	char num[64];
	const char *s = NULL;
	size_t n = 0;
	if (json_is_string(v)) {
		s = json_string_value(v);
		n = json_string_length(v);
	} else if (json_is_integer(v)) {
		n = (size_t)snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		s = num;
	} else if (json_is_real(v)) {
		n = (size_t)snprintf(num, sizeof(num), "%.15g", json_real_value(v));
		s = num;
	} else if (json_is_boolean(v)) {
		s = json_is_true(v) ? "true" : "false";
		n = strlen(s);
	}
	if (!s)
		return;
	if (raw)
		buf_append(out, s, n);
	else
		html_escape(out, s, n);
}

static void render_list(struct ctx *cx, const struct node_list *l);

/* Renders children with v pushed on the context stack. */
static void render_with(struct ctx *cx, json_t *v, const struct node_list *l)
{
	if (cx->depth == TMPL_MAX_DEPTH)
		return;
	cx->stack[cx->depth++] = v;
	render_list(cx, l);
	cx->depth--;
}

/* Returns src with indent put before each of its lines (malloc'd). */
static char *indent_source(const char *src, const char *indent, size_t *len)
{
	struct buf b = {0};
	bool at_start = true;
	for (const char *p = src; *p; p++) {
		if (at_start)
			buf_puts(&b, indent);
		buf_putc(&b, *p);
		at_start = *p == '\n';
	}
	*len = b.len;
	return buf_detach(&b);
}

/* Renders a partial tag, indenting each line of a standalone one. */
static void render_partial(struct ctx *cx, const struct node *nd)
{
	const struct tmpl *t = find(cx->set, nd->name);
	if (!t || cx->partials >= TMPL_MAX_DEPTH || cx->expansions >= TMPL_MAX_EXPANSIONS)
		return;
	cx->partials++;
	cx->expansions++;
	if (!nd->indent) {
		render_list(cx, &t->nodes);
	} else {
		size_t len;
		char *src = indent_source(t->src, nd->indent, &len);
		struct buf err = {0};
		struct tmpl *it = compile(t->name, src, len, &err);
		if (it) {
			render_list(cx, &it->nodes);
			tmpl_free(it);
		}
		buf_free(&err);
		free(src);
	}
	cx->partials--;
}

/* Renders a list of nodes into cx->out. */
static void render_list(struct ctx *cx, const struct node_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct node *nd = &l->items[i];
		json_t *v;
		switch (nd->kind) {
		case N_TEXT:
			buf_append(cx->out, nd->text, nd->len);
			break;
		case N_VAR:
		case N_RAW:
			v = lookup(cx, nd);
			if (v)
				put_value(cx->out, v, nd->kind == N_RAW);
			break;
		case N_SECTION:
			v = lookup(cx, nd);
			if (falsy(v))
				break;
			if (json_is_array(v)) {
				size_t k;
				json_t *item;
				json_array_foreach(v, k, item)
					render_with(cx, item, &nd->children);
			} else {
				render_with(cx, v, &nd->children);
			}
			break;
		case N_INVERTED:
			if (falsy(lookup(cx, nd)))
				render_list(cx, &nd->children);
			break;
		case N_PARTIAL:
			render_partial(cx, nd);
			break;
		}
	}
}

/* Renders template name with data as the root context, appending to out. */
int tmpl_render(const struct tmpl_set *set, const char *name, json_t *data,
		struct buf *out)
{
	const struct tmpl *t = find(set, name);
	if (!t)
		return -1;
	struct ctx cx = {.set = set, .out = out};
	cx.stack[cx.depth++] = data;
	render_list(&cx, &t->nodes);
	return 0;
}
