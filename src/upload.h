/* upload.h — a file arriving with a request: its bytes go to a spool file
 * as they come (never held whole in memory), hashed (SHA-256, SHA-512) and
 * counted on the way; the spool file is removed with the request. */
#ifndef MAILLAGE_UPLOAD_H
#define MAILLAGE_UPLOAD_H

#include <stdbool.h>
#include <stddef.h>

#define UPLOAD_MAX_FILES 20                 /* files in one form */
#define UPLOAD_DEFAULT_MAX (50ULL << 20)    /* bytes of one file, unless --max-upload */

struct upload {
	char field[64];           /* the form field it came in */
	char name[1024];          /* the name the browser gave, as given (to clean) */
	char path[512];           /* the spool file ("" once removed) */
	int fd;                   /* open while bytes come, -1 after */
	unsigned long long size;
	unsigned char sha256[32];
	char sha256_hex[65];
	char sha512_hex[129];
	void *hash, *hash512; /* the hashes in progress (OpenSSL's, which use the
			       * processor's SHA instructions) */
	int error;                /* 0, or the status it calls for: 413, 507, 500 */
};

/* Sets the folder of spool files (the database's, so that a full disk is
 * met there first) and the largest file accepted, in bytes. */
void upload_configure(const char *dir, unsigned long long max_bytes);
/* Returns the folder of spool files. */
const char *upload_dir(void);
/* Returns the largest file accepted, in bytes. */
unsigned long long upload_max(void);
/* Starts u for field and name: creates its spool file; 0 or -1 (u->error
 * set). */
int upload_open(struct upload *u, const char *field, const char *name);
/* Appends data[0..n) to u; past the largest file or on a failed write,
 * removes the spool file, sets u->error and returns -1. */
int upload_write(struct upload *u, const void *data, size_t n);
/* Ends u: closes its spool file and finishes the hash; 0 or -1. */
int upload_finish(struct upload *u);
/* Removes u's spool file, if any (the request is over). */
void upload_discard(struct upload *u);
/* Starts u from an existing file's bytes (a file of content/ or of a
 * test), copied into a spool file; 0 or -1 (u->error set). */
int upload_from_path(struct upload *u, const char *field, const char *name, const char *path);

#endif
