/* server.c — the only file that includes microhttpd.h: turns connections
 * into struct req, enforces the size limits, hands each request to
 * route_answer, sends struct resp, logs each request and shuts down
 * gracefully. */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "html.h"
#include "log.h"
#include "mem.h"
#include "route.h"
#include "text.h"

/* One request on a connection, from its first line to its completion. */
struct exchange {
	struct req req;
	struct buf body;
	char *uri;
	bool seen;       /* the access handler has run once */
	bool too_big;    /* the body went past max_body */
	struct MHD_PostProcessor *post; /* a multipart form's parser, or NULL */
	struct upload files[UPLOAD_MAX_FILES + 1];
	size_t nfiles;
	int refused;     /* a multipart form's status before routing: 400, 413, 507 */
	int status;
	size_t bytes;
	struct timespec start;
};

static const struct server_options *options;
static atomic_int in_flight;

/* Returns microseconds elapsed since t0. */
static long long micros_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000000LL + (t.tv_nsec - t0->tv_nsec) / 1000;
}

/* MHD callback: a request line arrived; starts its exchange. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls, (void)c;
	struct exchange *x = calloc(1, sizeof(*x));
	if (!x)
		abort();
	x->uri = mem_strdup(uri ? uri : "/");
	clock_gettime(CLOCK_MONOTONIC, &x->start);
	atomic_fetch_add(&in_flight, 1);
	return x;
}

/* MHD callback: the exchange ended; logs it and frees it. */
static void on_completed(void *cls, struct MHD_Connection *c, void **ctx,
			 enum MHD_RequestTerminationCode code)
{
	(void)cls, (void)c;
	struct exchange *x = *ctx;
	if (!x)
		return;
	log_access(x->req.method ? (x->req.head ? "HEAD" : x->req.method) : "-",
		   x->req.path ? x->req.path : "-", x->status, x->bytes, micros_since(&x->start),
		   code != MHD_REQUEST_TERMINATED_COMPLETED_OK);
	if (x->post)
		MHD_destroy_post_processor(x->post);
	for (size_t i = 0; i < x->nfiles; i++)
		upload_discard(&x->files[i]);
	req_free(&x->req);
	buf_free(&x->body);
	free(x->uri);
	free(x);
	*ctx = NULL;
	atomic_fetch_sub(&in_flight, 1);
}

/* Returns a copy, in the request's arena, of a request header, or NULL. */
static const char *header(struct exchange *x, struct MHD_Connection *c, const char *name)
{
	const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
	return v ? arena_strdup(&x->req.arena, v) : NULL;
}

/* Returns the client's address as the trusted proxy saw it: the last one
 * of X-Forwarded-For (the proxy's own addition), or fallback. */
static const char *forwarded_for(struct exchange *x, struct MHD_Connection *c,
				 const char *fallback)
{
	const char *v = header(x, c, "X-Forwarded-For");
	if (!v)
		return fallback;
	const char *last = strrchr(v, ',');
	last = last ? last + 1 : v;
	while (*last == ' ')
		last++;
	size_t n = strcspn(last, " ");
	char addr[INET6_ADDRSTRLEN + 1];
	unsigned char probe[16];
	if (n == 0 || n >= sizeof(addr))
		return fallback;
	memcpy(addr, last, n);
	addr[n] = '\0';
	if (inet_pton(AF_INET, addr, probe) != 1 && inet_pton(AF_INET6, addr, probe) != 1)
		return fallback; /* not an address: ignored */
	return arena_strdup(&x->req.arena, addr);
}

/* Fills the request's headers, cookies and client address. */
static void read_headers(struct exchange *x, struct MHD_Connection *c)
{
	struct req *req = &x->req;
	req->host = header(x, c, "Host");
	req->origin = header(x, c, "Origin");
	req->content_type = header(x, c, "Content-Type");
	req->if_none_match = header(x, c, "If-None-Match");
	req->range = header(x, c, "Range");
	req->if_range = header(x, c, "If-Range");
	req->sec_fetch_site = header(x, c, "Sec-Fetch-Site");
	req->authorization = header(x, c, "Authorization");
	const char *cookie = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Cookie");
	if (cookie)
		req_parse_cookies(req, cookie);
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char addr[INET6_ADDRSTRLEN] = "";
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, addr, sizeof(addr));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, addr,
				  sizeof(addr));
	}
	req->remote_addr = arena_strdup(&req->arena, addr);
	if (options->trusted_proxy && strcmp(addr, options->trusted_proxy) == 0)
		req->remote_addr = forwarded_for(x, c, req->remote_addr);
}

/* The stream of a response being sent (see struct resp_stream). */
struct sending {
	struct resp_stream s;
};

/* MHD callback: the next bytes of a streamed body. */
static ssize_t stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
	struct sending *t = cls;
	if (pos >= t->s.size)
		return MHD_CONTENT_READER_END_OF_STREAM;
	long n = t->s.read(t->s.ctx, pos, out, max);
	return n > 0 ? (ssize_t)n : MHD_CONTENT_READER_END_WITH_ERROR;
}

/* MHD callback: the streamed body is done with. */
static void stream_free(void *cls)
{
	struct sending *t = cls;
	if (t->s.free)
		t->s.free(t->s.ctx);
	free(t);
}

/* Returns an MHD response of resp's stream, which it then owns, or of its
 * body. */
static struct MHD_Response *make_response(struct resp *resp)
{
	if (!resp->stream.read) {
		size_t len = resp->body.len;
		return MHD_create_response_from_buffer(len, buf_detach(&resp->body),
						       MHD_RESPMEM_MUST_FREE);
	}
	struct sending *t = malloc(sizeof(*t));
	if (!t)
		abort();
	t->s = resp->stream;
	resp->stream = (struct resp_stream){0};
	struct MHD_Response *r = MHD_create_response_from_callback(t->s.size, 64 * 1024,
								   stream_read, t, stream_free);
	if (!r)
		stream_free(t);
	return r;
}

/* Queues resp on the connection; records status and size for the log. */
static enum MHD_Result send_resp(struct exchange *x, struct MHD_Connection *c,
				 struct resp *resp)
{
	x->status = resp->status;
	x->bytes = resp->stream.read ? resp->stream.size : resp->body.len;
	struct MHD_Response *r = make_response(resp);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", resp->content_type);
	for (size_t i = 0; i < resp->nheaders; i++)
		MHD_add_response_header(r, resp->headers[i].key, resp->headers[i].val);
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)resp->status, r);
	MHD_destroy_response(r);
	return ret;
}

/* Answers the request (refused with status before routing when status is
 * not 0) and sends the response. */
static enum MHD_Result send_answer(struct exchange *x, struct MHD_Connection *c, int status)
{
	struct resp resp = {0};
	route_answer(&x->req, &resp, status);
	enum MHD_Result ret = send_resp(x, c, &resp);
	resp_free(&resp);
	return ret;
}

/* Appends a multipart form's field (a piece of its value: off is where the
 * piece starts) to the body, encoded as a classic form is. */
static void add_field(struct exchange *x, const char *key, const char *data, uint64_t off,
		      size_t size)
{
	if (x->body.len + size * 3 + strlen(key) * 3 + 2 > options->max_body) {
		x->refused = 413;
		return;
	}
	if (off == 0) {
		if (x->body.len)
			buf_putc(&x->body, '&');
		html_url_encode(&x->body, key, strlen(key));
		buf_putc(&x->body, '=');
	}
	html_url_encode(&x->body, data, size);
}

/* Adds a piece of a multipart form's file to its spool file (a new file
 * when off is 0). */
static void add_file_piece(struct exchange *x, const char *key, const char *filename,
			   const char *data, uint64_t off, size_t size)
{
	if (off == 0) {
		if (x->nfiles == UPLOAD_MAX_FILES) {
			x->refused = 413; /* too many files for one form */
			return;
		}
		if (upload_open(&x->files[x->nfiles++], key, filename) < 0) {
			x->refused = x->files[x->nfiles - 1].error;
			return;
		}
	}
	if (x->nfiles && size && upload_write(&x->files[x->nfiles - 1], data, size) < 0)
		x->refused = x->files[x->nfiles - 1].error;
}

/* MHD callback: a piece of a multipart form's field or file. */
static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *filename, const char *content_type,
			       const char *transfer_encoding, const char *data, uint64_t off,
			       size_t size)
{
	(void)kind, (void)content_type, (void)transfer_encoding;
	struct exchange *x = cls;
	if (x->refused || !key)
		return x->refused ? MHD_NO : MHD_YES;
	if (!filename)
		add_field(x, key, data, off, size);
	else if (*filename) /* an empty file input sends a part without a name */
		add_file_piece(x, key, filename, data, off, size);
	return x->refused ? MHD_NO : MHD_YES;
}

/* Ends a multipart form: its files closed and handed to the request;
 * returns 0, or the status that refuses it. */
static int finish_uploads(struct exchange *x)
{
	for (size_t i = 0; i < x->nfiles; i++)
		if (upload_finish(&x->files[i]) < 0)
			return x->files[i].error ? x->files[i].error : 500;
	x->req.files = x->files;
	x->req.nfiles = x->nfiles;
	x->nfiles = 0; /* the request removes them now */
	return 0;
}

/* Starts reading a multipart form as it comes; false when its header is
 * unusable. */
static bool start_multipart(struct exchange *x, struct MHD_Connection *c)
{
	x->post = MHD_create_post_processor(c, 64 * 1024, on_part, x);
	return x->post != NULL;
}

/* Builds the request from what MHD gathered and answers it. */
static enum MHD_Result answer(struct exchange *x, struct MHD_Connection *c, const char *method)
{
	struct req *req = &x->req;
	int status = req_set_target(req, method, x->uri);
	if (!status && x->too_big)
		status = 413;
	if (!status && x->refused)
		status = x->refused;
	read_headers(x, c);
	if (!status && x->post)
		status = finish_uploads(x);
	if (!status) {
		req->body = x->body.data ? x->body.data : "";
		req->body_len = x->body.len;
		status = req_parse_form(req);
	}
	return send_answer(x, c, status);
}

/* MHD callback: called for the headers, each body chunk, then the end. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size, void **ctx)
{
	(void)cls, (void)url, (void)version;
	struct exchange *x = *ctx;
	if (!x)
		return MHD_NO;
	if (!x->seen) {
		x->seen = true;
		const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
		bool multipart = ct && strncasecmp(ct, "multipart/form-data", 19) == 0;
		unsigned long long most = multipart
			? options->max_body + UPLOAD_MAX_FILES * (upload_max() + 4096)
			: options->max_body;
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		int refuse = cl && strtoull(cl, NULL, 10) > most ? 413
			     : multipart && !start_multipart(x, c) ? 400 : 0;
		if (refuse) {
			x->req.path = "/";
			x->req.content_type = ct ? arena_strdup(&x->req.arena, ct) : NULL;
			x->req.method = arena_strdup(&x->req.arena, method);
			return send_answer(x, c, refuse);
		}
		return MHD_YES;
	}
	if (*upload_data_size && x->post) {
		if (!x->refused && MHD_post_process(x->post, upload_data, *upload_data_size) != MHD_YES &&
		    !x->refused)
			x->refused = 400;
		if (x->refused) /* what is left is read and dropped: nothing kept */
			for (size_t i = 0; i < x->nfiles; i++)
				upload_discard(&x->files[i]);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (x->body.len + *upload_data_size > options->max_body) {
			x->too_big = true;
			buf_free(&x->body);
		} else if (!x->too_big) {
			buf_append(&x->body, upload_data, *upload_data_size);
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	return answer(x, c, method);
}

/* Parses "host:port", "[v6]:port" or "port" into a socket address. */
static int parse_listen(const char *s, struct sockaddr_storage *ss, bool *v6)
{
	char host[256] = "127.0.0.1";
	const char *colon = strrchr(s, ':');
	const char *port_s = colon ? colon + 1 : s;
	if (colon) {
		size_t n = (size_t)(colon - s);
		if (n >= sizeof(host))
			return -1;
		memcpy(host, s, n);
		host[n] = '\0';
		if (host[0] == '[' && n >= 2 && host[n - 1] == ']') {
			memmove(host, host + 1, n - 2);
			host[n - 2] = '\0';
		}
	}
	char *end;
	long port = strtol(port_s, &end, 10);
	if (!*port_s || *end || port < 0 || port > 65535)
		return -1;
	memset(ss, 0, sizeof(*ss));
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
		*v6 = false;
		return 0;
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		*v6 = true;
		return 0;
	}
	return -1;
}

/* Waits for in-flight requests to finish, at most limit seconds. */
static void drain(int limit)
{
	for (int i = 0; i < limit * 20 && atomic_load(&in_flight) > 0; i++)
		usleep(50000);
}

static atomic_bool listening; /* the daemon started: its messages are worth logging */

/* MHD's messages, to the log once serving (a failure to start is told
 * once, by server_run). */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	if (!atomic_load(&listening))
		return;
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	log_error("libmicrohttpd : %s", msg);
}

/* Raises the open files limit as far as allowed and returns how many
 * connections fit under it (the rest is left to the database and logs). */
static unsigned connection_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 1000;
	rlim_t want = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > 16384 ? 16384 : rl.rlim_max;
	if (rl.rlim_cur < want) {
		rl.rlim_cur = want;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			getrlimit(RLIMIT_NOFILE, &rl);
	}
	rlim_t n = rl.rlim_cur > 65535 ? 65535 : rl.rlim_cur;
	return n > 200 ? (unsigned)n - 100 : (unsigned)n / 2;
}

/* Serves until SIGTERM or SIGINT, then lets in-flight requests finish. */
int server_run(const struct server_options *opt)
{
	struct sockaddr_storage ss;
	bool v6;
	options = opt;
	if (parse_listen(opt->listen, &ss, &v6) < 0) {
		log_error("adresse d'écoute invalide : %s (ex. 127.0.0.1:8080)", opt->listen);
		return 2;
	}
	unsigned threads = opt->threads ? opt->threads : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
	if (threads < 1)
		threads = 1;
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
			 MHD_USE_ERROR_LOG | (v6 ? MHD_USE_IPv6 : 0);
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_TIMEOUT, opt->timeout,
		MHD_OPTION_CONNECTION_LIMIT, connection_limit(),
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, opt->max_per_ip,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)opt->max_header,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_END);
	if (!d) {
		log_error("impossible d'écouter sur %s (%s)", opt->listen,
			  errno ? text_errno(errno) : "adresse occupée ?");
		return 2;
	}
	atomic_store(&listening, true);
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	if (opt->ready && opt->ready(info ? info->port : 0) < 0) {
		MHD_stop_daemon(d);
		return 2;
	}
	char shown[300];
	snprintf(shown, sizeof(shown), "%s", opt->listen);
	char *colon = strrchr(shown, ':');
	if (colon)
		*colon = '\0';
	printf("Maillage écoute sur http://%s:%u/ (%u fils)\n", colon ? shown : "127.0.0.1",
	       info ? info->port : 0, threads);
	fflush(stdout);
	int sig = 0;
	do
		sigwait(&sigs, &sig);
	while (sig == SIGPIPE);
	log_info("arrêt demandé, fin des requêtes en cours…");
	MHD_socket fd = MHD_quiesce_daemon(d);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	drain(30);
	MHD_stop_daemon(d);
	log_info("arrêté proprement");
	return 0;
}
