/* mail.c — the outbox: building safe messages, sending them over SMTP with
 * libcurl (or writing .eml files), webhooks, retries, and the background
 * thread. The only file that includes curl.h. */
#include "mail.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "db.h"
#include "log.h"
#include "text.h"

struct mail_config mail_cfg = {.retry_base = 30};

#define MAIL_BACKOFF_MAX 3600 /* seconds: retries at least once an hour */
#define MAIL_LINE 76          /* base64 line length */

/* Sets the configuration; 0, or -1 with err set. */
int mail_configure(const struct mail_config *cfg, struct buf *err)
{
	if (cfg->smtp_url && strncmp(cfg->smtp_url, "smtp://", 7) != 0 &&
	    strncmp(cfg->smtp_url, "smtps://", 8) != 0) {
		buf_printf(err, "l'adresse du serveur de courrier doit commencer par smtp:// ou smtps://");
		return -1;
	}
	if (cfg->smtp_ca && access(cfg->smtp_ca, R_OK) != 0) {
		buf_printf(err, "fichier de certificats illisible : %s (%s)", cfg->smtp_ca,
			   text_errno(errno));
		return -1;
	}
	if (cfg->from && mail_address_problem(cfg->from)) {
		buf_printf(err, "adresse d'expéditeur invalide : « %s »", cfg->from);
		return -1;
	}
	const char *t = cfg->reminder_time;
	if (t && (strlen(t) != 5 || t[2] != ':' || t[0] < '0' || t[0] > '2' || t[1] < '0' ||
		  t[1] > '9' || t[3] < '0' || t[3] > '5' || t[4] < '0' || t[4] > '9' ||
		  (t[0] - '0') * 10 + (t[1] - '0') > 23)) {
		buf_printf(err, "heure des rappels invalide (HH:MM) : « %s »", t);
		return -1;
	}
	mail_cfg = *cfg;
	if (!mail_cfg.from)
		mail_cfg.from = "maillage@localhost.localdomain";
	if (!mail_cfg.retry_base)
		mail_cfg.retry_base = 30;
	return 0;
}

/* Returns NULL when address is one a message may go to, else why not. */
const char *mail_address_problem(const char *address)
{
	if (!address || !auth_email_valid(address))
		return "adresse de courrier invalide";
	return NULL;
}

/* Tells whether s holds a byte that would end a header line. */
static bool breaks_header(const char *s)
{
	return s && strpbrk(s, "\r\n") != NULL;
}

/* Appends data[0..n) in base64, lines of MAIL_LINE characters, CRLF. */
static void base64_lines(struct buf *out, const char *data, size_t n)
{
	size_t per = MAIL_LINE / 4 * 3;
	char line[MAIL_LINE + 8];
	for (size_t i = 0; i < n; i += per) {
		size_t k = n - i < per ? n - i : per;
		sodium_bin2base64(line, sizeof(line), (const unsigned char *)data + i, k,
				  sodium_base64_VARIANT_ORIGINAL);
		buf_printf(out, "%s\r\n", line);
	}
}

/* Tells whether s is plain ASCII without control characters. */
static bool plain_ascii(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 32 || *p > 126)
			return false;
	return true;
}

/* Appends s as an RFC 2047 header value: as is when plain ASCII, else as
 * UTF-8 base64 encoded words cut between characters, folded. */
static void encoded_words(struct buf *out, const char *s)
{
	if (plain_ascii(s)) {
		buf_puts(out, s);
		return;
	}
	size_t n = strlen(s), i = 0;
	char word[80];
	while (i < n) {
		size_t k = n - i < 42 ? n - i : 42;
		while (i + k < n && ((unsigned char)s[i + k] & 0xC0) == 0x80)
			k--; /* never cut a character */
		sodium_bin2base64(word, sizeof(word), (const unsigned char *)s + i, k,
				  sodium_base64_VARIANT_ORIGINAL);
		buf_printf(out, "%s=?UTF-8?B?%s?=", i ? "\r\n " : "", word);
		i += k;
	}
}

/* Appends one body part: its headers and its content in base64. */
static void part(struct buf *out, const char *boundary, const char *type, const char *extra,
		 const char *content)
{
	buf_printf(out, "--%s\r\nContent-Type: %s\r\nContent-Transfer-Encoding: base64\r\n%s\r\n",
		   boundary, type, extra ? extra : "");
	base64_lines(out, content, strlen(content));
}

/* Appends the RFC 5322 date of now. */
static void date_header(struct buf *out)
{
	char s[64];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	snprintf(s, sizeof(s), "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
		 months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	buf_printf(out, "Date: %s\r\n", s);
}

/* Builds the whole message of m (see mail.h). */
int mail_build(const struct mail_msg *m, const char *message_id, struct buf *out)
{
	if (mail_address_problem(m->to) || !m->subject || breaks_header(m->subject) ||
	    breaks_header(message_id) || (m->ics_method && !plain_ascii(m->ics_method)) ||
	    (m->unsubscribe && (!plain_ascii(m->unsubscribe) || strpbrk(m->unsubscribe, "<> "))))
		return -1;
	char token[AUTH_TOKEN_LEN + 1], mixed[64], alt[64];
	auth_random_token(token);
	snprintf(mixed, sizeof(mixed), "=_m_%.20s", token);
	snprintf(alt, sizeof(alt), "=_a_%.20s", token + 20);
	buf_puts(out, "From: Maillage <");
	buf_puts(out, mail_cfg.from);
	buf_printf(out, ">\r\nTo: <%s>\r\nSubject: ", m->to);
	encoded_words(out, m->subject);
	buf_puts(out, "\r\n");
	date_header(out);
	buf_printf(out, "Message-ID: %s\r\nMIME-Version: 1.0\r\nAuto-Submitted: auto-generated\r\n",
		   message_id);
	if (m->unsubscribe)
		buf_printf(out, "List-Unsubscribe: <%s>\r\nList-Unsubscribe-Post: "
			   "List-Unsubscribe=One-Click\r\n", m->unsubscribe);
	if (m->ics)
		buf_printf(out, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n--%s\r\n", mixed,
			   mixed);
	buf_printf(out, "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n", alt);
	part(out, alt, "text/plain; charset=utf-8", NULL, m->text ? m->text : "");
	if (m->html)
		part(out, alt, "text/html; charset=utf-8", NULL, m->html);
	buf_printf(out, "--%s--\r\n", alt);
	if (m->ics) {
		char type[96];
		snprintf(type, sizeof(type), "text/calendar; charset=utf-8; method=%s",
			 m->ics_method ? m->ics_method : "PUBLISH");
		part(out, mixed, type, "Content-Disposition: attachment; filename=\"invitation.ics\"\r\n",
		     m->ics);
		buf_printf(out, "--%s--\r\n", mixed);
	}
	return 0;
}

/* Writes a new Message-ID (random, at the sender's domain) into out. */
static void new_message_id(char out[128])
{
	char token[AUTH_TOKEN_LEN + 1];
	auth_random_token(token);
	const char *at = strchr(mail_cfg.from ? mail_cfg.from : "", '@');
	snprintf(out, 128, "<%s@%s>", token, at ? at + 1 : "maillage.invalid");
}

/* Writes m to the outbox; 0 or -1. */
int mail_queue(const struct mail_msg *m)
{
	char id[128];
	struct buf msg = {0};
	new_message_id(id);
	int rc = mail_build(m, id, &msg) < 0 ||
		 db_exec("INSERT INTO outbox (kind, message_id, recipient, subject, body) VALUES "
			 "('mail', ?, ?, ?, ?)", "tttt", id, m->to, m->subject, buf_str(&msg)) != 1
		 ? -1 : 0;
	buf_free(&msg);
	return rc;
}

/* Tells whether host (of a URL, up to its port or path) is a loopback one. */
static bool loopback(const char *host)
{
	return strncmp(host, "127.", 4) == 0 || strncmp(host, "localhost", 9) == 0 ||
	       strncmp(host, "[::1]", 5) == 0;
}

/* Tells whether the IPv4 address a (in host order) is inside net/bits. */
static bool in4(uint32_t a, uint32_t net, int bits)
{
	return (a ^ net) >> (32 - bits) == 0;
}

/* Names the refused range of the IPv4 address a (host order), or NULL
 * when it is an address of the outside. */
static const char *range4(uint32_t a)
{
	if (in4(a, 0x7f000000, 8))
		return "boucle locale";
	if (in4(a, 0x0a000000, 8) || in4(a, 0xac100000, 12) || in4(a, 0xc0a80000, 16))
		return "réseau privé";
	if (in4(a, 0x64400000, 10))
		return "réseau partagé d'opérateur";
	if (in4(a, 0xa9fe0000, 16))
		return "adresse de lien local";
	if (in4(a, 0xe0000000, 4))
		return "multidiffusion";
	if (in4(a, 0x00000000, 8) || in4(a, 0xf0000000, 4))
		return "adresse non spécifiée ou réservée";
	return NULL;
}

/* Names the refused range of the address sa, or NULL when it is an address
 * of the outside (IPv4-mapped and NAT64 IPv6 addresses are read as the
 * IPv4 address they carry). */
static const char *refused_range(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return range4(ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr));
	if (sa->sa_family != AF_INET6)
		return "famille d'adresses inconnue";
	const uint8_t *b = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	static const uint8_t nat64[12] = {0, 0x64, 0xff, 0x9b};
	if (memcmp(b, mapped, 12) == 0 || memcmp(b, nat64, 12) == 0)
		return range4((uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 | (uint32_t)b[14] << 8 | b[15]);
	static const uint8_t zero[15] = {0};
	if (memcmp(b, zero, 15) == 0)
		return b[15] == 1 ? "boucle locale" : b[15] == 0 ? "adresse non spécifiée ou réservée"
								 : "adresse IPv6 réservée";
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
		return "adresse de lien local";
	if ((b[0] & 0xfe) == 0xfc)
		return "réseau privé";
	if (b[0] == 0xff)
		return "multidiffusion";
	return NULL;
}

/* Writes the numeric form of sa into out (at least INET6_ADDRSTRLEN bytes). */
static void address_text(const struct sockaddr *sa, char *out, size_t size)
{
	const void *a = sa->sa_family == AF_INET ? (const void *)&((const struct sockaddr_in *)sa)->sin_addr
						 : (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr;
	if (!inet_ntop(sa->sa_family, a, out, (socklen_t)size))
		snprintf(out, size, "?");
}

/* Returns NULL when url has the shape of a webhook address, else why not. */
static const char *webhook_shape_problem(const char *url)
{
	if (!url || strlen(url) > 2000 || strpbrk(url, " \t\r\n\"<>\\"))
		return "Adresse invalide.";
	if (strncmp(url, "https://", 8) == 0 && url[8] && url[8] != '/')
		return NULL;
	if (strncmp(url, "http://", 7) == 0 && loopback(url + 7))
		return mail_cfg.allow_local_webhooks ? NULL
			: "Une adresse http:// locale n'est acceptée qu'avec --allow-local-webhooks.";
	return "Seules les adresses https:// sont acceptées.";
}

/* Returns NULL when no address that url's host resolves to now is a
 * refused one, else why not (a name that does not resolve now passes: the
 * check made as each webhook connects decides). */
static const char *webhook_resolve_problem(const char *url)
{
	static __thread char why[300];
	CURLU *u = curl_url();
	char *host = NULL;
	if (!u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		curl_url_cleanup(u);
		return "Adresse invalide.";
	}
	size_t n = strlen(host);
	if (n > 2 && host[0] == '[' && host[n - 1] == ']')
		memmove(host, host + 1, n - 2), host[n - 2] = '\0';
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL, *ai;
	const char *problem = NULL;
	if (getaddrinfo(host, NULL, &hints, &res) == 0)
		for (ai = res; ai && !problem; ai = ai->ai_next) {
			const char *range = refused_range(ai->ai_addr);
			char text[INET6_ADDRSTRLEN];
			if (!range)
				continue;
			address_text(ai->ai_addr, text, sizeof(text));
			snprintf(why, sizeof(why), "Cette adresse mène à %s (%s) : Maillage n'envoie ses "
				 "webhooks qu'à des serveurs de l'extérieur (sauf avec "
				 "--allow-local-webhooks).", text, range);
			problem = why;
		}
	freeaddrinfo(res);
	curl_free(host);
	curl_url_cleanup(u);
	return problem;
}

/* Returns NULL when url may receive webhooks, else why not. */
const char *mail_webhook_problem(const char *url)
{
	const char *problem = webhook_shape_problem(url);
	if (problem || mail_cfg.allow_local_webhooks)
		return problem;
	return webhook_resolve_problem(url);
}

/* The reason a webhook's connection was refused, for its error line. */
struct hook_guard {
	char why[200];
};

/* Opens the socket of a webhook's connection, unless the address libcurl
 * is about to connect to is a refused one (checked on the address itself,
 * so a name that resolves elsewhere later cannot get past). */
static curl_socket_t guarded_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct hook_guard *g = arg;
	const char *range = purpose == CURLSOCKTYPE_IPCXN && !mail_cfg.allow_local_webhooks
		? refused_range(&a->addr) : NULL;
	if (range) {
		char text[INET6_ADDRSTRLEN];
		address_text(&a->addr, text, sizeof(text));
		snprintf(g->why, sizeof(g->why), "connexion à %s refusée (%s) : les webhooks ne vont "
			 "qu'à l'extérieur", text, range);
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype, a->protocol);
}

/* Writes a JSON POST of body to every registered webhook; 0 or -1. */
int mail_queue_webhooks(const char *json_body)
{
	json_t *hooks = db_rows("SELECT url FROM webhook ORDER BY id", NULL), *h;
	size_t i;
	int rc = hooks ? 0 : -1;
	json_array_foreach(hooks, i, h) {
		char id[128];
		new_message_id(id);
		if (rc == 0 && db_exec("INSERT INTO outbox (kind, message_id, recipient, body) VALUES "
				       "('webhook', ?, ?, ?)", "ttt", id,
				       json_string_value(json_object_get(h, "url")), json_body) != 1)
			rc = -1;
	}
	json_decref(hooks);
	return rc;
}

/* What libcurl reads a message from. */
struct smtp_upload {
	const char *data;
	size_t len, pos;
};

/* Gives libcurl the next bytes of an upload. */
static size_t read_upload(char *dst, size_t size, size_t n, void *arg)
{
	struct smtp_upload *u = arg;
	size_t room = size * n, left = u->len - u->pos;
	size_t k = left < room ? left : room;
	memcpy(dst, u->data + u->pos, k);
	u->pos += k;
	return k;
}

/* Throws a response body away. */
static size_t discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p, (void)arg;
	return size * n;
}

/* Returns what libcurl's code rc means, in French, for the mail and
 * mailbox servers' usual failures; libcurl's own words otherwise. */
const char *mail_curl_error(int rc)
{
	switch ((CURLcode)rc) {
	case CURLE_UNSUPPORTED_PROTOCOL: return "protocole non pris en charge";
	case CURLE_URL_MALFORMAT: return "adresse du serveur invalide";
	case CURLE_COULDNT_RESOLVE_HOST: return "nom du serveur introuvable";
	case CURLE_COULDNT_CONNECT: return "connexion au serveur impossible";
	case CURLE_OPERATION_TIMEDOUT: return "le serveur n'a pas répondu à temps";
	case CURLE_LOGIN_DENIED: return "identifiant ou mot de passe refusé";
	case CURLE_SSL_CONNECT_ERROR: return "échec de la connexion chiffrée (TLS)";
	case CURLE_PEER_FAILED_VERIFICATION: return "certificat du serveur refusé";
	case CURLE_USE_SSL_FAILED: return "le serveur ne propose pas de connexion chiffrée";
	case CURLE_SEND_ERROR: return "envoi au serveur interrompu";
	case CURLE_RECV_ERROR: return "réception depuis le serveur interrompue";
	case CURLE_GOT_NOTHING: return "le serveur n'a rien répondu";
	case CURLE_REMOTE_ACCESS_DENIED: return "accès refusé par le serveur";
	case CURLE_REMOTE_FILE_NOT_FOUND: return "dossier ou message introuvable sur le serveur";
	case CURLE_WRITE_ERROR: return "réponse trop grande ou interrompue";
	case CURLE_TOO_MANY_REDIRECTS: return "trop de redirections";
	default: return curl_easy_strerror((CURLcode)rc);
	}
}

/* Appends libcurl's failure rc in French, its detail msg (if any) in
 * brackets. */
static void curl_failure(struct buf *err, CURLcode rc, const char *msg)
{
	buf_printf(err, "%s%s%s%s", mail_curl_error(rc), *msg ? " (" : "", msg, *msg ? ")" : "");
}

/* Sends one mail over SMTP; 0, or -1 with the error in err. */
static int send_smtp(const char *to, const char *message, struct buf *err)
{
	CURL *c = curl_easy_init();
	if (!c) {
		buf_puts(err, "libcurl indisponible");
		return -1;
	}
	char from[300], rcpt[300], msg[CURL_ERROR_SIZE] = "";
	snprintf(from, sizeof(from), "<%s>", mail_cfg.from);
	snprintf(rcpt, sizeof(rcpt), "<%s>", to);
	struct curl_slist *list = curl_slist_append(NULL, rcpt);
	struct smtp_upload u = {message, strlen(message), 0};
	curl_easy_setopt(c, CURLOPT_URL, mail_cfg.smtp_url);
	/* STARTTLS when offered; demanded when there is a password to send */
	curl_easy_setopt(c, CURLOPT_USE_SSL,
			 (long)(mail_cfg.smtp_user ? CURLUSESSL_ALL : CURLUSESSL_TRY));
	if (mail_cfg.smtp_ca)
		curl_easy_setopt(c, CURLOPT_CAINFO, mail_cfg.smtp_ca);
	if (mail_cfg.smtp_user) {
		curl_easy_setopt(c, CURLOPT_USERNAME, mail_cfg.smtp_user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, mail_cfg.smtp_password ? mail_cfg.smtp_password : "");
	}
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, list);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
	curl_easy_setopt(c, CURLOPT_READDATA, &u);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, msg);
	CURLcode rc = curl_easy_perform(c);
	if (rc == CURLE_USE_SSL_FAILED)
		buf_puts(err, "le serveur de courrier ne propose pas STARTTLS : l'identifiant et le "
			      "mot de passe ne sont pas envoyés en clair (prenez smtps:// ou un "
			      "serveur qui chiffre)");
	else if (rc == CURLE_PEER_FAILED_VERIFICATION)
		buf_printf(err, "certificat du serveur de courrier refusé (%s) ; s'il vient d'une "
			       "autorité privée, donnez-la avec --smtp-ca", *msg ? msg : "invalide");
	else if (rc != CURLE_OK)
		curl_failure(err, rc, msg);
	curl_slist_free_all(list);
	curl_easy_cleanup(c);
	return rc == CURLE_OK ? 0 : -1;
}

/* Posts one webhook; 0 when it answers 2xx, else -1 with err set. */
static int send_webhook(const char *url, const char *id, const char *body, struct buf *err)
{
	const char *problem = webhook_shape_problem(url);
	if (problem) {
		buf_puts(err, problem);
		return -1;
	}
	struct hook_guard guard = {""};
	CURL *c = curl_easy_init();
	if (!c) {
		buf_puts(err, "libcurl indisponible");
		return -1;
	}
	char header[200], msg[CURL_ERROR_SIZE] = "";
	snprintf(header, sizeof(header), "X-Maillage-Delivery: %s", id);
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	h = curl_slist_append(h, header);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, msg);
	curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, guarded_socket);
	curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &guard);
	CURLcode rc = curl_easy_perform(c);
	long status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (rc != CURLE_OK && *guard.why)
		buf_puts(err, guard.why);
	else if (rc != CURLE_OK)
		curl_failure(err, rc, msg);
	else if (status < 200 || status > 299)
		buf_printf(err, "réponse HTTP %ld", status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return rc == CURLE_OK && status >= 200 && status <= 299 ? 0 : -1;
}

/* Writes a mail as a .eml file of the outbox folder; 0 or -1 with err. */
static int write_eml(long long id, const char *message, struct buf *err)
{
	char path[4200], tmp[4300];
	const char *dir = mail_cfg.eml_dir ? mail_cfg.eml_dir : "data/outbox";
	if (mkdir(dir, 0750) < 0 && errno != EEXIST) {
		buf_printf(err, "%s : dossier impossible à créer (%s)", dir, text_errno(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%06lld.eml", dir, id);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *f = fopen(tmp, "wb");
	size_t n = strlen(message);
	bool ok = f && fwrite(message, 1, n, f) == n;
	int saved = errno;
	if (f && fclose(f) != 0 && ok)
		ok = false, saved = errno;
	if (ok && rename(tmp, path) < 0)
		ok = false, saved = errno;
	if (!ok) {
		buf_printf(err, "%s : écriture impossible (%s)", path, text_errno(saved));
		unlink(tmp); /* no half-written file left behind */
		return -1;
	}
	return 0;
}

/* Sends one outbox row; records the result. 1 when sent, 0 when not, -1
 * when the database failed. */
static int send_row(json_t *row)
{
	long long id = db_num(row, "id"), attempts = db_num(row, "attempts") + 1;
	const char *to = db_str(row, "recipient"), *body = db_str(row, "body");
	struct buf err = {0};
	int rc = strcmp(db_str(row, "kind"), "webhook") == 0
		? send_webhook(to, db_str(row, "message_id"), body, &err)
		: mail_cfg.smtp_url ? send_smtp(to, body, &err) : write_eml(id, body, &err);
	long long delay = (long long)mail_cfg.retry_base << (attempts - 1 < 12 ? attempts - 1 : 12);
	if (delay > MAIL_BACKOFF_MAX)
		delay = MAIL_BACKOFF_MAX;
	char shift[32];
	snprintf(shift, sizeof(shift), "+%lld seconds", delay);
	int db = rc == 0
		? db_exec("UPDATE outbox SET status = 'sent', attempts = ?, sent = strftime("
			  "'%Y-%m-%dT%H:%M:%SZ', 'now'), last_error = NULL, modified = strftime("
			  "'%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?", "ii", attempts, id)
		: db_exec("UPDATE outbox SET attempts = ?, last_error = ?, status = CASE WHEN expires <= "
			  DB_NOW " THEN 'failed' ELSE 'queued' END, "
			  "next_attempt = " DB_NOW_SHIFTED("?") ", modified = "
			  DB_NOW " WHERE id = ?", "itti", attempts,
			  buf_str(&err), shift, id);
	buf_free(&err);
	return db < 0 ? -1 : rc == 0;
}

/* Sends what is due now, at most max messages; how many were sent or -1. */
int mail_send_due(int max)
{
	int sent = 0;
	for (int i = 0; i < max; i++) {
		json_t *row = db_row("SELECT id, kind, message_id, recipient, body, attempts FROM outbox "
				     "WHERE status = 'queued' AND next_attempt <= strftime("
				     "'%Y-%m-%dT%H:%M:%SZ', 'now') ORDER BY next_attempt, id LIMIT 1", NULL);
		if (!row)
			break;
		int rc = send_row(row);
		json_decref(row);
		if (rc < 0)
			return -1;
		sent += rc;
	}
	return sent;
}

static pthread_t worker;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static bool running, stopping;

/* Tells whether the daily digests are due: past today's reminder time,
 * and not yet done today by this process (the digest table keeps anyone
 * from getting a second one after a restart). */
static bool digest_time(void)
{
	static char done[16];
	if (!mail_cfg.reminder_time)
		return false;
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	char hm[8], day[16];
	snprintf(hm, sizeof(hm), "%02d:%02d", tm.tm_hour, tm.tm_min);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	if (strcmp(hm, mail_cfg.reminder_time) < 0 || strcmp(day, done) == 0)
		return false;
	memcpy(done, day, sizeof(done));
	return true;
}

/* The background thread: sends what is due, the digests once a day after
 * their time, then sleeps a second (or until stopped). */
static void *work(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	while (!stopping) {
		pthread_mutex_unlock(&lock);
		if (mail_cfg.daily && digest_time() && mail_cfg.daily() < 0)
			log_error("rappels quotidiens impossibles");
		if (mail_send_due(20) < 0)
			log_error("boîte d'envoi illisible");
		pthread_mutex_lock(&lock);
		if (stopping)
			break;
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;
		pthread_cond_timedwait(&wake, &lock, &until);
	}
	pthread_mutex_unlock(&lock);
	db_close();
	return NULL;
}

/* Starts the background thread; 0 or -1. */
int mail_start(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	stopping = false;
	running = pthread_create(&worker, NULL, work, NULL) == 0;
	return running ? 0 : -1;
}

/* Stops the background thread after its current message. */
void mail_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&lock);
	stopping = true;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
	pthread_join(worker, NULL);
	running = false;
	curl_global_cleanup();
}
