/* mem.h — heap allocations that abort on out-of-memory, for Maillage's own
 * code and for jansson, so that no caller ever meets a silent NULL. */
#ifndef MAILLAGE_MEM_H
#define MAILLAGE_MEM_H

#include <stddef.h>

/* Returns n bytes (at least one) from the heap; aborts when there are none. */
void *mem_alloc(size_t n);
/* Returns a heap copy of the C string s; aborts on out-of-memory. */
char *mem_strdup(const char *s);
/* Makes jansson allocate through mem_alloc (call once, before any JSON). */
void mem_init(void);

#endif
