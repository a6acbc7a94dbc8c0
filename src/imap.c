/* imap.c — the replies' mailbox, read with libcurl's IMAP: UID SEARCH
 * UNSEEN, each new message fetched by its UID (which marks it read), then
 * put back unread (UID STORE -FLAGS) when it is not a reply Maillage
 * takes. The mail_in table remembers each message seen by its folder,
 * the folder's UIDVALIDITY and its UID, so nothing is fetched or logged
 * twice, and a folder made anew (its UIDs counted again from 1) is read
 * as new. */
#include "imap.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "log.h"
#include "mail.h"
#include "mailin.h"
#include "text.h"

#define IMAP_URL_MAX 400 /* bytes of the folder's address */

static struct imap_config cfg;
static char folder[IMAP_URL_MAX]; /* the URL, with INBOX when it names no folder */
static char box[IMAP_URL_MAX + 40]; /* folder;UIDVALIDITY=N, as read by the last poll */

/* Checks and keeps the configuration (see imap.h). */
int imap_configure(const struct imap_config *c, struct buf *err)
{
	const char *url = c->url;
	const char *rest = !url ? NULL
			   : strncmp(url, "imaps://", 8) == 0 ? url + 8
			   : strncmp(url, "imap://", 7) == 0  ? url + 7
							      : NULL;
	if (!rest || !*rest || strlen(url) + 8 >= IMAP_URL_MAX) {
		buf_printf(err, "l'adresse de la boîte aux lettres doit commencer par imaps:// ou "
				"imap:// (moins de 390 caractères)");
		return -1;
	}
	if (strchr(url, '@') || strpbrk(url, " \t\r\n")) {
		buf_printf(err, "l'adresse de la boîte aux lettres ne porte ni identifiant ni mot de "
				"passe : --imap-user et MAILLAGE_IMAP_PASSWORD");
		return -1;
	}
	if (!c->user || !*c->user) {
		buf_printf(err, "--imap-url demande --imap-user (et MAILLAGE_IMAP_PASSWORD)");
		return -1;
	}
	if (c->ca && access(c->ca, R_OK) != 0) {
		buf_printf(err, "fichier de certificats illisible : %s (%s)", c->ca, text_errno(errno));
		return -1;
	}
	cfg = *c;
	if (!cfg.interval)
		cfg.interval = 60;
	const char *slash = strchr(rest, '/');
	snprintf(folder, sizeof(folder), "%s%s", url,
		 !slash ? "/INBOX" : !slash[1] ? "INBOX" : "");
	return 0;
}

/* Keeps what libcurl receives, up to MAILIN_MAX bytes (then stops it). */
static size_t keep(char *p, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;
	if (b->len + size * n > MAILIN_MAX)
		return 0;
	buf_append(b, p, size * n);
	return size * n;
}

/* Runs one IMAP exchange on c: url with command (NULL: fetch), what comes
 * back in out; the curl code. */
static CURLcode exchange(CURL *c, const char *url, const char *command, struct buf *out)
{
	buf_reset(out);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, command);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
	return curl_easy_perform(c);
}

/* Opens a libcurl handle with the mailbox's login, TLS demanded. */
static CURL *connection(void)
{
	CURL *c = curl_easy_init();
	if (!c)
		return NULL;
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "imap,imaps");
	curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	curl_easy_setopt(c, CURLOPT_USERNAME, cfg.user);
	curl_easy_setopt(c, CURLOPT_PASSWORD, cfg.password ? cfg.password : "");
	if (cfg.ca)
		curl_easy_setopt(c, CURLOPT_CAINFO, cfg.ca);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	return c;
}

/* Tells whether message uid of the folder was already seen. */
static bool seen_before(unsigned long uid)
{
	json_t *row = db_row("SELECT 1 AS yes FROM mail_in WHERE mailbox = ? AND uid = ?", "ti",
			     box, (long long)uid);
	json_decref(row);
	return row != NULL;
}

/* Reads the folder's UIDVALIDITY (STATUS, asked of the server, not of the
 * folder: STATUS is not for a selected folder) into box; the curl code. */
static CURLcode read_validity(CURL *c, struct buf *out)
{
	const char *path = strchr(strstr(folder, "://") + 3, '/') + 1;
	char root[IMAP_URL_MAX];
	snprintf(root, sizeof(root), "%.*s", (int)(path - folder), folder);
	char *name = curl_easy_unescape(c, path, 0, NULL);
	struct buf command = {0};
	buf_puts(&command, "STATUS \"");
	for (const char *p = name ? name : ""; *p; p++)
		buf_printf(&command, *p == '"' || *p == '\\' ? "\\%c" : "%c", *p);
	buf_puts(&command, "\" (UIDVALIDITY)");
	curl_free(name);
	CURLcode rc = exchange(c, root, buf_str(&command), out);
	buf_free(&command);
	const char *v = rc == CURLE_OK ? strstr(buf_str(out), "UIDVALIDITY ") : NULL;
	char *end = NULL;
	unsigned long validity = v ? strtoul(v + 12, &end, 10) : 0;
	if (rc != CURLE_OK || !validity || end == v + 12)
		return rc != CURLE_OK ? rc : CURLE_WEIRD_SERVER_REPLY;
	snprintf(box, sizeof(box), "%s;UIDVALIDITY=%lu", folder, validity);
	return CURLE_OK;
}

/* Fetches message uid and hands it to mailin_message; 0 taken, 1 left
 * (put back unread), -1 when it could not be read (tried again later). */
static int one_message(CURL *c, unsigned long uid, struct buf *data)
{
	char url[IMAP_URL_MAX + 72], store[64];
	snprintf(url, sizeof(url), "%s/;UID=%lu", box, uid); /* libcurl checks the UIDVALIDITY */
	CURLcode got = exchange(c, url, NULL, data);
	const char *why = "message trop gros (plus de 4 Mo)";
	int rc = got == CURLE_WRITE_ERROR ? 1
		 : got == CURLE_OK        ? mailin_message(data->data ? data->data : "", data->len,
							   "IMAP", &why)
					  : -1;
	if (got == CURLE_WRITE_ERROR)
		log_info("message laissé (IMAP) : %s", why);
	if (rc != 0) { /* fetching marked it read: a person will want to see it */
		snprintf(store, sizeof(store), "UID STORE %lu -FLAGS (\\Seen)", uid);
		exchange(c, folder, store, data);
	}
	if (rc >= 0 && db_exec("INSERT OR IGNORE INTO mail_in (mailbox, uid, outcome, reason) "
			       "VALUES (?, ?, ?, ?)", "titt", box, (long long)uid,
			       rc == 0 ? "taken" : "left", rc == 0 ? NULL : why) < 0)
		return -1;
	return rc;
}

/* Reads the mailbox once (see imap.h). */
int imap_poll(void)
{
	static bool failing; /* a mailbox out of reach is logged once, not every minute */
	CURL *c = cfg.url ? connection() : NULL;
	if (!c)
		return -1;
	struct buf out = {0}, data = {0};
	CURLcode rc = read_validity(c, &out);
	if (rc == CURLE_OK)
		rc = exchange(c, folder, "UID SEARCH UNSEEN", &out);
	int taken = 0;
	if (rc != CURLE_OK) {
		if (!failing)
			log_error("boîte aux lettres %s illisible : %s", folder, mail_curl_error(rc));
		failing = true;
		taken = -1;
	} else {
		if (failing)
			log_info("boîte aux lettres %s lue à nouveau", folder);
		failing = false;
		const char *line = strstr(buf_str(&out), "* SEARCH");
		for (char *p = line ? (char *)line + 8 : NULL, *end; p && *p != '\r' && *p != '\n';
		     p = end) {
			unsigned long uid = strtoul(p, &end, 10);
			if (end == p)
				break;
			if (!seen_before(uid) && one_message(c, uid, &data) == 0)
				taken++;
		}
	}
	buf_free(&out);
	buf_free(&data);
	curl_easy_cleanup(c);
	return taken;
}

static pthread_t reader;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static bool running, stopping;

/* The reading thread: the mailbox now, then every interval seconds. */
static void *work(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	while (!stopping) {
		pthread_mutex_unlock(&lock);
		imap_poll();
		pthread_mutex_lock(&lock);
		if (stopping)
			break;
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += cfg.interval;
		pthread_cond_timedwait(&wake, &lock, &until);
	}
	pthread_mutex_unlock(&lock);
	db_close();
	return NULL;
}

/* Starts the reading thread (see imap.h). */
int imap_start(void)
{
	if (!cfg.url)
		return 0;
	mailin_init();
	stopping = false;
	running = pthread_create(&reader, NULL, work, NULL) == 0;
	if (running)
		log_info("lecture des réponses de calendrier dans %s, toutes les %u s", folder,
			 cfg.interval);
	return running ? 0 : -1;
}

/* Stops the reading thread (see imap.h). */
void imap_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&lock);
	stopping = true;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
	pthread_join(reader, NULL);
	running = false;
}
