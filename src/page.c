/* page.c — what every page shares: the layout's data, the rendering of a
 * page (through the view's templates) and the French error pages. */
#include "page.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "asset.h"
#include "auth.h"
#include "cache.h"
#include "db.h"
#include "html.h"
#include "log.h"
#include "text.h"
#include "view.h"

struct page_config page_cfg = {.site_name = "Maillage"};

/* The navigation (each entry's page answers: tested in tests/pages), by
 * the interface's words (vocab_ui_terms). */
static const struct {
	const char *href, *term;
} nav[] = {
	{"/bodies", "bodies"},
	{"/meetings", "meetings"},
	{"/actions", "actions"},
	{"/interpellations", "interpellations"},
	{"/communes", "communes"},
};

/* Returns the interface's word for key. */
const char *page_term(const char *key)
{
	const char *t = vocab_label(&vocab_ui_terms, key);
	return t ? t : key;
}

/* Loads the templates of dir (read again as they change when dev); 0 or
 * -1 with a French message in err. */
int page_init(const char *dir, bool dev, struct buf *err)
{
	if (view_init(dir, dev, err) < 0)
		return -1;
	page_cfg.dev = dev;
	cache_enable(!dev);
	return 0;
}

/* Frees the templates. */
void page_shutdown(void)
{
	view_free();
}

/* Returns the data every page's layout needs (new reference). */
json_t *page_data(struct req *req, const char *title)
{
	json_t *d = json_object();
	json_object_set_new(d, "site_name", json_string(page_cfg.site_name));
	if (title)
		json_object_set_new(d, "title", json_string(title));
	json_object_set_new(d, "csrf", json_string(req->csrf ? req->csrf : ""));
	json_object_set_new(d, "asset_version", json_string(asset_version()));
	json_object_set_new(d, "path", json_string(req->path));
	json_t *terms = json_object();
	for (size_t i = 0; i < vocab_ui_terms.n; i++)
		json_object_set_new(terms, vocab_ui_terms.items[i].value,
				    json_string(vocab_ui_terms.items[i].label));
	json_object_set_new(d, "t", terms);
	if (req->user.id) {
		json_t *u = json_pack("{s:s?, s:s?, s:s, s:s?, s:b, s:b}", "name", req->user.name,
				      "email", req->user.email, "role_label",
				      auth_role_label(req->user.role), "org_name", req->user.org_name,
				      "is_admin", req->user.role >= ROLE_ADMIN, "is_coordinator",
				      req->user.role >= ROLE_COORDINATOR);
		json_object_set_new(d, "user", u);
	}
	json_t *items = json_array();
	for (size_t i = 0; i < sizeof(nav) / sizeof(nav[0]); i++) {
		bool current = strncmp(req->path, nav[i].href, strlen(nav[i].href)) == 0;
		json_array_append_new(items, json_pack("{s:s, s:s, s:b}", "href", nav[i].href,
						       "label", page_term(nav[i].term), "current",
						       current));
	}
	json_object_set_new(d, "has_nav", json_boolean(json_array_size(items) > 0));
	json_object_set_new(d, "nav", items);
	return d;
}

/* Fills resp with template tmpl rendered over data (consumed); returns status. */
int page_render(struct req *req, struct resp *resp, int status, const char *tmpl,
		json_t *data)
{
	(void)req;
	buf_reset(&resp->body);
	int rc = view_fill(tmpl, data, &resp->body);
	json_decref(data);
	if (rc < 0) {
		log_error("gabarit manquant : %s", tmpl);
		buf_reset(&resp->body);
		buf_puts(&resp->body, "<!doctype html><title>Erreur</title><p>Erreur interne : "
			 "gabarit manquant.</p>");
		status = 500;
	}
	resp->content_type = "text/html; charset=utf-8";
	resp->status = status;
	return status;
}

/* Returns the French title of an error status. */
static const char *error_title(int status)
{
	switch (status) {
	case 400: return "Requête invalide";
	case 403: return "Accès refusé";
	case 404: return "Page introuvable";
	case 405: return "Méthode non autorisée";
	case 413: return "Envoi trop volumineux";
	case 414: return "Adresse trop longue";
	case 429: return "Trop de tentatives";
	case 503: return "Service momentanément indisponible";
	case 507: return "Disque plein";
	default: return status >= 500 ? "Erreur interne" : "Requête refusée";
	}
}

/* Returns the default French explanation of an error status. */
static const char *error_message(int status)
{
	switch (status) {
	case 400: return "La requête contient des caractères ou des champs invalides.";
	case 403: return "Votre compte n'a pas accès à cette page.";
	case 404: return "Cette adresse ne correspond à aucune page. Vérifiez le lien ou "
			 "revenez à l'accueil.";
	case 405: return "Cette adresse existe, mais pas pour ce type de requête.";
	case 413: return "Les données envoyées dépassent la taille autorisée.";
	case 414: return "L'adresse demandée est trop longue.";
	case 429: return "Trop de tentatives en peu de temps. Réessayez dans quelques minutes.";
	case 507: return "Le disque du serveur est plein : rien n'a été enregistré. Revenez à la "
			 "page précédente, où votre texte est encore, et prévenez l'administrateur "
			 "de Maillage.";
	default: return "Une erreur est survenue de notre côté. Elle a été consignée ; "
			"réessayez dans un instant.";
	}
}

/* Fills resp with the French error page for status; returns status. */
int page_error(struct req *req, struct resp *resp, int status, const char *message)
{
	if (req->path && strncmp(req->path, "/api/", 5) == 0) /* programs get JSON */
		return page_json(resp, status, json_pack("{s:{s:i, s:s}}", "error", "status", status,
							 "message", message ? message
									    : error_message(status)));
	if (status == 413 && !message && req->content_type &&
	    strncasecmp(req->content_type, "multipart/form-data", 19) == 0)
		message = arena_printf(&req->arena, "Un fichier ne peut dépasser %llu Mo, et un envoi "
				       "compte %d fichiers au plus : rien n'a été enregistré.",
				       upload_max() >> 20, UPLOAD_MAX_FILES);
	json_t *d = page_data(req, error_title(status));
	json_object_set_new(d, "status", json_integer(status));
	json_object_set_new(d, "message", json_string(message ? message : error_message(status)));
	return page_render(req, resp, status, "error", d);
}

/* Returns {value, label, selected} rows for a select. */
json_t *page_choices(const struct vocab *v, const char *value)
{
	json_t *a = json_array();
	for (size_t i = 0; i < v->n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "value", v->items[i].value,
						   "label", v->items[i].label, "selected",
						   value && strcmp(value, v->items[i].value) == 0));
	return a;
}

/* Marks as selected the row whose value is current; returns rows. */
json_t *page_mark_selected(json_t *rows, const char *current)
{
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		const char *v = json_string_value(json_object_get(r, "value"));
		json_object_set_new(r, "selected", json_boolean(current && v && strcmp(v, current) == 0));
	}
	return rows ? rows : json_array();
}

/* Appends the request's chosen query parameters as "k=v&k=v". */
void page_query_string(struct req *req, const char *const *keys, size_t n, const char *skip,
		       struct buf *out)
{
	for (size_t k = 0; k < n; k++) {
		const char *v = req_query(req, keys[k]);
		if (!v || !*v || (skip && strcmp(skip, keys[k]) == 0))
			continue;
		buf_printf(out, "%s%s=", out->len ? "&" : "", keys[k]);
		html_url_encode(out, v, strlen(v));
	}
}

/* Adds to d the "bodies" and "territories" choices of a filter form (the
 * bodies the reader may see), the request's ones selected. */
void page_place_choices(struct req *req, json_t *d)
{
	json_object_set_new(d, "bodies", page_mark_selected(db_rows(
		"SELECT slug AS value, name AS label FROM body WHERE visibility <> 'internal' OR ? "
		"ORDER BY name COLLATE NOCASE", "i", (long long)(req->user.role >= ROLE_BOARD)),
		req_query(req, "body")));
	json_object_set_new(d, "territories", page_mark_selected(db_rows(
		"SELECT slug AS value, name AS label FROM territory ORDER BY name", NULL),
		req_query(req, "territory")));
}

/* Returns the ?page= number of the request, from 1 to 100000. */
long page_number(struct req *req)
{
	const char *p = req_query(req, "page");
	long page = p && text_is_digits(p) ? atol(p) : 1;
	return page < 1 ? 1 : page > 100000 ? 100000 : page;
}

/* Takes off rows the one past a page's worth (lists read per_page + 1 rows
 * to know whether another page follows); tells whether there was one. */
bool page_trim(json_t *rows, size_t per_page)
{
	bool more = json_array_size(rows) > per_page;
	if (more)
		json_array_remove(rows, per_page);
	return more;
}

/* Adds the previous and next page numbers to d (next only when more). */
void page_pager(json_t *d, long page, bool more)
{
	if (more)
		json_object_set_new(d, "next_page", json_integer(page + 1));
	if (page > 1)
		json_object_set_new(d, "prev_page", json_integer(page - 1));
}

/* Sets a JSON body (data consumed); returns status. */
int page_json(struct resp *resp, int status, json_t *data)
{
	buf_reset(&resp->body);
	char *s = json_dumps(data, JSON_COMPACT);
	buf_puts(&resp->body, s);
	buf_putc(&resp->body, '\n');
	free(s);
	json_decref(data);
	resp->content_type = "application/json; charset=utf-8";
	resp->status = status;
	return status;
}

/* Returns next when a browser would keep it on this site, else "/": one
 * '/' then anything but '/' or '\\' (browsers read '\\' as '/'), and no
 * control character anywhere (browsers drop tabs and line ends, so
 * "/\t/x" would become "//x", another site). */
const char *page_safe_next(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\')
		return "/";
	for (const unsigned char *p = (const unsigned char *)next; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "/";
	return next;
}

/* Adds to each row the French label (dst) of its vocabulary value (src). */
void page_labels(json_t *rows, const char *src, const struct vocab *v, const char *dst)
{
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		const char *label = vocab_label(v, json_string_value(json_object_get(r, src)));
		if (label)
			json_object_set_new(r, dst, json_string(label));
	}
}

/* Adds a form's problems ([{field, message}], consumed, may be NULL) to its
 * data: error_FIELD (the message beside its field) and the summary's
 * "problems" and "problem_count", each linking to the field's input (its
 * id is the field's name, or the one targets gives: {field, id} pairs
 * ending with NULL). */
void page_form_problems(json_t *d, json_t *problems, const char *const targets[][2])
{
	size_t i;
	json_t *p;
	json_array_foreach(problems, i, p) {
		const char *field = db_str(p, "field"), *target = field;
		for (size_t k = 0; targets && targets[k][0]; k++)
			if (strcmp(targets[k][0], field) == 0)
				target = targets[k][1];
		json_object_set_new(p, "target", json_string(target));
		char key[64];
		snprintf(key, sizeof(key), "error_%s", field);
		if (!json_object_get(d, key))
			json_object_set_new(d, key, json_string(db_str(p, "message")));
	}
	if (json_array_size(problems)) {
		struct buf count = {0};
		text_count(&count, (long long)json_array_size(problems), "erreur", "erreurs");
		json_object_set_new(d, "problem_count", json_string(buf_str(&count)));
		buf_free(&count);
		json_object_set_new(d, "problems", problems);
	} else {
		json_decref(problems);
	}
}
