/* files.c — documents through the real server: several files in one
 * multipart form, read back byte for byte (whole, HEAD, a range); a 50 MB
 * file streamed without the server's memory growing with it; a form over
 * the limits refused with 413 and nothing kept; a connection cut in the
 * middle of an upload leaving nothing behind; a full disk giving 507 and
 * losing nothing. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../test.h"
#include "live.h"

void integration_files(void);

#define PASSWORD "un mot de passe assez long"
#define ACCOUNT "coord@files.test coordinator " PASSWORD "\n"
#define MB (1024 * 1024)

static struct live srv;
static char samples[] = "/tmp/maillage-live-samples-XXXXXX";

/* Returns the path of sample name. */
static const char *sample(const char *name)
{
	static char path[16][200];
	static int next;
	char *p = path[next++ % 16];
	snprintf(p, sizeof(path[0]), "%s/%s", samples, name);
	return p;
}

/* Makes a public meeting on the server's database; returns its id. */
static long long make_meeting(const struct live *s)
{
	return live_sql_int(s, "INSERT OR IGNORE INTO body (slug, name, kind, visibility) VALUES "
			    "('documents', 'Instance des documents', 'other', 'public'); INSERT INTO "
			    "meeting (body_id, title, start, visibility) SELECT id, 'Réunion', "
			    "'2031-01-01', 'public' FROM body WHERE slug = 'documents' RETURNING id");
}

/* Logs c in as the coordination and picks up a form's CSRF token. */
static bool log_in(struct client *c, const struct live *s)
{
	client_open(c, s);
	if (client_login(c, "coord@files.test", PASSWORD) != 303)
		return false;
	struct answer a;
	client_send(c, "GET", "/account", NULL, &a);
	answer_free(&a);
	return true;
}

/* Attaches files (triples) to meeting m; returns the status. */
static long attach(struct client *c, long long m, const char *const *files, struct answer *a)
{
	char ids[24];
	snprintf(ids, sizeof(ids), "%lld", m);
	return client_upload(c, "/files", (const char *[]){"kind", "meeting", "id", ids, NULL}, files,
			     a);
}

/* Counts the spool files left in dir. */
static int spool_files(const char *dir)
{
	int n = 0;
	DIR *d = opendir(dir);
	for (struct dirent *e; d && (e = readdir(d));)
		n += strncmp(e->d_name, ".maillage-envoi-", 16) == 0;
	if (d)
		closedir(d);
	return n;
}

/* Tells whether the file at path holds exactly the bytes of b. */
static bool same_bytes(const char *path, const struct buf *b)
{
	struct buf f = {0};
	bool same = buf_read_file(&f, path) == 0 && f.len == b->len &&
		    memcmp(f.data, b->data, b->len) == 0;
	buf_free(&f);
	return same;
}

/* Three files in one form; each read back as sent, by GET, HEAD and a
 * range. */
static void several_files(void)
{
	struct client c;
	struct answer a;
	long long m = make_meeting(&srv);
	if (!CHECK(m > 0 && log_in(&c, &srv)))
		return;
	const char *const files[] = {"files", sample("ordre-du-jour.pdf"), "ordre du jour.pdf",
				     "files", sample("compte-rendu.docx"), "compte-rendu.docx",
				     "files", sample("photo.png"), "photo.png", NULL};
	CHECK_INT(attach(&c, m, files, &a), 303);
	answer_free(&a);
	char q[160];
	snprintf(q, sizeof(q), "SELECT count(*) FROM file WHERE meeting_id = %lld", m);
	CHECK_INT(live_sql_int(&srv, q), 3);
	for (int i = 0; i < 3; i++) {
		snprintf(q, sizeof(q), "SELECT id FROM file WHERE meeting_id = %lld AND name = '%s'", m,
			 files[i * 3 + 2]);
		long long id = live_sql_int(&srv, q);
		char path[80];
		snprintf(path, sizeof(path), "/files/%lld/x", id);
		CHECK_INT(client_send(&c, "GET", path, NULL, &a), 200);
		CHECKF(same_bytes(files[i * 3 + 1], &a.body), "%s", files[i * 3 + 2]);
		answer_free(&a);
		CHECK_INT(client_send(&c, "HEAD", path, NULL, &a), 200);
		CHECK(a.body.len == 0 && strstr(buf_str(&a.headers), "Content-Length: "));
		CHECK(strstr(buf_str(&a.headers), "Content-Security-Policy: sandbox; default-src 'none'"));
		answer_free(&a);
	}
	snprintf(q, sizeof(q), "SELECT id FROM file WHERE meeting_id = %lld AND name LIKE 'ordre%%'", m);
	char path[80];
	snprintf(path, sizeof(path), "/files/%lld/ordre-du-jour.pdf", live_sql_int(&srv, q));
	curl_easy_setopt(c.curl, CURLOPT_RANGE, "0-7");
	CHECK_INT(client_send(&c, "GET", path, NULL, &a), 206);
	CHECK(a.body.len == 8 && memcmp(a.body.data, "%PDF-1.4", 8) == 0);
	CHECK(strstr(buf_str(&a.headers), "Content-Range: bytes 0-7/") != NULL);
	answer_free(&a);
	curl_easy_setopt(c.curl, CURLOPT_RANGE, NULL);
	client_close(&c);
	CHECK_INT(spool_files(srv.dir), 0);
}

/* An upload that got its answer survives the server killed at once
 * (SIGKILL): after a restart the file is there, byte for byte, and the
 * database passes maillage check. */
static void upload_survives_crash(void)
{
	struct client c;
	struct answer a;
	long long m = make_meeting(&srv);
	if (!CHECK(m > 0 && log_in(&c, &srv)))
		return;
	const char *const files[] = {"files", sample("compte-rendu.odt"), "avant-la-panne.odt", NULL};
	CHECK_INT(attach(&c, m, files, &a), 303);
	answer_free(&a);
	client_close(&c);
	kill(srv.pid, SIGKILL);
	waitpid(srv.pid, NULL, 0);
	if (!CHECK(live_resume(&srv, NULL) == 0))
		return;
	long long id = live_sql_int(&srv, "SELECT id FROM file WHERE name = 'avant-la-panne.odt'");
	CHECK(id > 0);
	char path[80], cmd[300];
	snprintf(path, sizeof(path), "/files/%lld/avant-la-panne.odt", id);
	client_open(&c, &srv);
	CHECK_INT(client_send(&c, "GET", path, NULL, &a), 200);
	CHECK(same_bytes(sample("compte-rendu.odt"), &a.body));
	answer_free(&a);
	client_close(&c);
	snprintf(cmd, sizeof(cmd), "check --db %s/live.db", srv.dir);
	CHECK_INT(live_cli(cmd, NULL, NULL), 0);
}

/* Returns a field of /proc/PID/status in kB, or -1. */
static long proc_kb(pid_t pid, const char *field)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	long kb = -1;
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, field, strlen(field)) == 0)
			kb = atol(line + strlen(field) + 1);
	if (f)
		fclose(f);
	return kb;
}

/* Writes a PDF-headed file of n random bytes at path; 0 or -1. */
static int write_big(const char *path, size_t n)
{
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "{ printf '%%%%PDF-1.4\\n'; head -c %zu /dev/urandom; } > %s", n,
		 path);
	return system(cmd) == 0 ? 0 : -1;
}

/* A 50 MB file goes in and comes back whole, while the server's memory
 * stays where it was (measured on the optimised build, as it runs for its
 * users: the sanitizers' own bookkeeping would hide the figure). */
static void big_file_streamed(void)
{
	if (access("./maillage", X_OK) != 0)
		return test_skip("big_file_streamed", "./maillage n'est pas construit");
	struct live plain;
	setenv("MAILLAGE_BIN", "./maillage", 1);
	const char *const one[] = {"--threads", "1", NULL}; /* one connection, one page cache */
	int started = live_start(&plain, ACCOUNT, one);
	unsetenv("MAILLAGE_BIN");
	if (!CHECK(started == 0))
		return;
	char big[200];
	snprintf(big, sizeof(big), "%s/grand.pdf", samples);
	struct client c;
	struct answer a;
	long long m = make_meeting(&plain);
	if (CHECK(write_big(big, 50 * 1000 * 1000) == 0 && m > 0 && log_in(&c, &plain))) {
		const char *const small[] = {"files", sample("photo.png"), "photo.png", NULL};
		CHECK_INT(attach(&c, m, small, &a), 303); /* every path of an upload taken once */
		answer_free(&a);
		/* three uploads of 50 MB, each of other bytes: the first ones warm
		 * the caches (the database's pages of the server's thread and of the
		 * worker that reads texts, the write-ahead log's index), the last, as
		 * large, adds nothing */
		long rss[4] = {proc_kb(plain.pid, "VmRSS")};
		for (int i = 1; i <= 3; i++) {
			char name[32];
			snprintf(name, sizeof(name), "grand-%d.pdf", i);
			const char *const files[] = {"files", big, name, NULL};
			CHECK(i == 1 || write_big(big, 50 * 1000 * 1000) == 0);
			CHECK_INT(attach(&c, m, files, &a), 303);
			answer_free(&a);
			rss[i] = proc_kb(plain.pid, "VmRSS");
		}
		printf("  mémoire du serveur : %ld ko, puis %ld, %ld et %ld ko après chaque envoi de "
		       "50 Mo\n", rss[0], rss[1], rss[2], rss[3]);
		CHECKF(rss[3] - rss[0] < 16 * 1024, "%ld ko de plus", rss[3] - rss[0]);
		CHECKF(rss[3] - rss[2] < 1024, "%ld ko de plus au dernier envoi", rss[3] - rss[2]);
		char q[120];
		snprintf(q, sizeof(q), "SELECT id FROM file WHERE name = 'grand-3.pdf'");
		char path[80]; /* the last one sent comes back whole */
		snprintf(path, sizeof(path), "/files/%lld/grand-3.pdf", live_sql_int(&plain, q));
		CHECK_INT(client_send(&c, "GET", path, NULL, &a), 200);
		CHECK(same_bytes(big, &a.body));
		answer_free(&a);
		client_close(&c);
	}
	unlink(big);
	CHECK_INT(spool_files(plain.dir), 0);
	live_stop(&plain);
}

/* Over the largest file (--max-upload 1) or past 20 files: 413, a French
 * reason, nothing kept, no spool file left. */
static void over_the_limits(void)
{
	struct live small;
	const char *const extra[] = {"--max-upload", "1", NULL};
	if (!CHECK(live_start(&small, ACCOUNT, extra) == 0))
		return;
	char big[200];
	snprintf(big, sizeof(big), "%s/trop-grand.pdf", samples);
	struct client c;
	struct answer a;
	long long m = make_meeting(&small);
	if (CHECK(write_big(big, 2 * MB) == 0 && m > 0 && log_in(&c, &small))) {
		const char *const files[] = {"files", sample("photo.png"), "photo.png", "files", big,
					     "trop-grand.pdf", NULL};
		CHECK_INT(attach(&c, m, files, &a), 413);
		CHECKF(strstr(buf_str(&a.body), "ne peut dépasser 1 Mo"), "%.400s", buf_str(&a.body));
		answer_free(&a);
		const char *many[21 * 3 + 1];
		for (int i = 0; i < 21; i++)
			many[i * 3] = "files", many[i * 3 + 1] = sample("photo.png"),
			many[i * 3 + 2] = "photo.png";
		many[21 * 3] = NULL;
		CHECK_INT(attach(&c, m, many, &a), 413);
		CHECK(strstr(buf_str(&a.body), "20 fichiers au plus") != NULL);
		answer_free(&a);
		CHECK_INT(live_sql_int(&small, "SELECT count(*) FROM file"), 0);
		CHECK_INT(live_sql_int(&small, "SELECT count(*) FROM blob"), 0);
		CHECK_INT(attach(&c, m, many + 3, &a), 303); /* 20 go in */
		answer_free(&a);
		CHECK_INT(live_sql_int(&small, "SELECT count(*) FROM file"), 20);
		client_close(&c);
	}
	unlink(big);
	CHECK_INT(spool_files(small.dir), 0);
	live_stop(&small);
}

/* A connection cut halfway through a 4 MB upload: nothing kept, no spool
 * file left, and the server goes on. */
static void cut_upload(void)
{
	struct client c;
	long long m = make_meeting(&srv);
	if (!CHECK(m > 0 && log_in(&c, &srv)))
		return;
	struct buf cookie = {0}, head = {0}, part = {0};
	client_cookie_header(&c, &cookie);
	buf_printf(&part, "--XyZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n%s\r\n"
		   "--XyZ\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nmeeting\r\n"
		   "--XyZ\r\nContent-Disposition: form-data; name=\"id\"\r\n\r\n%lld\r\n"
		   "--XyZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"coupe.pdf\"\r\n"
		   "Content-Type: application/pdf\r\n\r\n%%PDF-1.4\n", c.csrf, m);
	buf_printf(&head, "POST /files HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: %s\r\nContent-Type: "
		   "multipart/form-data; boundary=XyZ\r\nContent-Length: %zu\r\n\r\n", buf_str(&cookie),
		   part.len + 4 * MB + 10);
	int fd = raw_connect(&srv);
	bool sent = fd >= 0 && raw_write(fd, head.data, head.len) == 0 &&
		    raw_write(fd, part.data, part.len) == 0;
	static char block[64 * 1024];
	memset(block, 'x', sizeof(block));
	for (int i = 0; sent && i < 32; i++) /* 2 MB of the 4 */
		sent = raw_write(fd, block, sizeof(block)) == 0;
	CHECK(sent);
	usleep(300 * 1000);
	CHECK_INT(spool_files(srv.dir), 1); /* it was being written */
	if (fd >= 0)
		close(fd);
	for (int i = 0; i < 50 && spool_files(srv.dir); i++)
		usleep(100 * 1000);
	CHECK_INT(spool_files(srv.dir), 0);
	char q[120];
	snprintf(q, sizeof(q), "SELECT count(*) FROM file WHERE meeting_id = %lld", m);
	CHECK_INT(live_sql_int(&srv, q), 0);
	struct answer a;
	CHECK_INT(client_send(&c, "GET", "/healthz", NULL, &a), 200);
	answer_free(&a);
	buf_free(&cookie);
	buf_free(&head);
	buf_free(&part);
	client_close(&c);
}

/* The database's disk full during an upload: 507 with a French reason,
 * nothing kept, no spool file; with room again, the upload goes in. */
static void disk_full(void)
{
	if (geteuid() != 0)
		return test_skip("upload_disk_full", "monter un tmpfs demande root");
	struct live full;
	if (!CHECK(live_start(&full, ACCOUNT, NULL) == 0))
		return;
	long long m = make_meeting(&full);
	kill(full.pid, SIGTERM);
	waitpid(full.pid, NULL, 0);
	char data[128], db[160], big[200], cmd[400];
	snprintf(data, sizeof(data), "%s/plein", full.dir);
	snprintf(db, sizeof(db), "%s/live.db", data);
	snprintf(big, sizeof(big), "%s/trop.pdf", samples);
	mkdir(data, 0700);
	if (!CHECKF(mount("tmpfs", data, "tmpfs", 0, "size=12m") == 0, "tmpfs : %s",
		    strerror(errno))) {
		live_stop(&full);
		return;
	}
	snprintf(cmd, sizeof(cmd), "backup --db %s/live.db %s", full.dir, db);
	CHECK_INT(live_cli(cmd, NULL, NULL), 0);
	const char *const extra[] = {"--db", db, "--outbox-dir", "/tmp", NULL};
	struct client c;
	struct answer a;
	if (CHECK(write_big(big, 16 * MB) == 0 && live_resume(&full, extra) == 0 &&
		  log_in(&c, &full))) {
		const char *const files[] = {"files", big, "trop.pdf", NULL};
		CHECK_INT(attach(&c, m, files, &a), 507);
		CHECKF(strstr(buf_str(&a.body), "disque") != NULL, "%.300s", buf_str(&a.body));
		answer_free(&a);
		CHECK_INT(spool_files(data), 0);
		const char *const ok[] = {"files", sample("photo.png"), "photo.png", NULL};
		CHECK_INT(attach(&c, m, ok, &a), 303);
		answer_free(&a);
		client_close(&c);
		kill(full.pid, SIGTERM);
		waitpid(full.pid, NULL, 0);
		full.pid = 0;
		CHECK_INT(live_sql_file(db, "SELECT count(*) FROM file"), 1);
		snprintf(cmd, sizeof(cmd), "check --db %s", db);
		CHECK_INT(live_cli(cmd, NULL, NULL), 0);
	}
	unlink(big);
	umount(data);
	live_stop(&full);
}

/* Waits (at most limit seconds) until no file of s waits for its text;
 * tells whether none does. */
static bool texts_read(const struct live *s, int limit)
{
	for (int i = 0; i < limit * 5; i++) {
		if (live_sql_int(s, "SELECT count(*) FROM file WHERE text_state = 'pending'") == 0)
			return true;
		usleep(200 * 1000);
	}
	return false;
}

/* The text of every readable type is found by the search, each document
 * under its own name, with the page of the PDF's hit. */
static void text_found(void)
{
	static const char *const names[] = {
		"ordre-du-jour.pdf", "compte-rendu.odt", "compte-rendu.docx", "compte-rendu.pptx",
		"compte-rendu.rtf", "budget.xlsx", "budget.ods", "presentation.odp", "notes.txt",
		"presences.csv", "notes.md"};
	enum { N = sizeof(names) / sizeof(names[0]) };
	struct client c;
	struct answer a;
	long long m = make_meeting(&srv);
	if (!CHECK(m > 0 && log_in(&c, &srv)))
		return;
	const char *files[(N + 1) * 3 + 1];
	for (int i = 0; i < N; i++)
		files[i * 3] = "files", files[i * 3 + 1] = sample(names[i]), files[i * 3 + 2] = names[i];
	files[N * 3] = "files", files[N * 3 + 1] = sample("photo.png"), files[N * 3 + 2] = "photo.png";
	files[(N + 1) * 3] = NULL;
	CHECK_INT(attach(&c, m, files, &a), 303);
	answer_free(&a);
	CHECK(texts_read(&srv, 120));
	char q[200];
	snprintf(q, sizeof(q), "SELECT count(*) FROM file WHERE meeting_id = %lld AND text_state = "
		 "'done'", m);
	CHECK_INT(live_sql_int(&srv, q), N);
	snprintf(q, sizeof(q), "SELECT count(*) FROM file WHERE meeting_id = %lld AND text_state = "
		 "'none' AND name = 'photo.png'", m);
	CHECK_INT(live_sql_int(&srv, q), 1);
	CHECK_INT(client_send(&c, "GET", "/search.json?q=passerelle&kind=file", NULL, &a), 200);
	for (int i = 0; i < N; i++)
		CHECKF(strstr(buf_str(&a.body), names[i]) != NULL, "%s introuvable", names[i]);
	answer_free(&a);
	CHECK_INT(client_send(&c, "GET", "/search?q=passerelle&kind=file", NULL, &a), 200);
	CHECK(strstr(buf_str(&a.body), "(page 2)") != NULL); /* the PDF's word is on its page 2 */
	answer_free(&a);
	client_close(&c);
}

/* Documents whose text must not be read to the end (encrypted, truncated,
 * looping, a 1 GB zip bomb, 10,000 pages) each end marked with their
 * reason, while the server answers as usual. */
static void hostile_text(void)
{
	static const char *const names[] = {"chiffre.pdf", "tronque.pdf", "boucle.pdf",
					    "bombe.docx", "dix-mille-pages.pdf"};
	char dir[200], cmd[300];
	snprintf(dir, sizeof(dir), "%s/h", samples);
	snprintf(cmd, sizeof(cmd), "python3 tests/files/samples.py %s --hostile >/dev/null", dir);
	if (!CHECK(system(cmd) == 0))
		return;
	struct client c;
	struct answer a;
	long long m = make_meeting(&srv);
	if (!CHECK(m > 0 && log_in(&c, &srv)))
		return;
	char paths[5][300];
	const char *files[5 * 3 + 1];
	for (int i = 0; i < 5; i++) {
		snprintf(paths[i], sizeof(paths[i]), "%s/hostile/%s", dir, names[i]);
		files[i * 3] = "files", files[i * 3 + 1] = paths[i], files[i * 3 + 2] = names[i];
	}
	files[15] = NULL;
	CHECK_INT(attach(&c, m, files, &a), 303);
	answer_free(&a);
	double worst = 0; /* the slowest page while the texts are read */
	for (int i = 0; i < 20; i++) {
		CHECK_INT(client_send(&c, "GET", "/healthz", NULL, &a), 200);
		double t = 0;
		curl_easy_getinfo(c.curl, CURLINFO_TOTAL_TIME, &t);
		worst = t > worst ? t : worst;
		answer_free(&a);
		usleep(50 * 1000);
	}
	CHECKF(worst < 1.0, "une requête a attendu %.2f s pendant la lecture des textes", worst);
	CHECK(texts_read(&srv, 180));
	static const char *const want[][3] = {
		{"chiffre.pdf", "failed", "mot de passe"},
		{"tronque.pdf", "failed", "abîmé"},
		{"boucle.pdf", "none", "sans texte"},
		{"bombe.docx", "failed", "plus de 64 Mo"},
		{"dix-mille-pages.pdf", "done", "2000 premières pages sur 10000"},
	};
	for (int i = 0; i < 5; i++) {
		char q[300];
		snprintf(q, sizeof(q), "SELECT count(*) FROM file WHERE name = '%s' AND text_state = "
			 "'%s' AND text_reason LIKE '%%%s%%'", want[i][0], want[i][1], want[i][2]);
		CHECKF(live_sql_int(&srv, q) == 1, "%s : %s", want[i][0], want[i][2]);
	}
	long long f = live_sql_int(&srv, "SELECT id FROM file WHERE name = 'chiffre.pdf'");
	char page[64];
	snprintf(page, sizeof(page), "/files/%lld", f);
	CHECK_INT(client_send(&c, "GET", page, NULL, &a), 200);
	CHECK(strstr(buf_str(&a.body), "texte non extrait : PDF protégé par un mot de passe"));
	answer_free(&a);
	client_close(&c);
}

#define EICAR "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"

/* Starts a real clamd whose only signature (a test database written here)
 * is the EICAR test file's, its socket in dir; returns its pid, or -1. */
static pid_t start_clamd(const char *dir, char *sock, size_t size)
{
	char cmd[1200];
	snprintf(sock, size, "%s/clamd.sock", dir);
	snprintf(cmd, sizeof(cmd), "cd %s && mkdir -p db && printf '%%s' '%s' > eicar.txt && "
		 "echo \"$(md5sum eicar.txt | cut -c1-32):$(stat -c %%s eicar.txt):Maillage-Test-EICAR\" "
		 "> db/test.hdb && printf 'LocalSocket %s\\nDatabaseDirectory %s/db\\nForeground yes\\n"
		 "LogFile %s/clamd.log\\nStreamMaxLength 100M\\n' > clamd.conf", dir, EICAR, sock, dir,
		 dir);
	if (system(cmd) != 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		char conf[300];
		snprintf(conf, sizeof(conf), "%s/clamd.conf", dir);
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		execl("/usr/sbin/clamd", "clamd", "-c", conf, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; pid > 0 && i < 300 && access(sock, F_OK) != 0; i++)
		usleep(100 * 1000);
	if (pid > 0 && access(sock, F_OK) != 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}

/* With --clamd (a real clamd, started here with a test-only signature
 * database): each file waits for its scan (503, not served); the EICAR
 * file is quarantined — never served, absent from its meeting's page and
 * from the search, shown to the administration with its signature — and a
 * clean one is released. */
static void antivirus(void)
{
	if (access("/usr/sbin/clamd", X_OK) != 0)
		return test_skip("antivirus", "clamd n'est pas installé (paquet clamav-daemon)");
	char dir[] = "/tmp/maillage-clamd-XXXXXX", sock[200], eicar[300];
	if (!CHECK(mkdtemp(dir) != NULL))
		return;
	pid_t clamd = start_clamd(dir, sock, sizeof(sock));
	if (!CHECKF(clamd > 0, "clamd ne démarre pas"))
		return;
	snprintf(eicar, sizeof(eicar), "%s/eicar.txt", dir);
	struct live av;
	const char *const extra[] = {"--clamd", sock, NULL};
	if (CHECK(live_start(&av, ACCOUNT "admin@files.test admin " PASSWORD "\n", extra) == 0)) {
		struct client c, admin;
		struct answer a;
		long long m = make_meeting(&av);
		CHECK(m > 0 && log_in(&c, &av));
		client_open(&admin, &av);
		CHECK_INT(client_login(&admin, "admin@files.test", PASSWORD), 303);
		const char *const files[] = {"files", eicar, "eicar.txt", "files", sample("notes.txt"),
					     "notes.txt", NULL};
		CHECK_INT(attach(&c, m, files, &a), 303);
		answer_free(&a);
		long long bad = live_sql_int(&av, "SELECT id FROM file WHERE name = 'eicar.txt'");
		long long good = live_sql_int(&av, "SELECT id FROM file WHERE name = 'notes.txt'");
		char url[80];
		snprintf(url, sizeof(url), "/files/%lld/notes.txt", good);
		long first = client_send(&c, "GET", url, NULL, &a); /* held, unless already scanned */
		CHECKF(first == 503 || first == 200, "%ld", first);
		CHECK(first == 200 || strstr(buf_str(&a.body), "analyse antivirus"));
		answer_free(&a);
		for (int i = 0; i < 150 && live_sql_int(&av, "SELECT count(*) FROM file WHERE "
							  "scan_state = 'pending'") != 0; i++)
			usleep(200 * 1000);
		CHECK_INT(live_sql_int(&av, "SELECT count(*) FROM file WHERE scan_state = 'infected' AND "
					    "scan_signature LIKE 'Maillage-Test-EICAR%'"), 1);
		CHECK_INT(client_send(&c, "GET", url, NULL, &a), 200);
		CHECK(strstr(buf_str(&a.body), "passerelle") != NULL);
		answer_free(&a);
		snprintf(url, sizeof(url), "/files/%lld/eicar.txt", bad);
		CHECK_INT(client_send(&c, "GET", url, NULL, &a), 404);
		answer_free(&a);
		CHECK_INT(client_send(&admin, "GET", url, NULL, &a), 403);
		CHECK(strstr(buf_str(&a.body), "quarantaine") && !strstr(buf_str(&a.body), "EICAR-STANDARD"));
		answer_free(&a);
		snprintf(url, sizeof(url), "/files/%lld", bad);
		CHECK_INT(client_send(&c, "GET", url, NULL, &a), 404);
		answer_free(&a);
		CHECK_INT(client_send(&admin, "GET", url, NULL, &a), 200);
		CHECK(strstr(buf_str(&a.body), "Maillage-Test-EICAR") != NULL);
		answer_free(&a);
		snprintf(url, sizeof(url), "/meetings/%lld", m);
		CHECK_INT(client_send(&c, "GET", url, NULL, &a), 200);
		CHECK(strstr(buf_str(&a.body), "notes.txt") && !strstr(buf_str(&a.body), "eicar.txt"));
		answer_free(&a);
		CHECK_INT(client_send(&c, "GET", "/search.json?q=eicar", NULL, &a), 200);
		CHECK(strstr(buf_str(&a.body), "eicar.txt") == NULL);
		answer_free(&a);
		CHECK_INT(live_sql_int(&av, "SELECT count(*) FROM audit WHERE action = 'quarantine'"), 1);
		client_close(&c);
		client_close(&admin);
		live_stop(&av);
	}
	kill(clamd, SIGTERM);
	waitpid(clamd, NULL, 0);
	char cmd[120];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "files: %s n'a pas pu être effacé\n", dir);
}

void integration_files(void)
{
	char cmd[120] = "";
	if (mkdtemp(samples))
		snprintf(cmd, sizeof(cmd), "python3 tests/files/samples.py %s", samples);
	if (!*cmd || system(cmd) != 0) {
		test_skip("integration_files", "les documents d'essai n'ont pas pu être écrits");
		return;
	}
	if (live_start(&srv, ACCOUNT, NULL) == 0) {
		RUN(several_files);
		RUN(cut_upload);
		RUN(text_found);
		RUN(hostile_text);
		RUN(upload_survives_crash);
		live_stop(&srv);
	} else {
		test_skip("integration_files", "le serveur ne démarre pas");
	}
	RUN(big_file_streamed);
	RUN(over_the_limits);
	RUN(disk_full);
	RUN(antivirus);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", samples);
	if (system(cmd) != 0)
		fprintf(stderr, "files: %s n'a pas pu être effacé\n", samples);
}
