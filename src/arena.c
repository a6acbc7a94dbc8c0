/* arena.c — per-request bump allocator, freed all at once. */
#include "arena.h"

#include <stdarg.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK 8192

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	alignas(max_align_t) unsigned char mem[];
};

/* Returns n bytes aligned for any type, zeroed; aborts on out of memory. */
void *arena_alloc(struct arena *a, size_t n)
{
	const size_t align = alignof(max_align_t);
	n = (n + align - 1) & ~(align - 1);
	struct arena_chunk *c = a->head;
	if (!c || c->size - c->used < n) {
		size_t size = n > ARENA_CHUNK / 2 ? n : ARENA_CHUNK;
		c = malloc(sizeof(*c) + size);
		if (!c)
			abort();
		c->used = 0;
		c->size = size;
		if (a->head && n > ARENA_CHUNK / 2) {
			/* a large block gets its own chunk behind the current one */
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	void *p = c->mem + c->used;
	c->used += n;
	a->total += n;
	memset(p, 0, n);
	return p;
}

/* Copies n bytes of s into the arena and NUL-terminates them. */
char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* Copies the C string s into the arena (NULL gives NULL). */
char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

/* Returns a printf-formatted string allocated in the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *p = arena_alloc(a, n > 0 ? (size_t)n + 1 : 1);
	if (n > 0)
		vsnprintf(p, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return p;
}

/* Frees every chunk; the arena can be used again afterwards. */
void arena_free(struct arena *a)
{
	struct arena_chunk *c = a->head;
	while (c) {
		struct arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
	a->total = 0;
}
