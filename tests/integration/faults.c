/* faults.c — Maillage killed (SIGKILL) in the middle of 1,000 concurrent
 * writes from four clients: after a restart, every write that got its
 * success response is there, and `maillage check` passes. A full disk
 * (the database on a small tmpfs) gives a clear refusal and loses nothing.
 * A slow client holding connections open with half-sent headers gets only
 * its share. Visitors asking for the report as a document get one pandoc
 * at a time, the others a 503 to retry, and the site keeps answering; the
 * files pandoc is given leave nothing in TMPDIR. */
#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../test.h"
#include "live.h"

void integration_faults(void);

#define CLIENTS 4
#define WRITES 250 /* each: 1,000 in all */
#define PASSWORD "un mot de passe assez long"

static struct live srv;
static atomic_int acked[CLIENTS]; /* letters each client saw created (303) */

/* One client: logs in, then creates letters numbered 1, 2, … until the
 * server dies or it has made WRITES. */
static void *writer(void *arg)
{
	int n = (int)(intptr_t)arg;
	struct client c;
	client_open(&c, &srv);
	if (client_login(&c, "coord@faults.test", PASSWORD) != 303) {
		client_close(&c);
		return NULL;
	}
	struct answer a;
	client_send(&c, "GET", "/letters/new", NULL, &a);
	answer_free(&a);
	for (int i = 1; i <= WRITES; i++) {
		char form[256];
		snprintf(form, sizeof(form), "_csrf=%s&title=Panne+%d-%d&date=2026-01-01&kind=memo&"
			 "level=region&status=draft&visibility=internal&body_id=0", c.csrf, n, i);
		long st = client_send(&c, "POST", "/letters", form, &a);
		answer_free(&a);
		if (st != 303)
			break; /* the server is gone */
		atomic_store(&acked[n], i);
	}
	client_close(&c);
	return NULL;
}

/* SIGKILL during 1,000 concurrent writes; nothing acknowledged is lost. */
static void killed_while_writing(void)
{
	if (!CHECK(live_start(&srv, "coord@faults.test coordinator " PASSWORD "\n", NULL) == 0))
		return;
	pthread_t t[CLIENTS];
	for (int i = 0; i < CLIENTS; i++)
		pthread_create(&t[i], NULL, writer, (void *)(intptr_t)i);
	int total = 0;
	for (int k = 0; k < 600 && total < 300; k++) {
		usleep(20000);
		total = 0;
		for (int i = 0; i < CLIENTS; i++)
			total += atomic_load(&acked[i]);
	}
	kill(srv.pid, SIGKILL);
	waitpid(srv.pid, NULL, 0);
	for (int i = 0; i < CLIENTS; i++)
		pthread_join(t[i], NULL);
	total = 0;
	for (int i = 0; i < CLIENTS; i++) {
		char q[200];
		int got = atomic_load(&acked[i]);
		total += got;
		snprintf(q, sizeof(q), "SELECT count(*) FROM letter WHERE title LIKE 'Panne %d-%%'", i);
		long long stored = live_sql_int(&srv, q);
		CHECKF(stored >= got, "client %d : %lld lettres, %d confirmées", i, stored, got);
	}
	CHECKF(total >= 300 && total < CLIENTS * WRITES, "%d écritures confirmées avant l'arrêt", total);
	/* it starts again, the index rebuilt if needed, and the base is sound */
	CHECK(live_resume(&srv, NULL) == 0);
	struct client c;
	struct answer a;
	client_open(&c, &srv);
	CHECK_INT(client_send(&c, "GET", "/healthz", NULL, &a), 200);
	answer_free(&a);
	client_close(&c);
	kill(srv.pid, SIGTERM);
	waitpid(srv.pid, NULL, 0);
	srv.pid = 0;
	struct buf out = {0};
	char args[200];
	snprintf(args, sizeof(args), "check --db %s/live.db", srv.dir);
	CHECK_INT(live_cli(args, NULL, &out), 0);
	buf_free(&out);
	live_stop(&srv);
}

/* Runs "maillage ARGS"; returns its exit status. */
static int cli(const char *fmt, const char *arg)
{
	char args[400];
	struct buf out = {0};
	snprintf(args, sizeof(args), fmt, arg, arg);
	int rc = live_cli(args, NULL, &out);
	if (rc)
		fprintf(stderr, "maillage %s : %s\n", args, buf_str(&out));
	buf_free(&out);
	return rc;
}

/* Fills the file system of dir with path until room bytes are left. */
static void fill(const char *dir, const char *path, long long room)
{
	struct statvfs v;
	FILE *f = fopen(path, "w");
	static char block[4096];
	memset(block, 'x', sizeof(block));
	while (f && statvfs(dir, &v) == 0 && (long long)(v.f_bavail * v.f_frsize) > room &&
	       fwrite(block, 1, sizeof(block), f) == sizeof(block))
		fflush(f);
	if (f)
		fclose(f);
}

/* Posts letters of about 20 KB from c until one is refused or max are
 * made; returns how many got their 303, the refusal in refusal. */
static int write_until_refused(struct client *c, int max, struct answer *refusal)
{
	struct buf form = {0}, text = {0};
	while (text.len < 20000)
		buf_puts(&text, "Une+lettre+longue+au+coll%C3%A8ge+communal.+");
	for (int i = 1; i <= max; i++) {
		buf_reset(&form);
		buf_printf(&form, "_csrf=%s&title=Plein+%d&date=2026-01-01&kind=memo&level=region&"
			   "status=draft&visibility=internal&body_id=0&text=%s", c->csrf, i,
			   buf_str(&text));
		long st = client_send(c, "POST", "/letters", buf_str(&form), refusal);
		if (st != 303) {
			buf_free(&form);
			buf_free(&text);
			return i - 1;
		}
		answer_free(refusal);
	}
	buf_free(&form);
	buf_free(&text);
	return max;
}

/* The database on a 2 MB tmpfs filled up: writes are refused with a
 * message, reads go on, nothing acknowledged is lost, writes work again
 * once room is made, and the database passes its check. */
static void full_disk(void)
{
	if (geteuid() != 0)
		return test_skip("full_disk", "monter un tmpfs demande root");
	if (!CHECK(live_start(&srv, "coord@faults.test coordinator " PASSWORD "\n", NULL) == 0))
		return;
	kill(srv.pid, SIGTERM);
	waitpid(srv.pid, NULL, 0);
	char data[128], db[160], filler[160], outbox[160];
	snprintf(data, sizeof(data), "%s/plein", srv.dir);
	snprintf(db, sizeof(db), "%s/live.db", data);
	snprintf(filler, sizeof(filler), "%s/remplissage", data);
	snprintf(outbox, sizeof(outbox), "%s/outbox", data);
	mkdir(data, 0700);
	if (!CHECKF(mount("tmpfs", data, "tmpfs", 0, "size=2m") == 0, "tmpfs : %s", strerror(errno))) {
		live_stop(&srv);
		return;
	}
	CHECK_INT(cli("backup --db %s/live.db %s/plein/live.db", srv.dir), 0);
	fill(data, filler, 300 * 1024);
	const char *const extra[] = {"--db", db, "--outbox-dir", outbox, NULL};
	if (CHECK(live_resume(&srv, extra) == 0)) {
		struct client c;
		struct answer a;
		client_open(&c, &srv);
		CHECK_INT(client_login(&c, "coord@faults.test", PASSWORD), 303);
		client_send(&c, "GET", "/letters/new", NULL, &a);
		answer_free(&a);
		int acked = write_until_refused(&c, 200, &a);
		CHECKF(acked < 200, "%d lettres acceptées sur un disque plein", acked);
		CHECKF(a.status == 507, "refus : %ld", a.status);
		CHECKF(strstr(buf_str(&a.body), "disque") != NULL, "%.300s", buf_str(&a.body));
		answer_free(&a);
		CHECK_INT(client_send(&c, "GET", "/letters", NULL, &a), 200); /* reads go on */
		answer_free(&a);
		unlink(filler); /* room again: writes work again */
		client_send(&c, "GET", "/letters/new", NULL, &a);
		answer_free(&a);
		CHECK_INT(write_until_refused(&c, 1, &a), 1);
		client_close(&c);
		kill(srv.pid, SIGTERM);
		waitpid(srv.pid, NULL, 0);
		srv.pid = 0;
		int stored = (int)live_sql_file(db, "SELECT count(*) FROM letter WHERE title LIKE "
					   "'Plein %'");
		CHECKF(stored >= acked + 1, "%d lettres gardées, %d confirmées", stored, acked + 1);
		CHECK_INT(cli("check --db %s", db), 0);
	}
	umount(data);
	live_stop(&srv);
}

/* Tells whether the server still holds fd open (no end, no reset). */
static bool held(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	return poll(&p, 1, 0) == 0;
}

#define SLOW 64   /* connections the slow client opens */
#define SHARE 16  /* --max-per-ip */

/* Opens n connections from 127.0.0.2, each with the request line and one
 * header, never finished; returns how many opened. */
static int open_slow(int *fds, int n)
{
	int opened = 0;
	const char *half = "GET / HTTP/1.1\r\nHost: lent\r\n";
	for (int i = 0; i < n; i++)
		if ((fds[i] = raw_connect_from(&srv, "127.0.0.2")) >= 0) {
			opened++;
			raw_write(fds[i], half, strlen(half));
		}
	return opened;
}

/* Closes the connections of open_slow; returns how many the server still
 * held. */
static int close_slow(int *fds, int n)
{
	int kept = 0;
	for (int i = 0; i < n; i++)
		if (fds[i] >= 0) {
			kept += held(fds[i]);
			close(fds[i]);
		}
	return kept;
}

/* A slowloris from 127.0.0.2: SLOW connections, each with the request line
 * and one header, never finished. The server keeps at most SHARE of them
 * and answers everyone else at once. */
static void slow_client_gets_its_share(void)
{
	const char *const extra[] = {"--max-per-ip", "16", NULL};
	if (!CHECK(live_start(&srv, NULL, extra) == 0))
		return;
	int fds[SLOW];
	CHECKF(open_slow(fds, SLOW) == SLOW, "connexions lentes refusées à l'ouverture");
	usleep(300000);
	struct client c;
	client_open(&c, &srv);
	for (int i = 0; i < 20; i++) {
		struct answer a;
		CHECK_INT(client_send(&c, "GET", "/", NULL, &a), 200);
		answer_free(&a);
	}
	client_close(&c);
	int kept = close_slow(fds, SLOW);
	CHECKF(kept >= 1 && kept <= SHARE, "%d connexions lentes gardées (au plus %d)", kept, SHARE);
	/* its connections closed, the slow address is served again */
	usleep(200000);
	int fd = raw_connect_from(&srv, "127.0.0.2");
	struct buf out = {0};
	const char *whole = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	raw_write(fd, whole, strlen(whole));
	raw_read_all(fd, &out);
	CHECKF(strncmp(buf_str(&out), "HTTP/1.1 200", 12) == 0, "%.40s", buf_str(&out));
	close(fd);
	buf_free(&out);
	live_stop(&srv);
}

#define PROXIED 300 /* more than the default share of 256 */

/* Behind --trusted-proxy every connection comes from the proxy: there is
 * no share by default (the proxy keeps it), so 300 connections stay. */
static void proxy_has_no_share(void)
{
	const char *const extra[] = {"--trusted-proxy", "127.0.0.2", NULL};
	if (!CHECK(live_start(&srv, NULL, extra) == 0))
		return;
	static int fds[PROXIED];
	CHECK_INT(open_slow(fds, PROXIED), PROXIED);
	usleep(300000);
	CHECK_INT(close_slow(fds, PROXIED), PROXIED);
	live_stop(&srv);
}

/* Tells whether folder dir holds nothing (. and .. aside). */
static bool empty_folder(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	while (d && (e = readdir(d)))
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	if (d)
		closedir(d);
	return d && n == 0;
}

/* While a slow pandoc (2 s) writes the 2020 report for one visitor, a
 * second one gets a French 503 with Retry-After, the pages are served as
 * usual, and the first gets its document; a third then gets its own. The
 * centre's styles that pandoc was given leave no file in TMPDIR, even
 * while the server runs (a server killed leaves nothing behind). */
static void one_report_at_a_time(void)
{
	char slow[] = "/tmp/maillage-pandoc-lent-XXXXXX";
	int fd = mkstemp(slow);
	const char *script = "#!/bin/sh\ncase \"$*\" in *--to=*) sleep 2 ;; esac\n"
			     "exec pandoc \"$@\"\n"; /* the writing slow, not the styles */
	if (!CHECK(fd >= 0 && write(fd, script, strlen(script)) == (ssize_t)strlen(script) &&
		   fchmod(fd, 0755) == 0))
		return;
	close(fd);
	setenv("MAILLAGE_PANDOC", slow, 1);
	char tmp[] = "/tmp/maillage-tmpdir-XXXXXX";
	CHECK(mkdtemp(tmp) != NULL);
	setenv("TMPDIR", tmp, 1);
	const char *const extra[] = {"--threads", "4", NULL};
	if (CHECK(live_start(&srv, NULL, extra) == 0)) {
		const char *first = "GET /reports/2020/rapport.odt HTTP/1.1\r\nHost: x\r\n"
				    "Connection: close\r\n\r\n";
		int raw = raw_connect(&srv);
		CHECK(raw >= 0 && raw_write(raw, first, strlen(first)) == 0);
		usleep(700000);
		struct client c;
		client_open(&c, &srv);
		struct answer a;
		CHECK_INT(client_send(&c, "GET", "/reports/2020/rapport.docx", NULL, &a), 503);
		CHECK(strstr(buf_str(&a.headers), "Retry-After: 10") != NULL);
		CHECK(strstr(buf_str(&a.body), "Un autre rapport est en cours d&#39;écriture") ||
		      strstr(buf_str(&a.body), "Un autre rapport est en cours d'écriture"));
		answer_free(&a);
		CHECK_INT(client_send(&c, "GET", "/reports/2020", NULL, &a), 200);
		answer_free(&a);
		struct buf out = {0};
		raw_read_all(raw, &out);
		CHECKF(strncmp(buf_str(&out), "HTTP/1.1 200", 12) == 0 &&
		       strstr(buf_str(&out), "opendocument.text"), "%.60s", buf_str(&out));
		buf_free(&out);
		close(raw);
		CHECK_INT(client_send(&c, "GET", "/reports/2020/rapport.docx", NULL, &a), 200);
		answer_free(&a);
		client_close(&c);
		CHECKF(empty_folder(tmp), "%s n'est pas vide", tmp);
		live_stop(&srv);
	}
	unsetenv("TMPDIR");
	unsetenv("MAILLAGE_PANDOC");
	unlink(slow);
	rmdir(tmp);
}

/* Runs the fault tests. */
void integration_faults(void)
{
	RUN(killed_while_writing);
	RUN(full_disk);
	RUN(slow_client_gets_its_share);
	RUN(proxy_has_no_share);
	RUN(one_report_at_a_time);
}
