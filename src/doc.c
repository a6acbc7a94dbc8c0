/* doc.c — the network's Markdown documents: rendered with the glossary and
 * the wiki-link targets of the database. */
#include "doc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "html.h"
#include "text.h"
#include "vocab.h"

/* Appends the URL of the page a wiki link names; tells whether there is one.
 * Communes first (by name), then bodies, then organisations (by slug, name
 * or acronym). ctx points to a bool: whether the text is read only by the
 * board and the coordination (an internal body is a target then only). */
bool doc_wiki_target(const char *target, struct buf *href, void *ctx)
{
	long long inner = ctx && *(const bool *)ctx;
	struct buf slug = {0};
	text_slugify(&slug, target, strlen(target), 80);
	json_t *row = db_row(
		"SELECT '/communes/' || nis AS url FROM commune WHERE name = ? COLLATE NOCASE "
		"UNION ALL SELECT '/bodies/' || slug FROM body WHERE (slug = ? OR name = ? COLLATE "
		"NOCASE) AND (visibility <> 'internal' OR ?) "
		"UNION ALL SELECT '/organisations/' || slug FROM organisation WHERE slug = ? "
		"OR acronym = ? COLLATE NOCASE OR name = ? COLLATE NOCASE LIMIT 1", "tttittt",
		target, buf_str(&slug), target, inner, buf_str(&slug), target, target);
	buf_free(&slug);
	const char *url = json_string_value(json_object_get(row, "url"));
	if (url)
		buf_puts(href, url);
	json_decref(row);
	return url != NULL;
}

/* A table whose Markdown columns are stored rendered: how to find its stale
 * rows (id, visibility, then each source) and how to store them again (html and text of
 * each source, the version, the id). */
struct rendered {
	const char *count, *stale, *update;
	int sources;
	const char *mention; /* marks stale the rows whose sources hold ?1 */
	bool minutes;        /* s1 is a meeting's minutes (actions from their rows) */
};

/* (The stale rows are read in the order of their render_version index: in
 * id order, SQLite would walk every row of a large table to find none.) */
static const struct rendered rendered[] = {
	{"SELECT count(*) FROM organisation WHERE render_version < ?",
	 "SELECT id, 'public' AS v, description AS s0 FROM organisation WHERE render_version < ? "
	 "ORDER BY render_version, id LIMIT 50",
	 "UPDATE organisation SET description_html = ?, description_text = ?, render_version = ? "
	 "WHERE id = ?", 1,
	 "UPDATE organisation SET render_version = 0 WHERE instr(description, ?1) > 0", false},
	{"SELECT count(*) FROM body WHERE render_version < ?",
	 "SELECT id, visibility AS v, description AS s0 FROM body WHERE render_version < ? "
	 "ORDER BY render_version, id LIMIT 50",
	 "UPDATE body SET description_html = ?, description_text = ?, render_version = ? "
	 "WHERE id = ?", 1, "UPDATE body SET render_version = 0 WHERE instr(description, ?1) > 0",
	 false},
	{"SELECT count(*) FROM meeting WHERE render_version < ?",
	 "SELECT id, visibility AS v, agenda AS s0, minutes AS s1 FROM meeting WHERE "
	 "render_version < ? "
	 "ORDER BY render_version, id LIMIT 50",
	 "UPDATE meeting SET agenda_html = ?, agenda_text = ?, minutes_html = ?, minutes_text = ?, "
	 "render_version = ? WHERE id = ?", 2,
	 "UPDATE meeting SET render_version = 0 WHERE instr(agenda, ?1) > 0 OR instr(minutes, ?1) > 0",
	 true},
	{"SELECT count(*) FROM letter WHERE render_version < ?",
	 "SELECT id, visibility AS v, text AS s0 FROM letter WHERE render_version < ? "
	 "ORDER BY render_version, id LIMIT 50",
	 "UPDATE letter SET text_html = ?, text_text = ?, render_version = ? WHERE id = ?", 1,
	 "UPDATE letter SET render_version = 0 WHERE instr(text, ?1) > 0", false},
	{"SELECT count(*) FROM motion WHERE render_version < ?",
	 "SELECT id, visibility AS v, text AS s0 FROM motion WHERE render_version < ? "
	 "ORDER BY render_version, id LIMIT 50",
	 "UPDATE motion SET text_html = ?, text_text = ?, render_version = ? WHERE id = ?", 1,
	 "UPDATE motion SET render_version = 0 WHERE instr(text, ?1) > 0", false},
	{"SELECT count(*) FROM body_review WHERE render_version < ?",
	 "SELECT r.id, b.visibility AS v, r.bilan AS s0, r.perspectives AS s1 FROM body_review r "
	 "JOIN body b ON b.id = r.body_id WHERE r.render_version < ? "
	 "ORDER BY r.render_version, r.id LIMIT 50",
	 "UPDATE body_review SET bilan_html = ?, bilan_text = ?, perspectives_html = ?, "
	 "perspectives_text = ?, render_version = ? WHERE id = ?", 2,
	 "UPDATE body_review SET render_version = 0 WHERE instr(bilan, ?1) > 0 OR "
	 "instr(perspectives, ?1) > 0", false},
};

/* Counts the stored documents rendered by an older renderer; -1 on error. */
long long doc_stale_count(void)
{
	long long total = 0;
	for (size_t i = 0; i < sizeof(rendered) / sizeof(rendered[0]); i++) {
		long long n = db_int(-1, rendered[i].count, "i", (long long)MD_RENDERER_VERSION);
		if (n < 0)
			return -1;
		total += n;
	}
	return total;
}

/* Marks stale every stored document whose source mentions term (a
 * glossary entry changed); returns how many, or -1. */
long long doc_mark_mentioning(const char *term)
{
	long long total = 0;
	for (size_t i = 0; i < sizeof(rendered) / sizeof(rendered[0]); i++) {
		int n = db_exec(rendered[i].mention, "t", term);
		if (n < 0)
			return -1;
		total += n;
	}
	return total;
}

/* Renders one stale row and stores it; 0 or -1. */
static int refresh_row(const struct rendered *t, json_t *row)
{
	struct buf html[2] = {{0}}, text[2] = {{0}};
	int rc = 0;
	long long id = json_integer_value(json_object_get(row, "id"));
	for (int k = 0; k < t->sources && rc == 0; k++) {
		json_t *src = json_object_get(row, k ? "s1" : "s0");
		rc = doc_render_minutes(k == 1 && t->minutes ? id : 0, json_string_value(src),
					json_string_length(src),
					json_string_value(json_object_get(row, "v")), &html[k],
					&text[k], NULL);
	}
	if (rc == 0 && t->sources == 1)
		rc = db_exec(t->update, "ttii", buf_str(&html[0]), buf_str(&text[0]),
			     (long long)MD_RENDERER_VERSION, id) < 0 ? -1 : 0;
	else if (rc == 0)
		rc = db_exec(t->update, "ttttii", buf_str(&html[0]), buf_str(&text[0]),
			     buf_str(&html[1]), buf_str(&text[1]), (long long)MD_RENDERER_VERSION,
			     id) < 0 ? -1 : 0;
	for (int k = 0; k < 2; k++) {
		buf_free(&html[k]);
		buf_free(&text[k]);
	}
	return rc;
}

/* Re-renders the stored documents of an older renderer; how many, or -1. */
long long doc_refresh_stale(void)
{
	long long done = 0;
	for (size_t i = 0; i < sizeof(rendered) / sizeof(rendered[0]); i++) {
		for (;;) {
			json_t *rows = db_rows(rendered[i].stale, "i", (long long)MD_RENDERER_VERSION);
			size_t n = json_array_size(rows), k;
			json_t *row;
			if (!rows || db_begin() < 0) {
				json_decref(rows);
				return -1;
			}
			int rc = 0;
			json_array_foreach(rows, k, row)
				if (rc == 0)
					rc = refresh_row(&rendered[i], row);
			json_decref(rows);
			if (rc < 0 || db_commit() < 0) {
				db_rollback();
				return -1;
			}
			done += (long long)n;
			if (n == 0)
				break;
		}
	}
	return done;
}

/* The glossary as the renderer takes it, kept per thread (freed when the
 * thread ends): read again when another connection has committed (PRAGMA
 * data_version) or after doc_glossary_changed. */
struct glossary {
	bool loaded;
	long long version;
	json_t *rows;
	struct md_glossary *entries;
	size_t n;
};

static pthread_key_t glossary_key;
static pthread_once_t glossary_once = PTHREAD_ONCE_INIT;

/* Frees a thread's glossary (the key's destructor). */
static void glossary_free(void *p)
{
	struct glossary *g = p;
	json_decref(g->rows);
	free(g->entries);
	free(g);
}

/* Creates the key of the threads' glossaries. */
static void glossary_key_make(void)
{
	pthread_key_create(&glossary_key, glossary_free);
}

/* Returns the calling thread's glossary, created empty on first use. */
static struct glossary *glossary_get(void)
{
	pthread_once(&glossary_once, glossary_key_make);
	struct glossary *g = pthread_getspecific(glossary_key);
	if (!g) {
		if (!(g = calloc(1, sizeof(*g))))
			abort();
		pthread_setspecific(glossary_key, g);
	}
	return g;
}

/* Forgets the calling thread's glossary (after this connection changed it). */
void doc_glossary_changed(void)
{
	glossary_get()->loaded = false;
}

/* Returns the calling thread's glossary, made current. */
static struct glossary *glossary_load(void)
{
	struct glossary *g = glossary_get();
	long long version = db_int(-1, "PRAGMA data_version", NULL);
	if (g->loaded && version == g->version)
		return g;
	json_decref(g->rows);
	free(g->entries);
	g->rows = db_rows("SELECT acronym, expansion FROM glossary WHERE deleted = 0 ORDER BY acronym", NULL);
	g->n = json_array_size(g->rows);
	g->entries = g->n ? calloc(g->n, sizeof(*g->entries)) : NULL;
	if (g->n && !g->entries)
		abort();
	for (size_t i = 0; i < g->n; i++) {
		json_t *r = json_array_get(g->rows, i);
		g->entries[i].acronym = json_string_value(json_object_get(r, "acronym"));
		g->entries[i].expansion = json_string_value(json_object_get(r, "expansion"));
	}
	g->version = version;
	g->loaded = g->rows != NULL;
	return g;
}

/* What the renderer's action callback reads: the meeting's action rows, in
 * order of position (none for a text that is not stored minutes). */
struct actions_view {
	json_t *rows;
};

/* Returns the organisation that carries an action: its row's, else the one
 * the minutes name by acronym or slug; NULL when none. */
static json_t *action_owner(json_t *row, const struct md_action *a)
{
	if (row)
		return db_row("SELECT name, acronym, slug FROM organisation WHERE id = ?", "i",
			      db_num(row, "owner_organisation_id"));
	if (!a->owner)
		return NULL;
	return db_row("SELECT name, acronym, slug FROM organisation WHERE (slug = ?1 COLLATE "
		      "NOCASE OR acronym = ?1 COLLATE NOCASE) AND deleted = 0 LIMIT 1", "t",
		      a->owner);
}

/* Writes who carries action index, when it is due and its state, as the
 * meeting page shows them; returns whether it is done. */
static bool action_view(const struct md_action *a, size_t index, struct buf *html, void *ctx)
{
	const struct actions_view *v = ctx;
	json_t *row = json_array_get(v->rows, index);
	if (row && db_num(row, "position") != (long long)index + 1)
		row = NULL;
	const char *state = row ? db_str(row, "state") : a->done ? "done" : "open";
	const char *due = row ? db_str(row, "due") : a->due;
	json_t *org = action_owner(row, a);
	buf_puts(html, " <span class=\"action-meta\">");
	if (org) {
		const char *acronym = db_str(org, "acronym");
		buf_puts(html, "— <a href=\"/organisations/");
		html_escape(html, db_str(org, "slug"), strlen(db_str(org, "slug")));
		buf_puts(html, "\" title=\"");
		html_escape(html, db_str(org, "name"), strlen(db_str(org, "name")));
		buf_puts(html, "\">");
		acronym = acronym && *acronym ? acronym : db_str(org, "name");
		html_escape_text(html, acronym, strlen(acronym));
		buf_puts(html, "</a>");
	} else if (a->owner) {
		buf_puts(html, "— ");
		html_escape_text(html, a->owner, strlen(a->owner));
	}
	if (due && *due) {
		buf_puts(html, org || a->owner ? ", pour le " : "— pour le ");
		text_date_fr(html, due);
	}
	buf_printf(html, " <span class=\"badge badge-%s\">%s</span></span>", state,
		   vocab_label(&vocab_action_states, state));
	json_decref(org);
	return strcmp(state, "done") == 0;
}

/* Renders md[0..len) (followed by a NUL), a text of this visibility, as the
 * server stores it; the minutes of meeting_id (0: none) show their actions
 * as their rows say; 0 or -1. */
int doc_render_minutes(long long meeting_id, const char *md, size_t len, const char *visibility,
		       struct buf *html, struct buf *plain, struct md_actions *actions)
{
	struct glossary *g = glossary_load();
	bool inner = visibility && strcmp(visibility, "internal") == 0;
	struct actions_view v = {
		.rows = meeting_id ? db_rows("SELECT position, state, due, "
					     "coalesce(owner_organisation_id, 0) AS "
					     "owner_organisation_id FROM action WHERE meeting_id = ? "
					     "AND position > 0 ORDER BY position", "i", meeting_id)
				   : NULL};
	struct md_opts o = {.glossary = g->entries, .nglossary = g->n,
			    .wiki = doc_wiki_target, .wiki_ctx = &inner, .terminated = true,
			    .action = action_view, .action_ctx = &v};
	int rc = md_render(md, len, &o, html, plain, actions);
	json_decref(v.rows);
	return rc;
}

/* Renders md[0..len) (followed by a NUL), a text of this visibility, as the
 * server stores it; 0 or -1. */
int doc_render(const char *md, size_t len, const char *visibility, struct buf *html,
	       struct buf *plain, struct md_actions *actions)
{
	return doc_render_minutes(0, md, len, visibility, html, plain, actions);
}

/* Renders again the stored minutes of meeting id (after one of its actions
 * changed); 0 or -1. */
int doc_refresh_minutes(long long id)
{
	json_t *m = db_row("SELECT minutes, visibility FROM meeting WHERE id = ?", "i", id);
	if (!m)
		return -1;
	struct buf html = {0};
	const char *md = db_str(m, "minutes");
	int rc = doc_render_minutes(id, md ? md : "", md ? strlen(md) : 0, db_str(m, "visibility"),
				    &html, NULL, NULL);
	if (rc == 0)
		rc = db_exec("UPDATE meeting SET minutes_html = ? WHERE id = ?", "ti", buf_str(&html),
			     id) < 0 ? -1 : 0;
	buf_free(&html);
	json_decref(m);
	return rc;
}

/* The examples of the editor's help panel « Aide à la mise en forme »: what
 * to type, and what the renderer must make of it (a test renders each one
 * and checks it, so that the help never lies). */
const struct doc_example doc_examples[] = {
	{"Titre", "## Points abordés", "<h2"},
	{"Gras", "Le dossier est **prioritaire**.", "<strong>prioritaire</strong>"},
	{"Italique", "Date *à confirmer*.", "<em>à confirmer</em>"},
	{"Liste", "- Accueil des participants\n- Tour de table", "<li>Accueil des participants</li>"},
	{"Liste numérotée", "1. Approbation du procès-verbal\n2. Divers",
	 "<ol>\n<li>Approbation du procès-verbal</li>"},
	{"Action (qui, pour quand)", "- [ ] Envoyer le courrier @CAI 15/03/2027",
	 "Envoyer le courrier <span class=\"action-meta\">"},
	{"Lien vers un site", "Voir [le formulaire](https://exemple.be/formulaire).",
	 "<a href=\"https://exemple.be/formulaire\""},
	{"Lien vers une commune, une instance ou une organisation", "Visite à [[Andenne]].",
	 "<a href=\"/communes/"},
	{"Tableau", "| Commune | Motion |\n|---|---|\n| Andenne | votée |",
	 "<td>Andenne</td>"},
	{"Citation", "> Le conseil communal a voté la motion.", "<blockquote>"},
	{"Nouveau paragraphe", "Première idée.\n\nDeuxième idée.", "<p>Deuxième idée.</p>"},
};
const size_t doc_nexamples = sizeof(doc_examples) / sizeof(doc_examples[0]);

/* Returns the help panel's examples rendered: title, source, html. */
json_t *doc_help(void)
{
	json_t *out = json_array();
	for (size_t i = 0; i < doc_nexamples; i++) {
		struct buf html = {0};
		const char *md = doc_examples[i].source;
		if (doc_render(md, strlen(md), "public", &html, NULL, NULL) == 0)
			json_array_append_new(out, json_pack("{s:s, s:s, s:s}", "title",
							     doc_examples[i].title, "source", md,
							     "html", buf_str(&html)));
		buf_free(&html);
	}
	return out;
}
