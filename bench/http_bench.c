/* http_bench.c — the server at full load on a built network (the 100,000
 * meetings search_bench leaves): (1) one public meeting page through
 * Maillage and the same bytes as a static file through nginx, both with
 * wrk, requests per second and their ratio; (2) 200 connections of mixed
 * anonymous reads (meeting pages, searches, lists) and the server's peak
 * resident memory; (3) the activity report of the busiest year (about 6,000
 * meetings), as a visitor gets it: the page made anew 20 times, its ODT 3
 * times. Prints a Markdown report; not a test.
 * The page is measured as anonymous visitors get it (from the page cache
 * once made) and made for every request.
 * Usage: http_bench DATABASE WORKDIR [REPORT]. */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "../src/buf.h"
#include "../src/db.h"

#define SECONDS 10 /* each wrk run of the comparison */


/* Returns the public meetings to visit, as "id,id,…" (the first in first). */
static int public_meetings(const char *db, struct buf *ids)
{
	struct buf err = {0};
	if (db_open(db, false, &err) < 0) {
		fprintf(stderr, "http_bench : %s\n", buf_str(&err));
		return -1;
	}
	json_t *rows = db_rows("SELECT id FROM meeting WHERE visibility = 'public' AND deleted = 0 "
			       "ORDER BY (id * 7919) % 10007 LIMIT 500", NULL);
	db_close();
	buf_free(&err);
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
		buf_printf(ids, "%s%lld", i ? "," : "", json_integer_value(json_object_get(r, "id")));
	json_decref(rows);
	return ids->len ? 0 : -1;
}

/* Returns the year that holds the most meetings of db, or 0. */
static int busiest_year(const char *db)
{
	struct buf err = {0};
	int year = db_open(db, false, &err) < 0 ? 0 : (int)db_int(0, "SELECT CAST(substr(start, 1, "
				     "4) AS INTEGER) FROM meeting GROUP BY 1 ORDER BY count(*) DESC, 1 "
				     "DESC LIMIT 1", NULL);
	db_close();
	buf_free(&err);
	return year;
}

/* Times the report of year: the page (a new address each time, past the
 * cache) n times into page[], the ODT m times into odt[]. */
static void time_report(int port, int year, double *page, int n, double *odt, int m)
{
	CURL *curl = curl_easy_init();
	char url[200];
	for (int i = 0; i < n + m; i++) {
		struct buf body = {0};
		if (i < n)
			snprintf(url, sizeof(url), "http://127.0.0.1:%d/reports/%d?banc=%d", port, year, i);
		else
			snprintf(url, sizeof(url), "http://127.0.0.1:%d/reports/%d/rapport.odt", port, year);
		double t = bench_get(curl, url, &body);
		if (i < n)
			page[i] = t;
		else
			odt[i - n] = t;
		buf_free(&body);
	}
	curl_easy_cleanup(curl);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage : http_bench BASE DOSSIER [RAPPORT]\n");
		return 2;
	}
	const char *db = argv[1];
	FILE *out = argc > 3 ? fopen(argv[3], "w") : stdout;
	char cmd[600], url[200], path[PATH_MAX + 32], dir[PATH_MAX];
	snprintf(cmd, sizeof(cmd), "rm -rf %s && mkdir -p %s/static %s/tmp", argv[2], argv[2],
		 argv[2]);
	struct buf ids = {0}, page = {0};
	if (!out || bench_run(cmd) < 0 || !realpath(argv[2], dir) || public_meetings(db, &ids) < 0)
		return 1; /* nginx wants an absolute folder */
	curl_global_init(CURL_GLOBAL_DEFAULT);
	struct bench_server srv;
	if (bench_server_start(&srv, db) < 0) {
		fprintf(stderr, "http_bench : le serveur ne démarre pas\n");
		return 1;
	}
	/* (1) one meeting page, then the same bytes from nginx */
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/meetings/%lld", srv.port,
		 strtoll(buf_str(&ids), NULL, 10));
	CURL *curl = curl_easy_init();
	bench_get(curl, url, &page);
	curl_easy_cleanup(curl);
	snprintf(path, sizeof(path), "%s/static/reunion.html", dir);
	FILE *f = fopen(path, "w");
	if (!f || fwrite(page.data, 1, page.len, f) != page.len || fclose(f) != 0)
		return 1;
	int nport = bench_free_port();
	pid_t nginx = bench_nginx_start(dir, nport, "reunion.html");
	if (nginx < 0) {
		fprintf(stderr, "http_bench : nginx ne démarre pas (voir %s/nginx.log)\n", dir);
		bench_server_stop(&srv);
		return 1;
	}
	char static_url[100];
	snprintf(static_url, sizeof(static_url), "http://127.0.0.1:%d/reunion.html", nport);
	struct bench_wrk ours, made, theirs, mixed;
	fprintf(stderr, "http_bench : %s et %s, %d s chacun…\n", url, static_url, SECONDS);
	int rc = bench_wrk(url, 50, SECONDS, NULL, &ours);
	rc |= bench_wrk(url, 50, SECONDS, "bench/uncached.lua", &made);
	rc |= bench_wrk(static_url, 50, SECONDS, NULL, &theirs);
	kill(nginx, SIGTERM);
	waitpid(nginx, NULL, 0);
	/* (2) 200 connections of mixed reads, then the peak memory */
	setenv("BENCH_IDS", buf_str(&ids), 1);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", srv.port);
	fprintf(stderr, "http_bench : charge mêlée, 200 connexions, 20 s…\n");
	rc |= bench_wrk(url, 200, 20, "bench/mixed.lua", &mixed);
	double peak = bench_server_peak_mb(&srv);
	/* (3) the report of the busiest year */
	int year = busiest_year(db);
	double report[20], odt[3];
	fprintf(stderr, "http_bench : rapport d'activités %d…\n", year);
	time_report(srv.port, year, report, 20, odt, 3);
	double report_peak = bench_server_peak_mb(&srv);
	bench_server_stop(&srv);
	if (rc) {
		fprintf(stderr, "http_bench : wrk a échoué\n");
		return 1;
	}
	fprintf(out, "## Serveur\n\nBase : %s. wrk, 2 fils, sur la même machine que les "
		"serveurs ; Maillage avec 2 fils de traitement, nginx-light avec 2 processus, "
		"sans journal.\n\n", db);
	fprintf(out, "| mesure | requêtes/s | p50 | p99 | erreurs |\n|---|---|---|---|---|\n");
	fprintf(out, "| page d'une réunion (%zu octets), Maillage, 50 connexions, visiteurs "
		"anonymes (cache des pages) | %.0f | %.2f ms | %.2f ms | %d |\n", page.len, ours.rps,
		ours.p50_ms, ours.p99_ms, ours.errors);
	fprintf(out, "| la même page faite à chaque requête (adresse nouvelle pour le cache) | %.0f | "
		"%.2f ms | %.2f ms | %d |\n", made.rps, made.p50_ms, made.p99_ms, made.errors);
	fprintf(out, "| les mêmes octets, fichier statique nginx, 50 connexions | %.0f | %.2f ms | "
		"%.2f ms | %d |\n", theirs.rps, theirs.p50_ms, theirs.p99_ms, theirs.errors);
	fprintf(out, "| lectures mêlées (réunions, recherches, listes), 200 connexions | %.0f | "
		"%.2f ms | %.2f ms | %d |\n", mixed.rps, mixed.p50_ms, mixed.p99_ms, mixed.errors);
	fprintf(out, "\nRapport Maillage / nginx : **%.2f** (cible ≥ 0,5) ; page faite à chaque "
		"requête : %.2f. Mémoire résidente maximale du serveur (VmHWM) après la charge : "
		"**%.1f Mo** (cible ≤ 64 Mo).\n", ours.rps / theirs.rps, made.rps / theirs.rps, peak);
	fprintf(out, "\nRapport d'activités %d (visiteur, version publique), page faite à chaque "
		"fois : **p50 %.0f ms** (cible < 500 ms), max %.0f ms ; en ODT (pandoc compris) : "
		"**p50 %.2f s** (cible < 5 s) ; mémoire maximale du serveur ensuite %.1f Mo.\n", year,
		bench_quantile(report, 20, 0.5) * 1000, bench_quantile(report, 20, 1) * 1000,
		bench_quantile(odt, 3, 0.5), report_peak);
	buf_free(&ids);
	buf_free(&page);
	curl_global_cleanup();
	if (out != stdout)
		fclose(out);
	return 0;
}
