/* live.c — starts the real binary on a random loopback port and talks to it. */
#include "live.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* Returns the binary under test (MAILLAGE_BIN, else the sanitized build). */
const char *live_binary(void)
{
	const char *b = getenv("MAILLAGE_BIN");
	return b && *b ? b : "build/asan/maillage";
}

/* Runs "maillage ARGS" with input on stdin, collecting its output into out
 * (or discarding it); returns its exit status. */
int live_cli(const char *args, const char *input, struct buf *out)
{
	char in_path[] = "/tmp/maillage-cli-XXXXXX", cmd[2048];
	int fd = mkstemp(in_path);
	if (fd < 0)
		return -1;
	if (input && write(fd, input, strlen(input)) < 0)
		input = NULL;
	close(fd);
	snprintf(cmd, sizeof(cmd), "%s %s <%s 2>&1", live_binary(), args, in_path);
	FILE *p = popen(cmd, "r");
	if (!p)
		return -1;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		if (out)
			buf_append(out, chunk, n);
	int st = pclose(p);
	unlink(in_path);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Runs "maillage ARGS" with input on stdin, output discarded. */
static int run_cli(const char *args, const char *input)
{
	return live_cli(args, input, NULL);
}

/* Creates the database and the accounts of "email role password" lines. */
static int make_db(struct live *s, const char *accounts)
{
	char args[512];
	snprintf(args, sizeof(args), "init --db %s/live.db", s->dir);
	if (run_cli(args, NULL) != 0)
		return -1;
	const char *line = accounts;
	while (line && *line) {
		char email[128], role[32], pw[128];
		if (sscanf(line, "%127s %31s %127[^\n]", email, role, pw) != 3)
			return -1;
		char input[140];
		snprintf(input, sizeof(input), "%s\n", pw);
		snprintf(args, sizeof(args), "user add %s --role %s --name 'Compte %s' "
			 "--password-stdin --db %s/live.db", email, role, role, s->dir);
		if (run_cli(args, input) != 0)
			return -1;
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	return 0;
}

/* Reads the "écoute sur http://127.0.0.1:PORT/" line from the server. */
static int read_port(int fd)
{
	char line[512];
	size_t n = 0;
	struct pollfd p = {.fd = fd, .events = POLLIN};
	while (poll(&p, 1, 20000) > 0) { /* lines before it (a rebuilt index…) are skipped */
		ssize_t r = read(fd, line + n, 1);
		if (r <= 0)
			break;
		if (line[n] != '\n' && n < sizeof(line) - 2) {
			n++;
			continue;
		}
		line[n + 1] = '\0';
		const char *at = strstr(line, "127.0.0.1:");
		if (strstr(line, "coute sur") && at)
			return atoi(at + strlen("127.0.0.1:"));
		n = 0;
	}
	return -1;
}

/* Creates a database with the given accounts and starts the server. */
int live_start(struct live *s, const char *accounts, const char *const *extra)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "/tmp/maillage-live-XXXXXX");
	if (!mkdtemp(s->dir) || make_db(s, accounts) < 0)
		return -1;
	return live_resume(s, extra);
}

/* Starts the server again on the database of s (after a crash). */
int live_resume(struct live *s, const char *const *extra)
{
	snprintf(s->log, sizeof(s->log), "%s/server.log", s->dir);
	int out[2];
	if (pipe(out) < 0)
		return -1;
	s->pid = fork();
	if (s->pid == 0) {
		char db[128];
		snprintf(db, sizeof(db), "%s/live.db", s->dir);
		int log = open(s->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		dup2(out[1], 1);
		dup2(log, 2);
		close(out[0]);
		const char *argv[28] = {"maillage", "serve", "--db", db, "--listen", "127.0.0.1:0",
					"--threads", "2"};
		for (int i = 0; extra && extra[i] && i < 18; i++)
			argv[8 + i] = extra[i];
		execv(live_binary(), (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	s->port = read_port(out[0]);
	close(out[0]);
	return s->port > 0 ? 0 : -1;
}

/* Sends SIGTERM, waits, removes the folder; returns the exit status or -1. */
int live_stop(struct live *s)
{
	int st = 0, rc = -1;
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		if (waitpid(s->pid, &st, 0) == s->pid && WIFEXITED(st))
			rc = WEXITSTATUS(st);
		if (rc != 0) {
			char cmd[200];
			snprintf(cmd, sizeof(cmd), "tail -n 40 %s", s->log);
			if (system(cmd) != 0)
				fprintf(stderr, "(journal illisible)\n");
		}
	}
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", s->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "%s n'a pas pu être effacé\n", s->dir);
	s->pid = 0;
	return rc;
}

/* Returns the first integer query gives on the database file db (with
 * the sqlite3 shell, waiting for a server that writes), or -1. */
long long live_sql_file(const char *db, const char *query)
{
	char cmd[800];
	snprintf(cmd, sizeof(cmd), "sqlite3 -cmd '.timeout 10000' %s \"%s\"", db, query);
	FILE *p = popen(cmd, "r");
	long long v = -1;
	if (p && fscanf(p, "%lld", &v) != 1)
		v = -1;
	if (p)
		pclose(p);
	return v;
}

/* Returns the first integer query gives on the server's database, or -1. */
long long live_sql_int(const struct live *s, const char *query)
{
	char db[128];
	snprintf(db, sizeof(db), "%s/live.db", s->dir);
	return live_sql_file(db, query);
}

/* Tells whether the server's log contains text. */
bool live_log_has(const struct live *s, const char *text)
{
	struct buf b = {0};
	buf_read_file(&b, s->log);
	bool found = strstr(buf_str(&b), text) != NULL;
	buf_free(&b);
	return found;
}

/* Opens a client with its own cookie jar. */
void client_open(struct client *c, const struct live *s)
{
	memset(c, 0, sizeof(*c));
	c->srv = s;
	c->curl = curl_easy_init();
	curl_easy_setopt(c->curl, CURLOPT_COOKIEFILE, "");
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, 30L);
}

/* Closes a client. */
void client_close(struct client *c)
{
	curl_easy_cleanup(c->curl);
}

/* libcurl callback: appends received bytes to a buf. */
static size_t collect(char *p, size_t size, size_t n, void *userdata)
{
	buf_append(userdata, p, size * n);
	return size * n;
}

/* Sends a request; fills a and keeps the page's CSRF token. */
long client_send(struct client *c, const char *method, const char *path, const char *form,
		 struct answer *a)
{
	struct buf url = {0};
	memset(a, 0, sizeof(*a));
	buf_printf(&url, "http://127.0.0.1:%d%s", c->srv->port, path);
	curl_easy_setopt(c->curl, CURLOPT_URL, buf_str(&url));
	buf_free(&url);
	if (c->mime)
		curl_easy_setopt(c->curl, CURLOPT_MIMEPOST, c->mime);
	else
		curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(c->curl, CURLOPT_NOBODY, strcmp(method, "HEAD") == 0 ? 1L : 0L);
	curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST,
			 strcmp(method, "HEAD") == 0 || strcmp(method, "GET") == 0 ? NULL : method);
	if (form) {
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, form);
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE, (long)strlen(form));
	}
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, &a->body);
	curl_easy_setopt(c->curl, CURLOPT_HEADERFUNCTION, collect);
	curl_easy_setopt(c->curl, CURLOPT_HEADERDATA, &a->headers);
	CURLcode rc = curl_easy_perform(c->curl);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &a->status);
	else
		a->status = -1;
	const char *t = strstr(buf_str(&a->body), "name=\"_csrf\" value=\"");
	if (t) {
		t += strlen("name=\"_csrf\" value=\"");
		snprintf(c->csrf, sizeof(c->csrf), "%.*s", (int)strcspn(t, "\""), t);
	}
	return a->status;
}

/* Posts a multipart form of fields and files to path. */
long client_upload(struct client *c, const char *path, const char *const *fields,
		   const char *const *files, struct answer *a)
{
	curl_mime *mime = curl_mime_init(c->curl);
	curl_mimepart *part = curl_mime_addpart(mime);
	curl_mime_name(part, "_csrf");
	curl_mime_data(part, c->csrf, CURL_ZERO_TERMINATED);
	for (size_t i = 0; fields && fields[i]; i += 2) {
		part = curl_mime_addpart(mime);
		curl_mime_name(part, fields[i]);
		curl_mime_data(part, fields[i + 1], CURL_ZERO_TERMINATED);
	}
	for (size_t i = 0; files && files[i]; i += 3) {
		part = curl_mime_addpart(mime);
		curl_mime_name(part, files[i]);
		curl_mime_filedata(part, files[i + 1]);
		curl_mime_filename(part, files[i + 2]);
	}
	c->mime = mime;
	long st = client_send(c, "POST", path, NULL, a);
	c->mime = NULL;
	curl_easy_setopt(c->curl, CURLOPT_MIMEPOST, NULL);
	curl_mime_free(mime);
	return st;
}

/* Logs in with the page's CSRF token; returns the status of the POST. */
long client_login(struct client *c, const char *email, const char *password)
{
	struct answer a;
	client_send(c, "GET", "/login", NULL, &a);
	answer_free(&a);
	char *e = curl_easy_escape(c->curl, email, 0), *p = curl_easy_escape(c->curl, password, 0);
	char form[512];
	snprintf(form, sizeof(form), "_csrf=%s&email=%s&password=%s", c->csrf, e, p);
	curl_free(e);
	curl_free(p);
	long status = client_send(c, "POST", "/login", form, &a);
	answer_free(&a);
	return status;
}

/* Points *name at the cookie name of a Netscape-format line (domain, flag,
 * path, secure, expiry, name, value); returns its value, or NULL. */
static const char *cookie_of(const char *line, const char **name, size_t *n)
{
	const char *p = line;
	for (int tabs = 0; tabs < 5 && p; tabs++)
		p = strchr(p, '\t') ? strchr(p, '\t') + 1 : NULL;
	const char *tab = p ? strchr(p, '\t') : NULL;
	if (!tab)
		return NULL;
	*name = p;
	*n = (size_t)(tab - p);
	return tab + 1;
}

/* Tells whether the client holds a cookie called name. */
bool client_has_cookie(struct client *c, const char *name)
{
	struct curl_slist *list = NULL;
	bool found = false;
	curl_easy_getinfo(c->curl, CURLINFO_COOKIELIST, &list);
	for (struct curl_slist *l = list; l; l = l->next) {
		const char *k;
		size_t n;
		const char *v = cookie_of(l->data, &k, &n);
		if (v && n == strlen(name) && strncmp(k, name, n) == 0 && *v)
			found = true;
	}
	curl_slist_free_all(list);
	return found;
}

/* Writes the client's cookies as a Cookie header value into out. */
void client_cookie_header(struct client *c, struct buf *out)
{
	struct curl_slist *list = NULL;
	curl_easy_getinfo(c->curl, CURLINFO_COOKIELIST, &list);
	for (struct curl_slist *l = list; l; l = l->next) {
		const char *k;
		size_t n;
		const char *v = cookie_of(l->data, &k, &n);
		if (v)
			buf_printf(out, "%s%.*s=%s", out->len ? "; " : "", (int)n, k, v);
	}
	curl_slist_free_all(list);
}

/* Frees an answer. */
void answer_free(struct answer *a)
{
	buf_free(&a->body);
	buf_free(&a->headers);
}

/* Connects a raw TCP socket to the server; returns it or -1. */
int raw_connect(const struct live *s)
{
	return raw_connect_from(s, NULL);
}

/* Connects a raw TCP socket from the loopback address from (NULL: any). */
int raw_connect_from(const struct live *s, const char *from)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->port)};
	struct sockaddr_in me = {.sin_family = AF_INET};
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (from)
		inet_pton(AF_INET, from, &me.sin_addr);
	if (fd < 0 || (from && bind(fd, (struct sockaddr *)&me, sizeof(me)) < 0) ||
	    connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Writes all of s; 0 or -1. */
int raw_write(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Reads until the peer closes (or 5 s pass) into out. */
void raw_read_all(int fd, struct buf *out)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	char chunk[4096];
	while (poll(&p, 1, 5000) > 0) {
		ssize_t r = recv(fd, chunk, sizeof(chunk), 0);
		if (r <= 0)
			break;
		buf_append(out, chunk, (size_t)r);
	}
}
