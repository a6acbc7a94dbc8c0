/* front.c — YAML front matter (libyaml) of the content/ files: mappings
 * become JSON objects, sequences arrays, scalars strings. */
#include "front.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "text.h"

#define FRONT_MAX_DEPTH 16

/* Reads one YAML value starting with event ev into a new JSON value; NULL
 * with err set on a syntax error, an alias or too deep a nesting. */
static json_t *read_value(yaml_parser_t *p, yaml_event_t *ev, int depth, int offset,
			  json_t *lines, struct buf *err);

/* Appends the parser's error, with its line, to err. */
static void parser_error(yaml_parser_t *p, int offset, struct buf *err)
{
	buf_printf(err, "ligne %d : en-tête YAML invalide (%s)", (int)p->problem_mark.line + offset,
		   p->problem ? p->problem : "erreur de syntaxe");
}

/* Reads the entries of a mapping whose start event was consumed. */
static json_t *read_mapping(yaml_parser_t *p, int depth, int offset, json_t *lines,
			    struct buf *err)
{
	json_t *obj = json_object();
	for (;;) {
		yaml_event_t key;
		if (!yaml_parser_parse(p, &key)) {
			parser_error(p, offset, err);
			break;
		}
		if (key.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&key);
			return obj;
		}
		if (key.type != YAML_SCALAR_EVENT) {
			buf_printf(err, "ligne %d : une clé doit être un simple mot",
				   (int)key.start_mark.line + offset);
			yaml_event_delete(&key);
			break;
		}
		char *name = text_dup((const char *)key.data.scalar.value, key.data.scalar.length);
		int line = (int)key.start_mark.line + offset;
		yaml_event_delete(&key);
		yaml_event_t ev;
		if (!yaml_parser_parse(p, &ev)) {
			parser_error(p, offset, err);
			free(name);
			break;
		}
		json_t *v = read_value(p, &ev, depth + 1, offset, NULL, err);
		if (!v) {
			free(name);
			break;
		}
		if (json_object_get(obj, name)) {
			buf_printf(err, "ligne %d : clé « %s » en double", line, name);
			json_decref(v);
			free(name);
			break;
		}
		if (lines)
			json_object_set_new(lines, name, json_integer(line));
		json_object_set_new(obj, name, v);
		free(name);
	}
	json_decref(obj);
	return NULL;
}

/* Reads the items of a sequence whose start event was consumed. */
static json_t *read_sequence(yaml_parser_t *p, int depth, int offset, struct buf *err)
{
	json_t *arr = json_array();
	for (;;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(p, &ev)) {
			parser_error(p, offset, err);
			break;
		}
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return arr;
		}
		json_t *v = read_value(p, &ev, depth + 1, offset, NULL, err);
		if (!v)
			break;
		json_array_append_new(arr, v);
	}
	json_decref(arr);
	return NULL;
}

/* Reads one YAML value starting with event ev (which it deletes). */
static json_t *read_value(yaml_parser_t *p, yaml_event_t *ev, int depth, int offset,
			  json_t *lines, struct buf *err)
{
	json_t *v = NULL;
	int line = (int)ev->start_mark.line + offset;
	if (depth > FRONT_MAX_DEPTH) {
		buf_printf(err, "ligne %d : en-tête trop imbriqué", line);
	} else if (ev->type == YAML_SCALAR_EVENT) {
		v = json_stringn((const char *)ev->data.scalar.value, ev->data.scalar.length);
		if (!v)
			buf_printf(err, "ligne %d : texte qui n'est pas de l'UTF-8 valide", line);
	} else if (ev->type == YAML_MAPPING_START_EVENT) {
		v = read_mapping(p, depth, offset, lines, err);
	} else if (ev->type == YAML_SEQUENCE_START_EVENT) {
		v = read_sequence(p, depth, offset, err);
	} else {
		buf_printf(err, "ligne %d : construction YAML non prise en charge (alias ?)", line);
	}
	yaml_event_delete(ev);
	return v;
}

/* Returns the length of the line at s (without its end), and sets *next to
 * the start of the following line. */
static size_t line_at(const char *s, const char *end, const char **next)
{
	const char *nl = memchr(s, '\n', (size_t)(end - s));
	size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
	*next = nl ? nl + 1 : end;
	if (n && s[n - 1] == '\r')
		n--;
	return n;
}

/* Splits text into its front matter and its body. */
int front_parse(const char *text, size_t len, struct front *f, struct buf *err)
{
	memset(f, 0, sizeof(*f));
	const char *p = text, *end = text + len, *next;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	if (line_at(p, end, &next) != 3 || memcmp(p, "---", 3) != 0) {
		buf_printf(err, "ligne 1 : l'en-tête « --- » manque");
		return -1;
	}
	const char *yaml = next;
	int line = 2;
	for (p = next; p < end; p = next, line++) {
		size_t n = line_at(p, end, &next);
		if (n == 3 && memcmp(p, "---", 3) == 0)
			break;
	}
	if (p >= end) {
		buf_printf(err, "ligne %d : l'en-tête n'est pas refermé par « --- »", line);
		return -1;
	}
	f->body = next;
	f->body_len = (size_t)(end - next);
	f->body_line = line + 1;
	yaml_parser_t parser;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, (size_t)(p - yaml));
	yaml_event_t ev;
	f->lines = json_object();
	int rc = -1;
	/* skip the stream and document starts; an empty front matter is {} */
	while (yaml_parser_parse(&parser, &ev)) {
		yaml_event_type_t t = ev.type;
		if (t == YAML_STREAM_START_EVENT || t == YAML_DOCUMENT_START_EVENT) {
			yaml_event_delete(&ev);
			continue;
		}
		if (t == YAML_STREAM_END_EVENT || t == YAML_DOCUMENT_END_EVENT) {
			yaml_event_delete(&ev);
			f->data = json_object();
			rc = 0;
			break;
		}
		if (t != YAML_MAPPING_START_EVENT) {
			buf_printf(err, "ligne %d : l'en-tête doit être une liste « clé: valeur »",
				   (int)ev.start_mark.line + 2);
			yaml_event_delete(&ev);
			break;
		}
		f->data = read_value(&parser, &ev, 0, 2, f->lines, err);
		rc = f->data ? 0 : -1;
		break;
	}
	if (rc < 0 && !err->len)
		parser_error(&parser, 2, err);
	yaml_parser_delete(&parser);
	if (rc < 0)
		front_free(f);
	return rc;
}

/* Checks that every key of the front matter is in allowed. */
int front_check_keys(const struct front *f, const char *const *allowed, struct buf *err)
{
	const char *key;
	json_t *v;
	json_object_foreach(f->data, key, v) {
		size_t i = 0;
		while (allowed[i] && strcmp(allowed[i], key) != 0)
			i++;
		if (!allowed[i]) {
			buf_printf(err, "ligne %lld : clé inconnue « %s »",
				   json_integer_value(json_object_get(f->lines, key)), key);
			return -1;
		}
	}
	return 0;
}

/* Returns the string value of key, or NULL. */
const char *front_str(const struct front *f, const char *key)
{
	return json_string_value(json_object_get(f->data, key));
}

/* Frees what front_parse made. */
void front_free(struct front *f)
{
	json_decref(f->data);
	json_decref(f->lines);
	f->data = f->lines = NULL;
}
