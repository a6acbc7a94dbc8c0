/* file.h — documents: the types Maillage accepts (sniffed with libmagic,
 * in agreement with the name), names made safe to show, the bytes kept
 * once by their SHA-256 in the database and attached to a record, and read
 * back a part at a time. */
#ifndef MAILLAGE_FILE_H
#define MAILLAGE_FILE_H

#include <jansson.h>
#include <stdbool.h>

#include "buf.h"
#include "upload.h"

#define FILE_PART (256 * 1024) /* bytes of one stored part */
#define FILE_NAME_MAX 200      /* characters of a name */

/* One accepted type. */
struct file_type {
	const char *ext;     /* the extension of the name, lower case, without dot */
	const char *mime;    /* the type it is served as */
	const char *label;   /* what the pages call it */
	const char *sniffed; /* what libmagic may find in it, space-separated */
	bool in_browser;     /* opens in the browser (PDF, pictures) instead of downloading */
	bool has_text;       /* maillage extract-text reads its text for the search */
};

/* Appends to out the name raw cleaned: no folder, no control or direction
 * characters, valid UTF-8, at most FILE_NAME_MAX characters (the extension
 * kept), never empty. */
void file_clean_name(const char *raw, struct buf *out);
/* Returns the type of the file at path named name (cleaned) when Maillage
 * accepts it, its content agreeing with the name's extension (a name
 * without one gets it: name is then extended), and appends to mime the
 * type to serve it as (a text's with its charset); else NULL with a French
 * reason naming the type found in why. */
const struct file_type *file_check(const char *path, struct buf *name, struct buf *mime,
				  struct buf *why);
/* Returns the accepted type of extension ext, or NULL. */
const struct file_type *file_type_of(const char *ext);
/* Tells whether kind is a kind of record files attach to (meeting, letter,
 * motion, event, body). */
bool file_kind_ok(const char *kind);
/* Stores u's bytes unless kept already and attaches them as name (made
 * « name (2).ext » when the record has a file of that name), served as
 * mime, to record id of kind, for user; replaces: the file it replaces, or
 * 0. Inside a transaction of its own (or the caller's); returns the new
 * file's id, or -1. */
long long file_attach(const struct upload *u, const char *name, const char *mime,
		      const char *kind, long long id, long long user, long long replaces);
#define FILE_WITH_DELETED 1     /* file_rows: the deleted files too */
#define FILE_WITH_QUARANTINED 2 /* file_rows: the infected ones too */
#define FILE_SAME_NAME (-1) /* file_add: a new version of the file of that name, if any */
/* Cleans u's name into name, checks its type (file_check) and attaches it
 * to record id of kind for user: as a new file (replaces 0), as a new
 * version of file replaces, or, with FILE_SAME_NAME, of the record's
 * current file of that name (left as it is when its bytes are the same).
 * Returns the file's id; 0 when refused, the French reason in why; -1 when
 * it could not be stored. */
long long file_add(const struct upload *u, const char *kind, long long id, long long user,
		   long long replaces, struct buf *name, struct buf *why);
/* Returns the files of record id of kind for its page, newest first:
 * id, name, url, label, size_fr, date_fr, deleted, scan_state,
 * scan_signature (with: FILE_WITH_… flags). New reference, never NULL. */
json_t *file_rows(const char *kind, long long id, int with);
/* Adds url, label, in_browser, size_fr and date_fr to rows of files (id, name, size,
 * created). */
void file_decorate(json_t *rows);
/* Appends to out the French size of n bytes (« 1,2 Mo », « 340 ko »). */
void file_size_fr(struct buf *out, unsigned long long n);
/* Appends to out the address of file id named name (/files/ID/slug.ext). */
void file_url(struct buf *out, long long id, const char *name);
/* Writes the bytes of file id to path (created or replaced); 0 or -1
 * with a French message in err. */
int file_save(long long id, const char *path, struct buf *err);
/* Returns the current, non-deleted file of record id of kind named name,
 * or 0. */
long long file_named(const char *kind, long long id, const char *name);
/* A reader of stored bytes, one part kept at a time. */
struct file_reader {
	long long blob;
	unsigned long long start; /* where the bytes read begin (a range) */
	long long seq;            /* the part in part (-1: none) */
	struct buf part;
};
/* Copies at most max bytes at pos (from r->start) into out; returns how
 * many (> 0), or -1. */
long file_read(struct file_reader *r, unsigned long long pos, char *out, size_t max);

/* Sets the clamd socket through which each new file is scanned before it
 * is served ("" or NULL: none; files are served at once). */
void file_set_clamd(const char *socket);
/* Scans the oldest file held for the antivirus through clamd: clean, or
 * infected (quarantined with its signature, audited); 1 when one was
 * scanned, 0 when none waits, -1 when clamd could not say (it waits). */
int file_scan_next(void);
/* Reads the text of the oldest file waiting for it, in a child process
 * (exe extract-text, with its limits), and keeps the verdict (text, or
 * why there is none); 1 when one was read, 0 when none waits, -1 on
 * failure. */
int file_extract_next(const char *exe);
/* Starts the thread that reads the text of the files waiting (exe: the
 * maillage binary); 0 or -1. */
int file_worker_start(const char *exe);
/* Wakes the worker: a file came. */
void file_worker_wake(void);
/* Stops the worker (the file being read finishes first). */
void file_worker_stop(void);

#endif
