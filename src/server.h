/* server.h — the HTTP server (libmicrohttpd). */
#ifndef MAILLAGE_SERVER_H
#define MAILLAGE_SERVER_H

#include <stddef.h>

#include "buf.h"
#include "req.h"

struct server_options {
	const char *listen;   /* "127.0.0.1:8080", "[::1]:8080" or a port */
	unsigned threads;     /* worker threads; 0: one per core */
	size_t max_body;      /* bytes of request body accepted (413 beyond) */
	unsigned timeout;     /* seconds a connection may stay idle or slow */
	unsigned max_header;  /* bytes of request line and headers */
	int (*ready)(unsigned port); /* called once listening on port, before serving; -1 stops */
	const char *trusted_proxy; /* its X-Forwarded-For names the client, or NULL */
	unsigned max_per_ip;  /* connections one address may hold; 0: no limit */
};

/* Serves until SIGTERM or SIGINT, then lets in-flight requests finish;
 * returns the process exit status (2 when it cannot start). */
int server_run(const struct server_options *opt);

#endif
