/* prepare_bench.c — preparing a meeting under load: (1) 5,000 people answer
 * 200 date polls (25 people and 10 slots each, a working group's size) by
 * their personal links, 200 at a time, through
 * the server: p50 and p99 of the POST, and every acknowledged answer
 * looked for in the database afterwards (none may be lost); (2) mail-in
 * reading 10,000 calendar replies (Thunderbird's) to a meeting with
 * 10,000 invitees, in one process, messages per second and peak memory,
 * then 500 of them through the command itself, one process each, as a
 * mail system's pipe runs it. Prints a Markdown report; not a test.
 * Usage: prepare_bench WORKDIR [REPORT]. */
#include <curl/curl.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "../src/auth.h"
#include "../src/db.h"
#include "../src/mailin.h"
#include "../src/notify.h"
#include "../src/rsvp.h"
#include "../tests/replies.h"

#define VOTERS 5000    /* people answering the polls */
#define PER_POLL 25    /* of them in each poll */
#define SLOTS 10       /* slots of a poll */
#define PARALLEL 200   /* connections at once */
#define REPLIES 10000  /* calendar replies read in one process */
#define PIPED 500      /* replies read by one mail-in process each */

/* Writes the personal link token of voter i (43 characters, as the real
 * ones: only its hash is stored). */
static void token_of(int i, char out[44])
{
	snprintf(out, 44, "banc%039d", i);
}

/* Fills db with a body, one organisation and VOTERS / PER_POLL polls of
 * SLOTS slots (slot s of poll p has id p * SLOTS + s + 1), PER_POLL people
 * in each with a link; 0 or -1. */
static int poll_network(void)
{
	if (db_begin() < 0 ||
	    db_exec("INSERT INTO organisation (slug, name) VALUES ('asbl', 'ASBL')", NULL) < 0 ||
	    db_exec("INSERT INTO body (slug, name, kind) VALUES ('gt', 'GT', 'working_group')",
		    NULL) < 0)
		return -1;
	for (int p = 0; p < VOTERS / PER_POLL; p++) {
		if (db_exec("INSERT INTO poll (id, body_id, title, closes) VALUES (?, 1, 'Banc', "
			    "date('now', '+30 days'))", "i", (long long)p + 1) < 0)
			return -1;
		for (int s = 0; s < SLOTS; s++)
			if (db_exec("INSERT INTO poll_slot (id, poll_id, start, end) VALUES (?1, ?2, "
				    "date('now', '+40 days') || printf('T%02d:00', 8 + ?3), date('now', "
				    "'+40 days') || printf('T%02d:30', 8 + ?3))", "iii",
				    (long long)p * SLOTS + s + 1, (long long)p + 1, (long long)s) < 0)
				return -1;
	}
	for (int i = 0; i < VOTERS; i++) {
		char email[64], token[44], hash[65];
		snprintf(email, sizeof(email), "p%d@asbl.test", i);
		token_of(i, token);
		auth_token_hash(token, hash);
		if (db_exec("INSERT INTO poll_voter (id, poll_id, email, organisation_id) VALUES "
			    "(?, ?, ?, 1)", "iit", (long long)i + 1, (long long)i / PER_POLL + 1,
			    email) < 0 ||
		    db_exec("INSERT INTO poll_token (token_hash, voter_id) VALUES (?, ?)", "ti", hash,
			    (long long)i + 1) < 0)
			return -1;
	}
	return db_commit();
}

/* One answer under way. */
struct answer {
	CURL *curl;
	char url[128], form[400];
	int voter;
};

/* Prepares the POST of voter i's answers: a pattern of its own, and a
 * comment naming it. */
static void answer_of(struct answer *a, int port, int i)
{
	static const char *const word[] = {"yes", "maybe", "no"};
	char token[44];
	token_of(i, token);
	snprintf(a->url, sizeof(a->url), "http://127.0.0.1:%d/polls/answer/%s", port, token);
	size_t n = 0;
	for (int s = 0; s < SLOTS; s++)
		n += (size_t)snprintf(a->form + n, sizeof(a->form) - n, "slot-%d=%s&",
				      i / PER_POLL * SLOTS + s + 1, word[(i + s) % 3]);
	snprintf(a->form + n, sizeof(a->form) - n, "comment=banc%%20%d", i);
	a->voter = i;
	curl_easy_setopt(a->curl, CURLOPT_URL, a->url);
	curl_easy_setopt(a->curl, CURLOPT_POSTFIELDS, a->form);
}

/* Discards a page. */
static size_t discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p, (void)arg;
	return size * n;
}

/* Sends every voter's answers, PARALLEL at a time; fills took[] (seconds)
 * and acked[] (a 200 came back); returns the seconds taken. */
static double answer_all(int port, double *took, char *acked)
{
	CURLM *multi = curl_multi_init();
	struct answer *a = calloc(PARALLEL, sizeof(*a));
	int next = 0, running = 0;
	double start = bench_now();
	for (int k = 0; k < PARALLEL && next < VOTERS; k++, next++) {
		a[k].curl = curl_easy_init();
		curl_easy_setopt(a[k].curl, CURLOPT_WRITEFUNCTION, discard);
		curl_easy_setopt(a[k].curl, CURLOPT_PRIVATE, &a[k]);
		answer_of(&a[k], port, next);
		curl_multi_add_handle(multi, a[k].curl);
	}
	do {
		curl_multi_perform(multi, &running);
		CURLMsg *m;
		int left;
		while ((m = curl_multi_info_read(multi, &left))) {
			struct answer *done;
			long status = 0;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&done);
			curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &status);
			curl_easy_getinfo(m->easy_handle, CURLINFO_TOTAL_TIME, &took[done->voter]);
			acked[done->voter] = m->data.result == CURLE_OK && status == 200;
			curl_multi_remove_handle(multi, m->easy_handle);
			if (next < VOTERS) {
				answer_of(done, port, next++);
				curl_multi_add_handle(multi, done->curl);
				running++;
			}
		}
		if (running)
			curl_multi_poll(multi, NULL, 0, 100, NULL);
	} while (running);
	double seconds = bench_now() - start;
	for (int k = 0; k < PARALLEL; k++)
		curl_easy_cleanup(a[k].curl);
	free(a);
	curl_multi_cleanup(multi);
	return seconds;
}

/* Counts the acknowledged answers not found whole in the database: the
 * voter's comment and its SLOTS answers as sent. */
static int lost_answers(const char *acked)
{
	int lost = 0;
	static const char *const word[] = {"yes", "maybe", "no"};
	for (int i = 0; i < VOTERS; i++) {
		if (!acked[i])
			continue;
		char comment[32];
		snprintf(comment, sizeof(comment), "banc %d", i);
		json_t *rows = db_rows("SELECT a.answer FROM poll_answer a JOIN poll_voter v ON v.id = "
				       "a.voter_id WHERE v.id = ? AND v.comment = ? ORDER BY a.slot_id",
				       "it", (long long)i + 1, comment);
		bool whole = json_array_size(rows) == SLOTS;
		for (int s = 0; whole && s < SLOTS; s++)
			whole = strcmp(db_str(json_array_get(rows, (size_t)s), "answer"),
				       word[(i + s) % 3]) == 0;
		lost += !whole;
		json_decref(rows);
	}
	return lost;
}

/* Invites REPLIES people to meeting 1 (to come, in 40 days); 0 or -1. */
static int reply_network(void)
{
	if (db_begin() < 0 ||
	    db_exec("INSERT INTO meeting (id, body_id, title, start, status) VALUES (1, 1, 'Banc', "
		    "date('now', '+40 days') || 'T09:30', 'planned')", NULL) < 0)
		return -1;
	for (int i = 0; i < REPLIES; i++) {
		char email[64];
		snprintf(email, sizeof(email), "p%d@asbl.test", i);
		if (rsvp_invite(1, email, 1, 0, 0) <= 0)
			return -1;
	}
	return db_commit();
}

/* Builds reply i (Thunderbird's) into out. */
static void reply_of(int i, struct buf *out)
{
	static const char *const partstat[] = {"ACCEPTED", "TENTATIVE", "DECLINED"};
	char email[64], uid[NOTIFY_UID_MAX];
	snprintf(email, sizeof(email), "p%d@asbl.test", i);
	notify_uid(1, uid);
	struct reply r = {email, email, uid, 0, partstat[i % 3]};
	buf_reset(out);
	reply_thunderbird(&r, out);
}

/* Reads REPLIES replies in this process; messages per second, or -1 when
 * one was not taken. */
static double replies_in_process(void)
{
	struct buf m = {0};
	int taken = 0;
	int saved = dup(2), null = open("/dev/null", O_WRONLY);
	dup2(null, 2); /* one log line a message */
	close(null);
	double start = bench_now();
	for (int i = 0; i < REPLIES; i++) {
		const char *why;
		reply_of(i, &m);
		taken += mailin_message(m.data, m.len, "banc", &why) == 0;
	}
	double seconds = bench_now() - start;
	dup2(saved, 2);
	close(saved);
	buf_free(&m);
	return taken == REPLIES ? REPLIES / seconds : -1;
}

/* Reads PIPED replies through "./maillage mail-in", one process each;
 * messages per second (or -1), and the largest peak memory of one in
 * *rss_mb. */
static double replies_piped(const char *db, double *rss_mb)
{
	struct buf m = {0};
	long peak = 0;
	double start = bench_now();
	int ok = 0;
	for (int i = 0; i < PIPED; i++) {
		reply_of(REPLIES - 1 - i, &m); /* answers already given: the same again */
		int in[2];
		if (pipe(in) < 0)
			return -1;
		pid_t pid = fork();
		if (pid == 0) {
			dup2(in[0], 0);
			close(in[1]);
			if (!freopen("/dev/null", "w", stderr))
				_exit(127);
			execl("./maillage", "maillage", "mail-in", "--db", db, (char *)NULL);
			_exit(127);
		}
		close(in[0]);
		ok += write(in[1], m.data, m.len) == (ssize_t)m.len;
		close(in[1]);
		int status;
		struct rusage ru;
		wait4(pid, &status, 0, &ru);
		ok -= !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		if (ru.ru_maxrss > peak)
			peak = ru.ru_maxrss;
	}
	double seconds = bench_now() - start;
	buf_free(&m);
	*rss_mb = (double)peak / 1024;
	return ok == PIPED ? PIPED / seconds : -1;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage : prepare_bench DOSSIER [RAPPORT]\n");
		return 2;
	}
	FILE *out = argc > 2 ? fopen(argv[2], "w") : stdout;
	char cmd[600], db[400];
	snprintf(db, sizeof(db), "%s/prepare.db", argv[1]);
	snprintf(cmd, sizeof(cmd), "rm -rf %s && mkdir -p %s && ./maillage init --db %s >/dev/null",
		 argv[1], argv[1], db);
	struct buf err = {0};
	if (!out || bench_run(cmd) < 0 || db_open(db, false, &err) < 0 || poll_network() < 0) {
		fprintf(stderr, "prepare_bench : préparation impossible %s\n", buf_str(&err));
		return 1;
	}
	db_close();
	/* (1) the poll's answers through the server */
	curl_global_init(CURL_GLOBAL_DEFAULT);
	struct bench_server srv;
	if (bench_server_start(&srv, db) < 0) {
		fprintf(stderr, "prepare_bench : le serveur ne démarre pas\n");
		return 1;
	}
	fprintf(stderr, "prepare_bench : %d réponses au sondage, %d à la fois…\n", VOTERS, PARALLEL);
	double *took = calloc(VOTERS, sizeof(double));
	char *acked = calloc(VOTERS, 1);
	double seconds = answer_all(srv.port, took, acked);
	double peak = bench_server_peak_mb(&srv);
	bench_server_stop(&srv);
	int acknowledged = 0;
	for (int i = 0; i < VOTERS; i++)
		acknowledged += acked[i];
	double p50 = bench_quantile(took, VOTERS, 0.5) * 1000, p99 = bench_quantile(took, VOTERS, 0.99) * 1000;
	if (db_open(db, false, &err) < 0)
		return 1;
	int lost = lost_answers(acked);
	/* (2) calendar replies */
	fprintf(stderr, "prepare_bench : %d réponses d'agenda lues…\n", REPLIES);
	mailin_init();
	notify_site = "http://127.0.0.1:8080"; /* what mail-in takes without --base-url */
	double rate = reply_network() < 0 ? -1 : replies_in_process();
	struct rusage self;
	getrusage(RUSAGE_SELF, &self);
	long answered = db_int(0, "SELECT count(*) FROM rsvp WHERE via = 'calendar'", NULL);
	db_close();
	double piped_rss = 0, piped = rate < 0 ? -1 : replies_piped(db, &piped_rss);
	if (rate < 0 || piped < 0) {
		fprintf(stderr, "prepare_bench : des réponses d'agenda n'ont pas été prises\n");
		return 1;
	}
	fprintf(out, "## Préparer une réunion\n\n%d sondages de %d créneaux et %d personnes, "
		"%d personnes qui répondent par leur lien, %d connexions à la fois (libcurl), "
		"serveur à 2 fils ; puis des réponses d'agenda (Thunderbird) à une réunion de %d "
		"invités.\n\n", VOTERS / PER_POLL, SLOTS, PER_POLL, VOTERS, PARALLEL, REPLIES);
	fprintf(out, "| mesure | valeur |\n|---|---|\n");
	fprintf(out, "| réponses au sondage (POST), %d connexions | %.0f par seconde, p50 %.2f ms, "
		"**p99 %.2f ms** |\n", PARALLEL, VOTERS / seconds, p50, p99);
	fprintf(out, "| réponses accusées (200) / retrouvées entières en base | %d / %d (**%d "
		"perdue%s**) |\n", acknowledged, acknowledged - lost, lost, lost > 1 ? "s" : "");
	fprintf(out, "| mémoire résidente maximale du serveur | %.1f Mo |\n", peak);
	fprintf(out, "| mail-in, %d réponses dans un processus | **%.0f messages par seconde**, "
		"%ld présences données, mémoire maximale %.1f Mo |\n", REPLIES, rate, answered,
		(double)self.ru_maxrss / 1024);
	fprintf(out, "| `maillage mail-in`, un processus par message (%d) | %.0f messages par "
		"seconde, mémoire maximale d'un processus %.1f Mo |\n", PIPED, piped, piped_rss);
	free(took);
	free(acked);
	buf_free(&err);
	curl_global_cleanup();
	if (out != stdout)
		fclose(out);
	return 0;
}
