/* upload.c — spool files of the files that arrive with requests. */
#include "upload.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static char spool_dir[400] = "/tmp";
static unsigned long long max_file = UPLOAD_DEFAULT_MAX;

/* Sets the spool folder and the largest file accepted. */
void upload_configure(const char *dir, unsigned long long max_bytes)
{
	if (dir && *dir)
		snprintf(spool_dir, sizeof(spool_dir), "%s", dir);
	if (max_bytes)
		max_file = max_bytes;
}

/* Returns the folder of spool files. */
const char *upload_dir(void)
{
	return spool_dir;
}

/* Returns the largest file accepted, in bytes. */
unsigned long long upload_max(void)
{
	return max_file;
}

/* Notes a failure: the status it calls for, and the spool file gone. */
static int fail(struct upload *u, int status)
{
	if (!u->error)
		u->error = status;
	upload_discard(u);
	return -1;
}

/* Creates u's spool file. */
int upload_open(struct upload *u, const char *field, const char *name)
{
	memset(u, 0, sizeof(*u));
	u->fd = -1;
	snprintf(u->field, sizeof(u->field), "%s", field ? field : "");
	snprintf(u->name, sizeof(u->name), "%s", name ? name : "");
	snprintf(u->path, sizeof(u->path), "%s/.maillage-envoi-XXXXXX", spool_dir);
	u->fd = mkstemp(u->path);
	if (u->fd < 0) {
		log_error("fichier d'envoi %s : %s", u->path, strerror(errno));
		u->path[0] = '\0';
		return fail(u, errno == ENOSPC || errno == EDQUOT ? 507 : 500);
	}
	crypto_hash_sha256_init(&u->hash);
	crypto_hash_sha512_init(&u->hash512);
	return 0;
}

/* Appends data to u's spool file and hash. */
int upload_write(struct upload *u, const void *data, size_t n)
{
	if (u->error || u->fd < 0)
		return -1;
	if (u->size + n > max_file)
		return fail(u, 413);
	const char *p = data;
	for (size_t done = 0; done < n;) {
		ssize_t w = write(u->fd, p + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int e = w < 0 ? errno : ENOSPC;
			log_error("fichier d'envoi %s : %s", u->path, strerror(e));
			return fail(u, e == ENOSPC || e == EDQUOT || e == EFBIG ? 507 : 500);
		}
		done += (size_t)w;
	}
	crypto_hash_sha256_update(&u->hash, data, n);
	crypto_hash_sha512_update(&u->hash512, data, n);
	u->size += n;
	return 0;
}

/* Closes u's spool file and finishes its hash. */
int upload_finish(struct upload *u)
{
	if (u->error || u->fd < 0)
		return -1;
	int rc = close(u->fd);
	u->fd = -1;
	if (rc < 0)
		return fail(u, errno == ENOSPC || errno == EDQUOT ? 507 : 500);
	crypto_hash_sha256_final(&u->hash, u->sha256);
	sodium_bin2hex(u->sha256_hex, sizeof(u->sha256_hex), u->sha256, sizeof(u->sha256));
	unsigned char h512[64];
	crypto_hash_sha512_final(&u->hash512, h512);
	sodium_bin2hex(u->sha512_hex, sizeof(u->sha512_hex), h512, sizeof(h512));
	return 0;
}

/* Removes u's spool file. */
void upload_discard(struct upload *u)
{
	if (u->fd >= 0)
		close(u->fd);
	u->fd = -1;
	if (u->path[0])
		unlink(u->path);
	u->path[0] = '\0';
}

/* Copies the file at path into a new spool file for u. */
int upload_from_path(struct upload *u, const char *field, const char *name, const char *path)
{
	if (upload_open(u, field, name) < 0)
		return -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		log_error("%s : %s", path, strerror(errno));
		return fail(u, 500);
	}
	char chunk[65536];
	ssize_t n;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		if (upload_write(u, chunk, (size_t)n) < 0)
			break;
	close(fd);
	if (n < 0)
		return fail(u, 500);
	return upload_finish(u);
}
