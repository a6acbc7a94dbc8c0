/* file.c — documents: types, names, storage once per hash, reading back. */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <magic.h>
#include <pthread.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "convert.h"
#include "db.h"
#include "extract.h"
#include "log.h"
#include "text.h"
#include "view.h"

#define OLE "application/x-ole-storage application/CDFV2"
#define ODF "application/vnd.oasis.opendocument."
#define OOXML "application/vnd.openxmlformats-officedocument."

/* Every type accepted; the first of a MIME type is the one its name gets
 * when it comes without an extension. */
static const struct file_type types[] = {
	{"pdf", "application/pdf", "PDF", "application/pdf", true, true},
	{"odt", ODF "text", "Texte LibreOffice", ODF "text", false, true},
	{"ods", ODF "spreadsheet", "Classeur LibreOffice", ODF "spreadsheet", false, true},
	{"odp", ODF "presentation", "Présentation LibreOffice", ODF "presentation", false, true},
	{"docx", OOXML "wordprocessingml.document", "Document Word",
	 OOXML "wordprocessingml.document", false, true},
	{"xlsx", OOXML "spreadsheetml.sheet", "Classeur Excel", OOXML "spreadsheetml.sheet", false, true},
	{"pptx", OOXML "presentationml.presentation", "Présentation PowerPoint",
	 OOXML "presentationml.presentation", false, true},
	{"doc", "application/msword", "Document Word 97-2003", "application/msword " OLE, false, false},
	{"xls", "application/vnd.ms-excel", "Classeur Excel 97-2003",
	 "application/vnd.ms-excel " OLE, false, false},
	{"ppt", "application/vnd.ms-powerpoint", "Présentation PowerPoint 97-2003",
	 "application/vnd.ms-powerpoint " OLE, false, false},
	{"rtf", "application/rtf", "Texte RTF", "text/rtf application/rtf", false, true},
	{"txt", "text/plain", "Texte", "text/plain", false, true},
	{"csv", "text/csv", "Tableau CSV", "text/csv text/plain", false, true},
	{"md", "text/markdown", "Texte Markdown", "text/markdown text/plain", false, true},
	{"png", "image/png", "Image PNG", "image/png", true, false},
	{"jpg", "image/jpeg", "Image JPEG", "image/jpeg", true, false},
	{"jpeg", "image/jpeg", "Image JPEG", "image/jpeg", true, false},
	{"webp", "image/webp", "Image WebP", "image/webp", true, false},
	{"gif", "image/gif", "Image GIF", "image/gif", true, false},
};
#define NTYPES (sizeof(types) / sizeof(types[0]))

/* What the refusals call the types found most often that are not accepted. */
static const char *const foreign[][2] = {
	{"text/html", "page web (HTML)"},
	{"image/svg+xml", "image SVG"},
	{"application/x-executable", "programme exécutable"},
	{"application/x-pie-executable", "programme exécutable"},
	{"application/x-sharedlib", "programme exécutable"},
	{"application/x-dosexec", "programme exécutable"},
	{"application/x-mach-binary", "programme exécutable"},
	{"application/zip", "archive compressée"},
	{"application/x-tar", "archive compressée"},
	{"application/gzip", "archive compressée"},
	{"application/x-7z-compressed", "archive compressée"},
	{"application/x-rar", "archive compressée"},
	{"application/x-bzip2", "archive compressée"},
	{"application/x-xz", "archive compressée"},
	{"text/x-shellscript", "script"},
	{"text/x-python", "script"},
	{"text/x-script.python", "script"},
	{"application/javascript", "script"},
	{"text/javascript", "script"},
	{"text/x-php", "script"},
	{"text/x-perl", "script"},
	{"text/xml", "document XML"},
	{"application/xml", "document XML"},
	{"application/octet-stream", "données binaires non reconnues"},
};

/* What the list of accepted types says, in a refusal. */
#define ACCEPTED "Types acceptés : PDF ; documents, classeurs et présentations Word, Excel, " \
	"PowerPoint ou LibreOffice ; RTF, texte, CSV, Markdown ; images PNG, JPEG, WebP, GIF."

static pthread_key_t magic_key;
static pthread_once_t magic_once = PTHREAD_ONCE_INIT;

/* Closes a thread's libmagic handle as the thread ends. */
static void magic_free(void *p)
{
	magic_close(p);
}

/* Creates the key of the threads' libmagic handles. */
static void magic_key_make(void)
{
	pthread_key_create(&magic_key, magic_free);
}

/* Returns this thread's libmagic handle (MIME type and charset), or NULL. */
static magic_t magic_get(void)
{
	pthread_once(&magic_once, magic_key_make);
	magic_t m = pthread_getspecific(magic_key);
	if (m)
		return m;
	m = magic_open(MAGIC_MIME_TYPE | MAGIC_MIME_ENCODING | MAGIC_ERROR);
	if (m && magic_load(m, NULL) < 0) {
		log_error("libmagic : %s", magic_error(m));
		magic_close(m);
		return NULL;
	}
	if (m)
		pthread_setspecific(magic_key, m);
	return m;
}

/* Tells whether code point cp may stay in a name: no control character,
 * no mark that turns the text's direction, no invisible one. */
static bool name_char_ok(unsigned cp)
{
	if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xFFFD || cp == 0xFEFF)
		return false;
	if (cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x200B && cp <= 0x200D))
		return false;
	return !((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069));
}

/* Returns the extension of name (after its last dot), or "". */
static const char *extension(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot && dot != name && dot[1] ? dot + 1 : "";
}

/* Appends the cleaned name. */
void file_clean_name(const char *raw, struct buf *out)
{
	const char *base = raw ? raw : "";
	for (const char *p = base; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	struct buf b = {0};
	size_t n = strlen(base);
	for (size_t i = 0; i < n;) {
		unsigned cp;
		i += text_utf8_next(base + i, n - i, &cp);
		if (name_char_ok(cp))
			text_utf8_put(&b, cp);
	}
	const char *s = buf_str(&b);
	while (*s == ' ' || *s == '.')
		s++; /* no hidden file, no leading blank */
	size_t len = strlen(s);
	while (len && s[len - 1] == ' ')
		len--;
	const char *ext = extension(s);
	size_t elen = *ext && strlen(ext) <= 10 ? strlen(ext) + 1 : 0;
	size_t stem = len - elen, chars = 0, keep = 0;
	for (size_t i = 0; i < stem; i += text_utf8_next(s + i, stem - i, &(unsigned){0}))
		if (++chars <= FILE_NAME_MAX - elen)
			keep = i + text_utf8_next(s + i, stem - i, &(unsigned){0});
	if (keep == 0) {
		buf_puts(out, "document");
		buf_append(out, s + stem, elen);
	} else {
		buf_append(out, s, keep);
		buf_append(out, s + stem, elen);
	}
	buf_free(&b);
}

/* Returns the accepted type of extension ext, or NULL. */
const struct file_type *file_type_of(const char *ext)
{
	for (size_t i = 0; i < NTYPES; i++)
		if (strcasecmp(types[i].ext, ext) == 0)
			return &types[i];
	return NULL;
}

/* Tells whether the space-separated list has word w. */
static bool has_word(const char *list, const char *w, size_t n)
{
	for (const char *p = list; *p;) {
		size_t len = strcspn(p, " ");
		if (len == n && strncmp(p, w, n) == 0)
			return true;
		p += len + (p[len] == ' ');
	}
	return false;
}

/* Returns the first accepted type whose content may be mime[0..n), or NULL. */
static const struct file_type *type_of_content(const char *mime, size_t n)
{
	for (size_t i = 0; i < NTYPES; i++)
		if (has_word(types[i].sniffed, mime, n))
			return &types[i];
	return NULL;
}

/* Appends the French name of a type found (its MIME type beside). */
static void describe(struct buf *out, const char *mime, size_t n)
{
	const char *label = NULL;
	for (size_t i = 0; i < sizeof(foreign) / sizeof(foreign[0]) && !label; i++)
		if (strlen(foreign[i][0]) == n && strncmp(foreign[i][0], mime, n) == 0)
			label = foreign[i][1];
	const struct file_type *t = label ? NULL : type_of_content(mime, n);
	if (label || t)
		buf_printf(out, "« %s » (%.*s)", label ? label : t->label, (int)n, mime);
	else
		buf_printf(out, "« %.*s »", (int)n, mime);
}

/* Checks the file at path against its name; see file.h. */
const struct file_type *file_check(const char *path, struct buf *name, struct buf *mime,
				  struct buf *why)
{
	magic_t m = magic_get();
	const char *found = m ? magic_file(m, path) : NULL;
	if (!found) {
		buf_printf(why, "« %s » n'a pas pu être lu : réessayez.", buf_str(name));
		return NULL;
	}
	size_t n = strcspn(found, ";");
	if (strncmp(found, "inode/x-empty", n) == 0) {
		buf_printf(why, "« %s » est vide : il n'y a rien à joindre.", buf_str(name));
		return NULL;
	}
	const char *ext = extension(buf_str(name));
	const struct file_type *by_name = file_type_of(ext), *by_content = type_of_content(found, n);
	if (!by_content) {
		buf_printf(why, "« %s » n'est pas accepté : son contenu est du type ", buf_str(name));
		describe(why, found, n);
		buf_puts(why, ". " ACCEPTED);
		return NULL;
	}
	if (!by_name) { /* no extension, or one of no accepted type: the content's */
		buf_printf(name, ".%s", by_content->ext);
		by_name = by_content;
	} else if (!has_word(by_name->sniffed, found, n)) {
		buf_printf(why, "« %s » n'est pas accepté : son nom se termine par .%s, mais son "
			   "contenu est du type ", buf_str(name), ext);
		describe(why, found, n);
		buf_puts(why, ". Renommez-le ou choisissez le bon fichier.");
		return NULL;
	}
	const char *charset = strstr(found, "charset=");
	buf_puts(mime, by_name->mime);
	if (strncmp(by_name->mime, "text/", 5) == 0 && charset && strncmp(charset, "charset=binary", 14))
		buf_printf(mime, "; %s", charset); /* a text is read in its own encoding */
	return by_name;
}

/* The kinds of records, each with its column in file. */
static const char *const kinds[] = {"meeting", "letter", "motion", "event", "body"};

/* Returns the index of kind in kinds, or -1. */
static int kind_index(const char *kind)
{
	for (int i = 0; kind && i < (int)(sizeof(kinds) / sizeof(kinds[0])); i++)
		if (strcmp(kinds[i], kind) == 0)
			return i;
	return -1;
}

/* Tells whether files attach to records of kind. */
bool file_kind_ok(const char *kind)
{
	return kind_index(kind) >= 0;
}

/* Stores the bytes of u's spool file unless kept already; returns the
 * blob's id, or -1. */
static long long blob_store(const struct upload *u)
{
	long long id = db_int(0, "SELECT id FROM blob WHERE sha256 = ?", "t", u->sha256_hex);
	if (id)
		return id;
	if (db_exec("INSERT INTO blob (sha256, sha512, size) VALUES (?, ?, ?)", "tti", u->sha256_hex,
		    u->sha512_hex, (long long)u->size) < 0)
		return -1;
	id = db_last_id();
	int fd = open(u->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		log_error("%s : %s", u->path, text_errno(errno));
		return -1;
	}
	char *part = malloc(FILE_PART);
	if (!part)
		abort();
	unsigned long long stored = 0;
	for (long long seq = 0; stored < u->size; seq++) {
		size_t have = 0;
		ssize_t r = 1;
		while (have < FILE_PART && (r = read(fd, part + have, FILE_PART - have)) > 0)
			have += (size_t)r;
		if (r < 0 || have == 0 ||
		    db_exec("INSERT INTO blob_part (blob_id, seq, data) VALUES (?, ?, ?)", "iib", id,
			    seq, (const void *)part, have) < 0)
			break;
		stored += have;
	}
	free(part);
	close(fd);
	return stored == u->size ? id : -1;
}

static char clamd_socket[100]; /* see file_set_clamd (a socket path is short) */

/* Sets the clamd socket new files are scanned through ("" for none). */
void file_set_clamd(const char *socket)
{
	snprintf(clamd_socket, sizeof(clamd_socket), "%s", socket ? socket : "");
}

/* The insert of a file, one statement a kind (statements are cached by
 * their text's address). */
static const char *const inserts[] = {
	"INSERT INTO file (meeting_id, name, mime, blob_id, user_id) VALUES (?, ?, ?, ?, nullif(?, 0))",
	"INSERT INTO file (letter_id, name, mime, blob_id, user_id) VALUES (?, ?, ?, ?, nullif(?, 0))",
	"INSERT INTO file (motion_id, name, mime, blob_id, user_id) VALUES (?, ?, ?, ?, nullif(?, 0))",
	"INSERT INTO file (event_id, name, mime, blob_id, user_id) VALUES (?, ?, ?, ?, nullif(?, 0))",
	"INSERT INTO file (body_id, name, mime, blob_id, user_id) VALUES (?, ?, ?, ?, nullif(?, 0))",
};

/* Appends to out name, or « name (2).ext », « name (3).ext »… the first that
 * no other current file of record id of kind has (but except). */
static void unique_name(struct buf *out, const char *kind, long long id, const char *name,
			long long except)
{
	const char *ext = extension(name);
	size_t stem = strlen(name) - (*ext ? strlen(ext) + 1 : 0);
	buf_puts(out, name);
	for (int n = 2; n < 1000; n++) {
		long long other = file_named(kind, id, buf_str(out));
		if (!other || other == except)
			return;
		buf_reset(out);
		buf_printf(out, "%.*s (%d)%s%s", (int)stem, name, n, *ext ? "." : "", ext);
	}
}

/* Stores and attaches u; see file.h. */
long long file_attach(const struct upload *u, const char *name, const char *mime,
		      const char *kind, long long id, long long user, long long replaces)
{
	int k = kind_index(kind);
	if (k < 0 || db_begin() < 0)
		return -1;
	struct buf unique = {0};
	unique_name(&unique, kind, id, name, replaces);
	name = buf_str(&unique);
	long long blob = blob_store(u), file = -1;
	if (blob > 0 && db_exec(inserts[k], "ittii", id, name, mime, blob, user) == 1)
		file = db_last_id();
	if (file > 0 && *clamd_socket && /* held until the antivirus has seen it */
	    db_exec("UPDATE file SET scan_state = 'pending' WHERE id = ?", "i", file) != 1)
		file = -1;
	if (file > 0 && replaces &&
	    db_exec("UPDATE file SET replaced_by = ?, modified = " DB_NOW " WHERE id = ?", "ii",
		    file, replaces) != 1)
		file = -1;
	char before[24];
	snprintf(before, sizeof(before), "%lld", replaces);
	if (file > 0 && db_audit(user, replaces ? "replace" : "attach", "file", file,
				 replaces ? before : NULL, name) < 0)
		file = -1;
	buf_free(&unique);
	if (u->size > FILE_PART * 16)
		db_checkpoint_later(); /* the worker copies it into the database file */
	if (file < 0 || db_commit() < 0) {
		db_rollback();
		return -1;
	}
	return file;
}

/* Checks and attaches u; see file.h. */
long long file_add(const struct upload *u, const char *kind, long long id, long long user,
		   long long replaces, struct buf *name, struct buf *why)
{
	struct buf mime = {0};
	buf_reset(name);
	file_clean_name(u->name, name);
	long long file = 0;
	if (file_check(u->path, name, &mime, why)) {
		if (replaces == FILE_SAME_NAME) { /* the record's file of that name, unless the same */
			replaces = file_named(kind, id, buf_str(name));
			file = replaces && db_int(0, "SELECT b.sha256 = ? FROM file f JOIN blob b ON b.id "
						  "= f.blob_id WHERE f.id = ?", "ti", u->sha256_hex,
						  replaces) ? replaces : 0;
		}
		if (!file)
			file = file_attach(u, buf_str(name), buf_str(&mime), kind, id, user, replaces);
	}
	buf_free(&mime);
	return file;
}

/* The files of a record, one query a kind: ?2 keeps the deleted ones, ?3
 * the quarantined ones. */
#define FILE_LIST(column)                                                                    \
	"SELECT f.id, f.name, b.size, f.created, f.deleted, f.scan_state, f.scan_signature "  \
	"FROM file f JOIN blob b ON b.id = f.blob_id WHERE f." column " = ?1 AND "            \
	"f.replaced_by IS NULL AND (f.deleted = 0 OR ?2) AND (f.scan_state <> 'infected' OR ?3) " \
	"ORDER BY f.id DESC"
static const char *const lists[] = {FILE_LIST("meeting_id"), FILE_LIST("letter_id"),
				    FILE_LIST("motion_id"), FILE_LIST("event_id"),
				    FILE_LIST("body_id")};

/* Returns the files of a record for its page. */
json_t *file_rows(const char *kind, long long id, int with)
{
	int k = kind_index(kind);
	json_t *rows = k < 0 ? NULL : db_rows(lists[k], "iii", id,
					      (long long)((with & FILE_WITH_DELETED) != 0),
					      (long long)((with & FILE_WITH_QUARANTINED) != 0));
	if (!rows)
		return json_array();
	file_decorate(rows);
	return rows;
}

/* Adds url, label, in_browser, size_fr and date_fr to rows of files (id, name, size,
 * created). */
void file_decorate(json_t *rows)
{
	view_dates_fr(rows, "created", "date_fr");
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		struct buf b = {0};
		file_url(&b, db_num(r, "id"), db_str(r, "name"));
		json_object_set_new(r, "url", json_string(buf_str(&b)));
		buf_reset(&b);
		file_size_fr(&b, (unsigned long long)db_num(r, "size"));
		json_object_set_new(r, "size_fr", json_string(buf_str(&b)));
		buf_free(&b);
		const struct file_type *t = file_type_of(extension(db_str(r, "name")));
		json_object_set_new(r, "label", json_string(t ? t->label : "Document"));
		json_object_set_new(r, "in_browser", json_boolean(t && t->in_browser));
		const char *scan = db_str(r, "scan_state");
		json_object_set_new(r, "scanning", json_boolean(scan && !strcmp(scan, "pending")));
		json_object_set_new(r, "quarantined", json_boolean(scan && !strcmp(scan, "infected")));
	}
}

/* Appends the French size of n bytes. */
void file_size_fr(struct buf *out, unsigned long long n)
{
	if (n < 1000) {
		buf_printf(out, "%llu octet%s", n, n > 1 ? "s" : "");
		return;
	}
	double v = n < 1000000 ? n / 1000.0 : n / 1000000.0;
	const char *unit = n < 1000000 ? "ko" : "Mo";
	char num[32];
	snprintf(num, sizeof(num), v < 10 ? "%.1f" : "%.0f", v);
	char *dot = strchr(num, '.');
	if (dot)
		*dot = ','; /* 1,2 Mo */
	buf_printf(out, "%s %s", num, unit);
}

/* Appends the address of file id: its name made a slug, its extension kept. */
void file_url(struct buf *out, long long id, const char *name)
{
	const char *ext = extension(name);
	size_t stem = strlen(name) - (*ext ? strlen(ext) + 1 : 0);
	buf_printf(out, "/files/%lld/", id);
	size_t before = out->len;
	text_slugify(out, name, stem, 80);
	if (out->len == before)
		buf_puts(out, "document");
	if (*ext && file_type_of(ext))
		buf_printf(out, ".%s", file_type_of(ext)->ext);
}

/* Copies stored bytes at pos into out, one part fetched at a time. */
long file_read(struct file_reader *r, unsigned long long pos, char *out, size_t max)
{
	unsigned long long at = r->start + pos;
	long long seq = (long long)(at / FILE_PART);
	if (seq != r->seq) {
		buf_reset(&r->part);
		r->seq = -1;
		if (db_blob(&r->part, "SELECT data FROM blob_part WHERE blob_id = ? AND seq = ?", "ii",
			    r->blob, seq) != 1)
			return -1;
		r->seq = seq;
	}
	size_t off = (size_t)(at % FILE_PART);
	if (off >= r->part.len)
		return -1;
	size_t n = r->part.len - off < max ? r->part.len - off : max;
	memcpy(out, r->part.data + off, n);
	return (long)n;
}

/* Writes the bytes of file id to path (created or replaced); 0 or -1
 * with a French message in err. */
int file_save(long long id, const char *path, struct buf *err)
{
	long long blob = db_int(0, "SELECT blob_id FROM file WHERE id = ?", "i", id);
	FILE *out = blob ? fopen(path, "wb") : NULL;
	if (!out) {
		buf_printf(err, "%s : écriture impossible", path);
		return -1;
	}
	struct buf part = {0};
	int rc = 0, got;
	for (long long seq = 0; rc == 0; seq++) {
		buf_reset(&part);
		got = db_blob(&part, "SELECT data FROM blob_part WHERE blob_id = ? AND seq = ?", "ii",
			      blob, seq);
		if (got < 0 || (got == 1 && fwrite(part.data, 1, part.len, out) != part.len))
			rc = -1;
		if (got != 1)
			break;
	}
	if (fclose(out) != 0)
		rc = -1;
	if (rc < 0)
		buf_printf(err, "%s : écriture impossible", path);
	buf_free(&part);
	return rc;
}

/* Returns the current file of record id of kind named name, or 0. */
long long file_named(const char *kind, long long id, const char *name)
{
	return db_int(0, "SELECT s.file_id FROM file_scope s JOIN file f ON f.id = s.file_id WHERE "
		      "s.kind = ? AND s.record_id = ? AND f.name = ? AND f.replaced_by IS NULL AND "
		      "f.deleted = 0", "tit", kind, id, name);
}

/* ---- the text of files, read by a worker in a child process ---- */

/* Stores the verdict of a file's extraction (state, reason, text). */
static int store_text(long long id, const char *state, const char *reason, const char *text,
		      size_t n)
{
	struct buf clean = {0};
	long long pages = 0;
	for (size_t i = 0; i < n;) { /* the index wants UTF-8; a stray byte becomes U+FFFD */
		unsigned cp;
		i += text_utf8_next(text + i, n - i, &cp);
		text_utf8_put(&clean, cp ? cp : ' ');
		pages += cp == '\f';
	}
	if (pages && clean.data[clean.len - 1] != '\f')
		pages++; /* slides are separated, a PDF's pages each end with one */
	if (db_begin() < 0)
		return -1;
	int rc = 0;
	if (strcmp(state, "done") == 0)
		rc = db_exec("INSERT INTO file_text (file_id, text, pages) VALUES (?, ?, ?) ON CONFLICT "
			     "(file_id) DO UPDATE SET text = excluded.text, pages = excluded.pages",
			     "iti", id, buf_str(&clean), pages) < 0 ? -1 : 0;
	if (rc == 0 && db_exec("UPDATE file SET text_state = ?, text_reason = ? WHERE id = ?", "tti",
			       state, reason && *reason ? reason : NULL, id) != 1)
		rc = -1;
	buf_free(&clean);
	if (rc < 0 || db_commit() < 0) {
		db_rollback();
		return -1;
	}
	return 0;
}

/* Reads what the child answered (see extract.h) into a verdict stored for
 * file id; rc and status are convert_spawn's. */
static int judge(long long id, int rc, int status, const struct buf *out)
{
	const char *s = buf_str(out), *nl = strchr(s, '\n');
	if (rc == CONVERT_LATE || status == 128 + 24 /* SIGXCPU */ || status == 128 + 9)
		return store_text(id, "failed", "lecture trop longue, arrêtée", NULL, 0);
	if (rc == CONVERT_TOO_LONG)
		return store_text(id, "failed", "texte trop long (plus de 4 Mo)", NULL, 0);
	if (rc == 1 || status == 5)
		return store_text(id, "failed", rc == 1 ? "le lecteur de texte n'a pas démarré"
							: "pandoc est absent : le RTF n'est pas lu", NULL, 0);
	if (rc != 0 || status != 0 || !nl)
		return store_text(id, "failed", status >= 128 ? "fichier illisible ou trop gourmand "
					"en mémoire" : "fichier illisible", NULL, 0);
	char word[8] = "", why[300] = "";
	size_t wl = strcspn(s, " \n");
	snprintf(word, sizeof(word), "%.*s", (int)wl, s);
	if (s[wl] == ' ')
		snprintf(why, sizeof(why), "%.*s", (int)(nl - s - wl - 1), s + wl + 1);
	if (strcmp(word, "done") && strcmp(word, "none") && strcmp(word, "failed"))
		return store_text(id, "failed", "réponse du lecteur incomprise", NULL, 0);
	return store_text(id, word, why, nl + 1, out->len - (size_t)(nl + 1 - s));
}

/* Reads the text of the oldest file waiting for it; see file.h. */
int file_extract_next(const char *exe)
{
	json_t *f = db_row("SELECT id, name FROM file WHERE text_state = 'pending' AND scan_state = "
			   "'clean' ORDER BY id LIMIT 1", NULL);
	if (!f)
		return db_failed() ? -1 : 0;
	long long id = db_num(f, "id");
	const struct file_type *t = file_type_of(extension(db_str(f, "name")));
	json_decref(f);
	if (!t || !t->has_text)
		return store_text(id, "none", "ce type de fichier n'a pas de texte à lire", NULL, 0) <
			0 ? -1 : 1;
	char path[600];
	snprintf(path, sizeof(path), "%s/.maillage-texte-XXXXXX", upload_dir());
	int fd = mkstemp(path);
	struct buf err = {0}, out = {0};
	int rc = -1, status = 0;
	if (fd >= 0) {
		close(fd);
		if (file_save(id, path, &err) == 0) {
			char *argv[] = {(char *)exe, "extract-text", (char *)t->ext, path, NULL};
			rc = convert_spawn(argv, &out, EXTRACT_CPU_S + 15, EXTRACT_MAX_TEXT + 4096,
					   &status);
		}
		unlink(path);
	}
	int stored = fd < 0 || err.len ? -1 : judge(id, rc, status, &out);
	if (stored < 0)
		log_error("texte du document %lld : %s", id, err.len ? buf_str(&err)
								  : "enregistrement impossible");
	buf_free(&err);
	buf_free(&out);
	return stored < 0 ? -1 : 1;
}

/* Writes all of p[0..n) to fd; 0 or -1. */
static int send_all(int fd, const void *p, size_t n)
{
	for (const char *s = p; n;) {
		ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
		if (w <= 0)
			return -1;
		s += w, n -= (size_t)w;
	}
	return 0;
}

/* Sends the bytes of blob to clamd (INSTREAM) and reads its verdict into
 * reply; 0 or -1. */
static int clamd_scan(long long blob, char *reply, size_t size)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", clamd_socket);
	struct timeval tv = {120, 0};
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || send_all(fd, "zINSTREAM", 10) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	struct buf part = {0};
	int rc = 0;
	for (long long seq = 0; rc == 0; seq++) { /* each part as a chunk: its length, its bytes */
		buf_reset(&part);
		int got = db_blob(&part, "SELECT data FROM blob_part WHERE blob_id = ? AND seq = ?", "ii",
				  blob, seq);
		uint32_t len = htonl(got == 1 ? (uint32_t)part.len : 0);
		if (got < 0 || send_all(fd, &len, 4) < 0 || (got == 1 && send_all(fd, part.data, part.len) < 0))
			rc = -1;
		if (got != 1)
			break;
	}
	buf_free(&part);
	ssize_t n = rc == 0 ? recv(fd, reply, size - 1, 0) : -1;
	close(fd);
	if (n <= 0)
		return -1;
	reply[n] = '\0';
	return 0;
}

/* Scans the oldest file held for the antivirus; see file.h. */
int file_scan_next(void)
{
	json_t *f = db_row("SELECT id, blob_id FROM file WHERE scan_state = 'pending' ORDER BY id "
			   "LIMIT 1", NULL);
	if (!f)
		return db_failed() ? -1 : 0;
	long long id = db_num(f, "id");
	char reply[512];
	int rc = clamd_scan(db_num(f, "blob_id"), reply, sizeof(reply));
	json_decref(f);
	const char *found = rc == 0 ? strstr(reply, " FOUND") : NULL;
	const char *sig = rc == 0 ? strstr(reply, ": ") : NULL;
	if (rc == 0 && strstr(reply, ": OK")) {
		rc = db_exec("UPDATE file SET scan_state = 'clean' WHERE id = ?", "i", id) == 1 ? 0 : -1;
	} else if (found && sig && sig + 2 < found) {
		char name[300];
		snprintf(name, sizeof(name), "%.*s", (int)(found - sig - 2), sig + 2);
		rc = db_exec("UPDATE file SET scan_state = 'infected', scan_signature = ? WHERE id = ?",
			     "ti", name, id) == 1 ? 0 : -1;
		if (rc == 0)
			rc = db_audit(0, "quarantine", "file", id, NULL, name) < 0 ? -1 : 0;
		log_info("document %lld mis en quarantaine : %s", id, name);
	} else {
		log_error("antivirus (%s) : %s", clamd_socket,
			  rc == 0 ? reply : "injoignable ; le document reste en attente");
		return -1;
	}
	return rc < 0 ? -1 : 1;
}

static struct {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool running, woken;
	char exe[512];
} worker = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

/* The worker: reads the files waiting, then sleeps until woken (or a
 * few seconds: a file imported by another process waits no longer). */
static void *worker_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&worker.lock);
	while (worker.running) {
		pthread_mutex_unlock(&worker.lock);
		db_checkpoint();
		int got = *clamd_socket ? file_scan_next() : 0;
		if (got == 0)
			got = file_extract_next(worker.exe);
		pthread_mutex_lock(&worker.lock);
		if (got > 0 || !worker.running)
			continue;
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += got < 0 ? 30 : 5;
		while (worker.running && !worker.woken &&
		       pthread_cond_timedwait(&worker.wake, &worker.lock, &until) == 0)
			;
		worker.woken = false;
	}
	pthread_mutex_unlock(&worker.lock);
	db_close();
	return NULL;
}

/* Starts the worker. */
int file_worker_start(const char *exe)
{
	snprintf(worker.exe, sizeof(worker.exe), "%s", exe);
	worker.running = true;
	if (pthread_create(&worker.thread, NULL, worker_main, NULL) != 0) {
		worker.running = false;
		return -1;
	}
	return 0;
}

/* Wakes the worker. */
void file_worker_wake(void)
{
	pthread_mutex_lock(&worker.lock);
	worker.woken = true;
	pthread_cond_signal(&worker.wake);
	pthread_mutex_unlock(&worker.lock);
}

/* Stops the worker. */
void file_worker_stop(void)
{
	pthread_mutex_lock(&worker.lock);
	bool was = worker.running;
	worker.running = false;
	pthread_cond_signal(&worker.wake);
	pthread_mutex_unlock(&worker.lock);
	if (was)
		pthread_join(worker.thread, NULL);
}
