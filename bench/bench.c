/* bench.c — what the benchmarks share beyond bench.h: the optimised server
 * started on a database and stopped, timed HTTP requests, quantiles, wrk
 * runs read back, nginx for comparisons, logging in. */
#include "bench.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs a shell command; 0 or -1. */
int bench_run(const char *cmd)
{
	return system(cmd) == 0 ? 0 : -1;
}

/* Reads the server's standard output until it names its port; -1 if not. */
static int read_port(int fd)
{
	char line[512];
	size_t n = 0;
	struct pollfd p = {.fd = fd, .events = POLLIN};
	int port = -1;
	while (port < 0 && poll(&p, 1, 600000) > 0) {
		if (read(fd, line + n, 1) <= 0)
			break;
		if (line[n] == '\n' || n == sizeof(line) - 2) {
			line[n + 1] = '\0';
			const char *at = strstr(line, "127.0.0.1:");
			if (strstr(line, "coute sur") && at)
				port = atoi(at + strlen("127.0.0.1:"));
			n = 0;
		} else {
			n++;
		}
	}
	return port;
}

/* Starts ./maillage serve on db with two worker threads (the machine's
 * cores); fills s; 0 or -1. */
int bench_server_start(struct bench_server *s, const char *db)
{
	int out[2];
	if (pipe(out) < 0)
		return -1;
	s->started = bench_now();
	s->pid = fork();
	if (s->pid == 0) {
		dup2(out[1], 1);
		if (!freopen("/dev/null", "w", stderr))
			_exit(127);
		close(out[0]);
		execl("./maillage", "maillage", "serve", "--db", db, "--listen", "127.0.0.1:0",
		      "--threads", "2", (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	s->port = read_port(out[0]);
	close(out[0]);
	return s->port > 0 ? 0 : -1;
}

/* Stops the server. */
void bench_server_stop(struct bench_server *s)
{
	kill(s->pid, SIGTERM);
	waitpid(s->pid, NULL, 0);
}

/* Returns the server's peak resident memory in MB (VmHWM), or -1. */
double bench_server_peak_mb(const struct bench_server *s)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)s->pid);
	FILE *f = fopen(path, "r");
	double kb = -1;
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "VmHWM:", 6) == 0)
			kb = atof(line + 6);
	if (f)
		fclose(f);
	return kb < 0 ? -1 : kb / 1024;
}

/* libcurl callback: appends the body to the buffer given, if any. */
static size_t keep(char *p, size_t size, size_t n, void *ud)
{
	if (ud)
		buf_append(ud, p, size * n);
	return size * n;
}

/* GETs url with curl (a kept connection); the body goes into body when
 * given; returns the seconds taken, or exits on anything but a 200. */
double bench_get(CURL *curl, const char *url, struct buf *body)
{
	long status = 0;
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keep);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, body);
	double t0 = bench_now();
	if (curl_easy_perform(curl) == CURLE_OK)
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	double t = bench_now() - t0;
	if (status != 200) {
		fprintf(stderr, "bench : %s → %ld\n", url, status);
		exit(1);
	}
	return t;
}

/* Orders doubles for qsort. */
static int compare(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Sorts v[0..n) and returns its q-quantile. */
double bench_quantile(double *v, size_t n, double q)
{
	qsort(v, n, sizeof(double), compare);
	size_t i = (size_t)(q * (double)(n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}

/* Returns the failed requests a line of wrk's summary reports: answers
 * other than 2xx/3xx, and socket errors (timeouts included). */
static int wrk_errors(const char *line)
{
	int connect, read, write, timeout, n;
	if (sscanf(line, " Socket errors: connect %d, read %d, write %d, timeout %d", &connect,
		   &read, &write, &timeout) == 4)
		return connect + read + write + timeout;
	if (sscanf(line, " Non-2xx or 3xx responses: %d", &n) == 1)
		return n;
	return 0;
}

/* Runs wrk (threads 2, connections c, seconds, optional Lua script) on
 * url and reads its summary into w; 0 or -1. */
int bench_wrk(const char *url, int c, int seconds, const char *script, struct bench_wrk *w)
{
	char cmd[1024], line[512];
	snprintf(cmd, sizeof(cmd), "wrk -t2 -c%d -d%ds --latency %s%s %s 2>&1", c, seconds,
		 script ? "-s " : "", script ? script : "", url);
	FILE *p = popen(cmd, "r");
	memset(w, 0, sizeof(*w));
	while (p && fgets(line, sizeof(line), p)) {
		double v;
		char unit[8];
		if (sscanf(line, "Requests/sec: %lf", &v) == 1)
			w->rps = v;
		else if (sscanf(line, " 50%% %lf%7s", &v, unit) == 2)
			w->p50_ms = v * (unit[0] == 'u' ? 1e-3 : unit[0] == 's' ? 1e3 : 1);
		else if (sscanf(line, " 99%% %lf%7s", &v, unit) == 2)
			w->p99_ms = v * (unit[0] == 'u' ? 1e-3 : unit[0] == 's' ? 1e3 : 1);
		else
			w->errors += wrk_errors(line);
	}
	int rc = p ? pclose(p) : -1;
	return rc == 0 && w->rps > 0 ? 0 : -1;
}

/* Returns a loopback port free at the time of asking, or -1. */
int bench_free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof(a);
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	int port = -1;
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

/* Starts nginx (two workers, no log) serving dir/static on port, ready once
 * probe answers; returns its pid, or -1. */
pid_t bench_nginx_start(const char *dir, int port, const char *probe)
{
	char conf[PATH_MAX + 16];
	snprintf(conf, sizeof(conf), "%s/nginx.conf", dir);
	FILE *f = fopen(conf, "w");
	if (!f)
		return -1;
	fprintf(f, "worker_processes 2;\ndaemon off;\npid %s/nginx.pid;\nerror_log %s/nginx.log;\n"
		"events { worker_connections 1024; }\nhttp {\n access_log off;\n"
		" client_body_temp_path %s/tmp;\n proxy_temp_path %s/tmp;\n"
		" fastcgi_temp_path %s/tmp;\n uwsgi_temp_path %s/tmp;\n scgi_temp_path %s/tmp;\n"
		" server {\n  listen 127.0.0.1:%d;\n  root %s/static;\n"
		"  location / { default_type \"text/html; charset=utf-8\"; }\n }\n}\n",
		dir, dir, dir, dir, dir, dir, dir, port, dir);
	fclose(f);
	pid_t pid = fork();
	if (pid == 0) {
		execlp("nginx", "nginx", "-c", conf, "-p", dir, "-e", "stderr", (char *)NULL);
		execl("/usr/sbin/nginx", "nginx", "-c", conf, "-p", dir, "-e", "stderr", (char *)NULL);
		_exit(127);
	}
	char url[300];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/%s", port, probe);
	CURL *curl = curl_easy_init();
	long status = 0;
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
	for (int i = 0; i < 100 && status != 200; i++) { /* up to 5 s */
		usleep(50000);
		if (curl_easy_perform(curl) == CURLE_OK)
			curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	}
	curl_easy_cleanup(curl);
	return status == 200 ? pid : -1;
}

/* Logs email in through the login form on curl (cookies kept); 0 or -1. */
int bench_login(CURL *curl, int port, const char *email, const char *password)
{
	char url[96];
	struct buf page = {0}, form = {0};
	curl_easy_setopt(curl, CURLOPT_COOKIEFILE, "");
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/login", port);
	bench_get(curl, url, &page);
	const char *t = strstr(buf_str(&page), "name=\"_csrf\" value=\"");
	if (!t)
		return -1;
	t += strlen("name=\"_csrf\" value=\"");
	char *pw = curl_easy_escape(curl, password, 0), *who = curl_easy_escape(curl, email, 0);
	buf_printf(&form, "_csrf=%.*s&email=%s&password=%s", (int)strcspn(t, "\""), t, who, pw);
	curl_free(pw);
	curl_free(who);
	buf_reset(&page);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, buf_str(&form));
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keep);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &page);
	long status = 0;
	int rc = curl_easy_perform(curl) == CURLE_OK &&
		 curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK &&
		 status == 303 ? 0 : -1;
	curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
	buf_free(&page);
	buf_free(&form);
	return rc;
}
