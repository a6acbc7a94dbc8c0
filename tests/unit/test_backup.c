/* test_backup.c — `maillage backup` while twenty writers are busy: the copy
 * opens, passes `maillage check`, and holds every write acknowledged
 * before the backup started; `maillage restore` puts it back. */
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../src/buf.h"
#include "../../src/db.h"
#include "../test.h"
#include "unit.h"

#define WRITERS 20

static atomic_bool stop;
static atomic_long acked[WRITERS]; /* writes each writer saw committed */

/* One writer: audit lines, each committed, counted once acknowledged. */
static void *writer(void *arg)
{
	long n = (long)(intptr_t)arg;
	char object[32];
	snprintf(object, sizeof(object), "writer-%ld", n);
	while (!atomic_load(&stop)) {
		if (db_audit(0, "write", object, atomic_load(&acked[n]) + 1, NULL, NULL) == 0)
			atomic_fetch_add(&acked[n], 1);
	}
	db_close();
	return NULL;
}

/* Returns the binary under test. */
static const char *binary(void)
{
	const char *b = getenv("MAILLAGE_BIN");
	return b && *b ? b : "build/asan/maillage";
}

/* Runs "maillage ARGS"; returns its exit status. */
static int run(const char *args)
{
	char cmd[1000];
	snprintf(cmd, sizeof(cmd), "%s %s >/dev/null 2>&1", binary(), args);
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A backup (or any command) opens a database that a writer holds locked
 * at that very moment: opening an up-to-date database takes no write
 * lock, so it does not wait for the writer nor fail after the busy
 * timeout (the full suite once failed so, twenty writers on a loaded
 * machine). */
static void backup_beside_a_writer(void)
{
	char dir[] = "/tmp/maillage-locked-XXXXXX", db[96], copy[96], args[300];
	struct buf err = {0};
	CHECK(mkdtemp(dir) != NULL);
	snprintf(db, sizeof(db), "%s/live.db", dir);
	snprintf(copy, sizeof(copy), "%s/copie.db", dir);
	CHECK(db_open(db, true, &err) == 0);
	CHECK(db_audit(0, "write", "avant", 1, NULL, NULL) == 0);
	db_close();
	sqlite3 *w = NULL;
	CHECK(sqlite3_open(db, &w) == SQLITE_OK);
	CHECK(sqlite3_exec(w, "BEGIN IMMEDIATE; INSERT INTO audit (action, object) VALUES "
			   "('write', 'pendant')", NULL, NULL, NULL) == SQLITE_OK);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	snprintf(args, sizeof(args), "backup %s --db %s", copy, db);
	CHECK_INT(run(args), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double waited = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	CHECKF(waited < 4.0, "la copie a attendu %.1f s le verrou d'écriture", waited);
	CHECK(sqlite3_exec(w, "COMMIT", NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(w);
	CHECK(db_open(copy, false, &err) == 0);
	CHECK_INT(db_int(-1, "SELECT count(*) FROM audit WHERE object = 'avant'", NULL), 1);
	CHECK_INT(db_int(-1, "SELECT count(*) FROM audit WHERE object = 'pendant'", NULL), 0);
	db_close();
	snprintf(args, sizeof(args), "rm -rf %s", dir);
	CHECK(system(args) == 0);
	buf_free(&err);
}

/* Twenty writers, a backup in the middle, the copy checked against what
 * was acknowledged when it began; then restored over a changed base. */
static void backup_while_writing(void)
{
	char dir[] = "/tmp/maillage-backup-XXXXXX", db[96], copy[96], args[300];
	struct buf err = {0};
	CHECK(mkdtemp(dir) != NULL);
	snprintf(db, sizeof(db), "%s/live.db", dir);
	snprintf(copy, sizeof(copy), "%s/copie.db", dir);
	CHECK(db_open(db, true, &err) == 0);
	pthread_t t[WRITERS];
	for (long i = 0; i < WRITERS; i++)
		pthread_create(&t[i], NULL, writer, (void *)(intptr_t)i);
	usleep(300000);
	long before[WRITERS];
	for (int i = 0; i < WRITERS; i++)
		before[i] = atomic_load(&acked[i]);
	snprintf(args, sizeof(args), "backup %s --db %s", copy, db);
	CHECK_INT(run(args), 0);
	usleep(100000);
	atomic_store(&stop, true);
	for (int i = 0; i < WRITERS; i++)
		pthread_join(t[i], NULL);
	long total = 0;
	for (int i = 0; i < WRITERS; i++)
		total += atomic_load(&acked[i]);
	CHECK(total > WRITERS); /* the writers did write meanwhile */
	db_close();
	snprintf(args, sizeof(args), "check --db %s", copy);
	CHECK_INT(run(args), 0);
	CHECK(db_open(copy, false, &err) == 0);
	for (int i = 0; i < WRITERS; i++) {
		char object[32];
		snprintf(object, sizeof(object), "writer-%d", i);
		long long held = db_int(-1, "SELECT count(*) FROM audit WHERE object = ?", "t", object);
		CHECKF(held >= before[i], "%s : %lld lignes, %ld écrites avant la copie", object, held,
		       before[i]);
		CHECKF(db_int(0, "SELECT max(object_id) = count(*) FROM audit WHERE object = ?", "t",
			      object) == 1 || held == 0, "%s : une écriture manque au milieu", object);
	}
	long long in_copy = db_int(0, "SELECT count(*) FROM audit WHERE action = 'write'", NULL);
	db_close();
	/* restore: the base gets the copy's content back */
	CHECK(db_open(db, false, &err) == 0);
	CHECK(db_exec("DELETE FROM audit", NULL) > 0);
	db_close();
	snprintf(args, sizeof(args), "restore %s --db %s", copy, db);
	CHECK_INT(run(args), 0);
	CHECK(db_open(db, false, &err) == 0);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit WHERE action = 'write'", NULL), in_copy);
	db_close();
	/* a file that is not a backup is refused, and the base is unchanged */
	snprintf(args, sizeof(args), "%s/faux.db", dir);
	FILE *f = fopen(args, "w");
	if (f) {
		fputs("ceci n'est pas une base", f);
		fclose(f);
	}
	char restore[700];
	snprintf(restore, sizeof(restore), "restore %s --db %s", args, db);
	CHECK_INT(run(restore), 1);
	CHECK(db_open(db, false, &err) == 0);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit WHERE action = 'write'", NULL), in_copy);
	db_close();
	snprintf(restore, sizeof(restore), "backup %s/nulle/part/copie.db --db %s", dir, db);
	CHECK_INT(run(restore), 1);
	buf_free(&err);
	snprintf(args, sizeof(args), "rm -rf %s", dir);
	CHECK(system(args) == 0);
}

/* Runs the backup tests. */
void unit_backup(void)
{
	RUN(backup_beside_a_writer);
	RUN(backup_while_writing);
}
