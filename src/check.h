/* check.h — the problems of a form's input, all of them at once: each rule
 * that fails notes its field and a French message (a string literal). */
#ifndef MAILLAGE_CHECK_H
#define MAILLAGE_CHECK_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define CHECK_MAX 24 /* problems kept; a form has fewer fields */

struct check {
	struct {
		const char *field, *message;
	} items[CHECK_MAX];
	size_t n;
};

/* Notes that field is wrong, with message, when bad. */
void check_if(struct check *c, bool bad, const char *field, const char *message);
/* Returns the first problem's message (and its field in *field), or NULL
 * (and *field NULL) when there is none. */
const char *check_first(const struct check *c, const char **field);
/* Returns the problems as [{field, message}] (new reference). */
json_t *check_json(const struct check *c);

#endif
