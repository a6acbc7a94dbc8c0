/* page_file.c — documents on the web: attaching files to a record,
 * serving them (ranges, ETag, the sandbox), their page with their
 * versions, renaming, replacing, deleting and restoring them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "db.h"
#include "file.h"
#include "page.h"
#include "text.h"

/* The page of a record files attach to, one query a kind (NULL when the
 * record does not exist or is deleted). */
static const char *record_page(struct req *req, const char *kind, long long id)
{
	json_t *r = NULL;
	if (strcmp(kind, "meeting") == 0)
		r = db_row("SELECT '/meetings/' || id AS url FROM meeting WHERE id = ? AND deleted = 0",
			   "i", id);
	else if (strcmp(kind, "letter") == 0)
		r = db_row("SELECT '/letters/' || id AS url FROM letter WHERE id = ? AND deleted = 0",
			   "i", id);
	else if (strcmp(kind, "motion") == 0)
		r = db_row("SELECT '/motions/' || slug AS url FROM motion WHERE id = ? AND deleted = 0",
			   "i", id);
	else if (strcmp(kind, "body") == 0)
		r = db_row("SELECT '/bodies/' || slug AS url FROM body WHERE id = ?", "i", id);
	else if (strcmp(kind, "event") == 0) /* a step of a motion in a commune */
		r = db_row("SELECT '/motions/' || mo.slug || '/communes/' || mc.commune_nis || "
			   "'#etape-' || e.id AS url FROM event e JOIN motion_commune mc ON mc.id = "
			   "e.motion_commune_id JOIN motion mo ON mo.id = mc.motion_id AND mo.deleted "
			   "= 0 WHERE e.id = ?", "i", id);
	const char *url = db_str(r, "url") ? arena_strdup(&req->arena, db_str(r, "url")) : NULL;
	json_decref(r);
	return url;
}

/* Returns file id with what serving it needs (its record's visibility
 * among them) when req's reader may open it, else NULL. */
static json_t *readable(struct req *req, long long id)
{
	json_t *f = db_row("SELECT f.id, f.name, f.mime, f.deleted, f.blob_id, f.created, "
			   "f.replaced_by, f.text_state, f.text_reason, f.scan_state, f.scan_signature, "
			   "f.scan_state = 'pending' AS scanning, f.scan_state = 'infected' AS "
			   "quarantined, b.size, b.sha256, s.kind, "
			   "s.record_id, s.visibility, s.body_id, s.record_deleted, s.url AS "
			   "record_url, s.title AS record_title, (SELECT pages FROM file_text WHERE "
			   "file_id = f.id) AS pages FROM file f JOIN blob b ON b.id = f.blob_id JOIN "
			   "file_scope s ON s.file_id = f.id WHERE f.id = ?", "i", id);
	bool staff = req->user.role >= ROLE_COORDINATOR;
	if (f && ((!staff && (db_num(f, "deleted") || db_num(f, "record_deleted"))) ||
		  (db_num(f, "quarantined") && req->user.role < ROLE_ADMIN) ||
		  !auth_may_see(&req->user, db_str(f, "visibility"), db_num(f, "body_id")))) {
		json_decref(f);
		return NULL; /* what one may not see does not exist */
	}
	return f;
}

/* Reads a stored file for the server (struct resp_stream). */
static long stream_read(void *ctx, unsigned long long pos, char *out, size_t max)
{
	return file_read(ctx, pos, out, max);
}

/* Frees a stored file's reader. */
static void stream_free(void *ctx)
{
	struct file_reader *r = ctx;
	buf_free(&r->part);
	free(r);
}

/* Parses a single range "bytes=A-B", "bytes=A-" or "bytes=-N" of a body
 * of size bytes into [*from, *to]; 1 when it applies, 0 when the whole
 * body is to be sent (no range, several, or malformed), -1 when it cannot
 * be satisfied. */
static int parse_range(const char *h, unsigned long long size, unsigned long long *from,
		       unsigned long long *to)
{
	if (!h || strncmp(h, "bytes=", 6) != 0 || strchr(h, ','))
		return 0;
	const char *p = h + 6, *dash = strchr(p, '-');
	if (!dash || (p == dash && !dash[1]))
		return 0;
	char *end;
	if (p == dash) { /* the last N bytes */
		unsigned long long n = strtoull(dash + 1, &end, 10);
		if (*end || n == 0)
			return *end ? 0 : -1;
		*from = n >= size ? 0 : size - n;
		*to = size - 1;
		return 1;
	}
	*from = strtoull(p, &end, 10);
	if (end != dash)
		return 0;
	*to = dash[1] ? strtoull(dash + 1, &end, 10) : size - 1;
	if (dash[1] && (*end || *to < *from))
		return 0;
	if (*from >= size)
		return -1;
	if (*to >= size)
		*to = size - 1;
	return 1;
}

/* Appends an RFC 6266 Content-Disposition for name: a plain ASCII name
 * (the file's address) and the real one, percent-encoded UTF-8. */
static void disposition(struct buf *out, bool in_browser, const char *ascii, const char *name)
{
	buf_printf(out, "%s; filename=\"%s\"; filename*=UTF-8''", in_browser ? "inline" : "attachment",
		   ascii);
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("!#$&+-.^_`|~", *p))
			buf_putc(out, (char)*p);
		else
			buf_printf(out, "%%%02X", *p);
	}
}

/* Sets the headers every file response carries. */
static void file_headers(struct req *req, struct resp *resp, const json_t *f, const char *etag)
{
	const char *name = db_str(f, "name"), *dot = strrchr(name, '.');
	const struct file_type *t = dot ? file_type_of(dot + 1) : NULL;
	struct buf b = {0};
	file_url(&b, db_num(f, "id"), name);
	const char *ascii = strrchr(buf_str(&b), '/') + 1;
	struct buf d = {0}; /* ?download=1 (the API's downloadUrl) always downloads */
	disposition(&d, t && t->in_browser && !req_query(req, "download"), ascii, name);
	resp_header(resp, "Content-Disposition", arena_strdup(&req->arena, buf_str(&d)));
	resp_header(resp, "Content-Security-Policy", "sandbox; default-src 'none'");
	resp_header(resp, "ETag", etag);
	resp_header(resp, "Accept-Ranges", "bytes");
	buf_free(&b);
	buf_free(&d);
}

/* GET /files/:id/:name — the bytes of a file the reader may open: the
 * whole, or one range (206, 416), or 304 when the ETag still holds. */
int page_file_get(struct req *req, struct resp *resp)
{
	json_t *f = readable(req, atoll(req_param(req, "id")));
	if (!f)
		return 404;
	if (db_num(f, "scanning") || db_num(f, "quarantined")) { /* never served before clamd says */
		bool held = db_num(f, "scanning");
		const char *why = held ? "Ce document est en cours d'analyse antivirus : il sera "
					 "disponible dans un instant. Réessayez."
				       : arena_printf(&req->arena, "Ce document est en quarantaine : "
						      "l'antivirus y a trouvé « %s ». Il n'est jamais "
						      "servi.", db_str(f, "scan_signature"));
		json_decref(f);
		if (held)
			resp_header(resp, "Retry-After", "10");
		return page_error(req, resp, held ? 503 : 403, why);
	}
	unsigned long long size = (unsigned long long)db_num(f, "size"), from = 0, to = size - 1;
	const char *etag = arena_printf(&req->arena, "\"%s\"", db_str(f, "sha256"));
	file_headers(req, resp, f, etag);
	resp->content_type = arena_strdup(&req->arena, db_str(f, "mime"));
	long long blob = db_num(f, "blob_id");
	json_decref(f);
	if (req->if_none_match && strstr(req->if_none_match, etag))
		return 304;
	bool fresh = !req->if_range || strcmp(req->if_range, etag) == 0;
	int range = fresh ? parse_range(req->range, size, &from, &to) : 0;
	if (range < 0) {
		resp_header(resp, "Content-Range", arena_printf(&req->arena, "bytes */%llu", size));
		return 416;
	}
	if (range > 0)
		resp_header(resp, "Content-Range",
			    arena_printf(&req->arena, "bytes %llu-%llu/%llu", from, to, size));
	struct file_reader *r = calloc(1, sizeof(*r));
	if (!r)
		abort();
	*r = (struct file_reader){.blob = blob, .start = from, .seq = -1};
	resp->stream = (struct resp_stream){to - from + 1, stream_read, stream_free, r};
	return range > 0 ? 206 : 200;
}

/* Checks and stores the files of field of req for record id of kind
 * (replacing file `replaces` when not 0); adds the ones kept to added and
 * a French reason for each refused one to refused. */
static void store_files(struct req *req, const char *field, const char *kind, long long id,
			long long replaces, json_t *added, json_t *refused)
{
	for (size_t i = 0; i < req->nfiles; i++) {
		struct upload *u = &req->files[i];
		if (strcmp(u->field, field) != 0 || !u->name[0])
			continue;
		struct buf name = {0}, why = {0};
		long long fid = file_add(u, kind, id, req->user.id, replaces, &name, &why);
		if (fid == 0)
			json_array_append_new(refused, json_string(buf_str(&why)));
		else if (fid < 0)
			json_array_append_new(refused, json_string(arena_printf(
				&req->arena, "« %s » n'a pas pu être enregistré : réessayez.",
				buf_str(&name))));
		else
			json_array_append_new(added, json_pack("{s:I, s:s}", "id", (json_int_t)fid,
							       "name", buf_str(&name)));
		if (fid > 0)
			file_worker_wake(); /* its text is read at once */
		buf_free(&name);
		buf_free(&why);
	}
}

/* Answers an attachment: JSON for the page's script (reply=json), the
 * record's page when all went well, else a page of what was refused. */
static int attach_reply(struct req *req, struct resp *resp, const char *back, json_t *added,
			json_t *refused)
{
	int status = json_array_size(refused) ? 422 : 200;
	const char *reply = req_form(req, "reply");
	if (reply && strcmp(reply, "json") == 0) /* the form was read: its outcome is the answer */
		return page_json(resp, 200, json_pack("{s:o, s:o, s:s}", "added", added, "refused",
						      refused, "back", back));
	if (status == 200) {
		json_decref(added);
		json_decref(refused);
		return resp_redirect(req, resp, 303, strchr(back, '#') ? back
				     : arena_printf(&req->arena, "%s#documents", back));
	}
	json_t *d = page_data(req, "Documents refusés");
	json_object_set_new(d, "added_any", json_boolean(json_array_size(added)));
	json_object_set_new(d, "added", added);
	json_object_set_new(d, "refused", refused);
	json_object_set_new(d, "back", json_string(back));
	return page_render(req, resp, 422, "file_result", d);
}

/* Attaches the files chosen in req's form field "files" to record id of
 * kind and answers (see attach_reply); without any, a form where they are
 * optional goes back to back, the others say to choose one. */
int page_files_attach(struct req *req, struct resp *resp, const char *kind, long long id,
		      const char *back, bool optional)
{
	json_t *added = json_array(), *refused = json_array();
	store_files(req, "files", kind, id, 0, added, refused);
	if (!json_array_size(added) && !json_array_size(refused)) {
		if (optional) {
			json_decref(added);
			json_decref(refused);
			return resp_redirect(req, resp, 303, back);
		}
		json_array_append_new(refused, json_string("Choisissez au moins un fichier à joindre."));
	}
	return attach_reply(req, resp, back, added, refused);
}

/* POST /files (kind, id, files…, reply, _csrf) — attaches files to a
 * record. */
int page_file_attach(struct req *req, struct resp *resp)
{
	const char *kind = req_form(req, "kind");
	long long id = req_form_id(req, "id");
	if (!file_kind_ok(kind) || !id)
		return 400; /* not a form of Maillage's */
	const char *back = record_page(req, kind, id);
	if (!back)
		return 404;
	return page_files_attach(req, resp, kind, id, back, false);
}

/* Returns the versions of file id, the newest first (it and those it
 * replaced), for its page. */
static json_t *versions(long long id)
{
	json_t *rows = db_rows("WITH RECURSIVE v(id, n) AS (SELECT ?, 0 UNION ALL SELECT f.id, "
			       "v.n + 1 FROM file f JOIN v ON f.replaced_by = v.id) SELECT f.id, "
			       "f.name, f.created, b.size, u.name AS by FROM v JOIN file f ON f.id = "
			       "v.id JOIN blob b ON b.id = f.blob_id LEFT JOIN user u ON u.id = "
			       "f.user_id ORDER BY v.n", "i", id);
	return rows ? rows : json_array();
}

/* Returns what the file's page says of its text (read for the search, or
 * why not). */
static const char *text_label(struct req *req, const json_t *f)
{
	const char *state = db_str(f, "text_state"), *why = db_str(f, "text_reason");
	long long pages = db_num(f, "pages");
	if (strcmp(state, "pending") == 0)
		return "en cours de lecture pour la recherche";
	if (strcmp(state, "none") == 0)
		return arena_printf(&req->arena, "pas de texte à chercher%s%s", why ? " : " : "",
				    why ? why : "");
	if (strcmp(state, "failed") == 0)
		return arena_printf(&req->arena, "texte non extrait : %s", why ? why : "raison inconnue");
	struct buf b = {0};
	buf_puts(&b, "lu, la recherche le trouve");
	if (pages > 1 || (pages == 1 && strstr(db_str(f, "mime"), "pdf")))
		buf_printf(&b, " (%lld page%s)", pages, pages > 1 ? "s" : "");
	if (why)
		buf_printf(&b, " ; %s", why);
	const char *s = arena_strdup(&req->arena, buf_str(&b));
	buf_free(&b);
	return s;
}

/* GET /files/:id — a file's page: what it is, its versions, and for the
 * coordination the forms that rename, replace and delete it. */
int page_file(struct req *req, struct resp *resp)
{
	long long id = atoll(req_param(req, "id"));
	json_t *f = readable(req, id);
	if (!f)
		return 404;
	json_t *list = json_pack("[O]", f);
	file_decorate(list);
	json_decref(list);
	json_t *v = versions(id);
	file_decorate(v);
	json_object_set_new(f, "text_label", json_string(text_label(req, f)));
	json_t *d = page_data(req, db_str(f, "name"));
	json_object_set_new(d, "versions", v);
	json_object_set_new(d, "file", f);
	return page_render(req, resp, 200, "file", d);
}

/* Returns the current, non-deleted file of the request's :id with its
 * record's page, for the coordination's changes; NULL when there is none. */
static json_t *changeable(struct req *req, bool deleted)
{
	return db_row("SELECT f.id, f.name, f.blob_id, s.kind, s.record_id, s.url AS record_url "
		      "FROM file f JOIN file_scope s ON s.file_id = f.id WHERE f.id = ? AND "
		      "f.replaced_by IS NULL AND f.deleted = ? AND s.record_deleted = 0", "ii",
		      atoll(req_param(req, "id")), (long long)deleted);
}

/* POST /files/:id/rename (name, _csrf) — renames a file (its extension
 * kept), audited. */
int page_file_rename(struct req *req, struct resp *resp)
{
	json_t *f = changeable(req, false);
	if (!f)
		return 404;
	const char *old = db_str(f, "name"), *dot = strrchr(old, '.');
	const char *typed = req_form(req, "name");
	struct buf name = {0};
	file_clean_name(typed ? typed : "", &name);
	const char *ndot = strrchr(buf_str(&name), '.');
	if (dot && (!ndot || strcasecmp(ndot, dot) != 0))
		buf_puts(&name, dot); /* the type stays what it is */
	long long id = db_num(f, "id");
	int status = 303;
	if (db_begin() < 0)
		status = 503;
	else if (db_exec("UPDATE file SET name = ?, modified = " DB_NOW " WHERE id = ?", "ti",
			 buf_str(&name), id) != 1 ||
		 db_audit(req->user.id, "rename", "file", id, old, buf_str(&name)) < 0 ||
		 db_commit() < 0) {
		db_rollback();
		status = 500;
	}
	buf_free(&name);
	json_decref(f);
	return status == 303 ? resp_redirect(req, resp, 303,
					     arena_printf(&req->arena, "/files/%lld", id)) : status;
}

/* POST /files/:id/replace (file, _csrf) — a new version of a file; the
 * old one stays in its history. */
int page_file_replace(struct req *req, struct resp *resp)
{
	json_t *f = changeable(req, false);
	if (!f)
		return 404;
	json_t *added = json_array(), *refused = json_array();
	store_files(req, "file", db_str(f, "kind"), db_num(f, "record_id"), db_num(f, "id"), added,
		    refused);
	if (json_array_size(added) > 1 || !req_file(req, "file"))
		json_array_append_new(refused, json_string("Choisissez un fichier, un seul, pour "
							   "remplacer celui-ci."));
	const char *back = json_array_size(added) == 1
		? arena_printf(&req->arena, "/files/%lld", db_num(json_array_get(added, 0), "id"))
		: arena_strdup(&req->arena, db_str(f, "record_url"));
	json_decref(f);
	return attach_reply(req, resp, back, added, refused);
}

/* Deletes (or restores) the request's file, audited; back to its record. */
static int set_deleted(struct req *req, struct resp *resp, bool deleted)
{
	json_t *f = changeable(req, !deleted);
	if (!f)
		return 404;
	long long id = db_num(f, "id");
	const char *back = arena_printf(&req->arena, "%s#documents", db_str(f, "record_url"));
	json_decref(f);
	if (db_begin() < 0)
		return 503;
	if (db_exec("UPDATE file SET deleted = ?, modified = " DB_NOW " WHERE id = ?", "ii",
		    (long long)deleted, id) != 1 ||
	    db_audit(req->user.id, deleted ? "delete" : "undelete", "file", id, NULL, NULL) < 0 ||
	    db_commit() < 0) {
		db_rollback();
		return 500;
	}
	return resp_redirect(req, resp, 303, back);
}

/* POST /files/:id/delete (_csrf) — takes a file off its record (reversible). */
int page_file_delete(struct req *req, struct resp *resp)
{
	return set_deleted(req, resp, true);
}

/* POST /files/:id/undelete (_csrf) — puts a deleted file back. */
int page_file_undelete(struct req *req, struct resp *resp)
{
	return set_deleted(req, resp, false);
}

/* Adds to d the files of record id of kind ("files"), the deleted ones
 * too for the coordination, and what the upload form needs. */
void page_files(struct req *req, json_t *d, const char *kind, long long id)
{
	bool staff = req->user.role >= ROLE_COORDINATOR;
	json_object_set_new(d, "files", file_rows(kind, id, (staff ? FILE_WITH_DELETED : 0) |
					  (req->user.role >= ROLE_ADMIN ? FILE_WITH_QUARANTINED : 0)));
	json_object_set_new(d, "files_for", json_pack("{s:s, s:I, s:I}", "kind", kind, "id",
						      (json_int_t)id, "max_mb",
						      (json_int_t)(upload_max() >> 20)));
}
