/* fuzz_search.c — libFuzzer target for the search query simplifier: any
 * query a person types becomes an FTS5 expression that FTS5 accepts, and a
 * search with it returns a result (possibly empty) whose snippets are
 * escaped, for an anonymous reader and for the coordination. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/auth.h"
#include "../../src/db.h"
#include "../../src/search.h"

/* Opens a small database once: one body, a public and a members' meeting. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	static char dir[] = "/tmp/maillage-fuzz-search-XXXXXX";
	char path[64];
	struct buf err = {0};
	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof(path), "%s/f.db", dir);
	if (db_open(path, true, &err) < 0 ||
	    db_exec("INSERT INTO body (slug, name, kind, description_text) VALUES ('gt', "
		    "'GT Logement', 'working_group', 'Le groupe « logement » : l''accès au "
		    "logement des personnes accompagnées.')", NULL) != 1 ||
	    db_exec("INSERT INTO meeting (body_id, title, start, visibility, minutes_text) VALUES "
		    "(1, 'Réunion de janvier', '2021-01-12T09:30', 'public', 'Les réunions "
		    "reprennent à Jemeppe-sur-Sambre ; <b>interculturalité</b> & \"AND\" OR NOT.'), "
		    "(1, 'Réunion de mars', '2021-03-09T09:30', 'members', 'Œuvre : "
		    "l''intégration, 2021, NEAR(a b), col:val, * ^ -x.')", NULL) != 2)
		abort();
	/* the files are removed now; the open connection keeps them alive */
	unlink(path);
	char wal[80];
	snprintf(wal, sizeof(wal), "%s-wal", path);
	unlink(wal);
	snprintf(wal, sizeof(wal), "%s-shm", path);
	unlink(wal);
	rmdir(dir);
	buf_free(&err);
	return 0;
}

/* Aborts unless every snippet's markup is only <mark> and </mark>. */
static void check_escaped(json_t *r)
{
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(r, "results"), i, row) {
		const char *s = json_string_value(json_object_get(row, "snippet_html"));
		for (const char *p = s ? strchr(s, '<') : NULL; p; p = strchr(p + 1, '<'))
			if (strncmp(p, "<mark>", 6) != 0 && strncmp(p, "</mark>", 7) != 0)
				abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *q = malloc(size + 1);
	memcpy(q, data, size);
	q[size] = '\0';
	struct buf expr = {0};
	search_expression(q, &expr);
	if (expr.len && db_int(-1, "SELECT count(*) FROM doc_fts WHERE doc_fts MATCH ?", "t",
			       buf_str(&expr)) < 0)
		abort(); /* FTS5 refused what the simplifier wrote */
	for (int role = ROLE_ANON; role <= ROLE_COORDINATOR; role += ROLE_COORDINATOR) {
		struct search_query sq = {.q = q, .page = 1, .role = role};
		json_t *r = search_run(&sq);
		if (!r)
			abort();
		check_escaped(r);
		json_decref(r);
	}
	buf_free(&expr);
	free(q);
	return 0;
}
