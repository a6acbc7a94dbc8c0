/* buf.c — growable byte buffer. */
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Makes sure n more bytes (plus the NUL) fit without reallocation. */
void buf_reserve(struct buf *b, size_t n)
{
	if (b->len + n + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + n + 1) {
		if (cap > ((size_t)-1) / 2)
			abort();
		cap *= 2;
	}
	char *p = realloc(b->data, cap);
	if (!p)
		abort();
	b->data = p;
	b->cap = cap;
	b->data[b->len] = '\0'; /* a fresh buffer reads as "" at once */
}

/* Appends n bytes of s; aborts on out of memory. */
void buf_append(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
		buf_reserve(b, n);
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* Inserts n bytes of s at offset at (at most len). */
void buf_insert(struct buf *b, size_t at, const char *s, size_t n)
{
	buf_reserve(b, n);
	memmove(b->data + at + n, b->data + at, b->len - at + 1);
	memcpy(b->data + at, s, n);
	b->len += n;
}

/* Appends the NUL-terminated string s (NULL appends nothing). */
void buf_puts(struct buf *b, const char *s)
{
	if (s)
		buf_append(b, s, strlen(s));
}

/* Appends one byte. */
void buf_putc(struct buf *b, char c)
{
	if (b->len + 2 > b->cap)
		buf_reserve(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

/* Appends vprintf-formatted text. */
void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	buf_reserve(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

/* Appends printf-formatted text. */
void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

/* Empties the buffer, keeping its memory. */
void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

/* Returns the contents as a C string ("" when empty); the buffer keeps it. */
const char *buf_str(const struct buf *b)
{
	return b->data ? b->data : "";
}

/* Hands the malloc'd contents to the caller (who frees them) and empties b. */
char *buf_detach(struct buf *b)
{
	char *p = b->data;
	if (!p) {
		p = malloc(1);
		if (!p)
			abort();
		p[0] = '\0';
	}
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

/* Appends the whole file at path; 0, or -1 (errno set) when unreadable. */
int buf_read_file(struct buf *b, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	char chunk[16384];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(b, chunk, n);
	int bad = ferror(f);
	fclose(f);
	return bad ? -1 : 0;
}

/* Frees the memory of b and empties it. */
void buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
