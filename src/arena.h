/* arena.h — per-request bump allocator, freed all at once. */
#ifndef MAILLAGE_ARENA_H
#define MAILLAGE_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head; /* newest chunk first */
	size_t total;             /* bytes handed out, for limits and tests */
};

/* Returns n bytes aligned for any type, zeroed; aborts on out of memory. */
void *arena_alloc(struct arena *a, size_t n);
/* Copies n bytes of s into the arena and NUL-terminates them. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Copies the C string s into the arena (NULL gives NULL). */
char *arena_strdup(struct arena *a, const char *s);
/* Returns a printf-formatted string allocated in the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Frees every chunk; the arena can be used again afterwards. */
void arena_free(struct arena *a);

#endif
