/* search_bench.c — the search at scale: a synthetic French network (fixed
 * seed) written in the content/ layout and imported with « maillage import »
 * in three steps (10,000, 30,000 then 100,000 meetings); after each step,
 * a fixed list of 1-, 2- and 3-word queries timed through HTTP against the
 * real server and, in the same run, through search_run() in process (the
 * same SQLite statements without HTTP, page or JSON). Prints a Markdown
 * report; not a test. Usage: search_bench WORKDIR [REPORT]. */
#include <curl/curl.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bench.h"
#include "../src/auth.h"
#include "../src/buf.h"
#include "../src/db.h"
#include "../src/html.h"
#include "../src/search.h"

#define PER_BODY 200 /* meetings of each generated body */
#define REPEAT 5     /* timings of each query, each way */

static uint64_t rng = 0x5EA2C4B0DEC0DEULL; /* fixed seed: the same corpus every run */

/* Returns the next pseudo-random number. */
static uint64_t next(void)
{
	return bench_next(&rng);
}

/* Function words, most frequent first (a third of the text). */
static const char *const common[] = {
	"de", "la", "le", "les", "des", "et", "à", "du", "en", "pour", "un", "une", "avec", "dans",
	"sur", "par", "au", "aux", "est", "sont", "qui", "que", "ont", "ce", "cette", "leur",
	"plus", "pas", "ne", "se", "il", "elle", "nous", "être", "fait", "tous", "entre",
};
#define NCOMMON (sizeof(common) / sizeof(common[0]))

/* Topics: each document speaks of two of them (words of the network). */
static const char *const topics[][8] = {
	{"réunion", "partenaires", "ordre", "jour", "procès-verbal", "approuvé", "tour", "table"},
	{"intégration", "parcours", "primo-arrivants", "accueil", "module", "orientation",
	 "bilan", "social"},
	{"langue", "française", "cours", "alphabétisation", "FLE", "niveau", "apprenants",
	 "formateurs"},
	{"citoyenneté", "formation", "modules", "heures", "attestation", "droits", "devoirs",
	 "institutions"},
	{"emploi", "insertion", "ISP", "stage", "recrutement", "employeurs", "diversité",
	 "forum"},
	{"santé", "mentale", "psychologique", "soins", "traumatismes", "consultation", "hôpital",
	 "prévention"},
	{"mobilité", "transport", "covoiturage", "permis", "conduire", "bus", "trajets",
	 "vélo"},
	{"logement", "hébergement", "urgence", "loyer", "propriétaires", "insalubrité",
	 "expulsion", "colocation"},
	{"racisme", "discriminations", "plainte", "Unia", "sensibilisation", "stéréotypes",
	 "égalité", "préjugés"},
	{"motion", "hospitalière", "conseil", "communal", "collège", "échevin", "vote",
	 "adoptée"},
	{"lettre", "ouverte", "ministre", "gouvernement", "signataires", "réponse", "demande",
	 "courrier"},
	{"interculturalité", "dialogue", "cultes", "convictions", "laïcité", "mosquée",
	 "paroisse", "rencontre"},
	{"petite", "enfance", "crèches", "parents", "accueillantes", "enfants", "familles",
	 "école"},
	{"réfugiés", "protection", "internationale", "demandeurs", "asile", "centre", "Fedasil",
	 "séjour"},
	{"regroupement", "familial", "visa", "titre", "séjour", "recours", "avocat",
	 "juridique"},
	{"diplômes", "équivalence", "reconnaissance", "compétences", "études", "validation",
	 "qualification", "métier"},
	{"numérique", "fracture", "ordinateurs", "internet", "démarches", "administratives",
	 "en ligne", "smartphone"},
	{"interprétariat", "interprètes", "traduction", "médiation", "langues", "rendez-vous",
	 "tiers", "téléphone"},
	{"violences", "genre", "femmes", "mariage", "forcé", "mutilations", "victimes",
	 "écoute"},
	{"jeunes", "MENA", "tuteurs", "scolarité", "décrochage", "AMO", "maison", "loisirs"},
	{"budget", "subventions", "appel", "projets", "dossier", "justificatifs", "rapport",
	 "financement"},
	{"festival", "exposition", "semaine", "journée", "animation", "spectacle", "culture",
	 "public"},
	{"crise", "sanitaire", "confinement", "visioconférence", "masques", "distanciation",
	 "reprise", "présentiel"},
	{"bénévoles", "volontariat", "solidarité", "quartier", "associations", "collectif",
	 "citoyens", "entraide"},
};
#define NTOPICS (sizeof(topics) / sizeof(topics[0]))

/* Communes a body is rooted in (named in its documents). */
static const char *const communes[] = {
	"Namur", "Dinant", "Philippeville", "Ciney", "Gembloux", "Andenne", "Sambreville",
	"Beauraing", "Couvin", "Rochefort", "Eghezée", "Jemeppe-sur-Sambre", "Fosses-la-Ville",
	"Floreffe", "Profondeville", "Yvoir", "Hastière", "Walcourt", "Viroinval", "Gedinne",
};
#define NCOMMUNES (sizeof(communes) / sizeof(communes[0]))

/* The queries timed at each step: one, two and three words. */
static const char *const queries[] = {
	"intégration", "mobilité", "logement", "alphabétisation", "interprétariat", "réfugiés",
	"covoiturage", "diplômes", "Couvin", "festival", "santé mentale", "cours langue",
	"petite enfance", "lettre ouverte", "motion hospitalière", "fracture numérique",
	"permis conduire", "regroupement familial", "Andenne permanences", "appel projets",
	"parcours intégration emploi", "protection internationale réfugiés",
	"coordination locale Ciney", "médiation écoles familles", "violences genre prévention",
	"reconnaissance diplômes compétences", "plateforme citoyenneté Namur",
	"cultes convictions dialogue", "hébergement urgence solidarité", "équivalence titre séjour",
};
#define NQUERIES (sizeof(queries) / sizeof(queries[0]))

#define NRARE 20000 /* made-up words of the long tail */
static double cumulative[NRARE];

/* Prepares the Zipf weights of the long tail (1 / (rank + 10)). */
static void weights(void)
{
	double sum = 0;
	for (size_t i = 0; i < NRARE; i++) {
		sum += 1.0 / ((double)i + 10.0);
		cumulative[i] = sum;
	}
	for (size_t i = 0; i < NRARE; i++)
		cumulative[i] /= sum;
}

/* Appends made-up word number i of the tail (syllables of its digits). */
static void rare_word(struct buf *out, size_t i)
{
	static const char *const syl[] = {"ba", "ri", "to", "lu", "ne", "ca", "mo", "si",
					  "ve", "gor", "tan", "del", "mi", "pas", "qu"};
	buf_puts(out, syl[i % 15]);
	for (i /= 15, i += 15; i; i /= 15)
		buf_puts(out, syl[i % 15]);
}

/* The two topics and the commune of the document being written. */
static size_t topic_a, topic_b, commune;

/* Appends one word: a function word, a word of the document's topics, its
 * commune or a word of the long tail. */
static void word(struct buf *out)
{
	uint64_t r = next() % 100;
	if (r < 35) {
		buf_puts(out, common[next() % NCOMMON]);
	} else if (r < 75) {
		buf_puts(out, topics[next() % 2 ? topic_a : topic_b][next() % 8]);
	} else if (r < 77) {
		buf_puts(out, communes[commune]);
	} else {
		double u = (double)(next() % 1000000) / 1e6;
		size_t lo = 0, hi = NRARE - 1;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (cumulative[mid] < u)
				lo = mid + 1;
			else
				hi = mid;
		}
		rare_word(out, lo);
	}
}

/* Appends a sentence of 8 to 20 words. */
static void sentence(struct buf *out)
{
	int n = 8 + (int)(next() % 13);
	for (int i = 0; i < n; i++) {
		if (i)
			buf_putc(out, ' ');
		word(out);
	}
	buf_puts(out, ". ");
}

/* Writes text to path; returns its size, or -1. */
static long write_file(const char *path, const struct buf *text)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	size_t n = fwrite(text->data, 1, text->len, f);
	return fclose(f) == 0 && n == text->len ? (long)n : -1;
}

/* Writes body number b and its meetings under root; returns the bytes. */
static long write_body(const char *root, int b)
{
	char path[512];
	struct buf t = {0};
	long total = 0;
	snprintf(path, sizeof(path), "%s/bodies/synthese-%03d", root, b);
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return -1;
	commune = (size_t)b % NCOMMUNES;
	topic_a = next() % NTOPICS;
	topic_b = next() % NTOPICS;
	buf_printf(&t, "---\nname: \"Instance de synthèse n° %d\"\nkind: working_group\n"
		   "status: active\npilot: cai\nvisibility: public\nmembers:\n  - cai\n---\n\n", b);
	sentence(&t);
	buf_putc(&t, '\n');
	snprintf(path, sizeof(path), "%s/bodies/synthese-%03d/body.md", root, b);
	total += write_file(path, &t);
	for (int m = 0; m < PER_BODY; m++) {
		topic_a = next() % NTOPICS;
		topic_b = next() % NTOPICS;
		buf_reset(&t);
		buf_printf(&t, "---\ntitle: \"Réunion %d : %s et %s\"\nformat: on_site\n"
			   "status: minutes_approved\nvisibility: %s\n---\n# Ordre du jour\n\n", m + 1,
			   topics[topic_a][0], topics[topic_b][0], m % 2 ? "members" : "public");
		for (int i = 1; i <= 5; i++) {
			buf_printf(&t, "%d. ", i);
			sentence(&t);
			buf_putc(&t, '\n');
		}
		buf_puts(&t, "\n# Procès-verbal\n\n");
		while (t.len < 1900) {
			for (int s = 0; s < 4; s++)
				sentence(&t);
			buf_puts(&t, "\n\n");
		}
		buf_puts(&t, "- [ ] Relancer ");
		word(&t);
		buf_puts(&t, " @CAI\n");
		snprintf(path, sizeof(path), "%s/bodies/synthese-%03d/%04d-%02d-%02d.md", root, b,
			 2001 + m / 12, m % 12 + 1, b % 28 + 1);
		long n = write_file(path, &t);
		if (n < 0)
			return -1;
		total += n;
	}
	buf_free(&t);
	return total;
}

/* Times every query through HTTP and in process; writes one report line
 * (its first cell: label). */
static void measure(FILE *out, const char *db, int port, const char *label)
{
	static double http[NQUERIES * REPEAT], direct[NQUERIES * REPEAT];
	size_t k = 0;
	long long hits = 0;
	CURL *curl = curl_easy_init();
	struct buf url = {0}, err = {0};
	if (db_open(db, false, &err) < 0) {
		fprintf(stderr, "search_bench: %s\n", buf_str(&err));
		exit(1);
	}
	for (int r = 0; r < REPEAT; r++) {
		for (size_t q = 0; q < NQUERIES; q++, k++) {
			buf_reset(&url);
			buf_printf(&url, "http://127.0.0.1:%d/search.json?q=", port);
			html_url_encode(&url, queries[q], strlen(queries[q]));
			http[k] = bench_get(curl, buf_str(&url), NULL);
			struct search_query sq = {.q = queries[q], .page = 1, .kind = ""};
			double t0 = bench_now();
			json_t *res = search_run(&sq);
			direct[k] = bench_now() - t0;
			if (r == 0)
				hits += json_integer_value(json_object_get(res, "total"));
			json_decref(res);
		}
	}
	db_close();
	curl_easy_cleanup(curl);
	buf_free(&url);
	buf_free(&err);
	double hp50 = bench_quantile(http, k, 0.5), dp50 = bench_quantile(direct, k, 0.5);
	fprintf(out, "| %s | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.2f | %lld |\n", label,
		dp50 * 1e3, bench_quantile(direct, k, 0.99) * 1e3, hp50 * 1e3,
		bench_quantile(http, k, 0.99) * 1e3, hp50 / dp50, hits / (long long)NQUERIES);
	fflush(out);
}

#define DOCUMENTS 20000 /* documents with their text, added at the end */

/* Attaches DOCUMENTS documents with an extracted text of about 2 KB each
 * (the corpus's words) to meetings spread over the network, as a bulk
 * `maillage extract` leaves them (the index compacted at its end); 0 or -1. */
static int add_documents(const char *db)
{
	struct buf err = {0}, text = {0};
	if (db_open(db, false, &err) < 0)
		return -1;
	long long lo = db_int(0, "SELECT min(id) FROM meeting", NULL);
	long long span = db_int(0, "SELECT max(id) FROM meeting", NULL) - lo + 1;
	int rc = 0;
	for (int i = 0; rc == 0 && i < DOCUMENTS; i++) {
		if (i % 1000 == 0 && (i ? db_commit() : 0) == 0)
			rc = db_begin();
		buf_reset(&text);
		while (text.len < 2000)
			sentence(&text);
		char hash[32], name[48];
		snprintf(hash, sizeof(hash), "banc-%d", i);
		snprintf(name, sizeof(name), "document-%05d.pdf", i);
		rc = db_exec("INSERT INTO blob (sha256, size) VALUES (?, 1)", "t", hash) == 1 &&
		     db_exec("INSERT INTO blob_part (blob_id, seq, data) VALUES (last_insert_rowid(), 0, "
			     "x'25')", NULL) == 1 &&
		     db_exec("INSERT INTO file (meeting_id, name, mime, blob_id, text_state) SELECT ?, ?, "
			     "'application/pdf', id, 'done' FROM blob WHERE sha256 = ?", "itt",
			     lo + (long long)(next() % (uint64_t)span), name, hash) == 1 &&
		     db_exec("INSERT INTO file_text (file_id, text, pages) VALUES (last_insert_rowid(), "
			     "?, 1)", "t", buf_str(&text)) == 1 ? 0 : -1;
	}
	if (rc == 0 && db_commit() < 0)
		rc = -1;
	if (rc == 0) /* read in bulk: maillage extract then compacts the index, as an import does */
		rc = search_compact();
	if (rc < 0)
		db_rollback();
	db_close();
	buf_free(&err);
	buf_free(&text);
	return rc;
}

#define PAGES 60 /* meeting pages timed at each step */

/* Times, as an anonymous visitor, PAGES public meeting pages spread over
 * the network and the lists (first and a far page), each made for the
 * request: a « passage » parameter, ignored by the pages, makes every
 * address new to the page cache. One report line. */
static void measure_pages(FILE *out, const char *db, int port, long docs, double startup)
{
	static const char *const list_paths[] = {"/", "/meetings", "/meetings?page=40",
						 "/meetings?year=2005", "/meetings?body=synthese-001",
						 "/bodies", "/bodies/synthese-001"};
	enum { NLISTS = sizeof(list_paths) / sizeof(list_paths[0]) };
	static double meeting[PAGES * REPEAT], lists[NLISTS * REPEAT];
	struct buf url = {0}, err = {0};
	if (db_open(db, false, &err) < 0)
		exit(1);
	json_t *rows = db_rows("SELECT m.id FROM meeting m WHERE m.visibility = 'public' AND "
			       "m.deleted = 0 ORDER BY (m.id * 7919) % 10007 LIMIT ?",
			       "i", (long long)PAGES);
	db_close();
	CURL *curl = curl_easy_init();
	size_t k = 0, l = 0;
	for (int r = 0; r < REPEAT; r++) {
		for (size_t i = 0; i < json_array_size(rows) && k < PAGES * REPEAT; i++) {
			buf_reset(&url);
			buf_printf(&url, "http://127.0.0.1:%d/meetings/%lld?passage=%d", port,
				   json_integer_value(json_object_get(json_array_get(rows, i), "id")), r);
			meeting[k++] = bench_get(curl, buf_str(&url), NULL);
		}
		for (size_t i = 0; i < NLISTS; i++) {
			buf_reset(&url);
			buf_printf(&url, "http://127.0.0.1:%d%s%cpassage=%d", port, list_paths[i],
				   strchr(list_paths[i], '?') ? '&' : '?', r);
			lists[l++] = bench_get(curl, buf_str(&url), NULL);
		}
	}
	curl_easy_cleanup(curl);
	json_decref(rows);
	buf_free(&url);
	buf_free(&err);
	fprintf(out, "| %ld | %.0f ms | %.2f ms | %.2f ms | %.2f ms | %.2f ms |\n", docs,
		startup * 1e3, bench_quantile(meeting, k, 0.5) * 1e3,
		bench_quantile(meeting, k, 0.99) * 1e3, bench_quantile(lists, l, 0.5) * 1e3,
		bench_quantile(lists, l, 0.99) * 1e3);
	fflush(out);
}

#define HOME_BODIES 20   /* bodies the partner's organisation is a member of */
#define HOME_REQUESTS 300 /* timed requests of the partner's home */
#define HOME_EMAIL "partenaire-banc@maillage.test"
#define HOME_PASSWORD "un mot de passe de banc d'essai"

/* Makes the Forem a member of HOME_BODIES generated bodies with, in each,
 * two meetings to come, minutes approved over the last three months and
 * open actions of its own, and gives it a partner account; 0 or -1. */
static int home_setup(const char *db)
{
	struct buf err = {0};
	if (db_open(db, false, &err) < 0)
		return -1;
	int rc = db_begin() < 0 ? -1 : 0;
	for (int b = 0; rc == 0 && b < HOME_BODIES; b++) {
		char slug[32];
		snprintf(slug, sizeof(slug), "synthese-%03d", b * 7);
		rc = db_exec("INSERT INTO membership (body_id, organisation_id) SELECT b.id, o.id FROM "
			     "body b, organisation o WHERE b.slug = ? AND o.slug = 'forem'", "t", slug)
			     == 1 &&
		     db_exec("INSERT INTO meeting (body_id, title, start, visibility) SELECT id, "
			     "'Réunion à venir', date('now', '+' || (?2 % 30 + 1) || ' days'), "
			     "'members' FROM body WHERE slug = ?1 UNION ALL SELECT id, 'Réunion "
			     "suivante', date('now', '+' || (?2 % 30 + 40) || ' days'), 'public' FROM "
			     "body WHERE slug = ?1", "ti", slug, (long long)b) == 2 &&
		     db_exec("UPDATE meeting SET approved_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', "
			     "'-' || (id % 90) || ' days') WHERE id IN (SELECT m.id FROM meeting m JOIN "
			     "body b ON b.id = m.body_id WHERE b.slug = ? AND m.status = "
			     "'minutes_approved' ORDER BY m.start DESC LIMIT 6)", "t", slug) >= 0 &&
		     db_exec("UPDATE action SET owner_organisation_id = (SELECT id FROM organisation "
			     "WHERE slug = 'forem'), due = date('now', '+' || (id % 40 - 10) || ' days') "
			     "WHERE meeting_id IN (SELECT m.id FROM meeting m JOIN body b ON b.id = "
			     "m.body_id WHERE b.slug = ? ORDER BY m.start DESC LIMIT 3)", "t", slug) >= 0
			     ? 0 : -1;
	}
	if (rc == 0 && db_commit() < 0)
		rc = -1;
	if (rc < 0)
		db_rollback();
	if (rc == 0 && auth_user_add(HOME_EMAIL, "Partenaire du banc d'essai", "partner", "forem",
				     HOME_PASSWORD, 0, &err) < 0)
		rc = -1;
	if (rc < 0)
		fprintf(stderr, "search_bench : préparation de l'accueil impossible %s\n", buf_str(&err));
	db_close();
	buf_free(&err);
	return rc;
}

/* Logs the partner in through the login form on curl (cookies kept);
 * 0 or -1. */
static int home_login(CURL *curl, int port)
{
	return bench_login(curl, port, "partenaire-banc@maillage.test", HOME_PASSWORD);
}

/* Times the partner's home HOME_REQUESTS times; writes the report. */
static void measure_home(FILE *out, int port, long docs)
{
	static double t[HOME_REQUESTS];
	CURL *curl = curl_easy_init();
	char url[64];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", port);
	if (home_login(curl, port) < 0) {
		fprintf(stderr, "search_bench : connexion de la partenaire impossible\n");
		exit(1);
	}
	struct buf page = {0};
	bench_get(curl, url, &page);
	if (!strstr(buf_str(&page), "Mes instances") || !strstr(buf_str(&page), "Réunion à venir")) {
		fprintf(stderr, "search_bench : l'accueil de la partenaire n'a pas ses listes\n");
		exit(1);
	}
	buf_free(&page);
	for (int i = 0; i < HOME_REQUESTS; i++)
		t[i] = bench_get(curl, url, NULL);
	curl_easy_cleanup(curl);
	fprintf(out, "\n## Accueil d'une partenaire\n\nUne organisation membre de %d instances "
		"(deux réunions à venir dans chacune, des procès-verbaux approuvés ces trois derniers "
		"mois, ses actions ouvertes), %ld réunions en tout ; %d fois la page d'accueil de "
		"son compte connecté, sur une connexion gardée (jamais en cache : elle est à "
		"elle).\n\n| réunions | p50 | p99 |\n|---|---|---|\n| %ld | %.2f ms | %.2f ms |\n\n"
		"Cible : p99 sous 20 ms.\n", HOME_BODIES, docs, HOME_REQUESTS, docs,
		bench_quantile(t, HOME_REQUESTS, 0.5) * 1e3,
		bench_quantile(t, HOME_REQUESTS, 0.99) * 1e3);
}

/* Starts the server and returns the seconds from its start to its first
 * answered page (the home page), or -1. */
static double first_response(struct bench_server *srv, const char *db)
{
	if (bench_server_start(srv, db) < 0)
		return -1;
	char url[64];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", srv->port);
	CURL *curl = curl_easy_init();
	bench_get(curl, url, NULL);
	double t = bench_now() - srv->started;
	curl_easy_cleanup(curl);
	return t;
}

/* Appends the lines written to tmp to out. */
static void copy(FILE *tmp, FILE *out)
{
	char line[512];
	rewind(tmp);
	while (fgets(line, sizeof(line), tmp))
		fputs(line, out);
	fclose(tmp);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage : search_bench DOSSIER [RAPPORT]\n");
		return 2;
	}
	const char *work = argv[1];
	FILE *out = argc > 2 ? fopen(argv[2], "w") : stdout;
	if (!out)
		return 1;
	char root[200], db[200], cmd[2048];
	snprintf(root, sizeof(root), "%s/content", work);
	snprintf(db, sizeof(db), "%s/search.db", work);
	snprintf(cmd, sizeof(cmd), "rm -rf %s && mkdir -p %s/bodies && cp content/glossary.csv "
		 "content/communes.csv %s/ && cp -r content/organisations %s/ && "
		 "./maillage init --db %s >/dev/null", work, root, root, root, db);
	if (bench_run(cmd) < 0)
		return 1;
	weights();
	curl_global_init(CURL_GLOBAL_DEFAULT);
	static const int steps[] = {50, 150, 500}; /* bodies: 10,000, 30,000, 100,000 meetings */
	FILE *searches = tmpfile(), *pages = tmpfile(), *home = tmpfile();
	if (!searches || !pages || !home)
		return 1;
	fprintf(out, "## Recherche\n\n");
	fprintf(out, "Corpus : réseau synthétique (graine fixe), %d réunions par instance "
		"d'environ 2 Ko, une sur deux publique ; chaque réunion parle de deux des %zu "
		"thèmes et de la commune de son instance, avec une longue traîne de %d mots rares ; %zu requêtes de 1 à 3 mots, %d fois "
		"chacune, en visiteur anonyme. « direct » : search_run() dans le processus (les "
		"mêmes requêtes SQLite, sans HTTP ni page) ; « HTTP » : /search.json sur le vrai "
		"serveur, connexion gardée ouverte.\n\n", PER_BODY, NTOPICS, NRARE, NQUERIES, REPEAT);
	fprintf(out, "| réunions | import | Mo | Mo/s |\n|---|---|---|---|\n");
	int done = 0;
	for (size_t s = 0; s < sizeof(steps) / sizeof(steps[0]); s++) {
		long bytes = 0;
		fprintf(stderr, "search_bench : génération de %d instances…\n", steps[s] - done);
		for (int b = done; b < steps[s]; b++) {
			long n = write_body(root, b);
			if (n < 0) {
				fprintf(stderr, "search_bench : écriture impossible dans %s\n", root);
				return 1;
			}
			bytes += n;
		}
		done = steps[s];
		fprintf(stderr, "search_bench : import de %d réunions…\n", done * PER_BODY);
		snprintf(cmd, sizeof(cmd), "./maillage import %s --db %s >/dev/null", root, db);
		double t0 = bench_now();
		if (bench_run(cmd) < 0)
			return 1;
		double t = bench_now() - t0;
		fprintf(out, "| %d | %.1f s | %.1f | %.1f |\n", done * PER_BODY, t, (double)bytes / 1e6,
			(double)bytes / 1e6 / t);
		fflush(out);
		if (s + 1 == sizeof(steps) / sizeof(steps[0]) && home_setup(db) < 0)
			return 1;
		struct bench_server srv;
		double startup = first_response(&srv, db);
		if (startup < 0) {
			fprintf(stderr, "search_bench : le serveur ne démarre pas\n");
			return 1;
		}
		char label[64];
		snprintf(label, sizeof(label), "%d", done * PER_BODY);
		measure(searches, db, srv.port, label);
		measure_pages(pages, db, srv.port, (long)done * PER_BODY, startup);
		if (s + 1 == sizeof(steps) / sizeof(steps[0]))
			measure_home(home, srv.port, (long)done * PER_BODY);
		bench_server_stop(&srv);
	}
	fprintf(stderr, "search_bench : %d documents joints avec leur texte…\n", DOCUMENTS);
	struct bench_server srv;
	if (add_documents(db) < 0 || first_response(&srv, db) < 0) {
		fprintf(stderr, "search_bench : les documents n'ont pas pu être ajoutés\n");
		return 1;
	}
	char label[64];
	snprintf(label, sizeof(label), "%d + %d documents", done * PER_BODY, DOCUMENTS);
	measure(searches, db, srv.port, label);
	bench_server_stop(&srv);
	fprintf(out, "\n| réunions | direct p50 | direct p99 | HTTP p50 | HTTP p99 | HTTP/direct "
		"(p50) | résultats par requête |\n|---|---|---|---|---|---|---|\n");
	copy(searches, out);
	fprintf(out, "\nCibles : HTTP p50 à moins de 2× le direct ; HTTP p99 sous 10 ms à "
		"100 000 documents, et encore avec %d documents joints (environ 2 Ko de texte "
		"chacun, de la même langue) ajoutés.\n", DOCUMENTS);
	fprintf(out, "\n## Pages à mesure que le réseau grandit\n\n%zu pages de réunions publiques "
		"réparties dans le réseau et 7 listes (accueil, réunions, leur page 40, une année, "
		"celles d'une instance, instances, la page d'une instance), "
		"%d fois chacune, en visiteur anonyme sur une connexion gardée, chaque fois faites "
		"pour la requête (adresse nouvelle pour le cache des pages) ; démarrage : du "
		"lancement du serveur à la première page d'accueil servie.\n\n"
		"| réunions | démarrage | réunion p50 | réunion p99 | listes p50 | listes p99 |\n"
		"|---|---|---|---|---|---|\n", (size_t)PAGES, REPEAT);
	copy(pages, out);
	fprintf(out, "\nCible : démarrage jusqu'à la première réponse sous 200 ms.\n");
	copy(home, out);
	curl_global_cleanup();
	if (out != stdout)
		fclose(out);
	return 0;
}
