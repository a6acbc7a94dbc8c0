/* log.c — the access log and the operator's messages, as text or JSON. */
#include "log.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "buf.h"

static bool as_json;

/* Chooses JSON lines or text lines. */
void log_set_json(bool json)
{
	as_json = json;
}

/* Writes the current UTC time, ISO 8601, into out. */
static void now(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Writes one message line at level. */
static void message(const char *level, const char *fmt, va_list ap)
{
	struct buf b = {0};
	buf_vprintf(&b, fmt, ap);
	if (as_json) {
		char when[32];
		now(when);
		json_t *o = json_pack("{s:s, s:s, s:s}", "time", when, "level", level, "message",
				      buf_str(&b));
		char *s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
		fprintf(stderr, "%s\n", s ? s : "{}");
		free(s);
		json_decref(o);
	} else {
		fprintf(stderr, "maillage: %s\n", buf_str(&b));
	}
	buf_free(&b);
}

/* Logs an error. */
void log_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	message("error", fmt, ap);
	va_end(ap);
}

/* Logs a notable event. */
void log_info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	message("info", fmt, ap);
	va_end(ap);
}

/* Logs one request. */
void log_access(const char *method, const char *path, int status, size_t bytes,
		long long micros, bool interrupted)
{
	char when[32];
	now(when);
	if (!as_json) {
		fprintf(stderr, "%s %s %.200s %d %zu %lldus%s\n", when, method, path, status, bytes,
			micros, interrupted ? " interrompue" : "");
		return;
	}
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:i, s:I, s:I, s:b}", "time", when, "level",
			      "access", "method", method, "path", path, "status", status, "bytes",
			      (json_int_t)bytes, "us", (json_int_t)micros, "interrupted", interrupted);
	char *s = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	fprintf(stderr, "%s\n", s ? s : "{}");
	free(s);
	json_decref(o);
}
