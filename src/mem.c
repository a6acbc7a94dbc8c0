/* mem.c — heap allocations that abort on out-of-memory. */
#include "mem.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Returns n bytes (at least one) from the heap; aborts when there are none. */
void *mem_alloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		abort();
	return p;
}

/* Returns a heap copy of s; aborts on out-of-memory. */
char *mem_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(mem_alloc(n), s, n);
}

/* Makes jansson allocate through mem_alloc. */
void mem_init(void)
{
	json_set_alloc_funcs(mem_alloc, free);
}
