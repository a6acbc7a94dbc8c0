/* imap.c — calendars' replies read from a real Dovecot IMAP server, started
 * here on a loopback port with a test-only configuration (TLS with a
 * certificate made for the test, one static login): the replies
 * Thunderbird and Outlook write set the answers and stay read; forged
 * ones and an ordinary mail change nothing, stay unread and are logged
 * once; a reply in the folder made anew (a new UIDVALIDITY, its UIDs from
 * 1 again) is taken too; maillage mail-in does the same from standard
 * input. */
#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../replies.h"
#include "../test.h"
#include "live.h"
#include "mailtest.h"

void integration_imap(void);

#define IMAP_USER "maillage"
#define IMAP_PASSWORD "secret-de-la-boite"

/* The Dovecot server. */
struct dovecot {
	pid_t pid;
	int port;
	char dir[64];   /* its configuration, certificate, mail and logs */
	char cert[96];  /* the certificate Maillage is told to trust */
	char url[64];   /* imaps://127.0.0.1:PORT/INBOX */
};

/* Writes Dovecot's configuration for d: IMAP over TLS only on d->port,
 * one static login, mail as nobody in a maildir under d->dir. */
static int dovecot_config(const struct dovecot *d)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/dovecot.conf", d->dir);
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "base_dir = %s/run\nstate_dir = %s/state\nlog_path = %s/dovecot.log\n"
		   "protocols = imap\nlisten = 127.0.0.1\nssl = required\n"
		   "ssl_cert = <%s\nssl_key = <%s/key.pem\nauth_mechanisms = plain\n"
		   "passdb {\n  driver = static\n  args = password=%s\n}\n"
		   "userdb {\n  driver = static\n  args = uid=nobody gid=nogroup home=%s/home/%%u\n}\n"
		   "mail_location = maildir:~/Maildir\nfirst_valid_uid = 1\n"
		   "service imap-login {\n  inet_listener imap {\n    port = 0\n  }\n"
		   "  inet_listener imaps {\n    port = %d\n  }\n  chroot =\n}\n"
		   "service anvil {\n  chroot =\n}\n",
		d->dir, d->dir, d->dir, d->cert, d->dir, IMAP_PASSWORD, d->dir, d->port);
	return fclose(f) == 0 ? 0 : -1;
}

/* Starts Dovecot in a new folder with a new certificate; 0 or -1. */
static int dovecot_start(struct dovecot *d)
{
	snprintf(d->dir, sizeof(d->dir), "/tmp/maillage-imap-XXXXXX");
	if (!mkdtemp(d->dir))
		return -1;
	d->port = free_port();
	snprintf(d->cert, sizeof(d->cert), "%s/cert.pem", d->dir);
	snprintf(d->url, sizeof(d->url), "imaps://127.0.0.1:%d/INBOX", d->port);
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "chmod 755 %s && mkdir -p %s/home && chown nobody:nogroup "
		 "%s/home && openssl req -x509 -newkey rsa:2048 -nodes -keyout %s/key.pem -out %s "
		 "-days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null",
		 d->dir, d->dir, d->dir, d->dir, d->cert);
	if (system(cmd) != 0 || dovecot_config(d) < 0)
		return -1;
	d->pid = fork();
	if (d->pid == 0) {
		char conf[128], out[128];
		snprintf(conf, sizeof(conf), "%s/dovecot.conf", d->dir);
		snprintf(out, sizeof(out), "%s/out.log", d->dir);
		freopen("/dev/null", "w", stdout);
		freopen(out, "a", stderr);
		execl("/usr/sbin/dovecot", "dovecot", "-F", "-c", conf, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 100 && !listening(d->port); i++)
		pause_ms(100);
	return listening(d->port) ? 0 : -1;
}

/* Stops Dovecot and removes its folder. */
static void dovecot_stop(struct dovecot *d)
{
	if (d->pid > 0) {
		kill(d->pid, SIGTERM);
		waitpid(d->pid, NULL, 0);
	}
	d->pid = 0;
	char cmd[100];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", d->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "%s reste\n", d->dir);
}

/* What libcurl sends or receives. */
struct bytes {
	const char *data;
	size_t len, at;
};

/* Gives libcurl the next bytes of an upload. */
static size_t upload(char *p, size_t size, size_t n, void *arg)
{
	struct bytes *b = arg;
	size_t k = b->len - b->at < size * n ? b->len - b->at : size * n;
	memcpy(p, b->data + b->at, k);
	b->at += k;
	return k;
}

/* Keeps what libcurl receives. */
static size_t keep(char *p, size_t size, size_t n, void *arg)
{
	buf_append(arg, p, size * n);
	return size * n;
}

/* Runs one IMAP exchange with Dovecot as the test's own client: a
 * command, or an APPEND of message (when not NULL); what came back in out
 * (may be NULL); 0 or -1. */
static int imap_do(const struct dovecot *d, const char *command, const struct buf *message,
		   struct buf *out)
{
	CURL *c = curl_easy_init();
	struct bytes b = {message ? message->data : NULL, message ? message->len : 0, 0};
	struct buf ignored = {0};
	curl_easy_setopt(c, CURLOPT_URL, d->url);
	curl_easy_setopt(c, CURLOPT_USERNAME, IMAP_USER);
	curl_easy_setopt(c, CURLOPT_PASSWORD, IMAP_PASSWORD);
	curl_easy_setopt(c, CURLOPT_CAINFO, d->cert);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, out ? out : &ignored);
	if (message) {
		curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(c, CURLOPT_READFUNCTION, upload);
		curl_easy_setopt(c, CURLOPT_READDATA, &b);
		curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)b.len);
	} else {
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, command);
	}
	CURLcode rc = curl_easy_perform(c);
	curl_easy_cleanup(c);
	buf_free(&ignored);
	return rc == CURLE_OK ? 0 : -1;
}

/* Tells whether message uid of the mailbox is flagged read. */
static bool is_read(const struct dovecot *d, int uid)
{
	char cmd[64];
	struct buf out = {0};
	snprintf(cmd, sizeof(cmd), "UID FETCH %d FLAGS", uid);
	bool read = imap_do(d, cmd, NULL, &out) == 0 && strstr(buf_str(&out), "\\Seen");
	buf_free(&out);
	return read;
}

/* Copies the UID and SEQUENCE of the invitation's calendar in m. */
static bool invitation_of(json_t *m, char *uid, size_t size, long long *sequence)
{
	const char *ics = m ? part_text(m, "text/calendar") : NULL;
	const char *u = ics ? strstr(ics, "\r\nUID:") : NULL, *s = ics ? strstr(ics, "\r\nSEQUENCE:") : NULL;
	if (!u || !s)
		return false;
	snprintf(uid, size, "%.*s", (int)strcspn(u + 6, "\r"), u + 6);
	*sequence = atoll(s + 11);
	return true;
}

/* Counts the lines of the server's log holding text. */
static int log_count(const struct live *s, const char *text)
{
	struct buf log = {0};
	buf_read_file(&log, s->log);
	int n = 0;
	for (const char *p = buf_str(&log); (p = strstr(p, text)); p++)
		n++;
	buf_free(&log);
	return n;
}

/* Waits (up to 30 s) until mail_in holds count messages. */
static long long wait_read(const struct live *s, long long count)
{
	long long n = 0;
	for (int i = 0; i < 300 && (n = live_sql_int(s, "SELECT count(*) FROM mail_in")) < count; i++)
		pause_ms(100);
	return n;
}

/* The folder made anew under Maillage (a new UIDVALIDITY, its UIDs
 * counted from 1 again): contact B's « peut-être », now message 1, is read
 * and taken, not mistaken for the old message 1 already seen. */
static void new_folder(const struct dovecot *d, const struct live *s, const char *uid,
		       long long seq)
{
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "cd %s/home/%s/Maildir && rm -rf cur/* new/* tmp/* "
		 "dovecot-uidlist dovecot.index*", d->dir, IMAP_USER);
	CHECK(system(cmd) == 0);
	struct reply maybe = {"contact@asbl-b.test", "contact@asbl-b.test", uid, seq, "TENTATIVE"};
	struct buf msg = {0};
	reply_thunderbird(&maybe, &msg);
	CHECK(imap_do(d, NULL, &msg, NULL) == 0);
	buf_free(&msg);
	CHECK(imap_do(d, "UID STORE 1:* -FLAGS (\\Seen)", NULL, NULL) == 0);
	CHECK_INT(wait_read(s, 9), 9);
	CHECK_INT(live_sql_int(s, "SELECT count(*) FROM rsvp WHERE email = 'contact@asbl-b.test' "
			       "AND answer = 'tentative' AND via = 'calendar'"), 1);
	CHECK(is_read(d, 1));
	CHECK_INT(log_count(s, "réponse de calendrier (IMAP)"), 3);
}

/* The invitation goes out; the mailbox then receives, in this order:
 * contact B's acceptance (Thunderbird), the member's refusal (Outlook),
 * four forged replies (unknown UID, an outsider, an old SEQUENCE, another
 * sender), an ordinary mail and a 10 Mo one. Maillage takes the two real
 * replies (read, answers set « via calendar », audited) and leaves the six
 * others unread, each logged once. */
static void replies_from_mailbox(void)
{
	struct dovecot d = {0};
	if (!CHECK(dovecot_start(&d) == 0)) {
		dovecot_stop(&d);
		return;
	}
	setenv("MAILLAGE_IMAP_PASSWORD", IMAP_PASSWORD, 1);
	const char *imap[] = {"--imap-url", d.url, "--imap-user", IMAP_USER, "--imap-ca", d.cert,
			      "--imap-interval", "1", NULL};
	struct smtp m = {0};
	struct live s;
	if (!mail_and_server(&m, &s, "imap", imap)) {
		dovecot_stop(&d);
		return;
	}
	struct client coord;
	client_open(&coord, &s);
	CHECK_INT(client_login(&coord, "coord@mail.test", MAILTEST_PASSWORD), 303);
	CHECK_INT(invite(&coord), 303);
	json_t *got = wait_for(&m, 2);
	char uid[128];
	long long seq = -1;
	CHECK(invitation_of(message_to(got, "contact@asbl-b.test"), uid, sizeof(uid), &seq));
	json_decref(got);
	char other[160];
	snprintf(other, sizeof(other), "meeting-99@%s", strchr(uid, '@') + 1);
	struct reply replies[] = {
		{"contact@asbl-b.test", "contact@asbl-b.test", uid, seq, "ACCEPTED"},
		{"membre@asbl-a.test", "membre@asbl-a.test", uid, seq, "DECLINED"},
		{"contact@asbl-b.test", "contact@asbl-b.test", other, seq, "DECLINED"},
		{"ailleurs@asbl-c.test", "ailleurs@asbl-c.test", uid, seq, "ACCEPTED"},
		{"contact@asbl-b.test", "contact@asbl-b.test", uid, seq + 3, "DECLINED"},
		{"pirate@ailleurs.test", "membre@asbl-a.test", uid, seq, "ACCEPTED"},
	};
	struct buf msg = {0};
	for (size_t i = 0; i < 6; i++) {
		buf_reset(&msg);
		(i == 1 ? reply_outlook : reply_thunderbird)(&replies[i], &msg);
		CHECK(imap_do(&d, NULL, &msg, NULL) == 0);
	}
	buf_reset(&msg);
	reply_plain("contact@asbl-b.test", &msg);
	CHECK(imap_do(&d, NULL, &msg, NULL) == 0);
	buf_reset(&msg);
	reply_plain("contact@asbl-b.test", &msg);
	for (int i = 0; i < 10 * 1024 * 16; i++) /* 10 Mo of 64-byte lines */
		buf_puts(&msg, "Un long message, qui ne tient pas dans ce qu'on lit d'un envoi.\r\n");
	CHECK(imap_do(&d, NULL, &msg, NULL) == 0);
	buf_free(&msg);
	/* libcurl appends as read: all become unread at once, then are read */
	CHECK(imap_do(&d, "UID STORE 1:* -FLAGS (\\Seen)", NULL, NULL) == 0);
	CHECK_INT(wait_read(&s, 8), 8);
	CHECK_INT(live_sql_int(&s, "SELECT count(*) FROM rsvp WHERE email = 'contact@asbl-b.test' "
			       "AND answer = 'accepted' AND via = 'calendar'"), 1);
	CHECK_INT(live_sql_int(&s, "SELECT count(*) FROM rsvp WHERE email = 'membre@asbl-a.test' "
			       "AND answer = 'declined' AND via = 'calendar'"), 1);
	CHECK_INT(live_sql_int(&s, "SELECT count(*) FROM rsvp WHERE answer <> 'invited'"), 2);
	CHECK_INT(live_sql_int(&s, "SELECT count(*) FROM audit WHERE action = 'answer' AND "
			       "object = 'rsvp'"), 2);
	CHECK(is_read(&d, 1) && is_read(&d, 2));
	for (int i = 3; i <= 8; i++)
		CHECKF(!is_read(&d, i), "message %d", i);
	pause_ms(2500); /* two more readings: nothing is logged again */
	CHECK_INT(log_count(&s, "message laissé (IMAP)"), 6);
	CHECK_INT(log_count(&s, "réponse de calendrier (IMAP)"), 2);
	CHECK(live_log_has(&s, "UID inconnu"));
	CHECK(live_log_has(&s, "participant qui n'était pas invité"));
	CHECK(live_log_has(&s, "version périmée de l'invitation"));
	CHECK(live_log_has(&s, "une autre adresse que celle du participant"));
	CHECK(live_log_has(&s, "message sans calendrier"));
	CHECK(live_log_has(&s, "message trop gros"));
	struct answer a;
	CHECK_INT(client_send(&coord, "GET", "/meetings/1/prepare", NULL, &a), 200);
	CHECK(strstr(buf_str(&a.body), "<th scope=\"row\">ASBL B</th><td>1</td><td>0</td><td>0</td>"));
	answer_free(&a);
	new_folder(&d, &s, uid, seq);
	client_close(&coord);
	CHECK_INT(live_stop(&s), 0);
	smtp_stop(&m);
	dovecot_stop(&d);
	unsetenv("MAILLAGE_IMAP_PASSWORD");
}

/* maillage mail-in reads one message on standard input as the mailbox
 * does: a « peut-être » from Outlook is taken; a forged one, an ordinary
 * mail and broken MIME are left with their reason; all exit 0 (a mail
 * system's pipe must not bounce them); a missing database is a temporary
 * failure (75). */
static void replies_from_pipe(void)
{
	struct smtp m = {0};
	struct live s;
	if (!mail_and_server(&m, &s, "mailin", NULL))
		return;
	struct client coord;
	client_open(&coord, &s);
	CHECK_INT(client_login(&coord, "coord@mail.test", MAILTEST_PASSWORD), 303);
	CHECK_INT(invite(&coord), 303);
	client_close(&coord);
	json_t *got = wait_for(&m, 2);
	char uid[128], cmd[300];
	long long seq = -1;
	CHECK(invitation_of(message_to(got, "membre@asbl-a.test"), uid, sizeof(uid), &seq));
	json_decref(got);
	snprintf(cmd, sizeof(cmd), "mail-in --db %s/live.db --base-url http://127.0.0.1:%d", s.dir,
		 s.port);
	struct reply maybe = {"membre@asbl-a.test", "membre@asbl-a.test", uid, seq, "TENTATIVE"};
	struct reply forged = {"ailleurs@asbl-c.test", "ailleurs@asbl-c.test", uid, seq, "ACCEPTED"};
	struct buf msg = {0}, out = {0};
	reply_outlook(&maybe, &msg);
	CHECK_INT(live_cli(cmd, buf_str(&msg), &out), 0);
	CHECK(strstr(buf_str(&out), "membre@asbl-a.test viendra peut-être") != NULL);
	CHECK_INT(live_sql_int(&s, "SELECT count(*) FROM rsvp WHERE email = 'membre@asbl-a.test' "
			       "AND answer = 'tentative' AND via = 'calendar'"), 1);
	const char *left[][2] = {{"", "participant qui n'était pas invité"},
				 {"plain", "message sans calendrier"},
				 {"Content-Type: multipart/mixed; boundary=\"x\"\r\n\r\n--x\r\n"
				  "Content-Type: text/calendar\r\nContent-Transfer-Encoding: base64"
				  "\r\n\r\n@@@\r\n", "calendrier illisible"}};
	for (size_t i = 0; i < 3; i++) {
		buf_reset(&msg);
		buf_reset(&out);
		if (i == 0)
			reply_thunderbird(&forged, &msg);
		else if (i == 1)
			reply_plain("contact@asbl-b.test", &msg);
		else
			buf_puts(&msg, left[i][0]);
		CHECK_INT(live_cli(cmd, buf_str(&msg), &out), 0);
		CHECKF(strstr(buf_str(&out), left[i][1]) != NULL, "%s", buf_str(&out));
	}
	CHECK_INT(live_sql_int(&s, "SELECT count(*) FROM rsvp WHERE answer <> 'invited'"), 1);
	buf_reset(&out);
	CHECK_INT(live_cli("mail-in --db /nonexistent/dir/x.db", "x", &out), 75);
	buf_free(&msg);
	buf_free(&out);
	CHECK_INT(live_stop(&s), 0);
	smtp_stop(&m);
}

/* Runs the calendar replies' tests. */
void integration_imap(void)
{
	RUN(replies_from_mailbox);
	RUN(replies_from_pipe);
}
