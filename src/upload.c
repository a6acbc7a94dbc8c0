/* upload.c — spool files of the files that arrive with requests. */
#include "upload.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "text.h"

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

/* Frees the hashes in progress. */
static void release(struct upload *u)
{
	EVP_MD_CTX_free(u->hash);
	EVP_MD_CTX_free(u->hash512);
	u->hash = u->hash512 = NULL;
}

/* Writes the n bytes of h as lower-case hexadecimal into out (2n + 1). */
static void hex(const unsigned char *h, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
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
		log_error("fichier d'envoi %s : %s", u->path, text_errno(errno));
		u->path[0] = '\0';
		return fail(u, errno == ENOSPC || errno == EDQUOT ? 507 : 500);
	}
	u->hash = EVP_MD_CTX_new();
	u->hash512 = EVP_MD_CTX_new();
	if (!u->hash || !u->hash512 || !EVP_DigestInit_ex(u->hash, EVP_sha256(), NULL) ||
	    !EVP_DigestInit_ex(u->hash512, EVP_sha512(), NULL))
		return fail(u, 500);
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
			log_error("fichier d'envoi %s : %s", u->path, text_errno(e));
			return fail(u, e == ENOSPC || e == EDQUOT || e == EFBIG ? 507 : 500);
		}
		done += (size_t)w;
	}
	EVP_DigestUpdate(u->hash, data, n);
	EVP_DigestUpdate(u->hash512, data, n);
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
	unsigned char h512[64];
	if (!EVP_DigestFinal_ex(u->hash, u->sha256, NULL) || !EVP_DigestFinal_ex(u->hash512, h512, NULL))
		return fail(u, 500);
	hex(u->sha256, sizeof(u->sha256), u->sha256_hex);
	hex(h512, sizeof(h512), u->sha512_hex);
	release(u);
	return 0;
}

/* Removes u's spool file. */
void upload_discard(struct upload *u)
{
	release(u);
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
		log_error("%s : %s", path, text_errno(errno));
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
