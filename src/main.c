/* main.c — the command line: one dispatch table of subcommands, each with
 * its options accepted before or after its arguments. */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive.h"
#include "asset.h"
#include "auth.h"
#include "content.h"
#include "convert.h"
#include "db.h"
#include "digest.h"
#include "doc.h"
#include "export.h"
#include "extract.h"
#include "file.h"
#include "imap.h"
#include "log.h"
#include "mail.h"
#include "mailin.h"
#include "markdown.h"
#include "mem.h"
#include "notify.h"
#include "page.h"
#include "poll.h"
#include "report.h"
#include "search.h"
#include "server.h"
#include "text.h"
#include "upload.h"

#define VERSION "0.1.0"
#define MAX_POS 8

/* One option of a command: --name VALUE (value set) or --name (flag set). */
struct opt {
	const char *name;
	const char **value;
	bool *flag;
};

/* One subcommand. */
struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
	const char *summary;
};

/* Prints a usage error for cmd and returns the usage exit status 2. */
static int usage_error(const char *cmd, const char *msg, const char *arg)
{
	fprintf(stderr, "maillage %s : %s%s%s (voir « maillage %s --help »)\n", cmd, msg,
		arg ? " " : "", arg ? arg : "", cmd);
	return 2;
}

/* Splits argv into options and positional arguments; returns 0, 1 when
 * --help was asked, or 2 after printing a usage error. */
static int parse_opts(const char *cmd, int argc, char **argv, struct opt *opts,
		      const char **pos, int *npos)
{
	*npos = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			return 1;
		bool letter = a[0] == '-' && a[1] && a[1] != '-' && !a[2]; /* -o: a one-letter option */
		if (!letter && (strncmp(a, "--", 2) != 0 || a[2] == '\0')) {
			if (*npos == MAX_POS)
				return usage_error(cmd, "trop d'arguments :", a);
			pos[(*npos)++] = a;
			continue;
		}
		const char *name = a + (letter ? 1 : 2), *eq = letter ? NULL : strchr(a, '=');
		size_t n = eq ? (size_t)(eq - name) : strlen(name);
		struct opt *o = opts;
		while (o->name && (strlen(o->name) != n || strncmp(o->name, name, n) != 0))
			o++;
		if (!o->name)
			return usage_error(cmd, "option inconnue :", a);
		if (o->flag) {
			if (eq)
				return usage_error(cmd, "cette option ne prend pas de valeur :", a);
			*o->flag = true;
		} else if (eq) {
			*o->value = eq + 1;
		} else if (i + 1 < argc) {
			*o->value = argv[++i];
		} else {
			return usage_error(cmd, "valeur manquante après", a);
		}
	}
	return 0;
}

/* Returns the default database path (MAILLAGE_DB or data/maillage.db). */
static const char *default_db(void)
{
	const char *env = getenv("MAILLAGE_DB");
	return env && *env ? env : "data/maillage.db";
}

/* Returns an environment variable, or dflt when unset or empty. */
static const char *env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);
	return v && *v ? v : dflt;
}

/* Opens the existing database at path; prints the error and returns -1. */
static int open_db(const char *path)
{
	struct buf err = {0};
	int rc = db_open(path, false, &err);
	if (rc < 0)
		fprintf(stderr, "maillage: %s\n", buf_str(&err));
	buf_free(&err);
	return rc;
}

/* Tells whether path is a directory. */
static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Writes this program's own path into exe; tells whether it is known. */
static bool self_exe(char exe[PATH_MAX])
{
	ssize_t n = readlink("/proc/self/exe", exe, PATH_MAX - 1);
	exe[n > 0 ? n : 0] = '\0';
	return n > 0;
}

/* Puts the spool files of uploads beside the database db (its disk is the
 * one a full disk must be met on), files up to max bytes (0: the default). */
static void spool_beside(const char *db, unsigned long long max)
{
	char copy[PATH_MAX];
	snprintf(copy, sizeof(copy), "%s", db);
	upload_configure(dirname(copy), max);
}

/* Returns the folder name of Maillage's shared files (templates, demo
 * content): ./name when present, else beside the binary, else in
 * ../share/maillage/ of the binary (an installed copy). */
static const char *find_share(const char *name)
{
	static char path[PATH_MAX + 64];
	if (is_dir(name))
		return name;
	char exe[PATH_MAX];
	if (self_exe(exe)) {
		char *dir = dirname(exe);
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if (is_dir(path))
			return path;
		snprintf(path, sizeof(path), "%s/../share/maillage/%s", dir, name);
		if (is_dir(path))
			return path;
	}
	return name;
}

/* Finds the templates folder: ./templates, beside the binary, or installed. */
static const char *find_templates(void)
{
	return find_share("templates");
}

/* Returns s as a whole number from 1 to max, or 0 when it is not one. */
static unsigned parse_count(const char *s, unsigned max)
{
	char *end;
	long v = strtol(s, &end, 10);
	return *s && !*end && v >= 1 && v <= (long)max ? (unsigned)v : 0;
}

/* Prints a count with its noun in French ("1 compte", "2 comptes"),
 * between before and after. */
static void print_count(const char *before, long long n, const char *one, const char *many,
			const char *after)
{
	struct buf b = {0};
	text_count(&b, n, one, many);
	printf("%s%s%s", before, buf_str(&b), after);
	buf_free(&b);
}

/* Rebuilds a search index left behind by another tool, then re-renders the
 * documents stored by an older renderer; 0 or -1. */
static int refresh_documents(void)
{
	if (search_stale()) {
		printf("Index de recherche en retard sur les données : reconstruction…\n");
		fflush(stdout);
		if (search_reindex() < 0) {
			fprintf(stderr, "maillage: la reconstruction de l'index de recherche a échoué\n");
			return -1;
		}
		print_count("Index de recherche reconstruit : ",
			    db_int(0, "SELECT count(*) FROM doc", NULL), "document", "documents", "\n");
	}
	long long n = doc_refresh_stale();
	if (n < 0)
		fprintf(stderr, "maillage: le rendu des documents enregistrés a échoué\n");
	else if (n > 0)
		print_count("", n, "document rendu", "documents rendus",
			    " à nouveau (moteur de rendu à jour)\n");
	return n < 0 ? -1 : 0;
}

static const char serve_usage[] =
	"usage : maillage serve [--db PATH] [--listen ADRESSE:PORT] [--threads N]\n"
	"                       [--timeout S] [--base-url URL] [--templates DOSSIER] [--dev]\n"
	"                       [--smtp-url URL] [--smtp-user NOM] [--smtp-ca FICHIER]\n"
	"                       [--mail-from ADRESSE]\n"
	"                       [--outbox-dir DOSSIER] [--reminder-time HH:MM] [--retry-base S]\n"
	"                       [--allow-local-webhooks] [--log-format text|json]\n"
	"                       [--trusted-proxy ADRESSE] [--max-per-ip N] [--max-upload MO]\n"
	"                       [--clamd SOCKET] [--imap-url URL] [--imap-user NOM]\n"
	"                       [--imap-ca FICHIER] [--imap-interval S]\n"
	"  --listen        adresse d'écoute (MAILLAGE_LISTEN, défaut 127.0.0.1:8080)\n"
	"  --threads       fils de traitement (défaut : un par cœur)\n"
	"  --timeout       secondes d'inactivité avant de fermer une connexion (défaut 30)\n"
	"  --base-url      adresse publique, ex. https://maillage.example.org (MAILLAGE_BASE_URL)\n"
	"  --templates     dossier des gabarits (MAILLAGE_TEMPLATES, défaut ./templates)\n"
	"  --dev           recharge les gabarits modifiés sans redémarrer (sans cache de pages)\n"
	"  --smtp-url      serveur de courrier smtp://hôte:port ou smtps://… (MAILLAGE_SMTP_URL) ;\n"
	"                  sans lui, les messages sont écrits en fichiers .eml\n"
	"  --smtp-user     identifiant SMTP (MAILLAGE_SMTP_USER ; mot de passe dans\n"
	"                  MAILLAGE_SMTP_PASSWORD) ; envoyés seulement sur une connexion chiffrée\n"
	"  --smtp-ca       certificats d'une autorité privée pour vérifier le serveur de\n"
	"                  courrier (MAILLAGE_SMTP_CA ; défaut : ceux du système)\n"
	"  --mail-from     adresse d'expédition (MAILLAGE_MAIL_FROM)\n"
	"  --outbox-dir    dossier des .eml sans serveur (défaut : outbox/ à côté de la base)\n"
	"  --reminder-time heure UTC des rappels quotidiens (MAILLAGE_REMINDER_TIME, défaut 07:00)\n"
	"  --retry-base    secondes avant le premier nouvel essai d'envoi, doublées ensuite (30)\n"
	"  --allow-local-webhooks  accepte les webhooks http:// vers cette machine\n"
	"  --log-format    journal en lignes de texte (défaut) ou en objets JSON\n"
	"                  (MAILLAGE_LOG_FORMAT)\n"
	"  --trusted-proxy adresse du mandataire (nginx) dont l'en-tête X-Forwarded-For\n"
	"                  donne l'adresse du client (MAILLAGE_TRUSTED_PROXY) ; ignoré sinon\n"
	"  --max-per-ip    connexions simultanées d'une même adresse (défaut 256 ; sans\n"
	"                  limite derrière --trusted-proxy, le mandataire limite alors)\n"
	"  --max-upload    taille la plus grande d'un document joint, en mégaoctets (défaut 50 ;\n"
	"                  20 documents au plus par envoi)\n"
	"  --clamd         socket de clamd (MAILLAGE_CLAMD) : chaque document envoyé attend son\n"
	"                  analyse avant d'être servi ; un document infecté n'est jamais servi\n"
	"  --imap-url      boîte aux lettres des réponses de calendrier, imaps://hôte/DOSSIER\n"
	"                  (MAILLAGE_IMAP_URL) : lue chaque minute, une réponse à une invitation\n"
	"                  y donne la présence de l'invité ; les autres messages restent non lus\n"
	"  --imap-user     identifiant de la boîte (MAILLAGE_IMAP_USER ; mot de passe dans\n"
	"                  MAILLAGE_IMAP_PASSWORD) ; envoyés seulement sur une connexion chiffrée\n"
	"  --imap-ca       certificats d'une autorité privée pour vérifier la boîte\n"
	"                  (MAILLAGE_IMAP_CA ; défaut : ceux du système)\n"
	"  --imap-interval secondes entre deux lectures de la boîte (défaut 60)\n";

/* The day's mails: the digest of actions and follow-ups, the reminders of
 * date polls about to close and the news of those that closed; how many,
 * or -1. */
static int daily_work(void)
{
	int digests = digest_send_today(), polls = poll_daily();
	return digests < 0 || polls < 0 ? -1 : digests + polls;
}

/* Reads the mail options into the outbox's configuration; 0, or 2 with a
 * message on a bad value. */
static int configure_mail(const char *db, const char *smtp, const char *user, const char *ca,
			  const char *from, const char *outbox, const char *reminder,
			  const char *retry, bool local)
{
	static char dir[PATH_MAX];
	if (!outbox) {
		char copy[PATH_MAX];
		snprintf(copy, sizeof(copy), "%s", db);
		snprintf(dir, sizeof(dir), "%s/outbox", dirname(copy));
		outbox = dir;
	}
	struct mail_config mc = {.smtp_url = smtp && *smtp ? smtp : NULL, .smtp_user = user,
				 .smtp_password = getenv("MAILLAGE_SMTP_PASSWORD"), .smtp_ca = ca,
				 .from = from,
				 .eml_dir = outbox, .reminder_time = reminder, .daily = daily_work,
				 .allow_local_webhooks = local};
	if (retry && (mc.retry_base = parse_count(retry, 3600)) == 0)
		return usage_error("serve", "délai invalide (1 à 3600 secondes) :", retry);
	struct buf err = {0};
	int rc = mail_configure(&mc, &err) < 0 ? usage_error("serve", buf_str(&err), "") : 0;
	buf_free(&err);
	return rc;
}

/* Reads the options of the replies' mailbox; 0, or 2 with a message on a
 * bad value. */
static int configure_imap(const char *url, const char *user, const char *ca,
			  const char *interval)
{
	struct imap_config ic = {.url = url, .user = user, .ca = ca,
				 .password = getenv("MAILLAGE_IMAP_PASSWORD")};
	if (interval && (ic.interval = parse_count(interval, 3600)) == 0)
		return usage_error("serve", "délai invalide (1 à 3600 secondes) :", interval);
	if (!url || !*url)
		return user || ca || interval ? usage_error("serve", "--imap-user, --imap-ca et "
							    "--imap-interval demandent --imap-url", "")
					      : 0;
	struct buf err = {0};
	int rc = imap_configure(&ic, &err) < 0 ? usage_error("serve", buf_str(&err), "") : 0;
	buf_free(&err);
	return rc;
}

/* The site's address in mails and calendars (notify_site): --base-url, or
 * http:// and the host --listen names with the port it was bound to. */
static char site[600];
static const char *site_listen; /* --listen, when it makes the address */

/* Once the server listens on port: makes the site's address from --listen
 * (port 0 picks a free port; a bare port listens on 127.0.0.1), then
 * starts the outbox. */
static int serve_ready(unsigned port)
{
	static char bound[600]; /* made whole, then pointed at: requests may read it */
	if (site_listen) {
		const char *colon = strrchr(site_listen, ':');
		if (colon && !strchr(colon, ']'))
			snprintf(bound, sizeof(bound), "http://%.*s:%u", (int)(colon - site_listen),
				 site_listen, port);
		else
			snprintf(bound, sizeof(bound), "http://127.0.0.1:%u", port);
		notify_site = bound;
	}
	if (mail_start() < 0 || imap_start() < 0)
		return -1;
	char exe[PATH_MAX];
	if (!self_exe(exe) || file_worker_start(exe) < 0)
		log_error("la lecture du texte des documents ne démarre pas : ils ne seront pas "
			  "trouvés par la recherche");
	return 0;
}

/* maillage serve — runs the web server until SIGTERM or SIGINT. */
static int cmd_serve(int argc, char **argv)
{
	const char *db = default_db(), *listen = env_or("MAILLAGE_LISTEN", "127.0.0.1:8080");
	const char *threads_s = NULL, *timeout_s = NULL, *per_ip = NULL, *base = env_or("MAILLAGE_BASE_URL", NULL);
	const char *max_upload = NULL, *clamd = env_or("MAILLAGE_CLAMD", NULL);
	const char *tdir = env_or("MAILLAGE_TEMPLATES", NULL), *pos[MAX_POS];
	const char *smtp = env_or("MAILLAGE_SMTP_URL", NULL), *user = env_or("MAILLAGE_SMTP_USER", NULL);
	const char *ca = env_or("MAILLAGE_SMTP_CA", NULL);
	const char *from = env_or("MAILLAGE_MAIL_FROM", NULL), *outbox = NULL, *retry = NULL;
	const char *reminder = env_or("MAILLAGE_REMINDER_TIME", "07:00");
	const char *log_format = env_or("MAILLAGE_LOG_FORMAT", "text");
	const char *proxy = env_or("MAILLAGE_TRUSTED_PROXY", NULL);
	const char *imap = env_or("MAILLAGE_IMAP_URL", NULL), *imap_user = env_or("MAILLAGE_IMAP_USER", NULL);
	const char *imap_ca = env_or("MAILLAGE_IMAP_CA", NULL), *imap_interval = NULL;
	bool dev = false, local = false;
	int npos, rc;
	struct opt opts[] = {{"db", &db, NULL}, {"listen", &listen, NULL},
			     {"log-format", &log_format, NULL}, {"trusted-proxy", &proxy, NULL},
			     {"threads", &threads_s, NULL}, {"timeout", &timeout_s, NULL},
			     {"max-per-ip", &per_ip, NULL}, {"max-upload", &max_upload, NULL},
			     {"clamd", &clamd, NULL},
			     {"base-url", &base, NULL}, {"templates", &tdir, NULL}, {"dev", NULL, &dev},
			     {"smtp-url", &smtp, NULL}, {"smtp-user", &user, NULL}, {"smtp-ca", &ca, NULL},
			     {"mail-from", &from, NULL}, {"outbox-dir", &outbox, NULL},
			     {"reminder-time", &reminder, NULL}, {"retry-base", &retry, NULL},
			     {"allow-local-webhooks", NULL, &local}, {"imap-url", &imap, NULL},
			     {"imap-user", &imap_user, NULL}, {"imap-ca", &imap_ca, NULL},
			     {"imap-interval", &imap_interval, NULL}, {NULL, NULL, NULL}};
	if ((rc = parse_opts("serve", argc, argv, opts, pos, &npos)))
		return rc == 1 ? (fputs(serve_usage, stdout), 0) : rc;
	if (npos)
		return usage_error("serve", "argument inattendu :", pos[0]);
	struct server_options so = {.listen = listen, .max_body = 4u << 20, .timeout = 30,
				    .max_header = 64u << 10};
	if (threads_s && (so.threads = parse_count(threads_s, 256)) == 0)
		return usage_error("serve", "nombre de fils invalide (1 à 256) :", threads_s);
	if (timeout_s && (so.timeout = parse_count(timeout_s, 3600)) == 0)
		return usage_error("serve", "délai invalide (1 à 3600 secondes) :", timeout_s);
	so.max_per_ip = proxy ? 0 : 256;
	if (per_ip && (so.max_per_ip = parse_count(per_ip, 65535)) == 0)
		return usage_error("serve", "nombre de connexions invalide (1 à 65535) :", per_ip);
	unsigned upload_mb = 50;
	if (max_upload && (upload_mb = parse_count(max_upload, 4096)) == 0)
		return usage_error("serve", "taille invalide (1 à 4096 Mo) :", max_upload);
	spool_beside(db, (unsigned long long)upload_mb << 20);
	if (clamd && (!*clamd || strlen(clamd) >= 100))
		return usage_error("serve", "--clamd attend le chemin du socket de clamd (moins de 100 "
				   "caractères) :", clamd);
	file_set_clamd(clamd);
	if (base && strncmp(base, "http://", 7) != 0 && strncmp(base, "https://", 8) != 0)
		return usage_error("serve", "--base-url doit commencer par http:// ou https:// :", base);
	if ((rc = configure_mail(db, smtp, user, ca, from, outbox, reminder, retry, local)) ||
	    (rc = configure_imap(imap, imap_user, imap_ca, imap_interval)))
		return rc;
	if (strcmp(log_format, "text") != 0 && strcmp(log_format, "json") != 0)
		return usage_error("serve", "--log-format attend text ou json :", log_format);
	log_set_json(strcmp(log_format, "json") == 0);
	so.ready = serve_ready; /* the outbox starts once the address is taken */
	so.trusted_proxy = proxy;
	page_cfg.base_url = base;
	page_cfg.secure = base && strncmp(base, "https://", 8) == 0;
	snprintf(site, sizeof(site), "%s%s", base ? "" : "http://", base ? base : listen);
	if (site[0] && site[strlen(site) - 1] == '/')
		site[strlen(site) - 1] = '\0';
	site_listen = base ? NULL : listen;
	notify_site = site;
	if (!tdir)
		tdir = find_templates();
	struct buf err = {0};
	char assets[PATH_MAX + 128];
	snprintf(assets, sizeof(assets), "%s/assets", tdir);
	if (open_db(db) < 0 || refresh_documents() < 0 || page_init(tdir, dev, &err) < 0 ||
	    asset_load_dir(assets, &err) < 0) {
		if (err.len)
			fprintf(stderr, "maillage: %s\n", buf_str(&err));
		rc = 2;
	} else {
		rc = server_run(&so);
	}
	imap_stop();
	file_worker_stop();
	mail_stop();
	buf_free(&err);
	page_shutdown();
	asset_free();
	db_close();
	return rc;
}

/* Creates the folder that will hold path, when missing; 0 or -1. */
static int make_parent(const char *path)
{
	char copy[PATH_MAX];
	snprintf(copy, sizeof(copy), "%s", path);
	char *dir = dirname(copy);
	if (is_dir(dir) || mkdir(dir, 0750) == 0)
		return 0;
	fprintf(stderr, "maillage: impossible de créer le dossier %s : %s\n", dir, text_errno(errno));
	return -1;
}

/* The demo accounts: fictional people, one per role. */
static const struct {
	const char *email, *name, *role, *org;
} demo_accounts[] = {
	{"admin@maillage.test", "Administration (démo)", "admin", "cai"},
	{"coordination@maillage.test", "Coordination (démo)", "coordinator", "cai"},
	{"ca@maillage.test", "Membre du CA (démo)", "board", NULL},
	{"partenaire@maillage.test", "Partenaire du CPAS (démo)", "partner", "cpas-de-namur"},
};

/* Creates the demo accounts with random passwords, listed in
 * demo-accounts.txt beside the database; 0 or -1. */
static int create_demo_accounts(const char *db)
{
	char path[PATH_MAX], copy[PATH_MAX];
	snprintf(copy, sizeof(copy), "%s", db);
	snprintf(path, sizeof(path), "%s/demo-accounts.txt", dirname(copy));
	umask(077);
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "maillage: impossible d'écrire %s : %s\n", path, text_errno(errno));
		return -1;
	}
	fprintf(f, "Comptes de démonstration de Maillage (mots de passe tirés au hasard à la "
		"création de la base)\n\n");
	int rc = 0;
	for (size_t i = 0; i < sizeof(demo_accounts) / sizeof(demo_accounts[0]) && rc == 0; i++) {
		char pw[17];
		struct buf err = {0};
		auth_random_password(pw);
		if (auth_user_add(demo_accounts[i].email, demo_accounts[i].name, demo_accounts[i].role,
				  demo_accounts[i].org, pw, 0, &err) < 0) {
			fprintf(stderr, "maillage: %s\n", buf_str(&err));
			rc = -1;
		}
		fprintf(f, "%-12s %-28s %s\n", demo_accounts[i].role, demo_accounts[i].email, pw);
		buf_free(&err);
	}
	if (fclose(f) != 0)
		rc = -1;
	if (rc == 0)
		printf("Comptes de démonstration écrits dans %s\n", path);
	return rc;
}

/* Compacts the search index after a bulk write that succeeded (rc 0);
 * a failure only slows searches down, and is said. Returns rc. */
static int compact_after(int rc)
{
	if (rc == 0 && search_compact() < 0)
		fprintf(stderr, "maillage: le compactage de l'index de recherche a échoué (les "
				"recherches restent justes, mais plus lentes)\n");
	return rc;
}

/* Imports the demo network of content/ and creates the demo accounts. */
static int import_demo(const char *db)
{
	struct buf err = {0};
	const char *dir = find_share("content");
	int rc = compact_after(content_import_dir(dir, &err));
	if (rc < 0)
		fprintf(stderr, "maillage: %s\n", buf_str(&err));
	else
		printf("Réseau de démonstration importé depuis %s/\n", dir);
	buf_free(&err);
	int docs = rc == 0 ? content_demo_documents() : 0;
	if (docs == 1)
		fprintf(stderr, "maillage: pandoc est absent : la démonstration n'a pas de documents "
				"joints (sudo apt-get install pandoc)\n");
	else if (docs < 0)
		fprintf(stderr, "maillage: les documents de démonstration n'ont pas pu être joints\n");
	return rc < 0 ? -1 : create_demo_accounts(db);
}

/* maillage init — creates a new database, with the demo network on --demo. */
static int cmd_init(int argc, char **argv)
{
	const char *db = default_db(), *pos[MAX_POS];
	bool demo = false;
	int npos, rc;
	struct opt opts[] = {{"db", &db, NULL}, {"demo", NULL, &demo}, {NULL, NULL, NULL}};
	if ((rc = parse_opts("init", argc, argv, opts, pos, &npos)))
		return rc == 1 ? (puts("usage : maillage init [--db PATH] [--demo]\n"
				       "  crée une base neuve ; --demo ajoute les comptes de "
				       "démonstration"), 0) : rc;
	if (npos)
		return usage_error("init", "argument inattendu :", pos[0]);
	if (access(db, F_OK) == 0) {
		fprintf(stderr, "maillage: la base %s existe déjà ; rien n'a été modifié\n", db);
		return 1;
	}
	if (make_parent(db) < 0)
		return 1;
	struct buf err = {0};
	if (db_open(db, true, &err) < 0) {
		fprintf(stderr, "maillage: %s\n", buf_str(&err));
		buf_free(&err);
		return 1;
	}
	buf_free(&err);
	printf("Base créée : %s (schéma %d)\n", db, db_schema_version());
	rc = demo ? import_demo(db) : 0;
	db_close();
	return rc < 0 ? 1 : 0;
}

/* Reads a password from standard input (first line, without its newline). */
static int read_password(char *out, size_t size)
{
	if (!fgets(out, (int)size, stdin)) {
		fprintf(stderr, "maillage: aucun mot de passe lu sur l'entrée standard\n");
		return -1;
	}
	out[strcspn(out, "\r\n")] = '\0';
	return 0;
}

static const char user_usage[] =
	"usage : maillage user add EMAIL --role ROLE [--org SLUG] [--name NOM] [--password-stdin]\n"
	"        maillage user list\n"
	"        maillage user passwd EMAIL [--password-stdin]\n"
	"        maillage user disable|enable EMAIL\n"
	"  ROLE : admin, coordinator, board ou partner. Sans --password-stdin, un mot de\n"
	"  passe est tiré au hasard et affiché une fois.\n";

/* Gets the password of user add or passwd: from stdin, or a random one. */
static int obtain_password(bool from_stdin, char *pw, size_t size, bool *generated)
{
	*generated = !from_stdin;
	if (from_stdin)
		return read_password(pw, size);
	auth_random_password(pw);
	return 0;
}

/* maillage user add — creates an account. */
static int user_add(const char *email, const char *role, const char *org, const char *name,
		    bool from_stdin)
{
	char pw[1100], fallback[256];
	bool generated;
	if (!role)
		return usage_error("user", "--role est obligatoire", NULL);
	if (!name) {
		snprintf(fallback, sizeof(fallback), "%.*s", (int)strcspn(email, "@"), email);
		name = fallback;
	}
	if (obtain_password(from_stdin, pw, sizeof(pw), &generated) < 0)
		return 1;
	struct buf err = {0};
	long long id = auth_user_add(email, name, role, org, pw, 0, &err);
	if (id < 0)
		fprintf(stderr, "maillage: %s\n", buf_str(&err));
	else if (generated)
		printf("Compte %s créé (%s). Mot de passe : %s\n", email, role, pw);
	else
		printf("Compte %s créé (%s).\n", email, role);
	buf_free(&err);
	sodium_memzero(pw, sizeof(pw));
	return id < 0 ? 1 : 0;
}

/* maillage user list — prints every account. */
static int user_list(void)
{
	json_t *rows = db_rows("SELECT u.email, u.role, u.name, coalesce(o.slug, '') AS org, "
			       "u.disabled FROM user u LEFT JOIN organisation o "
			       "ON o.id = u.organisation_id ORDER BY u.email", NULL);
	if (!rows)
		return 1;
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
		printf("%-36s %-12s %-24s %s%s\n", json_string_value(json_object_get(r, "email")),
		       json_string_value(json_object_get(r, "role")),
		       json_string_value(json_object_get(r, "org")),
		       json_string_value(json_object_get(r, "name")),
		       json_integer_value(json_object_get(r, "disabled")) ? " (désactivé)" : "");
	print_count("", (long long)json_array_size(rows), "compte", "comptes", "\n");
	json_decref(rows);
	return 0;
}

/* maillage user passwd — sets an account's password. */
static int user_passwd(const char *email, bool from_stdin)
{
	char pw[1100];
	bool generated;
	if (obtain_password(from_stdin, pw, sizeof(pw), &generated) < 0)
		return 1;
	struct buf err = {0};
	int rc = auth_user_set_password(email, pw, 0, &err);
	if (rc < 0)
		fprintf(stderr, "maillage: %s\n", buf_str(&err));
	else if (generated)
		printf("Nouveau mot de passe de %s : %s\n", email, pw);
	else
		printf("Mot de passe de %s changé.\n", email);
	buf_free(&err);
	sodium_memzero(pw, sizeof(pw));
	return rc < 0 ? 1 : 0;
}

/* maillage user disable|enable — closes an account (its sessions, API
 * token and calendar link with it) or opens it again. */
static int user_set_disabled(const char *email, bool disabled)
{
	struct buf err = {0};
	int rc = auth_user_set_disabled(email, disabled, 0, &err);
	if (rc < 0)
		fprintf(stderr, "maillage: %s\n", buf_str(&err));
	else if (disabled)
		printf("Compte %s désactivé : ses sessions sont fermées, son jeton d'API et le lien "
		       "de son agenda révoqués.\n", email);
	else
		printf("Compte %s réactivé.\n", email);
	buf_free(&err);
	return rc < 0 ? 1 : 0;
}

/* maillage user add|list|passwd|disable|enable — manages accounts. */
static int cmd_user(int argc, char **argv)
{
	const char *db = default_db(), *role = NULL, *org = NULL, *name = NULL, *pos[MAX_POS];
	bool from_stdin = false;
	int npos, rc;
	struct opt opts[] = {{"db", &db, NULL}, {"role", &role, NULL}, {"org", &org, NULL},
			     {"name", &name, NULL}, {"password-stdin", NULL, &from_stdin},
			     {NULL, NULL, NULL}};
	if ((rc = parse_opts("user", argc, argv, opts, pos, &npos)))
		return rc == 1 ? (fputs(user_usage, stdout), 0) : rc;
	const char *sub = npos ? pos[0] : "";
	bool add = strcmp(sub, "add") == 0, passwd = strcmp(sub, "passwd") == 0,
	     list = strcmp(sub, "list") == 0, disable = strcmp(sub, "disable") == 0,
	     enable = strcmp(sub, "enable") == 0;
	if (!add && !passwd && !list && !disable && !enable)
		return usage_error("user", "sous-commande attendue : add, list, passwd, disable ou "
				   "enable", NULL);
	if (npos != (list ? 1 : 2))
		return usage_error("user", list ? "trop d'arguments" : "adresse e-mail attendue", NULL);
	if (open_db(db) < 0)
		return 1;
	rc = add ? user_add(pos[1], role, org, name, from_stdin)
		 : passwd ? user_passwd(pos[1], from_stdin)
		 : disable || enable ? user_set_disabled(pos[1], disable) : user_list();
	db_close();
	return rc;
}

static const char render_usage[] =
	"usage : maillage render [--spec [--ext LISTE]] [--actions | --text] [--db PATH]\n"
	"  Lit du Markdown sur l'entrée standard et écrit le HTML que le serveur\n"
	"  enregistrerait (avec le glossaire et les liens [[…]] de la base, si elle existe).\n"
	"  --spec     mode de conformité : CommonMark seul, HTML brut échappé\n"
	"  --ext      avec --spec, extensions md4c séparées par des virgules : tables,\n"
	"             strikethrough, tasklists, permissive-url-autolinks,\n"
	"             permissive-www-autolinks, permissive-email-autolinks, wiki-links,\n"
	"             underline, latex-math\n"
	"  --actions  écrit les actions des listes de tâches, une ligne JSON chacune\n"
	"  --text     écrit le texte brut que les courriers en tirent\n";

#define RENDER_MAX_INPUT (64u << 20)

/* Reads all of standard input (at most RENDER_MAX_INPUT bytes); 0 or -1. */
static int read_stdin(struct buf *in)
{
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0) {
		if (in->len + n > RENDER_MAX_INPUT) {
			fprintf(stderr, "maillage: entrée trop grande (plus de %u Mio)\n",
				RENDER_MAX_INPUT >> 20);
			return -1;
		}
		buf_append(in, chunk, n);
	}
	return ferror(stdin) ? -1 : 0;
}

/* Prints the actions as JSON lines. */
static void print_actions(const struct md_actions *a)
{
	for (size_t i = 0; i < a->n; i++) {
		json_t *o = json_pack("{s:s, s:s?, s:s?, s:b, s:I}", "text", a->items[i].text,
				      "owner", a->items[i].owner, "due", a->items[i].due, "done",
				      a->items[i].done, "line", (json_int_t)a->items[i].line);
		char *line = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
		if (line)
			puts(line);
		free(line);
		json_decref(o);
	}
}

/* maillage render — Markdown on stdin, HTML (or actions) on stdout. */
static int cmd_render(int argc, char **argv)
{
	const char *db = default_db(), *ext = NULL, *pos[MAX_POS];
	bool spec = false, actions_only = false, text = false;
	int npos, rc;
	struct opt opts[] = {{"db", &db, NULL}, {"spec", NULL, &spec}, {"ext", &ext, NULL},
			     {"actions", NULL, &actions_only}, {"text", NULL, &text},
			     {NULL, NULL, NULL}};
	if ((rc = parse_opts("render", argc, argv, opts, pos, &npos)))
		return rc == 1 ? (fputs(render_usage, stdout), 0) : rc;
	if (npos)
		return usage_error("render", "argument inattendu :", pos[0]);
	struct md_opts mo = {.spec = spec, .terminated = true};
	struct buf in = {0}, html = {0}, bad = {0};
	struct md_actions actions = {0};
	if (ext && !spec)
		return usage_error("render", "--ext ne va qu'avec --spec", NULL);
	if (ext && md_ext_parse(ext, &mo.extensions, &bad) < 0) {
		rc = usage_error("render", "extension inconnue :", buf_str(&bad));
		buf_free(&bad);
		return rc;
	}
	if (read_stdin(&in) < 0) {
		buf_free(&in);
		return 1;
	}
	if (text) {
		rc = md_render_text(buf_str(&in), in.len, &html);
		if (rc == 0)
			puts(buf_str(&html));
		buf_free(&in);
		buf_free(&html);
		return rc < 0 ? 1 : 0;
	}
	bool with_db = !spec && access(db, F_OK) == 0 && open_db(db) == 0;
	if (with_db)
		rc = doc_render(buf_str(&in), in.len, "internal", &html, NULL, &actions);
	else
		rc = md_render(buf_str(&in), in.len, &mo, &html, NULL, &actions);
	if (rc < 0)
		fprintf(stderr, "maillage: le rendu a échoué (mémoire insuffisante ?)\n");
	else if (actions_only)
		print_actions(&actions);
	else
		fwrite(html.data ? html.data : "", 1, html.len, stdout);
	if (with_db)
		db_close();
	md_actions_free(&actions);
	buf_free(&in);
	buf_free(&html);
	return rc < 0 ? 1 : 0;
}

/* maillage check — integrity, references and stale renders; exit 1 when
 * anything is wrong. */
static int cmd_check(int argc, char **argv)
{
	const char *db = default_db(), *pos[MAX_POS];
	int npos, rc;
	struct opt opts[] = {{"db", &db, NULL}, {NULL, NULL, NULL}};
	if ((rc = parse_opts("check", argc, argv, opts, pos, &npos)))
		return rc == 1 ? (puts("usage : maillage check [--db PATH]\n"
				       "  vérifie l'intégrité de la base, ses références et les "
				       "documents à rendre à nouveau"), 0) : rc;
	if (npos)
		return usage_error("check", "argument inattendu :", pos[0]);
	if (open_db(db) < 0)
		return 1;
	struct buf problems = {0};
	int count = db_check(&problems);
	count += search_check(&problems);
	long long stale = doc_stale_count();
	fputs(buf_str(&problems), stdout);
	if (stale != 0) {
		print_count("rendus périmés : ", stale, "document à rendre", "documents à rendre",
			    " à nouveau (fait au démarrage du serveur)\n");
		count++;
	}
	if (count == 0)
		printf("Base %s saine : intégrité, références, index de recherche et rendus "
		       "vérifiés.\n", db);
	buf_free(&problems);
	db_close();
	return count ? 1 : 0;
}

/* maillage import DIR | export DIR — the content/ layout in and out. */
static int cmd_content(int argc, char **argv, bool import)
{
	const char *db = default_db(), *pos[MAX_POS], *cmd = import ? "import" : "export";
	int npos, rc;
	struct opt opts[] = {{"db", &db, NULL}, {NULL, NULL, NULL}};
	if ((rc = parse_opts(cmd, argc, argv, opts, pos, &npos)))
		return rc == 1 ? (printf("usage : maillage %s DOSSIER [--db PATH]\n  %s\n", cmd, import
				? "importe un dossier au format de content/ (tout ou rien)"
				: "écrit le réseau dans un dossier au format de content/"), 0) : rc;
	if (npos != 1)
		return usage_error(cmd, "un dossier est attendu", NULL);
	if (open_db(db) < 0)
		return 1;
	struct buf err = {0};
	rc = import ? compact_after(content_import_dir(pos[0], &err))
		    : export_dir(pos[0], &err);
	if (rc < 0)
		fprintf(stderr, "maillage: %s\n", buf_str(&err));
	else
		printf("%s : %s\n", pos[0], import ? "importé" : "exporté");
	buf_free(&err);
	db_close();
	return rc < 0 ? 1 : 0;
}

/* maillage import DIR. */
static int cmd_import(int argc, char **argv)
{
	return cmd_content(argc, argv, true);
}

/* maillage export DIR. */
static int cmd_export(int argc, char **argv)
{
	return cmd_content(argc, argv, false);
}

/* maillage import-minutes DIR --body SLUG — an archive of minutes. */
static int cmd_import_minutes(int argc, char **argv)
{
	const char *db = default_db(), *body = NULL, *pos[MAX_POS];
	int npos, rc;
	struct opt opts[] = {{"db", &db, NULL}, {"body", &body, NULL}, {NULL, NULL, NULL}};
	if ((rc = parse_opts("import-minutes", argc, argv, opts, pos, &npos)))
		return rc == 1 ? (puts("usage : maillage import-minutes DOSSIER --body SLUG [--db PATH]\n"
				       "  importe chaque fichier .md, .docx ou .odt du dossier comme une "
				       "réunion de l'instance (date en en-tête « date: » ou dans le nom "
				       "du fichier ; un document Word ou LibreOffice est converti par "
				       "pandoc et reste joint à sa réunion) ; tout ou rien"), 0) : rc;
	if (npos != 1 || !body)
		return usage_error("import-minutes", "un dossier et --body SLUG sont attendus", NULL);
	if (open_db(db) < 0)
		return 1;
	struct buf err = {0};
	struct archive_result r;
	int imported = archive_import(pos[0], body, isatty(2), &r, &err);
	rc = compact_after(imported < 0 ? -1 : 0);
	if (rc < 0)
		fprintf(stderr, "maillage: %s ; rien n'a été importé\n", buf_str(&err));
	else {
		print_count("", r.imported, "procès-verbal importé", "procès-verbaux importés", ", ");
		print_count("", r.present, "déjà présent", "déjà présents", "\n");
		/* a site's or a vault's own keys: ignored, and said */
		struct buf said = {0};
		const char *key;
		json_t *n;
		json_object_foreach(r.ignored, key, n) {
			buf_printf(&said, "%s%s (", said.len ? ", " : "", key);
			text_count(&said, json_integer_value(n), "fichier", "fichiers");
			buf_putc(&said, ')');
		}
		if (said.len)
			printf("clés d'en-tête inconnues, ignorées : %s\n", buf_str(&said));
		buf_free(&said);
	}
	json_decref(r.ignored);
	buf_free(&err);
	db_close();
	return imported == -2 ? 2 : rc < 0 ? 1 : 0;
}

/* Prints one result of a search for a person. */
static void print_result(size_t rank, json_t *r)
{
	const char *body = json_string_value(json_object_get(r, "body"));
	const char *date = json_string_value(json_object_get(r, "date_fr"));
	const char *snippet = json_string_value(json_object_get(r, "snippet"));
	printf("%zu. %s (%s%s%s%s%s)\n   %s\n", rank, json_string_value(json_object_get(r, "title")),
	       json_string_value(json_object_get(r, "kind_label")), body ? ", " : "",
	       body ? body : "", date ? ", " : "", date ? date : "",
	       json_string_value(json_object_get(r, "url")));
	if (snippet && *snippet) {
		fputs("   ", stdout);
		for (const char *c = snippet; *c; c++)
			putchar(*c == '\n' ? ' ' : *c);
		putchar('\n');
	}
}

/* Prints a search's results for a person. */
static void print_results(const char *query, json_t *res)
{
	long long total = json_integer_value(json_object_get(res, "total"));
	printf("%lld résultat%s pour « %s »", total, total > 1 ? "s" : "", query);
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(res, "facets"), i, f)
		printf("%s%s : %lld", i ? ", " : " — ", json_string_value(json_object_get(f, "label")),
		       (long long)json_integer_value(json_object_get(f, "count")));
	putchar('\n');
	long long page = json_integer_value(json_object_get(res, "page"));
	json_t *r;
	json_array_foreach(json_object_get(res, "results"), i, r)
		print_result((size_t)((page - 1) * SEARCH_PAGE) + i + 1, r);
	if (json_is_true(json_object_get(res, "more")))
		printf("… page suivante : --page %lld\n", page + 1);
}

static const char search_usage[] =
	"usage : maillage search MOTS… [--kind TYPE] [--body SLUG] [--commune INS]\n"
	"                        [--territory SLUG] [--year AAAA] [--from AAAA-MM-JJ]\n"
	"                        [--to AAAA-MM-JJ] [--page N] [--json] [--db PATH]\n"
	"  Cherche comme la page /search, avec les droits de l'administration (tout).\n"
	"  \"expression exacte\", -mot pour exclure, début* pour un préfixe.\n"
	"  --kind     meeting, body, organisation, letter, motion, event, file ou review\n"
	"  --json     le résultat en JSON, comme /search.json\n";

/* maillage search WORDS… — the search from the command line. */
static int cmd_search(int argc, char **argv)
{
	const char *db = default_db(), *pos[MAX_POS], *page = NULL;
	struct search_form f = {0};
	bool json = false;
	int npos, rc;
	struct opt opts[] = {{"db", &db, NULL},	  {"kind", &f.kind, NULL},
			     {"body", &f.body, NULL},	  {"commune", &f.commune, NULL},
			     {"territory", &f.territory, NULL}, {"year", &f.year, NULL},
			     {"from", &f.from, NULL},	  {"to", &f.to, NULL},
			     {"page", &page, NULL},	  {"json", NULL, &json},
			     {NULL, NULL, NULL}};
	if ((rc = parse_opts("search", argc, argv, opts, pos, &npos)))
		return rc == 1 ? (fputs(search_usage, stdout), 0) : rc;
	if (!npos)
		return usage_error("search", "des mots à chercher sont attendus", NULL);
	if (page && (!text_is_digits(page) || atol(page) < 1 || strlen(page) > 6))
		return usage_error("search", "--page attend un nombre à partir de 1 :", page);
	struct buf words = {0}, err = {0};
	for (int i = 0; i < npos; i++)
		buf_printf(&words, "%s%s", i ? " " : "", pos[i]);
	f.q = buf_str(&words);
	struct search_query sq = {.page = page ? atol(page) : 1, .role = ROLE_ADMIN};
	json_t *res = NULL;
	rc = 1;
	if (open_db(db) < 0)
		goto out;
	if (search_prepare(&sq, &f, &err) < 0) {
		fprintf(stderr, "maillage search : %s\n", buf_str(&err));
		rc = 2;
	} else if (!(res = search_run(&sq))) {
		fprintf(stderr, "maillage search : la recherche a échoué\n");
	} else {
		json_object_del(res, "expression");
		if (json)
			json_dumpf(res, stdout, JSON_INDENT(2)), putchar('\n');
		else
			print_results(f.q, res);
		rc = 0;
	}
	db_close();
out:
	json_decref(res);
	buf_free(&words);
	buf_free(&err);
	return rc;
}

/* maillage reindex — rebuilds the search index from the data. */
static int cmd_reindex(int argc, char **argv)
{
	const char *db = default_db(), *pos[MAX_POS];
	int npos, rc;
	struct opt opts[] = {{"db", &db, NULL}, {NULL, NULL, NULL}};
	if ((rc = parse_opts("reindex", argc, argv, opts, pos, &npos)))
		return rc == 1 ? (puts("usage : maillage reindex [--db PATH]\n"
				       "  reconstruit l'index de recherche à partir des données"), 0)
			       : rc;
	if (npos)
		return usage_error("reindex", "argument inattendu :", pos[0]);
	if (open_db(db) < 0)
		return 1;
	rc = search_reindex();
	if (rc < 0)
		fprintf(stderr, "maillage reindex : la reconstruction a échoué ; l'index est "
				"resté tel quel\n");
	else
		print_count("Index de recherche reconstruit : ",
			    db_int(0, "SELECT count(*) FROM doc", ""), "document", "documents", ".\n");
	db_close();
	return rc < 0 ? 1 : 0;
}

/* maillage remind — queues today's digests now (the server does it each
 * day at --reminder-time); nobody gets the same day's digest twice. */
static int cmd_remind(int argc, char **argv)
{
	const char *db = default_db(), *site = env_or("MAILLAGE_BASE_URL", NULL), *pos[MAX_POS];
	int npos, rc;
	struct opt opts[] = {{"db", &db, NULL}, {"base-url", &site, NULL}, {NULL, NULL, NULL}};
	if ((rc = parse_opts("remind", argc, argv, opts, pos, &npos)))
		return rc == 1 ? (puts("usage : maillage remind [--db PATH] [--base-url URL]\n"
				       "  met dans la boîte d'envoi les rappels du jour (actions et "
				       "relances, une fois par jour et par personne ; sondages de date "
				       "qui se closent, et ceux qui sont clos)"), 0) : rc;
	if (npos)
		return usage_error("remind", "argument inattendu :", pos[0]);
	if (site)
		notify_site = site;
	if (open_db(db) < 0)
		return 1;
	struct buf err = {0};
	if (page_init(find_templates(), false, &err) < 0)
		fprintf(stderr, "maillage remind : %s (messages en texte seul)\n", buf_str(&err));
	buf_free(&err);
	int n = daily_work();
	if (n < 0)
		fprintf(stderr, "maillage remind : échec ; rien n'a été mis en attente\n");
	else
		print_count("", n, "rappel mis", "rappels mis", " dans la boîte d'envoi.\n");
	page_shutdown();
	db_close();
	return n < 0 ? 1 : 0;
}

/* Reads standard input into in, up to MAILIN_MAX bytes and one more (what
 * lies beyond is read and dropped, so a mail system's pipe never breaks). */
static void read_message(struct buf *in)
{
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
		if (in->len <= MAILIN_MAX)
			buf_append(in, chunk, n < MAILIN_MAX + 1 - in->len ? n : MAILIN_MAX + 1 - in->len);
}

/* maillage mail-in — one message on standard input (from a mail system's
 * pipe): a calendar's reply to an invitation sets the invitee's answer;
 * any other message is left, and says why. */
static int cmd_mail_in(int argc, char **argv)
{
	const char *db = default_db(), *site = env_or("MAILLAGE_BASE_URL", NULL), *pos[MAX_POS];
	int npos, rc;
	struct opt opts[] = {{"db", &db, NULL}, {"base-url", &site, NULL}, {NULL, NULL, NULL}};
	if ((rc = parse_opts("mail-in", argc, argv, opts, pos, &npos)))
		return rc == 1 ? (puts("usage : maillage mail-in [--db PATH] [--base-url URL] < MESSAGE\n"
				       "  lit un message sur l'entrée standard : la réponse d'un "
				       "calendrier à une invitation\n  y donne la présence de l'invité "
				       "(sortie 0) ; un autre message est laissé, avec sa raison\n  "
				       "(sortie 0 aussi, pour le système de courrier) ; base indisponible : "
				       "sortie 75,\n  le système de courrier réessaie. --base-url : celle "
				       "du serveur, qui fait l'UID des invitations"), 0) : rc;
	if (npos)
		return usage_error("mail-in", "argument inattendu :", pos[0]);
	if (site)
		notify_site = site;
	struct buf in = {0};
	read_message(&in);
	const char *why = NULL;
	if (open_db(db) < 0) {
		buf_free(&in);
		return 75;
	}
	rc = mailin_message(in.data ? in.data : "", in.len, "entrée standard", &why);
	buf_free(&in); /* what became of the message is logged on standard error */
	db_close();
	return rc < 0 ? 75 : 0;
}

/* maillage report YEAR — the key figures of a year's activity report, as
 * Markdown or CSV, to standard output or a file. */
static int cmd_report(int argc, char **argv)
{
	const char *db = default_db(), *format = "md", *file = NULL, *pos[MAX_POS];
	bool public = false;
	int npos, rc;
	struct opt opts[] = {{"db", &db, NULL}, {"format", &format, NULL}, {"o", &file, NULL},
			     {"public", NULL, &public}, {NULL, NULL, NULL}};
	if ((rc = parse_opts("report", argc, argv, opts, pos, &npos)))
		return rc == 1 ? (puts("usage : maillage report ANNÉE [--format md|csv|odt|docx|html] "
				       "[-o FICHIER] [--public]\n  le rapport d'activités de l'année : "
				       "ses chiffres clés, avec ceux de l'année d'avant, et ses\n  "
				       "chapitres (md ; odt, docx, html par pandoc) ou ses chiffres seuls "
				       "(csv) ;\n  --public : seulement ce qui est public"), 0) : rc;
	int year = npos == 1 ? report_year(pos[0]) : 0;
	if (!year)
		return usage_error("report", "une année est attendue (1990 à 2100) :",
				   npos ? pos[0] : "");
	bool office = strcmp(format, "odt") == 0 || strcmp(format, "docx") == 0 ||
		      strcmp(format, "html") == 0;
	if (strcmp(format, "md") != 0 && strcmp(format, "csv") != 0 && !office)
		return usage_error("report", "--format attend md, csv, odt, docx ou html :", format);
	if (open_db(db) < 0)
		return 2;
	int role = public ? ROLE_ANON : ROLE_ADMIN;
	json_t *figures = strcmp(format, "csv") == 0 ? report_figures(year, role, 0) : NULL;
	struct buf out = {0};
	const char *problem = NULL;
	if (strcmp(format, "csv") == 0 && figures)
		report_csv(year, figures, &out);
	else if (strcmp(format, "csv") == 0)
		problem = "lecture de la base impossible";
	else if ((rc = office ? report_convert(year, role, 0, format, &out)
			      : report_document(year, role, 0, NULL, &out)) != 0)
		problem = rc == 1 ? "pandoc est introuvable : installez-le (sudo apt-get install "
				    "pandoc) pour écrire ODT, DOCX et HTML"
			: rc == -1 && office ? "pandoc n'a pas pu écrire le document"
					     : "lecture de la base impossible";
	FILE *f = problem ? NULL : file ? fopen(file, "w") : stdout;
	if (!problem && (!f || fwrite(out.data ? out.data : "", 1, out.len, f) != out.len ||
			 (f != stdout && fclose(f) != 0)))
		problem = "écriture impossible";
	if (problem)
		fprintf(stderr, "maillage report : %s\n", problem);
	json_decref(figures);
	buf_free(&out);
	db_close();
	return !problem ? 0 : office && rc == 1 ? 2 : 1;
}

/* maillage backup FILE — an online, consistent copy of the database, made
 * while the server runs, checked before it is kept. */
static int cmd_backup(int argc, char **argv)
{
	const char *db = default_db(), *pos[MAX_POS];
	int npos, rc;
	struct opt opts[] = {{"db", &db, NULL}, {NULL, NULL, NULL}};
	if ((rc = parse_opts("backup", argc, argv, opts, pos, &npos)))
		return rc == 1 ? (puts("usage : maillage backup FICHIER [--db PATH]\n"
				       "  copie cohérente de la base, serveur en marche ; le fichier "
				       "n'apparaît qu'une fois la copie vérifiée"), 0) : rc;
	if (npos != 1)
		return usage_error("backup", "un fichier de destination est attendu", "");
	if (open_db(db) < 0)
		return 1;
	struct buf err = {0};
	rc = db_backup(pos[0], &err);
	if (rc < 0)
		fprintf(stderr, "maillage backup : %s\n", buf_str(&err));
	else
		printf("Copie de %s écrite dans %s et vérifiée.\n", db, pos[0]);
	buf_free(&err);
	db_close();
	return rc < 0 ? 1 : 0;
}

/* maillage restore FILE — puts a backup back in place of the database
 * (the server stopped), after checking it; then upgrades its schema. */
static int cmd_restore(int argc, char **argv)
{
	const char *db = default_db(), *pos[MAX_POS];
	int npos, rc;
	struct opt opts[] = {{"db", &db, NULL}, {NULL, NULL, NULL}};
	if ((rc = parse_opts("restore", argc, argv, opts, pos, &npos)))
		return rc == 1 ? (puts("usage : maillage restore FICHIER [--db PATH]\n"
				       "  remplace la base par une copie de sauvegarde vérifiée "
				       "(arrêtez le serveur avant)"), 0) : rc;
	if (npos != 1)
		return usage_error("restore", "une copie de sauvegarde est attendue", "");
	if (access(pos[0], R_OK) != 0) {
		fprintf(stderr, "maillage restore : %s : %s\n", pos[0], text_errno(errno));
		return 1;
	}
	struct buf err = {0};
	if (make_parent(db) < 0 || db_open(db, true, &err) < 0 || db_restore(pos[0], &err) < 0) {
		fprintf(stderr, "maillage restore : %s ; la base n'a pas changé\n", buf_str(&err));
		buf_free(&err);
		db_close();
		return 1;
	}
	db_close();
	rc = open_db(db) < 0; /* upgrades a copy made by an older release */
	if (!rc)
		printf("Base %s restaurée depuis %s (schéma %d).\n", db, pos[0], db_schema_version());
	db_close();
	buf_free(&err);
	return rc;
}

/* maillage extract — reads the text of every document waiting for it
 * (the server does it as they come; this is for a database filled while
 * it was stopped), with a line of progress. */
static int cmd_extract(int argc, char **argv)
{
	const char *db = default_db(), *pos[MAX_POS];
	struct opt opts[] = {{"db", &db, NULL}, {NULL, NULL, NULL}};
	int npos, rc;
	if ((rc = parse_opts("extract", argc, argv, opts, pos, &npos)))
		return rc == 1 ? (puts("usage : maillage extract [--db PATH]\n"
				       "  lit le texte des documents joints qui l'attendent, pour la "
				       "recherche"), 0) : rc;
	if (npos)
		return usage_error("extract", "argument inattendu :", pos[0]);
	if (open_db(db) < 0)
		return 1;
	char exe[PATH_MAX];
	bool known = self_exe(exe);
	spool_beside(db, 0);
	long long waiting = db_int(0, "SELECT count(*) FROM file WHERE text_state = 'pending'", NULL);
	long long done = 0;
	while (known && (rc = file_extract_next(exe)) > 0) {
		done++;
		if (isatty(1) || done == waiting)
			printf("\rTexte lu : %lld document%s sur %lld", done, done > 1 ? "s" : "", waiting);
		fflush(stdout);
	}
	if (done)
		putchar('\n');
	if (done && search_compact() < 0) /* read in bulk, the index is compacted as after an import */
		rc = -1;
	json_t *r = db_row("SELECT sum(text_state = 'done') AS lu, sum(text_state = 'failed') AS "
			   "echec, sum(text_state = 'none') AS sans FROM file", NULL);
	printf("%lld document%s lu%s, %lld non extrait%s, %lld sans texte\n", db_num(r, "lu"),
	       db_num(r, "lu") > 1 ? "s" : "", db_num(r, "lu") > 1 ? "s" : "", db_num(r, "echec"),
	       db_num(r, "echec") > 1 ? "s" : "", db_num(r, "sans"));
	json_decref(r);
	db_close();
	return !known || rc < 0 ? 1 : 0;
}

static const struct command commands[] = {
	{"serve", cmd_serve, "serve [--db PATH] [--listen ADRESSE:PORT]", "sert l'application web"},
	{"init", cmd_init, "init [--db PATH] [--demo]", "crée une base neuve"},
	{"user", cmd_user, "user add|list|passwd|disable|enable …", "gère les comptes"},
	{"import", cmd_import, "import DOSSIER", "importe un dossier content/"},
	{"export", cmd_export, "export DOSSIER", "exporte la base en dossier content/"},
	{"import-minutes", cmd_import_minutes, "import-minutes DOSSIER --body SLUG",
	 "importe une archive de procès-verbaux"},
	{"render", cmd_render, "render [--spec [--ext LISTE]] [--actions | --text]",
	 "Markdown sur l'entrée, HTML en sortie"},
	{"search", cmd_search, "search MOTS… [--kind TYPE] [--json]",
	 "cherche dans tout ce qui a été écrit"},
	{"reindex", cmd_reindex, "reindex", "reconstruit l'index de recherche"},
	{"extract", cmd_extract, "extract", "lit le texte des documents joints en attente"},
	{"remind", cmd_remind, "remind", "met en attente les rappels du jour"},
	{"report", cmd_report, "report ANNÉE [--format md|csv|odt|docx|html]",
	 "le rapport d'activités d'une année"},
	{"mail-in", cmd_mail_in, "mail-in < MESSAGE",
	 "lit une réponse de calendrier à une invitation"},
	{"backup", cmd_backup, "backup FICHIER", "copie de sauvegarde à chaud"},
	{"restore", cmd_restore, "restore FICHIER", "remet une copie de sauvegarde en place"},
	{"check", cmd_check, "check", "vérifie l'intégrité de la base et les rendus"},
};

/* Prints the list of commands. */
static void help(FILE *out)
{
	fprintf(out, "Maillage %s — l'espace de travail d'un réseau de partenaires\n\n"
		"usage : maillage COMMANDE [OPTIONS]   (maillage COMMANDE --help pour le détail)\n\n",
		VERSION);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-44s %s\n", commands[i].usage, commands[i].summary);
	fprintf(out, "\nToutes les commandes acceptent --db PATH (défaut : MAILLAGE_DB ou "
		"data/maillage.db).\n");
}

int main(int argc, char **argv)
{
	mem_init();
	if (sodium_init() < 0) {
		fprintf(stderr, "maillage: libsodium ne s'initialise pas\n");
		return 1;
	}
	if (argc < 2) {
		help(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		help(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("maillage %s\n", VERSION);
		return 0;
	}
	if (strcmp(argv[1], "extract-text") == 0 && argc == 4) /* the worker's child, which */
		_exit(extract_child(argv[2], argv[3])); /* leaves what the libraries hold to the system */
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 2, argv + 2);
	fprintf(stderr, "maillage: commande inconnue : %s (voir « maillage --help »)\n", argv[1]);
	return 2;
}
