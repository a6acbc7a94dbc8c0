/* mail.c — the outbox against a real SMTP server (python3-aiosmtpd on a
 * loopback port, writing a maildir): an invitation as a mail reader sees
 * it, messages queued while the server is down, a crash of Maillage with
 * messages waiting, and mail over TLS. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../test.h"
#include "live.h"
#include "mailtest.h"

void integration_mail(void);

#define PASSWORD MAILTEST_PASSWORD
#define ACCOUNTS                                                   \
	"admin@mail.test admin " PASSWORD "\n"                       \
	"coord@mail.test coordinator " PASSWORD "\n"                 \
	"membre@asbl-a.test partner " PASSWORD "\n"                  \
	"ailleurs@asbl-c.test partner " PASSWORD "\n"

/* Returns a free loopback port. */
int free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t n = sizeof(a);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &n) < 0)
		return -1;
	close(fd);
	return ntohs(a.sin_port);
}

/* Tells whether something accepts connections on the loopback port. */
bool listening(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	bool ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
	if (fd >= 0)
		close(fd);
	return ok;
}

/* Sleeps for ms milliseconds. */
void pause_ms(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&t, NULL);
}

/* Starts the mail server (smtp.py, with aiosmtpd) on its port, writing into
 * its maildir, with m->options (TLS, AUTH) when set; 0 or -1. */
static int smtp_start(struct smtp *m)
{
	char port[16];
	snprintf(port, sizeof(port), "%d", m->port);
	const char *argv[16] = {"python3", "tests/integration/smtp.py", port, m->maildir};
	for (size_t i = 0; m->options && m->options[i] && i + 5 < 16; i++)
		argv[i + 4] = m->options[i];
	m->pid = fork();
	if (m->pid == 0) { /* its own messages (refused handshakes…) into maildir.log */
		char log[128];
		snprintf(log, sizeof(log), "%s.log", m->maildir);
		freopen("/dev/null", "w", stdout);
		freopen(log, "a", stderr);
		execv("/usr/bin/python3", (char *const *)argv);
		_exit(127);
	}
	for (int i = 0; i < 100 && !listening(m->port); i++)
		pause_ms(100);
	return listening(m->port) ? 0 : -1;
}

/* Stops aiosmtpd. */
void smtp_stop(struct smtp *m)
{
	if (m->pid > 0) {
		kill(m->pid, SIGTERM);
		waitpid(m->pid, NULL, 0);
	}
	m->pid = 0;
}

/* Returns the messages of the maildir as maildir.py reads them. */
static json_t *received(const struct smtp *m)
{
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 tests/integration/maildir.py %s", m->maildir);
	struct buf out = {0};
	test_read_command(cmd, &out);
	json_t *j = json_loads(buf_str(&out), 0, NULL);
	buf_free(&out);
	return j ? j : json_array();
}

/* Waits (up to 60 s) until the maildir holds count messages; returns them. */
json_t *wait_for(const struct smtp *m, size_t count)
{
	json_t *j = received(m);
	for (int i = 0; i < 600 && json_array_size(j) < count; i++) {
		json_decref(j);
		pause_ms(100);
		j = received(m);
	}
	return j;
}

/* Runs an SQL script on the server's database with the sqlite3 shell. */
int sql(const struct live *s, const char *script)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/script.sql", s->dir);
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(script, f);
	fclose(f);
	char cmd[400];
	/* the server writes too (its outbox, the day's digests): wait for it */
	snprintf(cmd, sizeof(cmd), "sqlite3 -bail -cmd '.timeout 10000' %s/live.db < %s", s->dir,
		 path);
	return system(cmd) == 0 ? 0 : -1;
}

/* Two member organisations (one with an account, one with a named
 * contact), one outsider, and a planned meeting whose title and place
 * hold what iCalendar must escape. */
static const char network[] =
	"INSERT INTO organisation (slug, name) VALUES ('asbl-a', 'ASBL A'), ('asbl-b', 'ASBL B'), "
	"('asbl-c', 'ASBL C');"
	"UPDATE user SET organisation_id = (SELECT id FROM organisation WHERE slug = 'asbl-a') "
	"WHERE email = 'membre@asbl-a.test';"
	"UPDATE user SET organisation_id = (SELECT id FROM organisation WHERE slug = 'asbl-c') "
	"WHERE email = 'ailleurs@asbl-c.test';"
	"INSERT INTO person (organisation_id, name, email) SELECT id, 'Contact B', "
	"'contact@asbl-b.test' FROM organisation WHERE slug = 'asbl-b';"
	"INSERT INTO body (slug, name, kind) VALUES ('gt-essai', 'GT essai', 'working_group');"
	"INSERT INTO membership (body_id, organisation_id) SELECT b.id, o.id FROM body b, "
	"organisation o WHERE b.slug = 'gt-essai' AND o.slug IN ('asbl-a', 'asbl-b');"
	"INSERT INTO meeting (id, body_id, title, start, end, place, status, visibility) SELECT 1, id, "
	"'Réunion « été », bilan; suites', '2030-06-15T09:30', '2030-06-15T12:00', "
	"'Salle 1; étage 2, Namur', 'planned', 'members' FROM body WHERE slug = 'gt-essai';";

bool mail_and_server(struct smtp *m, struct live *s, const char *tag, const char *const *more)
{
	char tmpl[64];
	snprintf(tmpl, sizeof(tmpl), "/tmp/maillage-%.20s-XXXXXX", tag);
	m->port = free_port();
	if (!CHECK(mkdtemp(tmpl) != NULL))
		return false;
	snprintf(m->maildir, sizeof(m->maildir), "%s/box", tmpl);
	if (!CHECK(smtp_start(m) == 0))
		return false;
	char url[64];
	snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", m->port);
	const char *extra[20] = {"--smtp-url", url, "--retry-base", "1"};
	for (int i = 0; more && more[i] && i < 14; i++)
		extra[4 + i] = more[i];
	if (!CHECK(live_start(s, ACCOUNTS, extra) == 0) || !CHECK(sql(s, network) == 0)) {
		smtp_stop(m);
		return false;
	}
	return true;
}

const char *part_text(json_t *m, const char *type)
{
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(m, "parts"), i, p)
		if (strcmp(json_string_value(json_object_get(p, "type")), type) == 0)
			return json_string_value(json_object_get(p, "text"));
	return NULL;
}

/* Tells whether every line of an iCalendar text is at most 75 octets. */
static bool folded(const char *ics)
{
	for (const char *p = ics; *p;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n && p[n - 1] == '\r')
			n--;
		if (n > 75)
			return false;
		p += n + (e ? (e[-1] == '\r' ? 1 : 0) + 1 : 0);
		if (!e)
			break;
	}
	return true;
}

/* Posts the invitation of meeting 1 as the coordinator; returns the status. */
long invite(struct client *c)
{
	struct answer a;
	client_send(c, "GET", "/meetings/1", NULL, &a);
	answer_free(&a);
	char form[128];
	snprintf(form, sizeof(form), "_csrf=%s", c->csrf);
	long st = client_send(c, "POST", "/meetings/1/invite", form, &a);
	answer_free(&a);
	return st;
}

/* The invitation reaches each member contact (not the outsider), with its
 * French subject intact, text and HTML parts and a text/calendar REQUEST
 * that an iCalendar reader accepts. Then the SMTP server stops, ten
 * messages wait, it comes back: all ten arrive, once each. Then Maillage
 * is killed with messages waiting: after its restart they are sent. */
static void mail_through_smtp(void)
{
	struct smtp m = {0};
	struct live s;
	m.port = free_port();
	char maildir_tmpl[] = "/tmp/maillage-mail-XXXXXX";
	CHECK(mkdtemp(maildir_tmpl) != NULL);
	snprintf(m.maildir, sizeof(m.maildir), "%s/box", maildir_tmpl);
	if (!CHECK(smtp_start(&m) == 0))
		return;
	char url[64];
	snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", m.port);
	const char *extra[] = {"--smtp-url", url, "--retry-base", "1", "--mail-from",
			       "reseau@maillage.test", NULL};
	if (!CHECK(live_start(&s, ACCOUNTS, extra) == 0) || !CHECK(sql(&s, network) == 0)) {
		smtp_stop(&m);
		return;
	}
	struct client c;
	client_open(&c, &s);
	CHECK_INT(client_login(&c, "coord@mail.test", PASSWORD), 303);
	CHECK_INT(invite(&c), 303);
	json_t *got = wait_for(&m, 2);
	CHECK_INT(json_array_size(got), 2);
	json_t *a = json_array_get(got, 0), *b = json_array_get(got, 1);
	CHECK_STR(json_string_value(json_object_get(a, "to")), "contact@asbl-b.test");
	CHECK_STR(json_string_value(json_object_get(b, "to")), "membre@asbl-a.test");
	CHECK_STR(json_string_value(json_object_get(a, "subject")),
		  "Invitation : Réunion « été », bilan; suites, 15 juin 2030, 9 h 30");
	CHECK(strncmp(json_string_value(json_object_get(a, "raw_subject")), "=?UTF-8?B?", 10) == 0);
	const char *ics = part_text(a, "text/calendar");
	CHECK(ics && strstr(ics, "METHOD:REQUEST\r\n"));
	CHECK(ics && strstr(ics, "SEQUENCE:0\r\n") && strstr(ics, "UID:meeting-1@"));
	CHECK(ics && strstr(ics, "DTSTART;TZID=Europe/Brussels:20300615T093000\r\n"));
	CHECK(ics && strstr(ics, "DTEND;TZID=Europe/Brussels:20300615T120000\r\n"));
	CHECK(ics && strstr(ics, "LOCATION:Salle 1\\; étage 2\\, Namur\r\n"));
	CHECK(ics && strstr(ics, "SUMMARY:Réunion « été »\\, bilan\\; suites\r\n"));
	CHECK(ics && strstr(ics, "ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:contact@asbl-b.test"));
	CHECK(ics && strstr(ics, "BEGIN:VTIMEZONE\r\nTZID:Europe/Brussels\r\n") && folded(ics));
	CHECK(part_text(a, "text/plain") && strstr(part_text(a, "text/plain"), "/meetings/1"));
	CHECK(part_text(a, "text/html") && strstr(part_text(a, "text/html"), "été"));
	json_decref(got);
	CHECK_INT(live_sql_int(&s, "SELECT count(*) FROM outbox WHERE status = 'sent'"), 2);

	/* the server is down: ten messages wait, then all arrive once */
	smtp_stop(&m);
	for (int i = 0; i < 5; i++)
		CHECK_INT(invite(&c), 303);
	for (int i = 0; i < 100 && live_sql_int(&s, "SELECT count(*) FROM outbox WHERE attempts > 0 AND "
					   "status = 'queued'") < 10; i++)
		pause_ms(100);
	CHECK_INT(live_sql_int(&s, "SELECT count(*) FROM outbox WHERE status = 'queued' AND "
			  "last_error LIKE 'connexion au serveur impossible (%'"), 10);
	CHECK(smtp_start(&m) == 0);
	got = wait_for(&m, 12);
	CHECK_INT(json_array_size(got), 12);
	pause_ms(1500); /* nothing more arrives */
	json_decref(got);
	got = received(&m);
	CHECK_INT(json_array_size(got), 12);
	json_t *ids = json_object(), *one;
	size_t i;
	json_array_foreach(got, i, one)
		json_object_set_new(ids, json_string_value(json_object_get(one, "message_id")), json_true());
	CHECK_INT(json_object_size(ids), 12);
	json_decref(ids);
	json_decref(got);
	CHECK_INT(live_sql_int(&s, "SELECT count(*) FROM outbox WHERE status = 'sent'"), 12);

	/* Maillage is killed with messages waiting: they go after its restart */
	smtp_stop(&m);
	CHECK_INT(invite(&c), 303);
	CHECK_INT(invite(&c), 303);
	client_close(&c);
	kill(s.pid, SIGKILL);
	waitpid(s.pid, NULL, 0);
	CHECK_INT(live_sql_int(&s, "SELECT count(*) FROM outbox WHERE status = 'queued'"), 4);
	CHECK(smtp_start(&m) == 0);
	CHECK(live_resume(&s, extra) == 0);
	got = wait_for(&m, 16);
	CHECK_INT(json_array_size(got), 16);
	json_decref(got);
	for (int k = 0;
	     k < 50 && live_sql_int(&s, "SELECT count(*) FROM outbox WHERE status = 'sent'") < 16; k++)
		pause_ms(100);
	CHECK_INT(live_sql_int(&s, "SELECT count(*) FROM outbox WHERE status = 'sent'"), 16);
	CHECK_INT(live_stop(&s), 0);
	smtp_stop(&m);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", maildir_tmpl);
	CHECK(system(cmd) == 0);
}

/* Starts Maillage with the mail options extra and the network, and has the
 * coordinator send the invitation of meeting 1 (two messages); 0 or -1. */
static int invite_with(struct live *s, const char *const *extra)
{
	if (live_start(s, ACCOUNTS, extra) < 0)
		return -1;
	struct client c;
	client_open(&c, s);
	int rc = sql(s, network) == 0 && client_login(&c, "coord@mail.test", PASSWORD) == 303 &&
			 invite(&c) == 303 ? 0 : -1;
	client_close(&c);
	return rc;
}

/* Waits (up to 10 s) until both messages were tried once; returns how many
 * still wait with an error that contains the word why. */
static long long refused(const struct live *s, const char *why)
{
	char query[200];
	snprintf(query, sizeof(query), "SELECT count(*) FROM outbox WHERE status = 'queued' AND "
		 "attempts > 0 AND last_error LIKE '%%%s%%'", why);
	for (int i = 0; i < 100 && live_sql_int(s, "SELECT count(*) FROM outbox WHERE attempts > 0") < 2;
	     i++)
		pause_ms(100);
	return live_sql_int(s, query);
}

/* Mail over TLS with a certificate of the test's own authority: STARTTLS
 * demanded by the server, with the password sent once encrypted; smtps://;
 * a server that would take the password in clear never gets it; a
 * certificate nobody vouches for is refused. Nothing is lost meanwhile. */
static void mail_over_tls(void)
{
	char dir[] = "/tmp/maillage-tls-XXXXXX", cert[96], key[96], auth[96], cmd[400], url[64];
	if (!CHECK(mkdtemp(dir) != NULL))
		return;
	snprintf(cert, sizeof(cert), "%s/cert.pem", dir);
	snprintf(key, sizeof(key), "%s/key.pem", dir);
	snprintf(auth, sizeof(auth), "%s/auth", dir);
	snprintf(cmd, sizeof(cmd), "openssl req -x509 -newkey rsa:2048 -nodes -keyout %s -out %s "
		 "-days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null", key, cert);
	if (!CHECK(system(cmd) == 0))
		return;
	setenv("MAILLAGE_SMTP_PASSWORD", "secret du relais", 1);
	struct live s;
	struct smtp m = {.port = free_port()};
	snprintf(m.maildir, sizeof(m.maildir), "%s/box", dir);
	snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", m.port);

	/* STARTTLS demanded: both arrive, the password came encrypted */
	const char *starttls[] = {"--starttls", cert, key, "--auth", auth, NULL};
	const char *trusting[] = {"--smtp-url", url, "--smtp-user", "relais", "--smtp-ca", cert,
				  "--retry-base", "1", NULL};
	m.options = starttls;
	CHECK(smtp_start(&m) == 0);
	CHECK(invite_with(&s, trusting) == 0);
	json_t *got = wait_for(&m, 2);
	CHECK_INT(json_array_size(got), 2);
	json_decref(got);
	struct buf seen = {0};
	buf_read_file(&seen, auth);
	CHECK(strstr(buf_str(&seen), "relais:secret du relais\n") != NULL);
	CHECK_INT(live_stop(&s), 0);

	/* no authority given: the self-made certificate is refused, mail waits */
	const char *untrusting[] = {"--smtp-url", url, "--retry-base", "60", NULL};
	CHECK(invite_with(&s, untrusting) == 0);
	CHECK_INT(refused(&s, "certificat du serveur de courrier refusé"), 2);
	CHECK_INT(live_stop(&s), 0);
	smtp_stop(&m);

	/* a server that would take the password in clear never sees it */
	const char *careless[] = {"--auth", auth, NULL};
	m.options = careless;
	unlink(auth);
	CHECK(smtp_start(&m) == 0);
	const char *with_password[] = {"--smtp-url", url, "--smtp-user", "relais", "--retry-base",
				       "60", NULL};
	CHECK(invite_with(&s, with_password) == 0);
	CHECK_INT(refused(&s, "ne propose pas STARTTLS"), 2);
	CHECK(access(auth, F_OK) != 0);
	got = received(&m);
	CHECK_INT(json_array_size(got), 2); /* only the first two, from above */
	json_decref(got);
	CHECK_INT(live_stop(&s), 0);
	smtp_stop(&m);

	/* smtps://: TLS from the first byte */
	const char *smtps[] = {"--smtps", cert, key, NULL};
	m.options = smtps;
	CHECK(smtp_start(&m) == 0);
	snprintf(url, sizeof(url), "smtps://127.0.0.1:%d", m.port);
	const char *direct[] = {"--smtp-url", url, "--smtp-ca", cert, "--retry-base", "1", NULL};
	CHECK(invite_with(&s, direct) == 0);
	got = wait_for(&m, 4);
	CHECK_INT(json_array_size(got), 4);
	json_decref(got);
	CHECK_INT(live_stop(&s), 0);
	smtp_stop(&m);
	unsetenv("MAILLAGE_SMTP_PASSWORD");
	buf_free(&seen);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
}

/* Without a mail server, messages become .eml files a person can open. */
static void mail_without_server(void)
{
	struct live s;
	if (!CHECK(live_start(&s, ACCOUNTS, NULL) == 0) || !CHECK(sql(&s, network) == 0))
		return;
	struct client c;
	client_open(&c, &s);
	CHECK_INT(client_login(&c, "coord@mail.test", PASSWORD), 303);
	CHECK_INT(invite(&c), 303);
	client_close(&c);
	char path[160];
	snprintf(path, sizeof(path), "%s/outbox/000002.eml", s.dir);
	bool found = false;
	for (int i = 0; i < 100 && !(found = access(path, R_OK) == 0); i++)
		pause_ms(100);
	CHECK(found);
	struct buf eml = {0};
	buf_read_file(&eml, path);
	CHECK(strstr(buf_str(&eml), "Content-Type: text/calendar; charset=utf-8; method=REQUEST"));
	CHECK(strstr(buf_str(&eml), "\r\nMessage-ID: <"));
	buf_free(&eml);
	CHECK_INT(live_stop(&s), 0);
}

/* Without room for its .eml file (the folder on a full tmpfs), a message
 * stays queued with the reason, no half-written .tmp file is left, and no
 * file handle leaks (LeakSanitizer checks the server as it stops). */
static void mail_on_full_disk(void)
{
	if (geteuid() != 0)
		return test_skip("mail_on_full_disk", "monter un tmpfs demande root");
	char dir[] = "/tmp/maillage-plein-XXXXXX";
	if (!CHECK(mkdtemp(dir) != NULL))
		return;
	if (!CHECKF(mount("tmpfs", dir, "tmpfs", 0, "size=64k") == 0, "tmpfs : %s", strerror(errno))) {
		rmdir(dir);
		return;
	}
	const char *extra[] = {"--outbox-dir", dir, "--retry-base", "3600", NULL};
	struct live s;
	if (CHECK(live_start(&s, ACCOUNTS, extra) == 0)) {
		CHECK(sql(&s, "INSERT INTO outbox (kind, message_id, recipient, body) VALUES ('mail', "
			      "'<plein@mail.test>', 'a@mail.test', replace(hex(zeroblob(100000)), '0', "
			      "'x'));") == 0);
		long long failed = 0;
		for (int i = 0; i < 100 && !failed; i++) {
			failed = live_sql_int(&s, "SELECT count(*) FROM outbox WHERE status = 'queued' "
						  "AND last_error LIKE '%écriture impossible%'");
			if (!failed)
				pause_ms(100);
		}
		CHECK_INT(failed, 1);
		DIR *d = opendir(dir);
		struct dirent *e;
		int files = 0;
		while (d && (e = readdir(d)))
			files += e->d_name[0] != '.';
		if (d)
			closedir(d);
		CHECK_INT(files, 0); /* neither the .eml nor its .tmp */
		CHECK_INT(live_stop(&s), 0);
	}
	umount(dir);
	rmdir(dir);
}

/* A motion in a commune, for a state change to tell the webhooks. */
static const char motion[] =
	"INSERT INTO territory (id, slug, name) VALUES (1, 'namur', 'Namur');"
	"INSERT INTO commune (nis, name, arrondissement, territory_id) VALUES "
	"(92094, 'Namur', 'Namur', 1);"
	"INSERT INTO motion (slug, title) VALUES ('hospitaliere', 'Motion « hospitalière »');";

/* A webhook registered by the administrator receives a JSON POST when a
 * coordinator moves a motion in a commune; http:// to this machine only
 * with --allow-local-webhooks. */
static void webhooks_delivered(void)
{
	int port = free_port();
	char dir[] = "/tmp/maillage-hook-XXXXXX", file[96], ports[16];
	CHECK(mkdtemp(dir) != NULL);
	snprintf(file, sizeof(file), "%s/posts", dir);
	snprintf(ports, sizeof(ports), "%d", port);
	pid_t hook = fork();
	if (hook == 0) {
		execl("/usr/bin/python3", "python3", "tests/integration/hook.py", ports, file, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 100 && !listening(port); i++)
		pause_ms(100);
	const char *extra[] = {"--allow-local-webhooks", NULL};
	struct live s;
	if (!CHECK(live_start(&s, ACCOUNTS, extra) == 0) || !CHECK(sql(&s, motion) == 0)) {
		kill(hook, SIGTERM);
		waitpid(hook, NULL, 0);
		return;
	}
	struct client admin, coord;
	struct answer a;
	client_open(&admin, &s);
	client_open(&coord, &s);
	CHECK_INT(client_login(&admin, "admin@mail.test", PASSWORD), 303);
	client_send(&admin, "GET", "/admin/webhooks", NULL, &a);
	answer_free(&a);
	char form[256];
	snprintf(form, sizeof(form), "_csrf=%s&url=http%%3A%%2F%%2F127.0.0.1%%3A%d%%2Fhook", admin.csrf,
		 port);
	CHECK_INT(client_send(&admin, "POST", "/admin/webhooks", form, &a), 303);
	answer_free(&a);
	CHECK_INT(client_login(&coord, "coord@mail.test", PASSWORD), 303);
	client_send(&coord, "GET", "/motions/hospitaliere/communes/92094", NULL, &a);
	answer_free(&a);
	snprintf(form, sizeof(form), "_csrf=%s&date=2026-05-04&kind=meeting&state=contact&note=Rencontre",
		 coord.csrf);
	CHECK_INT(client_send(&coord, "POST", "/motions/hospitaliere/communes/92094", form, &a), 303);
	answer_free(&a);
	struct buf posts = {0};
	for (int i = 0; i < 100; i++) {
		buf_reset(&posts);
		if (buf_read_file(&posts, file) == 0 && strstr(buf_str(&posts), "\n"))
			break;
		pause_ms(100);
	}
	const char *p = buf_str(&posts);
	CHECK(strstr(p, "\"event\":\"motion_state\"") && strstr(p, "\"to\":\"contact\""));
	CHECK(strstr(p, "\"name\":\"Namur\"") && strstr(p, "/motions/hospitaliere/communes/92094"));
	CHECK(strncmp(p, "<", 1) == 0); /* the delivery's id, stable across retries */
	CHECK_INT(live_sql_int(&s, "SELECT count(*) FROM outbox WHERE kind = 'webhook' AND "
				   "status = 'sent'"), 1);
	buf_free(&posts);
	client_close(&admin);
	client_close(&coord);
	CHECK_INT(live_stop(&s), 0);
	kill(hook, SIGTERM);
	waitpid(hook, NULL, 0);
	char cmd[96];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
}

/* Without --allow-local-webhooks, the form refuses a name that resolves
 * to this machine, and a webhook whose name resolves to it only by the
 * time it is sent (as after a DNS rebinding; here, a row written straight
 * into the table) is stopped at the connection: nothing reaches the
 * listener on the loopback, and the outbox says why. */
static void webhooks_stay_outside(void)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t n = sizeof(a);
	if (!CHECK(fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 && listen(fd, 8) == 0 &&
		   getsockname(fd, (struct sockaddr *)&a, &n) == 0))
		return;
	int port = ntohs(a.sin_port);
	struct live s;
	if (!CHECK(live_start(&s, ACCOUNTS, NULL) == 0) || !CHECK(sql(&s, motion) == 0)) {
		close(fd);
		return;
	}
	struct client admin, coord;
	struct answer ans;
	client_open(&admin, &s);
	client_open(&coord, &s);
	CHECK_INT(client_login(&admin, "admin@mail.test", PASSWORD), 303);
	client_send(&admin, "GET", "/admin/webhooks", NULL, &ans);
	answer_free(&ans);
	char form[256];
	snprintf(form, sizeof(form), "_csrf=%s&url=https%%3A%%2F%%2Flocalhost%%3A%d%%2Fhook",
		 admin.csrf, port);
	CHECK_INT(client_send(&admin, "POST", "/admin/webhooks", form, &ans), 422);
	CHECK(strstr(buf_str(&ans.body), "(boucle locale)") != NULL);
	answer_free(&ans);
	char script[200];
	snprintf(script, sizeof(script), "INSERT INTO webhook (url) VALUES ('https://localhost:%d/hook');",
		 port);
	CHECK(sql(&s, script) == 0);
	CHECK_INT(client_login(&coord, "coord@mail.test", PASSWORD), 303);
	client_send(&coord, "GET", "/motions/hospitaliere/communes/92094", NULL, &ans);
	answer_free(&ans);
	snprintf(form, sizeof(form), "_csrf=%s&date=2026-05-04&kind=meeting&state=contact&note=R",
		 coord.csrf);
	CHECK_INT(client_send(&coord, "POST", "/motions/hospitaliere/communes/92094", form, &ans), 303);
	answer_free(&ans);
	long long tried = 0;
	for (int i = 0; i < 100 && !tried; i++) {
		tried = live_sql_int(&s, "SELECT count(*) FROM outbox WHERE kind = 'webhook' AND "
					 "last_error LIKE '%refusée (boucle locale)%'");
		if (!tried)
			pause_ms(100);
	}
	CHECK_INT(tried, 1);
	CHECK_INT(live_sql_int(&s, "SELECT count(*) FROM outbox WHERE status = 'sent'"), 0);
	CHECK(accept(fd, NULL, NULL) < 0); /* no connection ever came */
	close(fd);
	client_close(&admin);
	client_close(&coord);
	CHECK_INT(live_stop(&s), 0);
}

/* Returns the message of got sent to address (borrowed), or NULL. */
json_t *message_to(json_t *got, const char *address)
{
	size_t i;
	json_t *m;
	json_array_foreach(got, i, m)
		if (strcmp(json_string_value(json_object_get(m, "to")), address) == 0)
			return m;
	return NULL;
}

/* Copies into token the password link a message's text carries. */
static bool link_token(json_t *m, char token[64])
{
	const char *text = m ? part_text(m, "text/plain") : NULL;
	const char *at = text ? strstr(text, "/password/") : NULL;
	token[0] = '\0';
	if (!at)
		return false;
	snprintf(token, 64, "%.43s", at + 10);
	return strlen(token) == 43;
}

/* Accounts run from the web, through the real server and a real mail
 * server: an administrator creates a partner's account, the mailed link
 * sets its password once, the partner logs in and finds its body; « mot
 * de passe oublié » answers alike for a known and an unknown address, and
 * mails only the known one. */
static void accounts_by_mail(void)
{
	struct smtp m = {0};
	struct live s;
	if (!mail_and_server(&m, &s, "accounts", NULL))
		return;
	struct client admin, newcomer, anon;
	struct answer a;
	char form[512], token[64], path[96];
	client_open(&admin, &s);
	client_open(&newcomer, &s);
	client_open(&anon, &s);
	CHECK_INT(client_login(&admin, "admin@mail.test", PASSWORD), 303);
	client_send(&admin, "GET", "/admin/users", NULL, &a);
	answer_free(&a);
	snprintf(form, sizeof(form), "_csrf=%s&email=nouvelle%%40asbl-a.test&name=Nouvelle+"
		 "Partenaire&role=partner&organisation=asbl-a", admin.csrf);
	CHECK_INT(client_send(&admin, "POST", "/admin/users", form, &a), 303);
	answer_free(&a);
	json_t *got = wait_for(&m, 1);
	json_t *welcome = message_to(got, "nouvelle@asbl-a.test");
	CHECK(welcome && strcmp(json_string_value(json_object_get(welcome, "subject")),
				"Votre compte Maillage") == 0);
	CHECK(link_token(welcome, token));
	json_decref(got);
	/* the link opens the form, sets the password once */
	snprintf(path, sizeof(path), "/password/%s", token);
	CHECK_INT(client_send(&newcomer, "GET", path, NULL, &a), 200);
	CHECK(strstr(buf_str(&a.body), "Nouvelle Partenaire") != NULL);
	answer_free(&a);
	snprintf(form, sizeof(form), "_csrf=%s&password=court&confirm=court", newcomer.csrf);
	CHECK_INT(client_send(&newcomer, "POST", path, form, &a), 422);
	answer_free(&a);
	snprintf(form, sizeof(form), "_csrf=%s&password=phrase-bien-a-moi-2026&confirm=phrase-bien-a-"
		 "moi-2026", newcomer.csrf);
	CHECK_INT(client_send(&newcomer, "POST", path, form, &a), 303);
	answer_free(&a);
	CHECK_INT(client_send(&newcomer, "POST", path, form, &a), 404); /* spent */
	CHECK(strstr(buf_str(&a.body), "Ce lien n&#39;est plus valable") ||
	      strstr(buf_str(&a.body), "Ce lien n'est plus valable"));
	answer_free(&a);
	CHECK_INT(client_login(&newcomer, "nouvelle@asbl-a.test", "phrase-bien-a-moi-2026"), 303);
	CHECK_INT(client_send(&newcomer, "GET", "/", NULL, &a), 200);
	CHECK(strstr(buf_str(&a.body), "Mes instances") && strstr(buf_str(&a.body), "GT essai"));
	answer_free(&a);
	/* a forgotten password: the same answer for a known and an unknown address */
	struct buf known = {0}, unknown = {0};
	const char *who[2] = {"membre%40asbl-a.test", "personne%40asbl-a.test"};
	for (int i = 0; i < 2; i++) {
		client_send(&anon, "GET", "/password/forgot", NULL, &a);
		answer_free(&a);
		snprintf(form, sizeof(form), "_csrf=%s&email=%s", anon.csrf, who[i]);
		CHECK_INT(client_send(&anon, "POST", "/password/forgot", form, &a), 200);
		buf_puts(i ? &unknown : &known, buf_str(&a.body));
		answer_free(&a);
	}
	CHECK(known.len > 0 && strcmp(buf_str(&known), buf_str(&unknown)) == 0);
	CHECK(strstr(buf_str(&known), "Si un compte actif utilise cette adresse") != NULL);
	got = wait_for(&m, 2);
	CHECK_INT(json_array_size(got), 2);
	json_t *reset = message_to(got, "membre@asbl-a.test");
	CHECK(reset && strcmp(json_string_value(json_object_get(reset, "subject")),
			      "Nouveau mot de passe Maillage") == 0 && link_token(reset, token));
	CHECK(message_to(got, "personne@asbl-a.test") == NULL);
	json_decref(got);
	CHECK_INT(live_sql_int(&s, "SELECT count(*) FROM outbox WHERE recipient LIKE 'personne%'"), 0);
	buf_free(&known);
	buf_free(&unknown);
	client_close(&admin);
	client_close(&newcomer);
	client_close(&anon);
	CHECK_INT(live_stop(&s), 0);
	smtp_stop(&m);
}

/* A member organisation's named contact gets the invitation with a
 * one-click unsubscribe (RFC 8058) that a mail reader can POST without a
 * session; after it, the next invitation reaches the account, not the
 * contact. Through the real server and a real mail server. */
static void contact_unsubscribes(void)
{
	struct smtp m = {0};
	struct live s;
	if (!mail_and_server(&m, &s, "contact", NULL))
		return;
	struct client coord, reader;
	client_open(&coord, &s);
	client_open(&reader, &s);
	CHECK_INT(client_login(&coord, "coord@mail.test", PASSWORD), 303);
	CHECK_INT(invite(&coord), 303);
	json_t *got = wait_for(&m, 2);
	json_t *contact = message_to(got, "contact@asbl-b.test");
	json_t *member = message_to(got, "membre@asbl-a.test");
	const char *link = contact ? json_string_value(json_object_get(contact, "list_unsubscribe")) : "";
	while (link && *link == ' ')
		link++;
	char site[64];
	snprintf(site, sizeof(site), "<http://127.0.0.1:%d/unsubscribe/", s.port); /* the real port */
	CHECK(link && strncmp(link, site, strlen(site)) == 0);
	CHECK_STR(contact ? json_string_value(json_object_get(contact, "list_unsubscribe_post")) : "",
		  "List-Unsubscribe=One-Click");
	CHECK(contact && strstr(part_text(contact, "text/plain"), "Pour ne plus en recevoir"));
	CHECK(contact && strstr(part_text(contact, "text/html"), "Ne plus recevoir ces messages"));
	CHECK(member && strcmp(json_string_value(json_object_get(member, "list_unsubscribe")), "") == 0);
	/* the mail reader's one-click POST: no session, no form token */
	char path[128] = "";
	const char *at = link ? strstr(link, "/unsubscribe/") : NULL;
	if (at)
		snprintf(path, sizeof(path), "%.*s", (int)strcspn(at, ">"), at);
	json_decref(got);
	struct answer a;
	CHECK_INT(client_send(&reader, "POST", path, "List-Unsubscribe=One-Click", &a), 200);
	CHECK(strstr(buf_str(&a.body), "C&#39;est fait") || strstr(buf_str(&a.body), "C'est fait"));
	answer_free(&a);
	CHECK_INT(live_sql_int(&s, "SELECT count(*) FROM person WHERE unsubscribed_at IS NOT NULL"), 1);
	/* the next invitation: the account only */
	CHECK_INT(invite(&coord), 303);
	got = wait_for(&m, 3);
	CHECK_INT(json_array_size(got), 3);
	size_t i, to_contact = 0;
	json_t *msg;
	json_array_foreach(got, i, msg)
		to_contact += strcmp(json_string_value(json_object_get(msg, "to")), "contact@asbl-b.test") == 0;
	CHECK_INT(to_contact, 1);
	json_decref(got);
	/* an erased contact: gone from the mails, the pages, the API and the export */
	CHECK(sql(&s, "INSERT INTO person (organisation_id, name, email, function) SELECT id, "
		  "'Jeanne Exemple', 'jeanne@asbl-a.test', 'Médiatrice' FROM organisation WHERE "
		  "slug = 'asbl-a';") == 0);
	long long jeanne = live_sql_int(&s, "SELECT id FROM person WHERE email = 'jeanne@asbl-a.test'");
	struct client admin;
	client_open(&admin, &s);
	CHECK_INT(client_login(&admin, "admin@mail.test", PASSWORD), 303);
	client_send(&admin, "GET", "/organisations/asbl-a", NULL, &a);
	CHECK(strstr(buf_str(&a.body), "Jeanne Exemple") != NULL);
	answer_free(&a);
	char erase[96], form[128];
	snprintf(erase, sizeof(erase), "/admin/contacts/%lld/erase", jeanne);
	snprintf(form, sizeof(form), "_csrf=%s", admin.csrf);
	CHECK_INT(client_send(&admin, "POST", erase, form, &a), 303);
	answer_free(&a);
	CHECK_INT(invite(&coord), 303);
	got = wait_for(&m, 4);
	CHECK_INT(json_array_size(got), 4); /* the account's third invitation only */
	CHECK(message_to(got, "jeanne@asbl-a.test") == NULL);
	json_decref(got);
	client_send(&admin, "GET", "/organisations/asbl-a", NULL, &a);
	CHECK(!strstr(buf_str(&a.body), "Jeanne") && !strstr(buf_str(&a.body), "jeanne@"));
	answer_free(&a);
	client_send(&admin, "GET", "/api/v1/partners/asbl-a", NULL, &a);
	CHECK(a.status == 200 && !strstr(buf_str(&a.body), "Jeanne") && !strstr(buf_str(&a.body), "jeanne"));
	answer_free(&a);
	char cmd[300];
	struct buf out = {0};
	snprintf(cmd, sizeof(cmd), "export %s/export --db %s/live.db", s.dir, s.dir);
	CHECK_INT(live_cli(cmd, NULL, &out), 0);
	snprintf(cmd, sizeof(cmd), "grep -rq -i jeanne %s/export", s.dir);
	CHECK(system(cmd) != 0);
	buf_free(&out);
	client_close(&admin);
	client_close(&coord);
	client_close(&reader);
	CHECK_INT(live_stop(&s), 0);
	smtp_stop(&m);
}

/* Copies into out the path of the link of answer ("/rsvp/…") in the text
 * part of message m; false when there is none. */
static bool answer_link(json_t *m, const char *answer, char *out, size_t size)
{
	const char *text = m ? part_text(m, "text/plain") : NULL;
	char want[48];
	snprintf(want, sizeof(want), "?answer=%s", answer);
	const char *end = text ? strstr(text, want) : NULL, *start = end;
	while (start && start > text && strncmp(start, "/rsvp/", 6) != 0)
		start--;
	if (!end || strncmp(start, "/rsvp/", 6) != 0 || (size_t)(end - start) >= size)
		return false;
	snprintf(out, size, "%.*s", (int)(end - start), start);
	return true;
}

/* The invitation's answer links through the real server and a real SMTP
 * server: a contact without an account opens « Je viens » (nothing
 * recorded), confirms it (recorded), a member says « Je ne viens pas »;
 * the prepare page counts them. */
static void invitation_answered(void)
{
	struct smtp m = {0};
	struct live s;
	if (!mail_and_server(&m, &s, "rsvp", NULL))
		return;
	struct client coord, nobody;
	client_open(&coord, &s);
	client_open(&nobody, &s);
	CHECK_INT(client_login(&coord, "coord@mail.test", PASSWORD), 303);
	CHECK_INT(invite(&coord), 303);
	json_t *got = wait_for(&m, 2);
	char yes[160], no[160], path[200];
	CHECK(answer_link(message_to(got, "contact@asbl-b.test"), "accepted", yes, sizeof(yes)));
	CHECK(answer_link(message_to(got, "membre@asbl-a.test"), "declined", no, sizeof(no)));
	json_t *html = message_to(got, "contact@asbl-b.test");
	CHECK(html && strstr(part_text(html, "text/html"), "Serez-vous là ?"));
	json_decref(got);
	struct answer a;
	snprintf(path, sizeof(path), "%s?answer=accepted", yes);
	CHECK_INT(client_send(&nobody, "GET", path, NULL, &a), 200);
	CHECK(strstr(buf_str(&a.body), "Confirmer : Je viens") != NULL);
	answer_free(&a);
	CHECK_INT(live_sql_int(&s, "SELECT count(*) FROM rsvp WHERE answer <> 'invited'"), 0);
	CHECK_INT(client_send(&nobody, "POST", yes, "answer=accepted", &a), 200);
	answer_free(&a);
	CHECK_INT(client_send(&nobody, "POST", no, "answer=declined", &a), 200);
	answer_free(&a);
	CHECK_INT(live_sql_int(&s, "SELECT count(*) FROM rsvp WHERE email = 'contact@asbl-b.test' "
			       "AND answer = 'accepted' AND via = 'link'"), 1);
	CHECK_INT(live_sql_int(&s, "SELECT count(*) FROM rsvp WHERE email = 'membre@asbl-a.test' "
			       "AND answer = 'declined'"), 1);
	CHECK_INT(client_send(&coord, "GET", "/meetings/1/prepare", NULL, &a), 200);
	CHECK(strstr(buf_str(&a.body), "<th scope=\"row\">ASBL A</th><td>0</td><td>0</td><td>1</td>"));
	CHECK(strstr(buf_str(&a.body), "<th scope=\"row\">ASBL B</th><td>1</td><td>0</td><td>0</td>"));
	answer_free(&a);
	client_close(&coord);
	client_close(&nobody);
	CHECK_INT(live_stop(&s), 0);
	smtp_stop(&m);
}

/* Returns the newest message to address whose subject starts with lead,
 * or NULL. */
static json_t *newest_to(json_t *got, const char *address, const char *lead)
{
	json_t *found = NULL, *m;
	size_t i;
	json_array_foreach(got, i, m)
		if (strcmp(json_string_value(json_object_get(m, "to")), address) == 0 &&
		    strncmp(json_string_value(json_object_get(m, "subject")), lead, strlen(lead)) == 0)
			found = m;
	return found;
}

/* Copies into out the poll link ("/polls/answer/…") of message m. */
static bool poll_link(json_t *m, char *out, size_t size)
{
	const char *text = m ? part_text(m, "text/plain") : NULL;
	const char *at = text ? strstr(text, "/polls/answer/") : NULL;
	if (at)
		snprintf(out, size, "%.57s", at);
	return at && strlen(out) == 57;
}

/* A whole date poll through the real server and a real SMTP server: made
 * by the coordinator, a mail with a working link to each member address,
 * three contacts without accounts answer, the reminder goes to the silent
 * one only, choosing the best slot makes the meeting and sends its
 * invitation, the prepare page shows the expected answers. */
static void poll_by_mail(void)
{
	struct smtp m = {0};
	struct live s;
	if (!mail_and_server(&m, &s, "poll", NULL))
		return;
	if (!CHECK(sql(&s, "INSERT INTO person (organisation_id, name, email) SELECT id, 'Deux A', "
		       "'deux@asbl-a.test' FROM organisation WHERE slug = 'asbl-a'; INSERT INTO person "
		       "(organisation_id, name, email) SELECT id, 'Trois B', 'trois@asbl-b.test' FROM "
		       "organisation WHERE slug = 'asbl-b';") == 0)) {
		live_stop(&s);
		smtp_stop(&m);
		return;
	}
	struct client coord, nobody;
	client_open(&coord, &s);
	client_open(&nobody, &s);
	CHECK_INT(client_login(&coord, "coord@mail.test", PASSWORD), 303);
	struct answer a;
	CHECK_INT(client_send(&coord, "GET", "/bodies/gt-essai/polls/new", NULL, &a), 200);
	answer_free(&a); /* the form's token */
	char form[600];
	snprintf(form, sizeof(form), "_csrf=%s&title=Plateforme%%20d%%27avril&place=Namur&closes="
		 "2030-03-01&date-1=2030-04-02&start-1=14:00&end-1=16:00&date-2=2030-04-03&start-2="
		 "09:30&end-2=11:30&date-3=2030-04-04&start-3=14:00&end-3=16:00", coord.csrf);
	CHECK_INT(client_send(&coord, "POST", "/bodies/gt-essai/polls", form, &a), 303);
	answer_free(&a);
	json_t *got = wait_for(&m, 4);
	CHECK_INT(json_array_size(got), 4);
	const char *contacts[] = {"contact@asbl-b.test", "deux@asbl-a.test", "trois@asbl-b.test"};
	const char *forms[] = {"slot-1=yes&slot-2=yes&slot-3=no&comment=",
			       "slot-1=no&slot-2=yes&slot-3=maybe&comment=Plut%C3%B4t%20le%20matin",
			       "slot-1=maybe&slot-2=yes&slot-3=no&comment="};
	for (int i = 0; i < 3; i++) {
		char link[80];
		CHECKF(poll_link(newest_to(got, contacts[i], "Quelle date"), link, sizeof(link)), "%s",
		       contacts[i]);
		CHECK_INT(client_send(&nobody, "GET", link, NULL, &a), 200);
		answer_free(&a);
		CHECK_INT(client_send(&nobody, "POST", link, forms[i], &a), 200);
		CHECK(strstr(buf_str(&a.body), "vos réponses sont enregistrées") != NULL);
		answer_free(&a);
	}
	json_decref(got);
	CHECK_INT(live_sql_int(&s, "SELECT count(*) FROM poll_voter WHERE answered IS NOT NULL"), 3);
	/* two days before closing: the reminder, to the silent member only */
	CHECK(sql(&s, "UPDATE poll SET closes = date('now', 'localtime', '+1 day');") == 0);
	char cmd[300];
	struct buf out = {0};
	snprintf(cmd, sizeof(cmd), "remind --db %s/live.db", s.dir);
	CHECK_INT(live_cli(cmd, NULL, &out), 0);
	buf_free(&out);
	got = wait_for(&m, 5);
	CHECK_INT(json_array_size(got), 5);
	char link[80];
	CHECK(poll_link(newest_to(got, "membre@asbl-a.test", "Rappel"), link, sizeof(link)));
	for (int i = 0; i < 3; i++)
		CHECK(newest_to(got, contacts[i], "Rappel") == NULL);
	json_decref(got);
	/* the best slot (three yes) makes the meeting and its invitation */
	CHECK_INT(client_send(&coord, "GET", "/polls/1", NULL, &a), 200);
	CHECK(strstr(buf_str(&a.body), "Plutôt le matin") != NULL);
	answer_free(&a);
	snprintf(form, sizeof(form), "_csrf=%s&slot=2", coord.csrf);
	CHECK_INT(client_send(&coord, "POST", "/polls/1/close", form, &a), 303);
	answer_free(&a);
	long long meeting = live_sql_int(&s, "SELECT meeting_id FROM poll WHERE id = 1");
	CHECK_INT(live_sql_int(&s, "SELECT count(*) FROM meeting WHERE start = '2030-04-03T09:30' "
			       "AND end = '2030-04-03T11:30'"), 1);
	got = wait_for(&m, 9);
	CHECK_INT(json_array_size(got), 9);
	json_t *inv = newest_to(got, "trois@asbl-b.test", "Invitation");
	CHECK(inv && strstr(part_text(inv, "text/plain"), "/rsvp/"));
	json_decref(got);
	char prepare[64];
	snprintf(prepare, sizeof(prepare), "/meetings/%lld/prepare", meeting);
	CHECK_INT(client_send(&coord, "GET", prepare, NULL, &a), 200);
	CHECK(strstr(buf_str(&a.body), "<th scope=\"row\">ASBL A</th><td>1</td><td>0</td><td>0</td>"
		     "<td>1</td>") != NULL);
	CHECK(strstr(buf_str(&a.body), "<th scope=\"row\">ASBL B</th><td>2</td><td>0</td><td>0</td>"
		     "<td>0</td>") != NULL);
	answer_free(&a);
	client_close(&coord);
	client_close(&nobody);
	CHECK_INT(live_stop(&s), 0);
	smtp_stop(&m);
}

/* Runs the mail tests. */
void integration_mail(void)
{
	RUN(mail_through_smtp);
	RUN(accounts_by_mail);
	RUN(contact_unsubscribes);
	RUN(invitation_answered);
	RUN(poll_by_mail);
	RUN(mail_over_tls);
	RUN(mail_without_server);
	RUN(mail_on_full_disk);
	RUN(webhooks_delivered);
	RUN(webhooks_stay_outside);
}
