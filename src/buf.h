/* buf.h — growable byte buffer, always NUL-terminated. */
#ifndef MAILLAGE_BUF_H
#define MAILLAGE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;  /* NUL-terminated contents, or NULL when empty and unused */
	size_t len;  /* bytes used, excluding the terminating NUL */
	size_t cap;  /* bytes allocated */
};

/* Appends n bytes of s; aborts on out of memory. */
void buf_append(struct buf *b, const char *s, size_t n);
/* Inserts n bytes of s at offset at (at most len). */
void buf_insert(struct buf *b, size_t at, const char *s, size_t n);
/* Appends the NUL-terminated string s (NULL appends nothing). */
void buf_puts(struct buf *b, const char *s);
/* Appends one byte. */
void buf_putc(struct buf *b, char c);
/* Appends printf-formatted text. */
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Appends vprintf-formatted text. */
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Makes sure n more bytes fit without reallocation. */
void buf_reserve(struct buf *b, size_t n);
/* Empties the buffer, keeping its memory. */
void buf_reset(struct buf *b);
/* Returns the contents as a C string ("" when empty); the buffer keeps it. */
const char *buf_str(const struct buf *b);
/* Hands the malloc'd contents to the caller (who frees them) and empties b. */
char *buf_detach(struct buf *b);
/* Appends the whole file at path; 0, or -1 (errno set) when unreadable. */
int buf_read_file(struct buf *b, const char *path);
/* Frees the memory of b and empties it. */
void buf_free(struct buf *b);

#endif
