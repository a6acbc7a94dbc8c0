/* check.c — the problems of a form's input, all of them at once. */
#include "check.h"

/* Notes that field is wrong, with message, when bad. */
void check_if(struct check *c, bool bad, const char *field, const char *message)
{
	if (bad && c->n < CHECK_MAX) {
		c->items[c->n].field = field;
		c->items[c->n].message = message;
		c->n++;
	}
}

/* Returns the first problem's message and field, or NULL. */
const char *check_first(const struct check *c, const char **field)
{
	*field = c->n ? c->items[0].field : NULL;
	return c->n ? c->items[0].message : NULL;
}

/* Returns the problems as [{field, message}] (new reference). */
json_t *check_json(const struct check *c)
{
	json_t *out = json_array();
	for (size_t i = 0; i < c->n; i++)
		json_array_append_new(out, json_pack("{s:s, s:s}", "field", c->items[i].field,
						     "message", c->items[i].message));
	return out;
}
