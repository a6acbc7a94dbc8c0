/* load.c — 200 connections for LOAD_SECONDS (60 by default) of mixed reads
 * and writes from wrk against the demo network: no error, no 4xx or 5xx,
 * every acknowledged write stored, the database sound; p50 and p99 are
 * printed with the result. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../test.h"
#include "live.h"

void integration_load(void);

#define PASSWORD "un mot de passe assez long"

/* The figures wrk's done() prints (see load.lua). */
struct load {
	long requests, status, connect, read, write, timeout, writes;
	double p50, p99, max;
};

/* Reads the "charge:" line of wrk's output into l; true when found. */
static bool parse_load(const char *out, struct load *l)
{
	const char *p = strstr(out, "charge: ");
	return p && sscanf(p, "charge: requetes=%ld statut=%ld connexion=%ld lecture=%ld "
			   "ecriture=%ld delai=%ld ecritures=%ld p50=%lf p99=%lf max=%lf",
			   &l->requests, &l->status, &l->connect, &l->read, &l->write, &l->timeout,
			   &l->writes, &l->p50, &l->p99, &l->max) == 10;
}

/* Starts the demo network with a coordinator of its own; 0 or -1. */
static int start_demo(struct live *s)
{
	struct buf out = {0};
	char args[300];
	snprintf(s->dir, sizeof(s->dir), "/tmp/maillage-load-XXXXXX");
	if (!mkdtemp(s->dir))
		return -1;
	snprintf(args, sizeof(args), "init --demo --db %s/live.db", s->dir);
	int rc = live_cli(args, NULL, &out);
	snprintf(args, sizeof(args), "user add charge@load.test --role coordinator --name Charge "
		 "--password-stdin --db %s/live.db", s->dir);
	if (!rc)
		rc = live_cli(args, PASSWORD "\n", &out);
	if (rc)
		fprintf(stderr, "%s\n", buf_str(&out));
	buf_free(&out);
	return rc ? -1 : live_resume(s, NULL);
}

/* Runs wrk with load.lua for seconds against s as client c; its output
 * goes into out; returns its exit status. */
static int run_wrk(const struct live *s, struct client *c, int seconds, struct buf *out)
{
	struct buf cookie = {0}, cmd = {0};
	client_cookie_header(c, &cookie);
	setenv("LOAD_COOKIE", buf_str(&cookie), 1);
	setenv("LOAD_CSRF", c->csrf, 1);
	buf_printf(&cmd, "wrk -t2 -c200 -d%ds --timeout 10s -s tests/integration/load.lua "
		   "http://127.0.0.1:%d/ 2>&1", seconds, s->port);
	FILE *p = popen(buf_str(&cmd), "r");
	char line[512];
	while (p && fgets(line, sizeof(line), p))
		buf_puts(out, line);
	int rc = p ? pclose(p) : -1;
	buf_free(&cookie);
	buf_free(&cmd);
	return rc;
}

/* 200 connections of mixed traffic: nothing fails, nothing is lost. */
static void two_hundred_connections(void)
{
	struct live s;
	if (!CHECK(start_demo(&s) == 0))
		return;
	struct client c;
	struct answer a;
	client_open(&c, &s);
	CHECK_INT(client_login(&c, "charge@load.test", PASSWORD), 303);
	client_send(&c, "GET", "/letters/new", NULL, &a);
	answer_free(&a);
	const char *sec = getenv("LOAD_SECONDS");
	struct buf out = {0};
	struct load l = {0};
	CHECK_INT(run_wrk(&s, &c, sec ? atoi(sec) : 60, &out), 0);
	if (CHECKF(parse_load(buf_str(&out), &l), "sortie de wrk : %s", buf_str(&out))) {
		printf("  charge (binaire ASan) : %ld requêtes en 200 connexions, %ld écritures, p50 %.1f ms, "
		       "p99 %.1f ms, max %.1f ms\n", l.requests, l.writes, l.p50, l.p99, l.max);
		CHECKF(l.requests > 1000, "%ld requêtes", l.requests);
		CHECKF(l.status + l.connect + l.read + l.write + l.timeout == 0,
		       "erreurs : statut %ld, connexion %ld, lecture %ld, écriture %ld, délai %ld",
		       l.status, l.connect, l.read, l.write, l.timeout);
		CHECKF(l.writes >= l.requests / 10 - 200, "%ld écritures confirmées", l.writes);
	}
	CHECK_INT(client_send(&c, "GET", "/healthz", NULL, &a), 200);
	answer_free(&a);
	client_close(&c);
	CHECK(!live_log_has(&s, " 500 ") && !live_log_has(&s, "erreur 5"));
	kill(s.pid, SIGTERM);
	int st = 0;
	waitpid(s.pid, &st, 0);
	s.pid = 0;
	if (!CHECKF(WIFEXITED(st) && WEXITSTATUS(st) == 0, "fin du serveur : %d", st)) {
		char cmd[200];
		snprintf(cmd, sizeof(cmd), "tail -n 30 %s >&2", s.log);
		if (system(cmd) != 0)
			fprintf(stderr, "(journal illisible)\n");
	}
	long stored = (long)live_sql_int(&s, "SELECT count(*) FROM letter WHERE title LIKE "
						 "'Charge %'");
	/* the requests still on their way when wrk stopped may be stored too */
	CHECKF(stored >= l.writes && stored <= l.writes + 200, "%ld lettres gardées, %ld confirmées",
	       stored, l.writes);
	char args[200];
	snprintf(args, sizeof(args), "check --db %s/live.db", s.dir);
	buf_reset(&out);
	CHECK_INT(live_cli(args, NULL, &out), 0);
	buf_free(&out);
	live_stop(&s);
}

/* Runs the load test. */
void integration_load(void)
{
	RUN(two_hundred_connections);
}
