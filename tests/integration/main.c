/* main.c — integration tests: the real binary on a loopback port, over HTTP. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../test.h"
#include "live.h"

void integration_cli(void);

#define ACCOUNTS "coord@live.test coordinator mot de passe de test\n" \
		 "partenaire@live.test partner autre mot de passe\n"

static struct live srv;

/* Tells whether an answer's body contains s. */
static bool has(const struct answer *a, const char *s)
{
	return strstr(buf_str(&a->body), s) != NULL;
}

/* Log in, see your name, log out: the session is gone afterwards. */
static void login_see_name_logout(void)
{
	struct client c;
	struct answer a;
	client_open(&c, &srv);
	CHECK_INT(client_login(&c, "coord@live.test", "mot de passe de test"), 303);
	CHECK(client_has_cookie(&c, "maillage_session"));
	CHECK_INT(client_send(&c, "GET", "/", NULL, &a), 200);
	CHECK(has(&a, "<h1>Bonjour, Compte coordinator</h1>"));
	answer_free(&a);
	CHECK_INT(client_send(&c, "GET", "/account", NULL, &a), 200);
	CHECK(has(&a, "coord@live.test") && has(&a, "coordination"));
	answer_free(&a);
	char form[128];
	snprintf(form, sizeof(form), "_csrf=%s", c.csrf);
	CHECK_INT(client_send(&c, "POST", "/logout", form, &a), 303);
	answer_free(&a);
	CHECK(!client_has_cookie(&c, "maillage_session"));
	CHECK_INT(client_send(&c, "GET", "/account", NULL, &a), 302);
	answer_free(&a);
	client_close(&c);
}

/* A wrong password gets a French message and no session. */
static void wrong_password(void)
{
	struct client c;
	client_open(&c, &srv);
	struct answer a;
	client_send(&c, "GET", "/login", NULL, &a);
	answer_free(&a);
	char form[256];
	snprintf(form, sizeof(form), "_csrf=%s&email=partenaire%%40live.test&password=faux", c.csrf);
	CHECK_INT(client_send(&c, "POST", "/login", form, &a), 200);
	CHECK(has(&a, "Adresse e-mail ou mot de passe incorrect."));
	CHECK(!client_has_cookie(&c, "maillage_session"));
	answer_free(&a);
	client_close(&c);
}

/* HEAD gives the headers of GET and no body. */
static void head_request(void)
{
	struct client c;
	struct answer a;
	client_open(&c, &srv);
	CHECK_INT(client_send(&c, "HEAD", "/login", NULL, &a), 200);
	CHECK_INT(a.body.len, 0);
	CHECK(strstr(buf_str(&a.headers), "Content-Security-Policy:") != NULL);
	answer_free(&a);
	client_close(&c);
}

/* A body larger than the limit gets 413, declared or chunked. */
static void oversized_body(void)
{
	struct client c;
	struct answer a;
	size_t n = 5u << 20;
	char *big = malloc(n + 1);
	memset(big, 'a', n);
	memcpy(big, "email=", 6);
	big[n] = '\0';
	client_open(&c, &srv);
	CHECK_INT(client_send(&c, "POST", "/login", big, &a), 413);
	CHECK(has(&a, "trop volumineux"));
	answer_free(&a);
	client_close(&c);
	/* chunked: no Content-Length to refuse up front */
	int fd = raw_connect(&srv);
	const char *head = "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
			   "Content-Type: application/x-www-form-urlencoded\r\n"
			   "Transfer-Encoding: chunked\r\n\r\n";
	CHECK(fd >= 0 && raw_write(fd, head, strlen(head)) == 0);
	char chunk_head[32];
	snprintf(chunk_head, sizeof(chunk_head), "%zx\r\n", (size_t)(1u << 20));
	for (int i = 0; i < 5; i++) {
		raw_write(fd, chunk_head, strlen(chunk_head));
		raw_write(fd, big, 1u << 20);
		raw_write(fd, "\r\n", 2);
	}
	raw_write(fd, "0\r\n\r\n", 5);
	struct buf out = {0};
	raw_read_all(fd, &out);
	CHECKF(strncmp(buf_str(&out), "HTTP/1.1 413", 12) == 0, "réponse : %.40s", buf_str(&out));
	buf_free(&out);
	close(fd);
	free(big);
	client_open(&c, &srv);
	CHECK_INT(client_send(&c, "GET", "/healthz", NULL, &a), 200);
	answer_free(&a);
	client_close(&c);
}

/* Sends GET target on a new connection and returns the whole answer
 * (static until the next call). */
static const char *raw_get(const char *target)
{
	static struct buf out;
	struct buf req = {0};
	buf_reset(&out);
	buf_printf(&req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: a=b\r\n"
		   "Connection: close\r\n\r\n", target);
	int fd = raw_connect(&srv);
	if (fd >= 0 && raw_write(fd, req.data, req.len) == 0)
		raw_read_all(fd, &out);
	if (fd >= 0)
		close(fd);
	buf_free(&req);
	return buf_str(&out);
}

/* Invalid UTF-8, NUL bytes, 10,000 fields and a 1 MB cookie get a 4xx, and
 * the server keeps serving; a link's query is read as well as it can be (a
 * search with broken bytes still gets its page); an overlong URL gets 414. */
static void hostile_requests(void)
{
	struct client c;
	struct answer a;
	client_open(&c, &srv);
	CHECK_INT(client_send(&c, "GET", "/%C3%28", NULL, &a), 400);
	answer_free(&a);
	CHECK_INT(client_send(&c, "GET", "/login?next=%00", NULL, &a), 200);
	answer_free(&a);
	CHECK_INT(client_send(&c, "GET", "/search?q=r%C3%A9union%00%FF%FE+%22(", NULL, &a), 200);
	CHECK(has(&a, "résultat"));
	answer_free(&a);
	/* long URLs over raw sockets (libcurl drops cookies past 8 KB) */
	struct buf url = {0};
	buf_puts(&url, "/search?q=");
	while (url.len < 10000)
		buf_puts(&url, "mot+");
	CHECK(strstr(raw_get(buf_str(&url)), "HTTP/1.1 200") != NULL); /* 10,000 letters */
	while (url.len < 33000)
		buf_puts(&url, "mot+");
	const char *answer = raw_get(buf_str(&url));
	CHECK(strstr(answer, "HTTP/1.1 414") && strstr(answer, "trop longue"));
	buf_free(&url);
	CHECK_INT(client_send(&c, "POST", "/login", "email=%FF%FE&password=x", &a), 400);
	CHECK(has(&a, "Requête invalide"));
	answer_free(&a);
	CHECK_INT(client_send(&c, "POST", "/login", "email=a%00b&password=x", &a), 400);
	answer_free(&a);
	struct buf many = {0};
	for (int i = 0; i < 10000; i++)
		buf_printf(&many, "f%d=x&", i);
	CHECK_INT(client_send(&c, "POST", "/login", buf_str(&many), &a), 400);
	answer_free(&a);
	buf_free(&many);

	struct buf req = {0};
	buf_puts(&req, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: x=");
	for (int i = 0; i < (1 << 20) / 64; i++)
		buf_puts(&req, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	buf_puts(&req, "\r\n\r\n");
	int fd = raw_connect(&srv);
	CHECK(fd >= 0);
	raw_write(fd, req.data, req.len);
	struct buf out = {0};
	raw_read_all(fd, &out);
	CHECKF(strncmp(buf_str(&out), "HTTP/1.1 4", 10) == 0, "réponse : %.40s", buf_str(&out));
	close(fd);
	buf_free(&out);
	buf_free(&req);
	CHECK_INT(client_send(&c, "GET", "/healthz", NULL, &a), 200);
	CHECK(has(&a, "\"schema\":"));
	answer_free(&a);
	client_close(&c);
}

/* Each request leaves one access-log line: method, path, status, bytes, µs. */
static void access_log(void)
{
	struct client c;
	struct answer a;
	client_open(&c, &srv);
	CHECK_INT(client_send(&c, "GET", "/healthz?pour=le-journal", NULL, &a), 200);
	char line[64]; /* the path without its query, the status, the bytes sent */
	snprintf(line, sizeof(line), "GET /healthz 200 %zu ", a.body.len);
	CHECK(a.body.len > 10);
	answer_free(&a);
	client_close(&c);
	usleep(100000);
	CHECKF(live_log_has(&srv, line), "« %s » absent du journal", line);
}

/* Configuration errors stop the server before it starts, with one line
 * and status 2: a port in use, a database that cannot be opened, a bad
 * flag value. */
static void configuration_errors(void)
{
	struct buf out = {0};
	char args[300];
	snprintf(args, sizeof(args), "serve --db %s/live.db --listen 127.0.0.1:%d", srv.dir, srv.port);
	CHECK_INT(live_cli(args, NULL, &out), 2);
	CHECK(strstr(buf_str(&out), "impossible d'écouter sur 127.0.0.1:") != NULL);
	CHECK(strchr(buf_str(&out), '\n') == strrchr(buf_str(&out), '\n')); /* one line */
	buf_reset(&out);
	CHECK_INT(live_cli("serve --db /nulle/part/base.db --listen 127.0.0.1:0", NULL, &out), 2);
	CHECK(strstr(buf_str(&out), "/nulle/part/base.db") != NULL);
	buf_reset(&out);
	snprintf(args, sizeof(args), "serve --db %s/live.db --log-format xml", srv.dir);
	CHECK_INT(live_cli(args, NULL, &out), 2);
	CHECK(strstr(buf_str(&out), "--log-format attend text ou json") != NULL);
	buf_reset(&out);
	snprintf(args, sizeof(args), "serve --db %s/live.db --smtp-url ftp://x", srv.dir);
	CHECK_INT(live_cli(args, NULL, &out), 2);
	CHECK(strstr(buf_str(&out), "smtp://") != NULL);
	buf_reset(&out);
	snprintf(args, sizeof(args), "serve --db %s/live.db --max-per-ip 0", srv.dir);
	CHECK_INT(live_cli(args, NULL, &out), 2);
	CHECK(strstr(buf_str(&out), "nombre de connexions invalide") != NULL);
	/* the replies' mailbox: its scheme, no password in the address, a login */
	const char *const imap[][2] = {
		{"--imap-url pop3://hote/INBOX --imap-user m", "imaps://"},
		{"--imap-url imaps://m:secret@hote/INBOX --imap-user m", "MAILLAGE_IMAP_PASSWORD"},
		{"--imap-url imaps://hote/INBOX", "demande --imap-user"},
		{"--imap-user m", "demandent --imap-url"},
		{"--imap-url imaps://hote/ --imap-user m --imap-interval 0", "délai invalide"},
	};
	for (size_t i = 0; i < sizeof(imap) / sizeof(imap[0]); i++) {
		buf_reset(&out);
		snprintf(args, sizeof(args), "serve --db %s/live.db %s", srv.dir, imap[i][0]);
		CHECKF(live_cli(args, NULL, &out) == 2 && strstr(buf_str(&out), imap[i][1]), "%s : %s",
		       imap[i][0], buf_str(&out));
	}
	buf_free(&out);
}

/* With --log-format json, each request is one JSON object on a line. */
static void json_log(void)
{
	struct live s;
	const char *extra[] = {"--log-format", "json", NULL};
	if (!CHECK(live_start(&s, ACCOUNTS, extra) == 0))
		return;
	struct client c;
	struct answer a;
	client_open(&c, &s);
	CHECK_INT(client_send(&c, "GET", "/healthz?x=%22", NULL, &a), 200);
	answer_free(&a);
	client_close(&c);
	usleep(100000);
	CHECK(live_log_has(&s, "\"level\":\"access\",\"method\":\"GET\",\"path\":\"/healthz\","
			      "\"status\":200"));
	CHECK_INT(live_stop(&s), 0);
}

/* The tenth wrong password in ten minutes gets 429, even if right. */
static void throttling(void)
{
	struct live s;
	CHECK(live_start(&s, "cible@live.test partner le bon mot de passe\n", NULL) == 0);
	struct client c;
	client_open(&c, &s);
	for (int i = 1; i <= 9; i++)
		CHECK_INT(client_login(&c, "cible@live.test", "pas le bon"), 200);
	struct answer a;
	char form[256];
	snprintf(form, sizeof(form), "_csrf=%s&email=cible%%40live.test&password=pas+le+bon", c.csrf);
	CHECK_INT(client_send(&c, "POST", "/login", form, &a), 429);
	CHECK(has(&a, "Trop de tentatives de connexion"));
	answer_free(&a);
	CHECK_INT(client_login(&c, "cible@live.test", "le bon mot de passe"), 429);
	CHECK(!client_has_cookie(&c, "maillage_session"));
	client_close(&c);
	CHECK_INT(live_stop(&s), 0);
}

/* Behind a trusted proxy, X-Forwarded-For names the client: the login
 * throttling blocks that client, not every visitor of the proxy; the same
 * header from anyone else is ignored. */
static void trusted_proxy(void)
{
	struct live s;
	const char *extra[] = {"--trusted-proxy", "127.0.0.1", NULL};
	if (!CHECK(live_start(&s, "cible@live.test partner le bon mot de passe\n", extra) == 0))
		return;
	struct client a, b;
	client_open(&a, &s);
	client_open(&b, &s);
	struct curl_slist *ha = curl_slist_append(NULL, "X-Forwarded-For: 203.0.113.7, 192.0.2.1");
	struct curl_slist *hb = curl_slist_append(NULL, "X-Forwarded-For: 192.0.2.2");
	curl_easy_setopt(a.curl, CURLOPT_HTTPHEADER, ha);
	curl_easy_setopt(b.curl, CURLOPT_HTTPHEADER, hb);
	for (int i = 1; i <= 9; i++) {
		char email[64];
		snprintf(email, sizeof(email), "inconnu%d@live.test", i);
		CHECK_INT(client_login(&a, email, "devine"), 200);
	}
	CHECK_INT(client_login(&a, "cible@live.test", "le bon mot de passe"), 429);
	CHECK_INT(client_login(&b, "cible@live.test", "le bon mot de passe"), 303);
	client_close(&a);
	client_close(&b);
	curl_slist_free_all(ha);
	curl_slist_free_all(hb);
	CHECK_INT(live_stop(&s), 0);
}

/* A client that stops sending its headers is cut off after --timeout. */
static void idle_connection_times_out(void)
{
	struct live s;
	static const char *const extra[] = {"--timeout", "1", NULL};
	CHECK(live_start(&s, "", extra) == 0);
	int fd = raw_connect(&s);
	CHECK(fd >= 0);
	raw_write(fd, "GET / HTTP/1.1\r\nHost: 127", 26);
	struct buf out = {0};
	time_t t0 = time(NULL);
	raw_read_all(fd, &out);
	CHECKF(time(NULL) - t0 < 5, "connexion gardée %ld s", (long)(time(NULL) - t0));
	CHECK(!strstr(buf_str(&out), "200 OK"));
	close(fd);
	buf_free(&out);
	struct client c;
	struct answer a;
	client_open(&c, &s);
	CHECK_INT(client_send(&c, "GET", "/healthz", NULL, &a), 200);
	answer_free(&a);
	client_close(&c);
	CHECK_INT(live_stop(&s), 0);
}

/* SIGTERM while a request is still uploading: new connections are refused,
 * the request completes, and the server exits with 0. */
static void sigterm_lets_request_finish(void)
{
	struct live s;
	CHECK(live_start(&s, "", NULL) == 0);
	struct client c;
	struct answer a;
	client_open(&c, &s);
	client_send(&c, "GET", "/login", NULL, &a);
	answer_free(&a);
	client_close(&c);
	char body[256], head[512];
	snprintf(body, sizeof(body), "_csrf=%s&email=lent%%40live.test&password=tres+lentement",
		 c.csrf);
	snprintf(head, sizeof(head), "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
		 "Content-Type: application/x-www-form-urlencoded\r\nCookie: maillage_csrf=%s\r\n"
		 "Content-Length: %zu\r\nConnection: close\r\n\r\n", c.csrf, strlen(body));
	int fd = raw_connect(&s);
	CHECK(fd >= 0);
	raw_write(fd, head, strlen(head));
	raw_write(fd, body, 10);
	usleep(300000);
	kill(s.pid, SIGTERM);
	usleep(500000);
	CHECK(raw_connect(&s) < 0);
	raw_write(fd, body + 10, strlen(body) - 10);
	struct buf out = {0};
	raw_read_all(fd, &out);
	close(fd);
	CHECKF(strncmp(buf_str(&out), "HTTP/1.1 200", 12) == 0, "réponse : %.60s", buf_str(&out));
	CHECK(strstr(buf_str(&out), "mot de passe incorrect") != NULL);
	buf_free(&out);
	int st;
	CHECK(waitpid(s.pid, &st, 0) == s.pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(live_log_has(&s, "arrêté proprement"));
	s.pid = 0;
	live_stop(&s);
}

void integration_cli(void);
void integration_mail(void);
void integration_imap(void);
void integration_faults(void);
void integration_load(void);
void integration_files(void);

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (live_start(&srv, ACCOUNTS, NULL) < 0) {
		printf("integration: le serveur ne démarre pas\n");
		return 1;
	}
	RUN(login_see_name_logout);
	RUN(wrong_password);
	RUN(head_request);
	RUN(oversized_body);
	RUN(hostile_requests);
	RUN(access_log);
	RUN(configuration_errors);
	test_begin("server_exits_cleanly");
	CHECK_INT(live_stop(&srv), 0);
	test_end();
	RUN(json_log);
	RUN(throttling);
	RUN(trusted_proxy);
	RUN(idle_connection_times_out);
	RUN(sigterm_lets_request_finish);
	integration_cli();
	integration_mail();
	integration_imap();
	integration_faults();
	integration_files();
	integration_load();
	curl_global_cleanup();
	return test_report("integration");
}
