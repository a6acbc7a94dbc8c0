/* log.h — what the server tells its operator on standard error: one line
 * per request (the access log) and messages with their context, as text
 * or as JSON objects for log collectors (--log-format json). */
#ifndef MAILLAGE_LOG_H
#define MAILLAGE_LOG_H

#include <stdbool.h>
#include <stddef.h>

/* Chooses JSON lines (true) or text lines (false, the default). */
void log_set_json(bool json);
/* Logs an error (with what it was doing). */
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Logs a notable event (start, stop, reload). */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Logs one request: method, path, status, bytes sent, microseconds taken,
 * and whether the client went away before the end. */
void log_access(const char *method, const char *path, int status, size_t bytes,
		long long micros, bool interrupted);

#endif
