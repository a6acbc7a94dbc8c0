/* file_bench.c — documents: (1) a 50 MB upload, in MB/s, against cp of the
 * same file on the same disk; (2) the server's peak memory during ten
 * parallel 50 MB uploads; (3) a 10 MB PDF downloaded by 50 connections,
 * against nginx serving the same file; (4) a PDF's text read by maillage
 * extract-text against pdftotext. Writes a Markdown report. */
#include <curl/curl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "../src/auth.h"
#include "../src/buf.h"
#include "../src/db.h"

#define EMAIL "coordination-banc@maillage.test"
#define PASSWORD "un mot de passe du banc d'essai"
#define BIG (50 * 1000 * 1000)
#define PARALLEL 10

/* Makes the database: a public meeting and a coordinator; 0 or -1. */
static int setup(const char *db, long long *meeting)
{
	char cmd[PATH_MAX + 64];
	struct buf err = {0};
	snprintf(cmd, sizeof(cmd), "./maillage init --db %s >/dev/null", db);
	if (bench_run(cmd) < 0 || db_open(db, false, &err) < 0)
		return -1;
	int rc = db_exec("INSERT INTO body (slug, name, kind, visibility) VALUES ('banc', 'Banc "
			 "d''essai', 'other', 'public')", NULL) == 1 &&
		 db_exec("INSERT INTO meeting (body_id, title, start, visibility) SELECT id, "
			 "'Réunion du banc', '2030-01-01', 'public' FROM body WHERE slug = 'banc'",
			 NULL) == 1 ? 0 : -1;
	*meeting = db_last_id();
	if (rc == 0 && auth_user_add(EMAIL, "Coordination du banc", "coordinator", NULL, PASSWORD, 0,
				     &err) < 0)
		rc = -1;
	db_close();
	buf_free(&err);
	return rc;
}

/* Writes a PDF-headed file of n random bytes at path; 0 or -1. */
static int random_pdf(const char *path, size_t n)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "{ printf '%%%%PDF-1.4\\n'; head -c %zu /dev/urandom; } > %s", n,
		 path);
	return bench_run(cmd);
}

/* The CSRF token of a form page, and the session cookie as a header. */
struct session {
	char csrf[64];
	char cookie[256];
};

/* Logs in on curl and reads the session's token and cookie; 0 or -1. */
static int log_in(CURL *curl, int port, struct session *s)
{
	if (bench_login(curl, port, EMAIL, PASSWORD) < 0)
		return -1;
	char url[96];
	struct buf page = {0};
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/account", port);
	bench_get(curl, url, &page);
	const char *t = strstr(buf_str(&page), "name=\"_csrf\" value=\"");
	if (t)
		snprintf(s->csrf, sizeof(s->csrf), "%.*s", (int)strcspn(t + 20, "\""), t + 20);
	buf_free(&page);
	struct curl_slist *cookies = NULL, *c;
	curl_easy_getinfo(curl, CURLINFO_COOKIELIST, &cookies);
	s->cookie[0] = '\0';
	for (c = cookies; c; c = c->next) { /* Netscape lines: the name and value last */
		const char *name = c->data;
		for (int tabs = 0; tabs < 5 && name; tabs++)
			name = strchr(name, '\t') ? strchr(name, '\t') + 1 : NULL;
		if (name)
			snprintf(s->cookie + strlen(s->cookie), sizeof(s->cookie) - strlen(s->cookie),
				 "%s%.*s=%s", s->cookie[0] ? "; " : "", (int)strcspn(name, "\t"), name,
				 strchr(name, '\t') ? strchr(name, '\t') + 1 : "");
	}
	curl_slist_free_all(cookies);
	return t ? 0 : -1;
}

/* Uploads path as name to meeting m with the curl command line; returns
 * the seconds taken, or -1. */
static double upload(int port, const struct session *s, long long m, const char *path,
		     const char *name)
{
	char cmd[1400];
	snprintf(cmd, sizeof(cmd), "curl -s -o /dev/null -w '%%{http_code}' -H 'Cookie: %s' "
		 "-F _csrf=%s -F kind=meeting -F id=%lld -F 'files=@%s;filename=%s' "
		 "http://127.0.0.1:%d/files | grep -q 303", s->cookie, s->csrf, m, path, name, port);
	double t0 = bench_now();
	return bench_run(cmd) == 0 ? bench_now() - t0 : -1;
}

/* Returns the best time of runs runs of the shell command cmd, or -1. */
static double best_of(const char *cmd, int runs)
{
	double best = -1;
	for (int i = 0; i < runs; i++) {
		double t0 = bench_now();
		if (bench_run(cmd) < 0)
			return -1;
		double t = bench_now() - t0;
		best = best < 0 || t < best ? t : best;
	}
	return best;
}

/* Returns the size of the file at path, or 0. */
static double size_of(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (double)st.st_size : 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage : file_bench DOSSIER [RAPPORT]\n");
		return 2;
	}
	char dir[PATH_MAX], db[PATH_MAX + 16], path[PATH_MAX + 64], cmd[6 * PATH_MAX];
	snprintf(cmd, sizeof(cmd), "rm -rf %s && mkdir -p %s/static %s/tmp", argv[1], argv[1], argv[1]);
	FILE *out = argc > 2 ? fopen(argv[2], "w") : stdout;
	long long meeting = 0;
	if (!out || bench_run(cmd) < 0 || !realpath(argv[1], dir))
		return 1;
	snprintf(db, sizeof(db), "%s/documents.db", dir);
	if (setup(db, &meeting) < 0) {
		fprintf(stderr, "file_bench : la base ne se prépare pas\n");
		return 1;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	struct bench_server srv;
	CURL *curl = curl_easy_init();
	struct session s;
	if (bench_server_start(&srv, db) < 0 || log_in(curl, srv.port, &s) < 0) {
		fprintf(stderr, "file_bench : le serveur ne démarre pas ou refuse la connexion\n");
		return 1;
	}
	/* (1) 50 MB: best of three uploads (other bytes each time), best of three cp */
	fprintf(stderr, "file_bench : envois de 50 Mo…\n");
	double up = -1;
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/grand-%d.pdf", dir, i);
		char name[32];
		snprintf(name, sizeof(name), "grand-%d.pdf", i);
		double t = random_pdf(path, BIG) < 0 ? -1 : upload(srv.port, &s, meeting, path, name);
		if (t < 0) {
			fprintf(stderr, "file_bench : l'envoi a échoué\n");
			return 1;
		}
		up = up < 0 || t < up ? t : up;
	}
	snprintf(cmd, sizeof(cmd), "rm -f %s/copie.pdf && cp %s/grand-0.pdf %s/copie.pdf", dir, dir,
		 dir);
	double cp = best_of(cmd, 3);
	snprintf(cmd, sizeof(cmd), "rm -f %s/copie.pdf && cp %s/grand-0.pdf %s/copie.pdf && "
		 "sync %s/copie.pdf", dir, dir, dir, dir);
	double cp_sync = best_of(cmd, 3);
	/* (2) ten at once, the peak memory measured from a reset */
	fprintf(stderr, "file_bench : %d envois de 50 Mo à la fois…\n", PARALLEL);
	struct buf all = {0};
	for (int i = 0; i < PARALLEL; i++) {
		snprintf(path, sizeof(path), "%s/parallele-%d.pdf", dir, i);
		if (random_pdf(path, BIG) < 0)
			return 1;
		buf_printf(&all, "curl -s -o /dev/null -H 'Cookie: %s' -F _csrf=%s -F kind=meeting "
			   "-F id=%lld -F 'files=@%s' http://127.0.0.1:%d/files & ", s.cookie, s.csrf,
			   meeting, path, srv.port);
	}
	buf_puts(&all, "wait");
	snprintf(cmd, sizeof(cmd), "echo 5 > /proc/%d/clear_refs", (int)srv.pid);
	double before = bench_server_peak_mb(&srv);
	bench_run(cmd); /* the peak starts again from here (the login's hashing made its own) */
	double t0 = bench_now();
	int par = bench_run(buf_str(&all));
	double par_t = bench_now() - t0, peak = bench_server_peak_mb(&srv);
	buf_free(&all);
	/* (3) a 10 MB PDF, 50 connections, Maillage then nginx */
	fprintf(stderr, "file_bench : téléchargements d'un PDF de 10 Mo…\n");
	snprintf(path, sizeof(path), "%s/static/dix.pdf", dir);
	if (par < 0 || random_pdf(path, 10 * 1000 * 1000) < 0 ||
	    upload(srv.port, &s, meeting, path, "dix.pdf") < 0)
		return 1;
	long long id = 0;
	struct buf err = {0};
	if (db_open(db, false, &err) == 0)
		id = db_int(0, "SELECT id FROM file WHERE name = 'dix.pdf'", NULL);
	db_close();
	char url[200];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/files/%lld/dix.pdf", srv.port, id);
	struct bench_wrk ours, theirs;
	int rc = bench_wrk(url, 50, 10, NULL, &ours);
	int nport = bench_free_port();
	pid_t nginx = bench_nginx_start(dir, nport, "dix.pdf");
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/dix.pdf", nport);
	rc |= nginx < 0 ? -1 : bench_wrk(url, 50, 10, NULL, &theirs);
	if (nginx > 0) {
		kill(nginx, SIGTERM);
		waitpid(nginx, NULL, 0);
	}
	bench_server_stop(&srv);
	curl_easy_cleanup(curl);
	if (rc) {
		fprintf(stderr, "file_bench : wrk ou nginx a échoué\n");
		return 1;
	}
	/* (4) the text of a PDF of 500 pages of 60 lines */
	fprintf(stderr, "file_bench : lecture du texte d'un PDF…\n");
	snprintf(path, sizeof(path), "%s/texte.pdf", dir);
	snprintf(cmd, sizeof(cmd), "python3 -c \"import sys; sys.path.insert(0, 'tests/files'); "
		 "import samples; open('%s', 'wb').write(samples.pdf(['\\n'.join('Page %%d, ligne "
		 "%%d : la passerelle vers l emploi des primo-arrivants, presentee aux partenaires' "
		 "%% (p, n) for n in range(60)) for p in range(500)]))\"", path);
	if (bench_run(cmd) < 0)
		return 1;
	snprintf(cmd, sizeof(cmd), "./maillage extract-text pdf %s | cat > %s/ours.txt", path, dir);
	double ex = best_of(cmd, 5);
	snprintf(cmd, sizeof(cmd), "pdftotext %s %s/theirs.txt", path, dir);
	double pt = best_of(cmd, 5);
	snprintf(path, sizeof(path), "%s/ours.txt", dir);
	double ours_mb = size_of(path) / 1e6;
	snprintf(path, sizeof(path), "%s/theirs.txt", dir);
	double theirs_mb = size_of(path) / 1e6;
	double mb = BIG / 1e6;
	fprintf(out, "## Documents\n\nFichiers de données aléatoires (en-tête PDF) ; serveur "
		"optimisé, 2 fils ; même disque pour la base et la copie.\n\n"
		"| mesure | valeur |\n|---|---|\n");
	fprintf(out, "| envoi de 50 Mo (meilleur de 3) | %.2f s, %.0f Mo/s |\n", up, mb / up);
	fprintf(out, "| cp du même fichier (meilleur de 3) | %.3f s, %.0f Mo/s |\n", cp, mb / cp);
	fprintf(out, "| cp puis sync du fichier | %.3f s, %.0f Mo/s |\n", cp_sync, mb / cp_sync);
	fprintf(out, "| rapport envoi / cp (cible ≥ 0,3) | **%.2f** (contre cp + sync : %.2f) |\n",
		cp / up, cp_sync / up);
	fprintf(out, "| %d envois de 50 Mo à la fois | %.1f s en tout |\n", PARALLEL, par_t);
	fprintf(out, "| mémoire du serveur : pointe pendant ces envois (cible ≤ 64 Mo) | **%.1f Mo** "
		"(%.1f Mo avant, pointe de la connexion comprise) |\n", peak, before);
	fprintf(out, "| PDF de 10 Mo, 50 connexions, Maillage | %.0f requêtes/s, p99 %.0f ms, %d "
		"erreurs |\n", ours.rps, ours.p99_ms, ours.errors);
	fprintf(out, "| le même fichier servi par nginx | %.0f requêtes/s, p99 %.0f ms, %d erreurs |\n",
		theirs.rps, theirs.p99_ms, theirs.errors);
	fprintf(out, "| rapport Maillage / nginx (cible ≥ 0,5) | **%.2f** |\n", ours.rps / theirs.rps);
	fprintf(out, "| texte d'un PDF de 500 pages de 60 lignes, maillage extract-text (meilleur de 5) | %.3f s, "
		"%.2f Mo de texte, %.1f Mo/s |\n", ex, ours_mb, ours_mb / ex);
	fprintf(out, "| le même, pdftotext | %.3f s, %.2f Mo de texte, %.1f Mo/s |\n", pt, theirs_mb,
		theirs_mb / pt);
	fprintf(out, "| rapport (cible ≥ 0,8) | **%.2f** |\n", (ours_mb / ex) / (theirs_mb / pt));
	snprintf(cmd, sizeof(cmd), "rm -f %s/*.pdf %s/static/*.pdf", dir, dir);
	bench_run(cmd);
	buf_free(&err);
	curl_global_cleanup();
	if (out != stdout)
		fclose(out);
	return 0;
}
