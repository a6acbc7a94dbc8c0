/* cache.c — the pages kept for anonymous visitors: served again while
 * nothing changed, never stale after a change made here or by another
 * process, never given to a logged-in reader, never made from one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/cache.h"
#include "../../src/db.h"
#include "../test.h"
#include "harness.h"
#include "pages.h"


/* Returns the pages served from the cache so far. */
static long long hits(void)
{
	long long h, m;
	cache_stats(&h, &m);
	return h;
}

/* GETs target as b (NULL: anonymous); returns whether the page has s. */
static bool page_has(struct browser *b, const char *target, const char *s)
{
	struct call c;
	bool found = call(&c, b, "GET", target, NULL) == 200 &&
		     strstr(buf_str(&c.resp.body), s) != NULL;
	call_free(&c);
	return found;
}

/* A public meeting's page: kept after the first visit, the same bytes the
 * second time; a change committed here shows at once. */
static void cache_kept_until_change(void)
{
	long long id = db_int(0, "SELECT id FROM meeting WHERE visibility = 'public' AND deleted = 0 "
			      "ORDER BY id", NULL);
	char target[64];
	snprintf(target, sizeof(target), "/meetings/%lld", id);
	struct call first, second;
	CHECK_INT(call(&first, NULL, "GET", target, NULL), 200);
	long long before = hits();
	CHECK_INT(call(&second, NULL, "GET", target, NULL), 200);
	CHECK_INT(hits(), before + 1);
	CHECK(first.resp.body.len == second.resp.body.len &&
	      memcmp(first.resp.body.data, second.resp.body.data, first.resp.body.len) == 0);
	call_free(&first);
	call_free(&second);
	CHECK(db_exec("UPDATE meeting SET title = 'Titre changé ici' WHERE id = ?", "i", id) == 1);
	CHECK(page_has(NULL, target, "Titre changé ici"));
}

/* A change committed by another process (sqlite3 on the same file) shows
 * at once too. */
static void cache_sees_other_processes(void)
{
	long long id = db_int(0, "SELECT id FROM meeting WHERE visibility = 'public' AND deleted = 0 "
			      "ORDER BY id", NULL);
	char target[64], cmd[400];
	snprintf(target, sizeof(target), "/meetings/%lld", id);
	CHECK(page_has(NULL, target, "<h1"));
	long long before = hits();
	CHECK(page_has(NULL, target, "<h1"));
	CHECK_INT(hits(), before + 1); /* kept */
	snprintf(cmd, sizeof(cmd), "sqlite3 %s \"UPDATE meeting SET title = 'Titre changé dehors' "
		 "WHERE id = %lld\"", harness_db_path(), id);
	CHECK_INT(system(cmd), 0);
	CHECK(page_has(NULL, target, "Titre changé dehors"));
	CHECK_INT(hits(), before + 1); /* made again, not served stale */
	CHECK(page_has(NULL, target, "Titre changé dehors"));
	CHECK_INT(hits(), before + 2); /* and kept again */
}

/* The list as an anonymous visitor is kept; a member asking for the same
 * address gets their own (with the members' meeting), and what they got
 * is never given to the next anonymous visitor. */
static void cache_only_for_anonymous(void)
{
	struct browser cpas = {0};
	CHECK_INT(harness_login(&cpas, "cpas@pages.test", PASSWORD), 303);
	const char *target = "/bodies/coordination-locale-namur";
	const char *members = "Rencontre avec les services sociaux";
	CHECK(!page_has(NULL, target, members));
	CHECK(!page_has(NULL, target, members)); /* from the cache */
	long long before = hits();
	CHECK(page_has(&cpas, target, members));
	CHECK(page_has(&cpas, target, members));
	CHECK_INT(hits(), before); /* a member never reads the cache */
	CHECK(!page_has(NULL, target, members));
}

/* Runs the cache tests. */
void pages_cache(void)
{
	harness_fresh();
	RUN(cache_kept_until_change);
	RUN(cache_sees_other_processes);
	RUN(cache_only_for_anonymous);
}
