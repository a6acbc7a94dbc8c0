/* test_front.c — the YAML front matter of content/ files. */
#include <string.h>

#include "../../src/front.h"
#include "../test.h"
#include "unit.h"

/* Parses text; returns 0 or -1 and keeps the error in err (reset first). */
static int parse(const char *text, struct front *f, struct buf *err)
{
	buf_reset(err);
	return front_parse(text, strlen(text), f, err);
}

/* A meeting file: scalars, a list, the body and its first line. */
static void front_basic(void)
{
	struct front f;
	struct buf err = {0};
	const char *text = "---\ntitle: Coordination locale d'Andenne\nstart: 2020-09-29 09:30\n"
			   "members:\n  - cai\n  - cpas-andenne\n---\n# Ordre du jour\n\nAccueil.\n";
	CHECK(parse(text, &f, &err) == 0);
	CHECK_STR(front_str(&f, "title"), "Coordination locale d'Andenne");
	CHECK_STR(front_str(&f, "start"), "2020-09-29 09:30");
	CHECK_INT(json_array_size(json_object_get(f.data, "members")), 2);
	CHECK(strncmp(f.body, "# Ordre du jour", 15) == 0);
	CHECK_INT(f.body_line, 8);
	static const char *const allowed[] = {"title", "start", NULL};
	CHECK(front_check_keys(&f, allowed, &err) == -1);
	CHECK_STR(buf_str(&err), "ligne 4 : clé inconnue « members »");
	front_free(&f);
	buf_free(&err);
}

/* A BOM and Windows line ends are accepted; an empty front matter is {}. */
static void front_bom_crlf(void)
{
	struct front f;
	struct buf err = {0};
	CHECK(parse("\xEF\xBB\xBF---\r\nname: GT Santé\r\n---\r\nTexte\r\n", &f, &err) == 0);
	CHECK_STR(front_str(&f, "name"), "GT Santé");
	CHECK(strncmp(f.body, "Texte", 5) == 0);
	front_free(&f);
	CHECK(parse("---\n---\nseul le corps", &f, &err) == 0);
	CHECK_INT(json_object_size(f.data), 0);
	front_free(&f);
	buf_free(&err);
}

/* Malformed front matter is refused with a French message and a line. */
static void front_errors(void)
{
	static const char *bad[][2] = {
		{"title: sans en-tête\n", "ligne 1 : l'en-tête « --- » manque"},
		{"---\ntitle: jamais fermé\n", "n'est pas refermé"},
		{"---\ntitle: [non fermé\n---\n", "ligne 3"},
		{"---\ntitle: a\ntitle: b\n---\n", "ligne 3 : clé « title » en double"},
		{"---\njuste une phrase\n---\n", "ligne 2 : l'en-tête doit être une liste"},
		{"---\na: &x 1\nb: *x\n---\n", "alias"},
		{"---\na: [[[[[[[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]]]]]\n---\n", "trop imbriqué"},
		{"---\na: caf\xC3\n---\n", "ligne"},
		{"---\n: sans clé\n---\n", "ligne"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct front f;
		struct buf err = {0};
		CHECKF(parse(bad[i][0], &f, &err) == -1, "accepté : %s", bad[i][0]);
		CHECKF(strstr(buf_str(&err), bad[i][1]) != NULL, "« %s » : %s", bad[i][0], buf_str(&err));
		buf_free(&err);
	}
}

/* Runs the front matter tests. */
void unit_front(void)
{
	RUN(front_basic);
	RUN(front_bom_crlf);
	RUN(front_errors);
}
