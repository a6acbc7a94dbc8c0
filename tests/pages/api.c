/* api.c — the JSON API: the examples of docs/api.md replayed, every list
 * for an anonymous caller, a partner's token and a coordinator's token,
 * pages, modified_since, and bad tokens and parameters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../../src/auth.h"
#include "../../src/buf.h"
#include "../../src/db.h"
#include "../test.h"
#include "harness.h"
#include "pages.h"

/* Sends GET target with an optional bearer token; returns the status and
 * the parsed body in *json (NULL when it is not JSON). */
static int api_get(const char *target, const char *token, json_t **json)
{
	struct call c;
	struct browser b = {0};
	int st;
	if (token) {
		char header[80];
		snprintf(header, sizeof(header), "Bearer %s", token);
		b.authorization = header;
		st = call(&c, &b, "GET", target, NULL);
	} else {
		st = call(&c, NULL, "GET", target, NULL);
	}
	*json = json_loads(buf_str(&c.resp.body), 0, NULL);
	CHECKF(strncmp(c.resp.content_type, "application/json", 16) == 0, "%s : %s", target,
	       c.resp.content_type);
	call_free(&c);
	return st;
}

/* Tells whether actual holds what example shows: every key, the same
 * value unless it is an address, a date or "…"; arrays by their first
 * element. */
static bool matches(json_t *example, json_t *actual, const char *where)
{
	if (json_is_object(example)) {
		const char *k;
		json_t *v;
		json_object_foreach(example, k, v) {
			json_t *a = json_object_get(actual, k);
			if (!a || (strcmp(k, "created") && strcmp(k, "modified") && !matches(v, a, k))) {
				printf("  api.md : « %s » diffère (dans %s)\n", k, where);
				return false;
			}
		}
		return json_is_object(actual);
	}
	if (json_is_array(example))
		return json_is_array(actual) && (json_array_size(example) == 0 ||
						 matches(json_array_get(example, 0), json_array_get(actual, 0), where));
	const char *s = json_string_value(example);
	if (s && (strncmp(s, "http", 4) == 0 || strcmp(s, "…") == 0))
		return json_is_string(actual);
	return json_equal(example, actual);
}

/* Every example of docs/api.md gives the status and the JSON shown. */
static void documented_examples(void)
{
	struct buf doc = {0}, err = {0};
	CHECK(buf_read_file(&doc, "docs/api.md") == 0);
	long long user = auth_user_add("api-docs@pages.test", "Ville de Namur", "partner",
				       "ville-de-namur", "un mot de passe assez long", 0, &err);
	char token[AUTH_TOKEN_LEN + 1];
	CHECK(user > 0 && auth_token_issue(user, "api", token) == 0);
	int examples = 0;
	const char *p = buf_str(&doc);
	while ((p = strstr(p, "```http\nGET "))) {
		char target[256] = "";
		sscanf(p + 12, "%255s", target);
		bool bearer = strstr(p, "\n```") > strstr(p, "Authorization: Bearer") &&
			      strstr(p, "Authorization: Bearer");
		const char *j = strstr(p, "```json\n"), *end = j ? strstr(j + 8, "\n```") : NULL;
		if (!CHECK(j && end))
			break;
		json_t *example = json_loadb(j + 8, (size_t)(end - j - 8), 0, NULL);
		json_t *got;
		int st = api_get(target, bearer ? token : NULL, &got);
		json_t *error = json_object_get(example, "error");
		int want = error ? (int)json_integer_value(json_object_get(error, "status")) : 200;
		CHECKF(st == want, "%s : %d au lieu de %d", target, st, want);
		CHECKF(example && got && matches(example, got, target), "exemple %s", target);
		json_decref(example);
		json_decref(got);
		examples++;
		p = end;
	}
	CHECK(examples >= 9);
	buf_free(&doc);
	buf_free(&err);
}

/* Returns the ids listed by every page of list for token (NULL: none),
 * following next links. */
static json_t *all_ids(const char *list, const char *token)
{
	json_t *ids = json_array();
	char target[300];
	snprintf(target, sizeof(target), "%s", list);
	for (int guard = 0; guard < 50 && *target; guard++) {
		json_t *page;
		CHECKF(api_get(target, token, &page) == 200, "%s", target);
		size_t i;
		json_t *o;
		json_array_foreach(json_object_get(page, "data"), i, o)
			json_array_append(ids, json_object_get(o, "id"));
		const char *next = json_string_value(json_object_get(json_object_get(page, "links"),
								     "next"));
		const char *path = next ? strstr(next, "/api/") : NULL;
		snprintf(target, sizeof(target), "%s", path ? path : "");
		json_decref(page);
	}
	return ids;
}

/* Tells whether ids holds an id ending with suffix. */
static bool has_id(json_t *ids, const char *suffix)
{
	size_t i;
	json_t *v;
	json_array_foreach(ids, i, v) {
		const char *s = json_string_value(v);
		size_t n = strlen(s), k = strlen(suffix);
		if (n >= k && strcmp(s + n - k, suffix) == 0)
			return true;
	}
	return false;
}

/* Each list for each reader: public for anonymous callers, a partner's
 * bodies for its token, everything for a coordinator's; pages of 100 with
 * next links; modified_since; no account data anywhere. */
static void lists_by_reader(void)
{
	struct buf err = {0};
	/* a partner whose organisation is a member of Namur's coordination */
	long long partner = db_int(0, "SELECT id FROM user WHERE email = ?", "t", HARNESS_MEMBER);
	long long coord = auth_user_add("api-coord@pages.test", "Coordination API", "coordinator",
					"cai", "un mot de passe assez long", 0, &err);
	char ptoken[AUTH_TOKEN_LEN + 1], ctoken[AUTH_TOKEN_LEN + 1];
	CHECK(auth_token_issue(partner, "api", ptoken) == 0 && auth_token_issue(coord, "api", ctoken) == 0);
	/* 150 more public meetings: the list takes two pages */
	for (int i = 0; i < 150; i++)
		CHECK(db_exec("INSERT INTO meeting (body_id, title, start, visibility) SELECT id, "
			      "'Séance ' || ?, '2024-01-01', 'public' FROM body WHERE slug = 'gt-sante'",
			      "i", (long long)i) == 1);
	long long mem = db_int(0, "SELECT id FROM meeting WHERE body_id = (SELECT id FROM body WHERE "
			       "slug = 'coordination-locale-namur') AND visibility = 'members' LIMIT 1",
			       NULL);
	long long in = db_int(0, "SELECT id FROM meeting WHERE visibility = 'internal' LIMIT 1", NULL);
	char mem_id[32], in_id[32];
	snprintf(mem_id, sizeof(mem_id), "/meetings/%lld", mem);
	snprintf(in_id, sizeof(in_id), "/meetings/%lld", in);
	const char *who[] = {NULL, ptoken, ctoken};
	for (int w = 0; w < 3; w++) {
		json_t *ids = all_ids("/api/v1/meetings", who[w]);
		long long total = db_int(0, "SELECT count(*) FROM meeting WHERE visibility = 'public'",
					 NULL);
		CHECKF((long long)json_array_size(ids) >= total, "lecteur %d : %zu", w, json_array_size(ids));
		CHECKF(has_id(ids, mem_id) == (w >= 1), "lecteur %d, réunion des membres", w);
		CHECKF(has_id(ids, in_id) == (w == 2), "lecteur %d, réunion interne", w);
		json_decref(ids);
		ids = all_ids("/api/v1/organizations", who[w]);
		CHECKF(has_id(ids, "/organizations/bureau-du-conseil") == (w == 2), "lecteur %d, bureau", w);
		json_decref(ids);
		const char *lists[] = {"/api/v1/partners", "/api/v1/papers", "/api/v1/consultations",
				       "/api/v1/communes"};
		for (size_t l = 0; l < 4; l++) {
			struct call c;
			char header[80];
			struct browser b = {0};
			snprintf(header, sizeof(header), "Bearer %s", who[w] ? who[w] : "");
			b.authorization = who[w] ? header : NULL;
			CHECKF(call(&c, &b, "GET", lists[l], NULL) == 200, "%s", lists[l]);
			const char *s = buf_str(&c.resp.body);
			CHECKF(!strstr(s, "password") && !strstr(s, "@pages.test") && !strstr(s, "token_hash"),
			       "%s", lists[l]);
			call_free(&c);
		}
	}
	/* a partner's token reads an internal meeting as nothing */
	char target[64];
	json_t *j;
	snprintf(target, sizeof(target), "/api/v1/meetings/%lld", in);
	CHECK_INT(api_get(target, ptoken, &j), 404);
	CHECK(json_is_object(json_object_get(j, "error")));
	json_decref(j);
	CHECK_INT(api_get(target, ctoken, &j), 200);
	CHECK_STR(json_string_value(json_object_get(j, "visibility")), "internal");
	json_decref(j);
	/* modified_since keeps what changed */
	CHECK(db_exec("UPDATE meeting SET modified = '2099-01-01T00:00:00Z' WHERE id = ?", "i", mem) == 1);
	CHECK_INT(api_get("/api/v1/meetings?modified_since=2098-12-31", ptoken, &j), 200);
	CHECK_INT(json_array_size(json_object_get(j, "data")), 1);
	CHECK(json_object_get(json_object_get(j, "links"), "next") == NULL);
	json_decref(j);
	CHECK_INT(api_get("/api/v1/meetings?modified_since=2098-12-31T00:00:00Z", NULL, &j), 200);
	CHECK_INT(json_array_size(json_object_get(j, "data")), 0);
	json_decref(j);
	/* a soft-deleted meeting stays, as deleted, without its content */
	CHECK(db_exec("UPDATE meeting SET deleted = 1 WHERE id = ?", "i", mem) == 1);
	snprintf(target, sizeof(target), "/api/v1/meetings/%lld", mem);
	CHECK_INT(api_get(target, ptoken, &j), 200);
	CHECK(json_is_true(json_object_get(j, "deleted")) && !json_object_get(j, "minutes"));
	json_decref(j);
	CHECK(db_exec("UPDATE meeting SET deleted = 0 WHERE id = ?", "i", mem) == 1);
	/* a revoked token is refused */
	CHECK(auth_token_revoke(partner, "api") == 0);
	CHECK_INT(api_get("/api/v1", ptoken, &j), 401);
	json_decref(j);
	buf_free(&err);
}

/* Bad tokens and parameters get a JSON error, never a page or a crash. */
static void bad_requests(void)
{
	const char *tokens[] = {"", "court", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
				"' OR 1=1 --", "\xff\xfe"};
	for (size_t i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++) {
		json_t *j;
		CHECKF(api_get("/api/v1/meetings", tokens[i], &j) == 401, "jeton %zu", i);
		CHECK(json_integer_value(json_object_get(json_object_get(j, "error"), "status")) == 401);
		json_decref(j);
	}
	const char *targets[][2] = {
		{"/api/v1/meetings?page=0", "400"}, {"/api/v1/meetings?page=abc", "400"},
		{"/api/v1/meetings?page=99999999", "400"}, {"/api/v1/papers?modified_since=2020-13-01", "400"},
		{"/api/v1/papers?modified_since=%27%3B", "400"}, {"/api/v1/papers/letter-999999", "404"},
		{"/api/v1/papers/%3Cscript%3E", "404"}, {"/api/v1/communes/12345", "404"},
		{"/api/v1/inconnu", "404"}, {"/api/v1/meetings?page=40", "200"}};
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		json_t *j;
		int st = api_get(targets[i][0], NULL, &j);
		CHECKF(st == atoi(targets[i][1]), "%s : %d", targets[i][0], st);
		CHECKF(j != NULL, "%s : pas du JSON", targets[i][0]);
		json_decref(j);
	}
	struct call c;
	CHECK_INT(call(&c, NULL, "POST", "/api/v1/meetings", "a=b"), 405);
	CHECK(strstr(buf_str(&c.resp.body), "\"status\":405") != NULL);
	call_free(&c);
}

/* Runs the API tests (the first ones: the documented examples need the
 * demonstration network as imported). */
void pages_api(void)
{
	harness_fresh();
	RUN(documented_examples);
	RUN(lists_by_reader);
	RUN(bad_requests);
}
