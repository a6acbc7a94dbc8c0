/* asset.c — the static files (CSS, JavaScript, icons) held in memory with
 * their ETags, and the version of the whole set for cache-busting URLs. */
#include "asset.h"

#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mem.h"

static struct asset *assets;
static size_t nassets;
static char version[17] = "0";

/* Returns the Content-Type for a file name. */
static const char *mime_type(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{".css", "text/css; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
		{".svg", "image/svg+xml"},           {".png", "image/png"},
		{".ico", "image/x-icon"},            {".woff2", "font/woff2"},
		{".txt", "text/plain; charset=utf-8"}, {".json", "application/json"},
	};
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcasecmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

/* Reads one asset file into a; 0 or -1. */
static int read_one(struct asset *a, const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	struct buf b = {0};
	if (buf_read_file(&b, path) < 0) {
		buf_free(&b);
		return -1;
	}
	a->name = mem_strdup(name);
	a->len = b.len;
	a->data = buf_detach(&b);
	a->type = mime_type(name);
	unsigned char h[8];
	crypto_generichash(h, sizeof(h), (unsigned char *)a->data, a->len, NULL, 0);
	a->etag[0] = '"';
	sodium_bin2hex(a->etag + 1, 17, h, sizeof(h));
	strcat(a->etag, "\"");
	return 0;
}

/* Loads the files of dir (CSS, JS, icons) into memory; 0 or -1 with err. */
int asset_load_dir(const char *dir, struct buf *err)
{
	DIR *d = opendir(dir);
	if (!d) {
		buf_printf(err, "dossier des fichiers statiques illisible : %s", dir);
		return -1;
	}
	asset_free();
	crypto_generichash_state all;
	crypto_generichash_init(&all, NULL, 0, 8);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		struct asset a = {0};
		if (read_one(&a, dir, e->d_name) < 0)
			continue;
		assets = realloc(assets, (nassets + 1) * sizeof(*assets));
		if (!assets)
			abort();
		assets[nassets++] = a;
		crypto_generichash_update(&all, (unsigned char *)a.etag, strlen(a.etag));
	}
	closedir(d);
	unsigned char h[8];
	crypto_generichash_final(&all, h, sizeof(h));
	sodium_bin2hex(version, sizeof(version), h, sizeof(h));
	return 0;
}

/* Frees the loaded assets. */
void asset_free(void)
{
	for (size_t i = 0; i < nassets; i++) {
		free(assets[i].name);
		free(assets[i].data);
	}
	free(assets);
	assets = NULL;
	nassets = 0;
}

/* Returns a short hash of every asset, for cache-busting URLs. */
const char *asset_version(void)
{
	return version;
}

/* Returns the loaded file called name, or NULL. */
const struct asset *asset_find(const char *name)
{
	for (size_t i = 0; i < nassets; i++)
		if (strcmp(assets[i].name, name) == 0)
			return &assets[i];
	return NULL;
}
