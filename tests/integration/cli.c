/* cli.c — the command line as an administrator uses it: exit codes and
 * French one-line messages. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "../test.h"
#include "live.h"

void integration_cli(void);

static char dir[] = "/tmp/maillage-cli-dir-XXXXXX";

/* Runs the CLI with args after "--db DIR/DB"; returns the exit status and
 * keeps the output in out (reset first). */
static int cli_on(const char *db, struct buf *out, const char *args, const char *input)
{
	char full[1024];
	buf_reset(out);
	snprintf(full, sizeof(full), "%s --db %s/%s", args, dir, db);
	return live_cli(full, input, out);
}

/* Runs the CLI on DIR/c.db. */
static int cli(struct buf *out, const char *args, const char *input)
{
	return cli_on("c.db", out, args, input);
}

/* Help, version and unknown commands or options. */
static void cli_usage(void)
{
	struct buf out = {0};
	CHECK_INT(live_cli("--help", NULL, &out), 0);
	CHECK(strstr(buf_str(&out), "user add|list|passwd|disable|enable") != NULL);
	buf_reset(&out);
	CHECK_INT(live_cli("--version", NULL, &out), 0);
	CHECK(strncmp(buf_str(&out), "maillage ", 9) == 0);
	buf_reset(&out);
	CHECK_INT(live_cli("envoyer", NULL, &out), 2);
	CHECK(strstr(buf_str(&out), "commande inconnue : envoyer") != NULL);
	buf_reset(&out);
	CHECK_INT(live_cli("serve --port 80", NULL, &out), 2);
	CHECK(strstr(buf_str(&out), "option inconnue : --port") != NULL);
	buf_reset(&out);
	CHECK_INT(live_cli("serve --smtp-ca /nulle/part.pem", NULL, &out), 2);
	CHECK(strstr(buf_str(&out), "fichier de certificats illisible : /nulle/part.pem") != NULL);

	buf_reset(&out);
	CHECK_INT(live_cli("backup", NULL, &out), 2);
	CHECK(strstr(buf_str(&out), "un fichier de destination est attendu") != NULL);
	buf_reset(&out);
	CHECK_INT(live_cli("search", NULL, &out), 2);
	CHECK(strstr(buf_str(&out), "des mots à chercher sont attendus") != NULL);
	buf_reset(&out);
	CHECK_INT(live_cli("", NULL, &out), 2);
	buf_free(&out);
}

/* init creates once and refuses to overwrite; user add, list, passwd,
 * disable and enable. */
static void cli_accounts(void)
{
	struct buf out = {0};
	CHECK_INT(cli(&out, "init", NULL), 0);
	CHECK(strstr(buf_str(&out), "schéma") != NULL);
	CHECK_INT(cli(&out, "init", NULL), 1);
	CHECK(strstr(buf_str(&out), "existe déjà") != NULL);
	/* options after the arguments, password from stdin */
	CHECK_INT(cli(&out, "user add ca@cli.test --password-stdin --role board", "mot de passe du ca\n"), 0);
	CHECK_INT(cli(&out, "user add ca@cli.test --role board --password-stdin", "mot de passe du ca\n"), 1);
	CHECK(strstr(buf_str(&out), "existe déjà") != NULL);
	CHECK_INT(cli(&out, "user add autre@cli.test --role chef", NULL), 1);
	CHECK(strstr(buf_str(&out), "rôle inconnu") != NULL);
	CHECK_INT(cli(&out, "user add pas-une-adresse --role partner", NULL), 1);
	CHECK(strstr(buf_str(&out), "adresse e-mail invalide") != NULL);
	CHECK_INT(cli(&out, "user add p@cli.test --role partner --password-stdin", "court\n"), 1);
	CHECK(strstr(buf_str(&out), "10 caractères") != NULL);
	CHECK_INT(cli(&out, "user add p@cli.test --role partner --org inconnue", NULL), 1);
	CHECK(strstr(buf_str(&out), "organisation inconnue") != NULL);
	CHECK_INT(cli(&out, "user add p@cli.test --role partner --name 'Éva Partenaire'", NULL), 0);
	CHECK(strstr(buf_str(&out), "Mot de passe : ") != NULL);
	CHECK_INT(cli(&out, "user add", NULL), 2);
	CHECK_INT(cli(&out, "user list", NULL), 0);
	CHECK(strstr(buf_str(&out), "ca@cli.test") && strstr(buf_str(&out), "Éva Partenaire") &&
	      strstr(buf_str(&out), "2 comptes"));
	CHECK_INT(cli(&out, "user passwd p@cli.test --password-stdin", "nouveau mot de passe\n"), 0);
	CHECK_INT(cli(&out, "user passwd personne@cli.test", NULL), 1);
	CHECK(strstr(buf_str(&out), "aucun compte") != NULL);
	/* disable and enable */
	CHECK_INT(cli(&out, "user disable p@cli.test", NULL), 0);
	CHECK(strstr(buf_str(&out), "désactivé") && strstr(buf_str(&out), "révoqués"));
	CHECK_INT(cli(&out, "user list", NULL), 0);
	CHECK(strstr(buf_str(&out), "Éva Partenaire (désactivé)") != NULL);
	CHECK_INT(cli(&out, "user enable p@cli.test", NULL), 0);
	CHECK(strstr(buf_str(&out), "réactivé") != NULL);
	CHECK_INT(cli(&out, "user list", NULL), 0);
	CHECK(strstr(buf_str(&out), "(désactivé)") == NULL);
	CHECK_INT(cli(&out, "user disable personne@cli.test", NULL), 1);
	CHECK(strstr(buf_str(&out), "aucun compte") != NULL);
	CHECK_INT(cli(&out, "user disable", NULL), 2);
	buf_free(&out);
}

/* init --demo writes random demo passwords that differ between databases. */
static void cli_demo_accounts(void)
{
	struct buf out = {0}, first = {0};
	char args[256], path[256];
	snprintf(args, sizeof(args), "init --demo --db %s/demo1/m.db", dir);
	CHECK_INT(live_cli(args, NULL, &out), 0);
	snprintf(path, sizeof(path), "cat %s/demo1/demo-accounts.txt", dir);
	FILE *f = popen(path, "r");
	char line[256];
	while (f && fgets(line, sizeof(line), f))
		buf_puts(&first, line);
	if (f)
		pclose(f);
	CHECK(strstr(buf_str(&first), "admin@maillage.test") != NULL);
	CHECK(strstr(buf_str(&first), "partenaire@maillage.test") != NULL);
	snprintf(args, sizeof(args), "init --demo --db %s/demo2/m.db", dir);
	buf_reset(&out);
	CHECK_INT(live_cli(args, NULL, &out), 0);
	snprintf(path, sizeof(path), "%s/demo2/demo-accounts.txt", dir);
	f = fopen(path, "r");
	struct buf second = {0};
	while (f && fgets(line, sizeof(line), f))
		buf_puts(&second, line);
	if (f)
		fclose(f);
	CHECK(second.len > 0 && strcmp(buf_str(&first), buf_str(&second)) != 0);
	buf_free(&out);
	buf_free(&first);
	buf_free(&second);
}

/* check: a sound base exits 0; a document of an older renderer is reported
 * (exit 1) and rendered again when the server starts. */
static void cli_check(void)
{
	struct buf out = {0};
	char cmd[512];
	CHECK_INT(cli(&out, "check", NULL), 0);
	CHECK(strstr(buf_str(&out), "saine") != NULL);
	snprintf(cmd, sizeof(cmd), "sqlite3 %s/c.db \"INSERT INTO body (slug, name, kind, description) "
		 "VALUES ('gt-test', 'GT Test', 'working_group', '*Texte* du GT')\"", dir);
	CHECK(system(cmd) == 0);
	CHECK_INT(cli(&out, "check", NULL), 1);
	CHECK(strstr(buf_str(&out), "rendus périmés : 1 document") != NULL);
	/* the server renders it at start-up, before answering */
	snprintf(cmd, sizeof(cmd), "%s serve --db %s/c.db --listen 127.0.0.1:0 >%s/serve.out 2>&1 & "
		 "pid=$!; sleep 1; kill $pid; wait $pid", live_binary(), dir, dir);
	CHECK(system(cmd) == 0);
	snprintf(cmd, sizeof(cmd), "%s/serve.out", dir);
	buf_reset(&out);
	CHECK(buf_read_file(&out, cmd) == 0);
	CHECK(strstr(buf_str(&out), "1 document rendu à nouveau") != NULL);
	CHECK_INT(cli(&out, "check", NULL), 0);
	/* a file that is not a database, or a folder that is not there, said in French */
	snprintf(cmd, sizeof(cmd), "%s/pas-une-base.db", dir);
	FILE *f = fopen(cmd, "w");
	for (int i = 0; f && i < 100; i++)
		fputs("Ceci est un compte rendu, pas une base de données.\n", f);
	CHECK(f && fclose(f) == 0);
	snprintf(cmd, sizeof(cmd), "check --db %s/pas-une-base.db", dir);
	buf_reset(&out);
	CHECK(live_cli(cmd, NULL, &out) != 0);
	CHECKF(strstr(buf_str(&out), "illisible : ce fichier n'est pas une base de données"), "%s",
	       buf_str(&out));
	buf_reset(&out);
	CHECK(live_cli("check --db /nulle/part/m.db", NULL, &out) != 0);
	CHECKF(strstr(buf_str(&out), "inaccessible : fichier impossible à ouvrir"), "%s",
	       buf_str(&out));
	buf_free(&out);
}

/* content/ round trip: the demo content exported gives back content/ byte
 * for byte (but for the demo's documents, which pandoc writes when the
 * demo is made: content/ holds no binary); hostile names survive export,
 * import and export again. */
static void cli_round_trip(void)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "%s init --demo --db %s/rt/m.db >/dev/null && %s export %s/rt/out "
		 "--db %s/rt/m.db >/dev/null && diff -r -x '*.files' content %s/rt/out", live_binary(), dir,
		 live_binary(), dir, dir, dir);
	CHECK(system(cmd) == 0);
	snprintf(cmd, sizeof(cmd), "%s import content --db %s/rt/m.db >/dev/null && %s export %s/rt/out2 "
		 "--db %s/rt/m.db >/dev/null && diff -r -x '*.files' content %s/rt/out2", live_binary(), dir,
		 live_binary(), dir, dir, dir);
	CHECK(system(cmd) == 0);
	snprintf(cmd, sizeof(cmd), "sqlite3 %s/rt/m.db \"UPDATE body SET name = 'GT « x » \\\"y\\\" \\\\ z: #1 '"
		 " || char(9) || 'fin' WHERE slug = 'gt-sante'; UPDATE meeting SET title = '- [x] : {a}' "
		 "WHERE slug = '2020-09-15'\" && %s export %s/rt/a --db %s/rt/m.db >/dev/null && "
		 "%s init --db %s/rt/n.db >/dev/null && %s import %s/rt/a --db %s/rt/n.db >/dev/null && "
		 "%s export %s/rt/b --db %s/rt/n.db >/dev/null && diff -r %s/rt/a %s/rt/b && "
		 "grep -q 'z: #1' %s/rt/b/bodies/gt-sante/body.md", dir, live_binary(), dir, dir,
		 live_binary(), dir, live_binary(), dir, dir, live_binary(), dir, dir, dir, dir, dir);
	CHECK(system(cmd) == 0);
	struct buf out = {0};
	CHECK_INT(live_cli("export", NULL, &out), 2);
	CHECK(strstr(buf_str(&out), "un dossier est attendu") != NULL);
	buf_free(&out);
}

/* maillage report on the demo tells the activity report's 2020: ten
 * letters (one to the province, three to the region, five federal, one
 * European), Gesves adopted by the college, Ciney voted by the council,
 * four communes in concertation; CSV to a file with -o; a year that
 * cannot be one, or another format, is refused with 2. */
static void cli_report(void)
{
	char db[300], args[700];
	struct buf out = {0};
	snprintf(db, sizeof(db), "%s/report.db", dir);
	snprintf(args, sizeof(args), "init --demo --db %s >/dev/null && %s report 2020 --db %s",
		 db, live_binary(), db);
	CHECK_INT(live_cli(args, NULL, &out), 0);
	const char *facts[] = {"| lettres : province | 1 | 0 |", "| lettres : région | 3 | 0 |",
			       "| lettres : fédéral | 5 | 0 |", "| lettres : Europe | 1 | 0 |",
			       "| communes au 31 décembre : adoptée par le collège | 1 | 0 |",
			       "| communes au 31 décembre : votée par le conseil | 1 | 0 |",
			       "| communes au 31 décembre : concertation | 4 | 0 |",
			       "## Chiffres clés 2020"};
	for (size_t i = 0; i < sizeof(facts) / sizeof(facts[0]); i++)
		CHECKF(strstr(buf_str(&out), facts[i]) != NULL, "%s", facts[i]);
	/* every active body in its chapter, the six platforms and eight local coordinations
	 * of the centre's report, met this year or not */
	const char *const heads[][2] = {{"#### Plateforme", "6"}, {"#### Coordination locale", "8"},
					{"#### GT ", "3"}};
	for (size_t i = 0; i < 3; i++) {
		long long n = 0;
		for (const char *p = buf_str(&out); (p = strstr(p, heads[i][0])); p++)
			n++;
		CHECKF(n == atoll(heads[i][1]), "%s : %lld", heads[i][0], n);
	}
	CHECK(strstr(buf_str(&out), "#### Plateforme citoyenneté\n\nAucune réunion enregistrée "
		     "cette année.") != NULL);
	/* each body's counts in a sentence, without « 0 … dont 0 » */
	const char *const counts[] = {
		"5 réunions tenues, toutes en présentiel ; aucune présence notée ; aucune action "
		"décidée\\.", /* the bureau */
		"4 réunions tenues, dont 2 à distance ou en hybride ; 4 présences notées, d'une "
		"seule organisation ; aucune action décidée\\.", /* the board */
		"1 réunion tenue, à distance ou en hybride ; aucune présence notée ; 1 action "
		"décidée, pas encore faite\\.", /* the plenary of 27 November */
		"1 réunion tenue, en présentiel ; 3 présences notées, de 3 organisations "
		"différentes ; 2 actions décidées, dont 1 faite depuis\\."}; /* Namur */
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		CHECKF(strstr(buf_str(&out), counts[i]) != NULL, "%s", counts[i]);
	CHECK(!strstr(buf_str(&out), "dont 0"));
	buf_reset(&out);
	snprintf(args, sizeof(args), "report 2020 --db %s --format csv -o %s/report.csv", db, dir);
	CHECK_INT(live_cli(args, NULL, &out), 0);
	struct buf csv = {0};
	snprintf(args, sizeof(args), "%s/report.csv", dir);
	CHECK(buf_read_file(&csv, args) == 0 &&
	      strstr(buf_str(&csv), "indicateur,2020,2019\r\n") == buf_str(&csv) &&
	      strstr(buf_str(&csv), "lettres : fédéral,5,0\r\n"));
	buf_free(&csv);
	const char *bad[][2] = {{"1800", "une année est attendue"}, {"deux-mille", "une année"},
				{"2020 --format pdf", "--format attend md, csv, odt, docx ou html"}};
	for (size_t i = 0; i < 3; i++) {
		buf_reset(&out);
		snprintf(args, sizeof(args), "report %s --db %s", bad[i][0], db);
		CHECKF(live_cli(args, NULL, &out) == 2 && strstr(buf_str(&out), bad[i][1]), "%s",
		       bad[i][0]);
	}
	/* the whole report for LibreOffice, read back by pandoc; without pandoc, said and 2 */
	buf_reset(&out);
	snprintf(args, sizeof(args), "report 2020 --db %s --format odt -o %s/rapport.odt && pandoc "
		 "-t plain --wrap=none %s/rapport.odt", db, dir, dir);
	CHECK_INT(live_cli(args, NULL, &out), 0);
	CHECK(strstr(buf_str(&out), "Conseil d’administration") &&
	      strstr(buf_str(&out), "Les coordinations locales") && strstr(buf_str(&out), "Gesves"));
	buf_reset(&out);
	snprintf(args, sizeof(args), "report 2020 --db %s --format docx -o %s/r.docx", db, dir);
	setenv("MAILLAGE_PANDOC", "/nulle/part/pandoc", 1);
	CHECK_INT(live_cli(args, NULL, &out), 2);
	unsetenv("MAILLAGE_PANDOC");
	CHECK(strstr(buf_str(&out), "apt-get install pandoc") != NULL);
	/* with its pictures (the charts and the map); without rsvg-convert, still written,
	 * without them, and said */
	char cmd[900];
	buf_reset(&out);
	snprintf(args, sizeof(args), "report 2020 --db %s --format docx -o %s/r.docx", db, dir);
	CHECK_INT(live_cli(args, NULL, &out), 0);
	snprintf(cmd, sizeof(cmd), "pandoc -t markdown --wrap=none %s/r.docx | grep -c '!\\[' | "
		 "grep -qx 3", dir);
	CHECK(system(cmd) == 0);
	/* in the centre's styles (its blue in the theme), or in the centre's own model */
	static const char *theme = "python3 -c \"import sys, zipfile; sys.exit(b'%s' not in "
				   "zipfile.ZipFile(sys.argv[1]).read('%s'))\" %s/%s";
	snprintf(cmd, sizeof(cmd), theme, "1D5C63", "word/theme/theme1.xml", dir, "r.docx");
	CHECK(system(cmd) == 0);
	snprintf(cmd, sizeof(cmd), "pandoc --print-default-data-file reference.docx > %s/own.docx",
		 dir);
	CHECK(system(cmd) == 0);
	snprintf(cmd, sizeof(cmd), "%s/own.docx", dir);
	setenv("MAILLAGE_REFERENCE_DOCX", cmd, 1);
	CHECK_INT(live_cli(args, NULL, &out), 0);
	unsetenv("MAILLAGE_REFERENCE_DOCX");
	snprintf(cmd, sizeof(cmd), theme, "4F81BD", "word/theme/theme1.xml", dir, "r.docx");
	CHECK(system(cmd) == 0);
	snprintf(args, sizeof(args), "report 2020 --db %s --format odt -o %s/r.odt", db, dir);
	CHECK_INT(live_cli(args, NULL, &out), 0);
	snprintf(cmd, sizeof(cmd), theme, "#1D5C63", "styles.xml", dir, "r.odt");
	CHECK(system(cmd) == 0);
	snprintf(args, sizeof(args), "report 2020 --db %s --format docx -o %s/r.docx", db, dir);
	buf_reset(&out);
	setenv("MAILLAGE_RSVG", "/nulle/part/rsvg-convert", 1);
	CHECK_INT(live_cli(args, NULL, &out), 0);
	unsetenv("MAILLAGE_RSVG");
	CHECK(strstr(buf_str(&out), "n'a pas pu être dessinée") != NULL);
	snprintf(cmd, sizeof(cmd), "pandoc -t markdown %s/r.docx | grep -q Gesves", dir);
	CHECK(system(cmd) == 0);
	snprintf(cmd, sizeof(cmd), "pandoc -t markdown %s/r.docx | grep -q '!\\['", dir);
	CHECK(system(cmd) != 0);
	/* one HTML page that holds everything: titled, in French, its three pictures inside */
	buf_reset(&out);
	snprintf(args, sizeof(args), "report 2020 --db %s --format html -o %s/r.html", db, dir);
	CHECK_INT(live_cli(args, NULL, &out), 0);
	struct buf html = {0};
	snprintf(cmd, sizeof(cmd), "%s/r.html", dir);
	CHECK(buf_read_file(&html, cmd) == 0);
	const char *h = buf_str(&html);
	CHECK(strstr(h, "<title>Rapport d’activités 2020</title>") && strstr(h, "lang=\"fr\"") &&
	      strstr(h, "Participations institutionnelles") && strstr(h, "Gesves"));
	long long pictures = 0;
	for (const char *p = h; (p = strstr(p, "src=\"data:image/png;base64,")); p++)
		pictures++;
	CHECK_INT(pictures, 3);
	buf_free(&html);
	buf_free(&out);
}

/* Runs the shell command built from fmt in sh; returns its exit status. */
static int shell(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int shell(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Documents in content/: each record's files beside its Markdown file
 * (x.md: x.files/) go in with the import and come out of the export byte
 * for byte; a second import changes nothing; other bytes under a name make
 * a new version; a refused type stops the import, naming the file; the
 * backup carries them. */
static void cli_files_round_trip(void)
{
	const char *bin = live_binary();
	char fx[300];
	snprintf(fx, sizeof(fx), "%s/fx", dir);
	CHECK(shell("mkdir -p %s && cp -R content %s/content && python3 tests/files/samples.py "
		    "%s/s >/dev/null", fx, fx, fx) == 0);
	CHECK(shell("cd %s && mkdir content/bodies/bureau-du-conseil/body.files "
		    "content/bodies/bureau-du-conseil/2020-01-16.files "
		    "content/letters/2020-01-01-memo-migrants-en-transit.files "
		    "content/motions/commune-hospitaliere.files && "
		    "cp s/ordre-du-jour.pdf 'content/bodies/bureau-du-conseil/body.files/Charte du "
		    "réseau.pdf' && cp s/compte-rendu.docx s/photo.png "
		    "content/bodies/bureau-du-conseil/2020-01-16.files/ && cp s/compte-rendu.odt "
		    "content/letters/2020-01-01-memo-migrants-en-transit.files/lettre.odt && "
		    "cp s/ordre-du-jour.pdf content/motions/commune-hospitaliere.files/decision.pdf",
		    fx) == 0);
	CHECK(shell("%s init --db %s/a.db >/dev/null && %s import %s/content --db %s/a.db >/dev/null "
		    "&& %s export %s/out --db %s/a.db >/dev/null && diff -r %s/content %s/out", bin, fx,
		    bin, fx, fx, bin, fx, fx, fx, fx) == 0);
	char db[400];
	snprintf(db, sizeof(db), "%s/a.db", fx);
	CHECK_INT(live_sql_file(db, "SELECT count(*) FROM file"), 5);
	CHECK_INT(live_sql_file(db, "SELECT count(*) FROM blob"), 4); /* one PDF twice */
	CHECK(shell("%s import %s/content --db %s/a.db >/dev/null", bin, fx, fx) == 0);
	CHECK_INT(live_sql_file(db, "SELECT count(*) FROM file"), 5);
	/* the backup holds them: its export is the same */
	CHECK(shell("%s backup --db %s/a.db %s/b.db >/dev/null && %s export %s/out-b --db %s/b.db "
		    ">/dev/null && diff -r %s/content %s/out-b", bin, fx, fx, bin, fx, fx, fx, fx) == 0);
	/* other bytes under the same name: a new version, the old one kept */
	CHECK(shell("cp %s/s/notes.txt %s/content/letters/2020-01-01-memo-migrants-en-transit.files/"
		    "lettre.odt && %s import %s/content --db %s/a.db >/dev/null 2>%s/err.txt", fx, fx,
		    bin, fx, fx, fx) != 0);
	CHECK(shell("grep -q 'lettre.odt' %s/err.txt && grep -q 'Texte' %s/err.txt", fx, fx) == 0);
	CHECK_INT(live_sql_file(db, "SELECT count(*) FROM file"), 5); /* all or nothing */
	CHECK(shell("cp %s/s/compte-rendu.docx %s/content/letters/2020-01-01-memo-migrants-en-transit."
		    "files/lettre.odt && cp %s/s/compte-rendu.odt %s/content/letters/"
		    "2020-01-01-memo-migrants-en-transit.files/lettre.odt && cp %s/s/notes.txt "
		    "%s/content/bodies/bureau-du-conseil/2020-01-16.files/notes.txt && "
		    "%s import %s/content --db %s/a.db >/dev/null", fx, fx, fx, fx, fx, fx, bin, fx,
		    fx) == 0);
	CHECK_INT(live_sql_file(db, "SELECT count(*) FROM file"), 6);
	CHECK(shell("printf 'autre contenu\n' >> %s/content/bodies/bureau-du-conseil/2020-01-16.files/"
		    "notes.txt && %s import %s/content --db %s/a.db >/dev/null", fx, bin, fx, fx) == 0);
	CHECK_INT(live_sql_file(db, "SELECT count(*) FROM file WHERE name = 'notes.txt'"), 2);
	CHECK_INT(live_sql_file(db, "SELECT count(*) FROM file WHERE name = 'notes.txt' AND "
				"replaced_by IS NOT NULL"), 1);
	CHECK(shell("%s export %s/out2 --db %s/a.db >/dev/null && diff -r %s/content %s/out2", bin,
		    fx, fx, fx, fx) == 0);
}

/* The documents of a motion's steps in content/: motions/<slug>.files/
 * <commune>/<date>-<kind>/ — imported onto their step and exported back
 * byte for byte; a step added or changed beside keeps them, a step taken
 * out takes them along; a folder that names no commune or no step stops
 * the import with its reason, nothing changed. */
static void cli_step_files(void)
{
	const char *bin = live_binary();
	char fx[300], db[400];
	snprintf(fx, sizeof(fx), "%s/steps", dir);
	snprintf(db, sizeof(db), "%s/a.db", fx);
	const char *top = "content/motions/commune-hospitaliere.files";
	CHECK(shell("mkdir -p %s && cp -R content %s/content && python3 tests/files/samples.py "
		    "%s/s >/dev/null", fx, fx, fx) == 0);
	CHECK(shell("cd %s && mkdir -p %s/Ciney/2020-12-01-vote %s/Gesves/2020-12-31-result && "
		    "cp s/ordre-du-jour.pdf %s/Ciney/2020-12-01-vote/deliberation.pdf && "
		    "cp s/compte-rendu.odt %s/Gesves/2020-12-31-result/college.odt", fx, top, top, top,
		    top) == 0);
	CHECK(shell("%s init --db %s >/dev/null && %s import %s/content --db %s >/dev/null && "
		    "%s export %s/out --db %s >/dev/null && diff -r %s/content %s/out", bin, db, bin,
		    fx, db, bin, fx, db, fx, fx) == 0);
	const char *on_vote = "SELECT count(*) FROM file f JOIN event e ON e.id = f.event_id JOIN "
			      "motion_commune mc ON mc.id = e.motion_commune_id WHERE mc.commune_nis = "
			      "91030 AND e.date = '2020-12-01' AND e.kind = 'vote' AND f.name = "
			      "'deliberation.pdf'";
	CHECK_INT(live_sql_file(db, on_vote), 1);
	CHECK_INT(live_sql_file(db, "SELECT count(*) FROM file WHERE event_id IS NOT NULL"), 2);
	long long step = live_sql_file(db, "SELECT event_id FROM file WHERE name = 'deliberation.pdf'");
	CHECK(shell("%s import %s/content --db %s >/dev/null", bin, fx, db) == 0);
	CHECK_INT(live_sql_file(db, "SELECT event_id FROM file WHERE name = 'deliberation.pdf'"), step);
	CHECK_INT(live_sql_file(db, "SELECT count(*) FROM file WHERE event_id IS NOT NULL"), 2);
	/* a step added in Ciney, Gesves's result taken out with its folder */
	CHECK(shell("cd %s && python3 -c \"import re\np = 'content/motions/commune-hospitaliere.md'\n"
		    "s = open(p).read()\nvote = s.index('Ciney devient commune hospitalière.')\n"
		    "end = s.index(chr(10), vote) + 1\ns = s[:end] + '      - date: \\\"2021-03-15\\\"\\n"
		    "        kind: followup\\n        note: \\\"Relance du collège.\\\"\\n' + s[end:]\n"
		    "s = re.sub(r'      - date: \\\"2020-12-31\\\"\\n        kind: result\\n.*\\n.*\\n', '', s)\n"
		    "open(p, 'w').write(s)\" && rm -r %s/Gesves", fx, top) == 0);
	CHECK(shell("grep -q 'Relance du collège' %s/content/motions/commune-hospitaliere.md && "
		    "! grep -q 'kind: result' %s/content/motions/commune-hospitaliere.md", fx, fx) == 0);
	CHECK(shell("%s import %s/content --db %s >/dev/null", bin, fx, db) == 0);
	CHECK_INT(live_sql_file(db, on_vote), 1);
	CHECK_INT(live_sql_file(db, "SELECT count(*) FROM file WHERE event_id IS NOT NULL"), 1);
	CHECK_INT(live_sql_file(db, "SELECT count(*) FROM doc WHERE kind = 'file' AND ref NOT IN "
				"(SELECT id FROM file)"), 0);
	CHECK(shell("%s export %s/out2 --db %s >/dev/null && diff -r %s/content %s/out2", bin, fx,
		    db, fx, fx) == 0);
	/* folders that name no step, no commune */
	const char *const bad[][2] = {{"Ciney/2020-12-02-vote", "ne nomme aucune étape"},
				      {"Atlantis/2020-12-01-vote", "aucune commune de la motion"}};
	for (size_t i = 0; i < 2; i++) {
		CHECK(shell("cd %s && mkdir -p %s/%s && cp s/notes.txt %s/%s/", fx, top, bad[i][0], top,
			    bad[i][0]) == 0);
		CHECK(shell("%s import %s/content --db %s >/dev/null 2>%s/err.txt", bin, fx, db, fx)
		      != 0);
		CHECKF(shell("grep -q '%s' %s/err.txt", bad[i][1], fx) == 0, "%s", bad[i][0]);
		CHECK_INT(live_sql_file(db, "SELECT count(*) FROM file"), 1);
		CHECK(shell("cd %s && rm -r %s/%s", fx, top, bad[i][0]) == 0);
	}
}

/* Date polls in content/ (bodies/<slug>/polls/<id>.md): the demo's poll
 * comes in with its slots, people and answers; an edited file changes the
 * answers and drops a person (whose link goes too) while the links of the
 * others stay; malformed files stop the import, naming file and line, and
 * change nothing. */
static void cli_polls(void)
{
	const char *bin = live_binary();
	char fx[300], db[400];
	snprintf(fx, sizeof(fx), "%s/polls", dir);
	snprintf(db, sizeof(db), "%s/a.db", fx);
	const char *file = "content/bodies/coordination-locale-namur/polls/1.md";
	CHECK(shell("mkdir -p %s && cp -R content %s/content && %s init --db %s >/dev/null && "
		    "%s import %s/content --db %s >/dev/null", fx, fx, bin, db, bin, fx, db) == 0);
	CHECK_INT(live_sql_file(db, "SELECT count(*) FROM poll_slot WHERE poll_id = 1"), 3);
	CHECK_INT(live_sql_file(db, "SELECT count(*) FROM poll_voter WHERE poll_id = 1"), 5);
	CHECK_INT(live_sql_file(db, "SELECT count(*) FROM poll_answer a JOIN poll_voter v ON v.id = "
				"a.voter_id WHERE v.email = 'formation@lire-et-ecrire-namur.example' "
				"AND a.answer = 'maybe'"), 1);
	CHECK_INT(live_sql_file(db, "SELECT count(*) FROM poll p JOIN meeting m ON m.id = "
				"p.meeting_id WHERE m.slug = '2020-09-15' AND p.state = 'closed'"), 1);
	CHECK(shell("sqlite3 %s \"INSERT INTO poll_token (token_hash, voter_id) SELECT 'h-' || id, "
		    "id FROM poll_voter\"", db) == 0);
	/* the CPAS changes its mind, the silent address leaves */
	CHECK(shell("sed -i -e 's/answers: \"no yes yes\"/answers: \"yes yes no\"/' "
		    "-e '/social@ville-namur/d' %s/%s && %s import %s/content --db %s >/dev/null", fx,
		    file, bin, fx, db) == 0);
	CHECK_INT(live_sql_file(db, "SELECT count(*) FROM poll_voter WHERE poll_id = 1"), 4);
	CHECK_INT(live_sql_file(db, "SELECT count(*) FROM poll_token"), 4);
	CHECK_INT(live_sql_file(db, "SELECT count(*) FROM poll_answer a JOIN poll_voter v ON v.id = "
				"a.voter_id JOIN poll_slot s ON s.id = a.slot_id WHERE v.email = "
				"'accueil@cpas-namur.example' AND a.answer = 'yes' AND s.start = "
				"'2020-09-08T14:00'"), 1);
	CHECK(shell("%s export %s/out --db %s >/dev/null && diff %s/%s %s/out/%s", bin, fx, db, fx,
		    file, fx, file + 8) == 0);
	long long answers = live_sql_file(db, "SELECT count(*) FROM poll_answer");
	const char *const bad[][3] = {
		{"/2020-09-17 14:00-16:00/d;/2020-09-15 09:30-11:30/d", "de 2 à 30 créneaux", "1.md"},
		{"s/2020-09-17 14:00-16:00/2020-09-17 16:00-14:00/", "créneau 3", "1.md"},
		{"s/answers: \"maybe no no\"/answers: \"maybe no\"/", "personne 3", "1.md"},
		{"s/organisation: cai,/organisation: atlantide,/", "personne 2", "1.md"},
		{"s/meeting: 2020-09-15/meeting: 2020-09-16/", "réunion « 2020-09-16 » inconnue", "1.md"},
		{"s/closes: 2020-08-28/closes: demain/", "« closes » attend une date", "1.md"},
		{"", "nom attendu N.md", "premier.md"},
		{"s/^voters:$/voters: \"x\"/;/^  - {email:/,/^---/{/^---/!d}", "« voters » attend une liste",
		 "1.md"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(shell("cd %s && cp %s saved.md && sed -e '%s' saved.md > %s.new && rm %s && mv "
			    "%s.new $(dirname %s)/%s", fx, file, bad[i][0], file, file, file, file,
			    bad[i][2]) == 0);
		CHECKF(shell("%s import %s/content --db %s >/dev/null 2>%s/err.txt", bin, fx, db, fx)
		       != 0, "%s", bad[i][1]);
		CHECKF(shell("grep -q '%s' %s/err.txt && grep -q 'polls/%s' %s/err.txt", bad[i][1], fx,
			     bad[i][2], fx) == 0, "%s", bad[i][1]);
		CHECK_INT(live_sql_file(db, "SELECT count(*) FROM poll_answer"), answers);
		CHECK(shell("cd %s && rm $(dirname %s)/%s && mv saved.md %s", fx, file, bad[i][2],
			    file) == 0);
	}
	/* the same number in another body is another body's poll */
	CHECK(shell("cd %s && mkdir -p content/bodies/gt-sante/polls && cp %s content/bodies/gt-sante/"
		    "polls/1.md && sed -i '/^meeting:/d' content/bodies/gt-sante/polls/1.md", fx, file)
	      == 0);
	CHECK(shell("%s import %s/content --db %s 2>&1 | grep -q 'appartient à une autre instance'",
		    bin, fx, db) == 0);
}

/* Bilans in content/: imported as the report's words for their body and
 * year; an edited file is a new version, the same file again none; a file
 * badly named, too long or not UTF-8 stops the import, naming it, with
 * nothing changed; the export writes the current version back. */
static void cli_reviews(void)
{
	const char *bin = live_binary();
	char fx[300], db[400];
	snprintf(fx, sizeof(fx), "%s/reviews", dir);
	snprintf(db, sizeof(db), "%s/a.db", fx);
	const char *file = "content/bodies/conseil-d-administration/bilans/2020.md";
	const char *count = "SELECT count(*) FROM body_review r JOIN body b ON b.id = r.body_id "
			    "WHERE b.slug = 'conseil-d-administration' AND r.year = 2020";
	CHECK(shell("mkdir -p %s && cp -R content %s/content && %s init --db %s >/dev/null && "
		    "%s import %s/content --db %s >/dev/null", fx, fx, bin, db, bin, fx, db) == 0);
	CHECK_INT(live_sql_file(db, count), 1);
	CHECK(shell("%s report 2020 --db %s | grep -q 'arrêté le budget 2021'", bin, db) == 0);
	CHECK(shell("%s import %s/content --db %s >/dev/null", bin, fx, db) == 0);
	CHECK_INT(live_sql_file(db, count), 1); /* the same words: no new version */
	CHECK(shell("sed -i 's/arrêté le budget 2021/adopté le budget 2021/' %s/%s && %s import "
		    "%s/content --db %s >/dev/null", fx, file, bin, fx, db) == 0);
	CHECK_INT(live_sql_file(db, count), 2);
	CHECK(shell("%s report 2020 --db %s | grep -q 'adopté le budget 2021'", bin, db) == 0);
	CHECK(shell("%s export %s/out --db %s >/dev/null && diff %s/%s %s/out/%s", bin, fx, db, fx,
		    file, fx, file + 8) == 0);
	const char *const bad[][3] = {
		{"cp %s/%s %s/content/bodies/gt-sante/bilans/deux-mille.md", "nom attendu AAAA.md",
		 "deux-mille.md"},
		{"head -c 60000 /dev/zero | tr '\\0' a > %s/content/bodies/gt-sante/bilans/2020.md%.0s%.0s",
		 "50 000 caractères", "2020.md"},
		{"printf '# Bilan\\n\\377\\376\\n' > %s/content/bodies/gt-sante/bilans/2020.md%.0s%.0s",
		 "UTF-8", "2020.md"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char cmd[600];
		snprintf(cmd, sizeof(cmd), bad[i][0], fx, file, fx);
		CHECK(shell("mkdir -p %s/content/bodies/gt-sante/bilans && %s", fx, cmd) == 0);
		CHECKF(shell("%s import %s/content --db %s >/dev/null 2>%s/err.txt", bin, fx, db, fx)
		       != 0, "%s", bad[i][1]);
		CHECKF(shell("grep -q '%s' %s/err.txt && grep -q 'gt-sante/bilans/%s' %s/err.txt",
			     bad[i][1], fx, bad[i][2], fx) == 0, "%s", bad[i][1]);
		CHECK_INT(live_sql_file(db, "SELECT count(*) FROM body_review"), 4);
		CHECK(shell("rm -r %s/content/bodies/gt-sante/bilans", fx) == 0);
	}
}

/* The mandates in content/mandates.csv: imported with their communes;
 * an edited row changes its mandate, the same file again changes nothing;
 * a row naming an organisation not in the directory or a commune not of
 * the province, with its dates reversed, a seat not of the list, a
 * column missing or a note of 1 MB stops the import at its line, with
 * nothing changed. */
static void cli_mandates(void)
{
	const char *bin = live_binary();
	char fx[300], db[400];
	snprintf(fx, sizeof(fx), "%s/mandates", dir);
	snprintf(db, sizeof(db), "%s/a.db", fx);
	CHECK(shell("mkdir -p %s && cp -R content %s/content && %s init --db %s >/dev/null && "
		    "%s import %s/content --db %s >/dev/null", fx, fx, bin, db, bin, fx, db) == 0);
	CHECK_INT(live_sql_file(db, "SELECT count(*) FROM mandate"), 26);
	CHECK_INT(live_sql_file(db, "SELECT count(*) FROM mandate_commune mc JOIN mandate m ON m.id = "
				"mc.mandate_id JOIN organisation o ON o.id = m.organisation_id WHERE "
				"o.slug = 'plans-de-cohesion-sociale'"), 21);
	long long audits = live_sql_file(db, "SELECT count(*) FROM audit");
	CHECK(shell("%s import %s/content --db %s >/dev/null", bin, fx, db) == 0);
	CHECK_INT(live_sql_file(db, "SELECT count(*) FROM audit"), audits);
	CHECK(shell("sed -i 's/^canal-c,board,provincial,,la direction,,,$/canal-c,board,provincial,"
		    "Namur,la direction,2019-01-01,2020-06-30,/' %s/content/mandates.csv && %s import "
		    "%s/content --db %s >/dev/null", fx, bin, fx, db) == 0);
	CHECK_INT(live_sql_file(db, "SELECT count(*) FROM mandate m JOIN mandate_commune mc ON "
				"mc.mandate_id = m.id WHERE m.end_date = '2020-06-30' AND "
				"mc.commune_nis = 92094"), 1);
	CHECK(shell("r=$(%s report 2021 --db %s) && echo \"$r\" | grep -q 'Participations "
		    "institutionnelles' && ! echo \"$r\" | grep -q 'Canal C'", bin, db) == 0);
	/* (ended in 2020) */
	CHECK(shell("%s report 2020 --db %s | grep -q 'Canal C'", bin, db) == 0);
	CHECK(shell("%s export %s/out --db %s >/dev/null && diff %s/content/mandates.csv "
		    "%s/out/mandates.csv", bin, fx, db, fx, fx) == 0);
	const char *const bad[][2] = {
		{"s/^csa,/atlantide,/", "ligne 13 (organisation)"},
		{"s/^csa,general_assembly,provincial,,la direction,,,/csa,general_assembly,provincial,,"
		 "la direction,2021-01-01,2020-01-01,/", "La fin du mandat précède son début"},
		{"s/^csa,general_assembly,provincial,,/csa,general_assembly,provincial,Liège,/",
		 "commune inconnue « Liège »"},
		{"s/^csa,general_assembly,/csa,trône,/", "Choisissez un siège de la liste"},
		{"s/^csa,general_assembly,provincial,,la direction,,,/csa,general_assembly/",
		 "8 colonnes attendues"},
	};
	long long before = live_sql_file(db, "SELECT count(*) FROM mandate");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]) + 1; i++) {
		CHECK(shell("cp %s/content/mandates.csv %s/saved.csv", fx, fx) == 0);
		if (i < sizeof(bad) / sizeof(bad[0]))
			CHECK(shell("sed -i '%s' %s/content/mandates.csv", bad[i][0], fx) == 0);
		else
			CHECK(shell("(printf 'csa,board,provincial,,,,,'; head -c 1048576 /dev/zero | "
				    "tr '\\0' n; echo) >> %s/content/mandates.csv", fx) == 0);
		const char *want = i < sizeof(bad) / sizeof(bad[0]) ? bad[i][1] : "2 000 caractères";
		CHECKF(shell("%s import %s/content --db %s >/dev/null 2>%s/err.txt", bin, fx, db, fx)
		       != 0, "%s", want);
		CHECKF(shell("grep -q '%s' %s/err.txt && grep -q 'mandates.csv' %s/err.txt", want, fx,
			     fx) == 0, "%s", want);
		CHECK_INT(live_sql_file(db, "SELECT count(*) FROM mandate"), before);
		CHECK(shell("mv %s/saved.csv %s/content/mandates.csv", fx, fx) == 0);
	}
}

/* import-minutes with Word and LibreOffice minutes (written by pandoc here):
 * their Markdown as expected (heading, bold, italic, table, list, link, the
 * image left out and said), the original attached to its meeting, a second
 * run imports nothing; maillage extract then reads the text of every
 * document waiting; without pandoc, import-minutes says how to install it
 * and ends with 2. */
static void cli_import_office(void)
{
	const char *bin = live_binary();
	char arch[300], db[300];
	snprintf(arch, sizeof(arch), "%s/office", dir);
	snprintf(db, sizeof(db), "%s/office.db", dir);
	CHECK(shell("mkdir -p %s && cd %s && python3 -c \"import struct, zlib\n"
		    "c = lambda t, d: struct.pack('>I', len(d)) + t + d + struct.pack('>I', "
		    "zlib.crc32(t + d))\nopen('logo.png', 'wb').write(b'\\x89PNG\\r\\n\\x1a\\n' + "
		    "c(b'IHDR', struct.pack('>IIBBBBB', 1, 1, 8, 2, 0, 0, 0)) + c(b'IDAT', "
		    "zlib.compress(b'\\x00\\xff\\x00\\x00')) + c(b'IEND', b''))\" && "
		    "printf '# Procès-verbal\\n\\nPrésents : **CAI** et *CPAS*.\\n\\n![logo](logo.png)\\n\\n"
		    "| Commune | Motion |\\n|---|---|\\n| Andenne | votée |\\n\\n- accueil\\n- suites\\n\\n"
		    "[le site](https://example.org)\\n' > pv.md && pandoc pv.md -o 2020-05-04-pv.docx && "
		    "pandoc pv.md -o 2020-06-08.odt && rm pv.md logo.png", arch, arch) == 0);
	CHECK(shell("%s init --demo --db %s >/dev/null", bin, db) == 0);
	struct buf out = {0};
	char args[800];
	snprintf(args, sizeof(args), "import-minutes %s --body gt-sante --db %s", arch, db);
	CHECK_INT(live_cli(args, NULL, &out), 0);
	CHECKF(strstr(buf_str(&out), "2 procès-verbaux importés") != NULL, "%s", buf_str(&out));
	CHECK_INT(live_sql_file(db, "SELECT count(*) FROM meeting WHERE minutes LIKE '# Procès-verbal"
				"%Présents : **CAI** et *CPAS*.%| Andenne | votée%-   accueil%"
				"[le site](https://example.org)%1 image du document%'"), 2);
	CHECK_INT(live_sql_file(db, "SELECT count(*) FROM meeting WHERE minutes LIKE '%logo.png%'"), 0);
	CHECK_INT(live_sql_file(db, "SELECT count(*) FROM meeting WHERE minutes LIKE "
				"'%| Commune | Motion%'"), 1); /* the .docx's header row */
	CHECK_INT(live_sql_file(db, "SELECT count(*) FROM file f JOIN meeting m ON m.id = "
				"f.meeting_id WHERE (f.name = '2020-05-04-pv.docx' AND m.start LIKE "
				"'2020-05-04%') OR (f.name = '2020-06-08.odt' AND m.start LIKE '2020-06-08%')"),
		  2);
	buf_reset(&out);
	CHECK_INT(live_cli(args, NULL, &out), 0);
	CHECK(strstr(buf_str(&out), "0 procès-verbal importé, 2 déjà présents") != NULL);
	CHECK_INT(live_sql_file(db, "SELECT count(*) FROM file WHERE meeting_id IS NOT NULL AND name "
				"LIKE '2020-%'"), 2);
	/* maillage extract reads what waits: the demo's two documents and these two */
	CHECK_INT(live_sql_file(db, "SELECT count(*) FROM file WHERE text_state = 'pending'"), 4);
	buf_reset(&out);
	snprintf(args, sizeof(args), "extract --db %s", db);
	CHECK_INT(live_cli(args, NULL, &out), 0);
	CHECKF(strstr(buf_str(&out), "Texte lu : 4 documents sur 4") &&
	       strstr(buf_str(&out), "4 documents lus, 0 non extrait, 0 sans texte"), "%s",
	       buf_str(&out));
	CHECK_INT(live_sql_file(db, "SELECT count(*) FROM file_text WHERE text LIKE '%Andenne%'"), 2);
	buf_reset(&out);
	snprintf(args, sizeof(args), "import-minutes %s --body gt-sante --db %s 2>&1", arch, db);
	setenv("MAILLAGE_PANDOC", "/nonexistent/pandoc", 1);
	CHECK_INT(live_cli(args, NULL, &out), 2);
	unsetenv("MAILLAGE_PANDOC");
	CHECK(strstr(buf_str(&out), "sudo apt-get install pandoc") != NULL);
	buf_free(&out);
}

/* import-minutes: a large archive (BOM, CRLF, front matter or dated names,
 * a file of several hundred KB), all or nothing, and idempotent. */
static void cli_import_minutes(void)
{
	char arch[256], path[512], args[512];
	snprintf(arch, sizeof(arch), "%s/archive", dir);
	CHECK(mkdir(arch, 0755) == 0);
	for (int i = 0; i < 1200; i++) {
		snprintf(path, sizeof(path), "%s/pv-%04d-%02d-%02d.md", arch, 2000 + i / 300,
			 i / 25 % 12 + 1, i % 25 + 1);
		FILE *f = fopen(path, "w");
		if (i % 3 == 0)
			fprintf(f, "\xEF\xBB\xBFRéunion n° %d\r\n\r\n- [ ] Relancer @CAI\r\n", i);
		else
			fprintf(f, "Réunion n° %d.\n", i);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/compte-rendu.md", arch);
	FILE *f = fopen(path, "w");
	fputs("---\ndate: 2019-06-27\ntitle: \"Assemblée de juin\"\nstart: \"14:00\"\n---\n", f);
	for (int i = 0; i < 6000; i++)
		fputs("Une ligne de compte rendu assez longue pour peser lourd au total.\n", f);
	fclose(f);
	struct buf out = {0};
	snprintf(args, sizeof(args), "import-minutes %s --body gt-sante --db %s/rt/m.db", arch, dir);
	CHECK_INT(live_cli(args, NULL, &out), 0);
	CHECKF(strstr(buf_str(&out), "1201 procès-verbaux importés, 0 déjà présent") != NULL,
	       "%s", buf_str(&out));
	buf_reset(&out);
	CHECK_INT(live_cli(args, NULL, &out), 0);
	CHECK(strstr(buf_str(&out), "0 procès-verbal importé, 1201 déjà présents") != NULL);
	/* one undated file: nothing of the import is kept */
	snprintf(path, sizeof(path), "%s/sans-date.md", arch);
	f = fopen(path, "w");
	fputs("Pas de date ici.\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/pv-2030-01-01.md", arch);
	f = fopen(path, "w");
	fputs("Nouvelle.\n", f);
	fclose(f);
	buf_reset(&out);
	CHECK_INT(live_cli(args, NULL, &out), 1);
	CHECK(strstr(buf_str(&out), "sans-date.md : date introuvable") && strstr(buf_str(&out), "rien n'a été importé"));
	char check[512];
	snprintf(check, sizeof(check), "test \"$(sqlite3 %s/rt/m.db \"SELECT count(*) FROM meeting "
		 "WHERE start LIKE '2030%%' OR title = 'Assemblée de juin'\")\" = 1", dir);
	CHECK(system(check) == 0);
	buf_reset(&out);
	snprintf(args, sizeof(args), "import-minutes %s --body inconnue --db %s/rt/m.db", arch, dir);
	CHECK_INT(live_cli(args, NULL, &out), 1);
	CHECK(strstr(buf_str(&out), "instance inconnue") != NULL);
	buf_free(&out);
}

/* import-minutes of another tool's archive (a Jekyll site, a Hugo site, an
 * Obsidian note): the keys Maillage does not know are ignored and counted,
 * the title comes from "title" or "titre", the date from "date" or
 * "lastmod" with its hour; a file dated nowhere still stops the import. */
static void cli_import_foreign(void)
{
	char arch[256], path[512], args[512];
	snprintf(arch, sizeof(arch), "%s/jekyll", dir);
	CHECK(mkdir(arch, 0755) == 0);
	static const char *const files[][2] = {
		{"reunion-plateforme.md", "---\nlayout: post\ntitle: \"Plateforme de mars\"\n"
		 "date: 2021-03-15 10:00:00 +0100\ncategories: [plateforme, namur]\ntags:\n  - isp\n"
		 "permalink: /pv/mars/\ndraft: false\n---\nCompte rendu de la plateforme.\n"},
		{"hugo.md", "---\ntitre: Groupe de travail santé\nlastmod: 2021-04-01T09:30:00+02:00\n"
		 "tags: [sante]\n---\nCompte rendu du groupe.\n"},
		{"obsidian-2021-05-06.md", "---\naliases: [mai]\n---\nNotes de mai.\n"},
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", arch, files[i][0]);
		FILE *f = fopen(path, "w");
		fputs(files[i][1], f);
		fclose(f);
	}
	struct buf out = {0};
	snprintf(args, sizeof(args), "import-minutes %s --body gt-sante --db %s/rt/m.db", arch, dir);
	CHECK_INT(live_cli(args, NULL, &out), 0);
	const char *s = buf_str(&out);
	CHECKF(strstr(s, "3 procès-verbaux importés, 0 déjà présent") != NULL, "%s", s);
	CHECKF(strstr(s, "clés d'en-tête inconnues, ignorées : ") && strstr(s, "layout (1 fichier)") &&
	       strstr(s, "tags (2 fichiers)") && strstr(s, "aliases (1 fichier)"), "%s", s);
	char check[700];
	snprintf(check, sizeof(check), "test \"$(sqlite3 %s/rt/m.db \"SELECT group_concat(start || "
		 "' ' || title, ' | ') FROM (SELECT start, title FROM meeting WHERE start IN "
		 "('2021-03-15T10:00', '2021-04-01T09:30', '2021-05-06') ORDER BY start)\")\" = "
		 "'2021-03-15T10:00 Plateforme de mars | 2021-04-01T09:30 Groupe de travail santé | "
		 "2021-05-06 Réunion du 6 mai 2021'", dir);
	CHECK(system(check) == 0);
	/* dated nowhere: the import stops and names the file */
	snprintf(path, sizeof(path), "%s/sans-date.md", arch);
	FILE *f = fopen(path, "w");
	fputs("---\nlayout: page\ntitle: Sans date\n---\nTexte.\n", f);
	fclose(f);
	buf_reset(&out);
	CHECK_INT(live_cli(args, NULL, &out), 1);
	CHECK(strstr(buf_str(&out), "sans-date.md : date introuvable") != NULL);
	buf_free(&out);
}

/* Writes a generated network of bodies × meetings in the canonical content/
 * layout (with the demo's glossary, communes and organisations). */
static int generate_network(const char *root, int bodies, int per_body)
{
	char cmd[1024], path[1024];
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/bodies && cp content/glossary.csv content/communes.csv "
		 "%s/ && cp -r content/organisations %s/", root, root, root);
	if (system(cmd) != 0)
		return -1;
	for (int b = 0; b < bodies; b++) {
		snprintf(path, sizeof(path), "%s/bodies/gen-%03d", root, b);
		if (mkdir(path, 0755) < 0)
			return -1;
		snprintf(path, sizeof(path), "%s/bodies/gen-%03d/body.md", root, b);
		FILE *f = fopen(path, "w");
		if (!f)
			return -1;
		fprintf(f, "---\nname: \"Instance générée n° %d « \\\"test\\\" »\"\nkind: %s\n"
			"status: active\npilot: cai\nvisibility: %s\nmembers:\n  - cai\n  - clps\n---\n"
			"\nDescription de l'instance %d, avec le CPAS et [[Ciney]].\n", b,
			b % 3 ? "working_group" : "platform", b % 4 ? "members" : "public", b);
		fclose(f);
		for (int m = 0; m < per_body; m++) {
			snprintf(path, sizeof(path), "%s/bodies/gen-%03d/%04d-%02d-%02d.md", root, b,
				 2000 + m / 300, m / 25 % 12 + 1, m % 25 + 1);
			f = fopen(path, "w");
			if (!f)
				return -1;
			fprintf(f, "---\ntitle: \"Réunion %d: « suivi » #%d\"\n%sformat: %s\nstatus: "
				"minutes_approved\nvisibility: members\n---\n# Ordre du jour\n\n1. Point %d\n"
				"2. <b>divers</b> & autres\n\n# Procès-verbal\n\nLe GT s'est réuni.\n\n"
				"- [ ] Relancer @CAI %04d-03-15\n", m, b, m % 2 ? "start: \"09:30\"\n" : "",
				m % 3 ? "on_site" : "hybrid", m, 2000 + m / 300);
			fclose(f);
		}
	}
	return 0;
}

/* The content/ round trip on a generated network of 200 bodies and 5,000
 * meetings: import, export, byte-identical files. */
static void cli_large_round_trip(void)
{
	char root[256], cmd[2048];
	snprintf(root, sizeof(root), "%s/gen", dir);
	CHECK(generate_network(root, 200, 25) == 0);
	snprintf(cmd, sizeof(cmd), "%s init --db %s/gen.db >/dev/null && %s import %s --db %s/gen.db "
		 ">/dev/null && %s export %s/gen-out --db %s/gen.db >/dev/null && diff -r %s %s/gen-out "
		 "&& test \"$(sqlite3 %s/gen.db 'SELECT count(*) FROM meeting')\" = 5000 && "
		 "test \"$(sqlite3 %s/gen.db 'SELECT count(*) FROM action')\" = 5000",
		 live_binary(), dir, live_binary(), root, dir, live_binary(), dir, dir, root, dir, dir, dir);
	CHECK(system(cmd) == 0);
	/* the import, and a rebuild, leave the search index in one segment (FTS5
	 * wrote several) */
	snprintf(cmd, sizeof(cmd), "test \"$(sqlite3 %s/gen.db 'SELECT count(DISTINCT segid) FROM "
		 "doc_fts_idx')\" = 1 && %s reindex --db %s/gen.db >/dev/null && test \"$(sqlite3 "
		 "%s/gen.db 'SELECT count(DISTINCT segid) FROM doc_fts_idx')\" = 1", dir, live_binary(),
		 dir, dir);
	CHECK(system(cmd) == 0);
	/* the search index follows the import, and a second one that changes nothing */
	struct buf out = {0};
	snprintf(cmd, sizeof(cmd), "check --db %s/gen.db", dir);
	CHECK_INT(live_cli(cmd, NULL, &out), 0);
	snprintf(cmd, sizeof(cmd), "search suivi --kind meeting --json --db %s/gen.db", dir);
	buf_reset(&out);
	CHECK_INT(live_cli(cmd, NULL, &out), 0);
	json_error_t jerr;
	json_t *j = json_loads(buf_str(&out), 0, &jerr);
	CHECKF(j != NULL, "%s (ligne %d)", jerr.text, jerr.line);
	CHECK_INT(json_integer_value(json_object_get(j, "total")), 5000);
	CHECK_INT(json_array_size(json_object_get(j, "results")), 20);
	json_decref(j);
	snprintf(cmd, sizeof(cmd), "import %s --db %s/gen.db", root, dir);
	CHECK_INT(live_cli(cmd, NULL, &out), 0);
	snprintf(cmd, sizeof(cmd), "check --db %s/gen.db", dir);
	CHECK_INT(live_cli(cmd, NULL, &out), 0);
	buf_free(&out);
}

/* A database made before the search index (schema 5, built here from the
 * first five migrations) upgrades with what it holds already indexed. */
static void cli_upgrade(void)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "cat src/schema/00[1-5]_*.sql > %s/old.sql && "
		 "sqlite3 %s/old.db < %s/old.sql && sqlite3 %s/old.db \"PRAGMA user_version = 5; "
		 "INSERT INTO body (slug, name, kind, description_text, visibility) VALUES "
		 "('gt-ancien', 'GT ancien', 'working_group', 'Le suricate du groupe.', 'public'); "
		 "INSERT INTO meeting (body_id, title, start, minutes_text, visibility) VALUES "
		 "(1, 'Réunion ancienne', '2019-01-08', 'Un lamantin passait.', 'public')\"",
		 dir, dir, dir, dir);
	CHECK(system(cmd) == 0);
	struct buf out = {0};
	snprintf(cmd, sizeof(cmd), "check --db %s/old.db", dir);
	CHECK_INT(live_cli(cmd, NULL, &out), 1); /* only the old renders are pending */
	CHECK(strstr(buf_str(&out), "index de recherche") == NULL);
	buf_reset(&out);
	snprintf(cmd, sizeof(cmd), "search lamantins --db %s/old.db", dir);
	CHECK_INT(live_cli(cmd, NULL, &out), 0);
	CHECK(strstr(buf_str(&out), "1 résultat pour") && strstr(buf_str(&out), "8 janvier 2019"));
	buf_reset(&out);
	snprintf(cmd, sizeof(cmd), "search suricate --kind body --db %s/old.db", dir);
	CHECK_INT(live_cli(cmd, NULL, &out), 0);
	CHECK(strstr(buf_str(&out), "GT ancien") != NULL);
	buf_free(&out);
}

/* Returns the first line sqlite3 prints for sql on dir's database name
 * (into out, without its line end). */
static const char *sqlite_line(const char *name, const char *sql, char *out, size_t size)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "sqlite3 %s/%s \"%s\"", dir, name, sql);
	FILE *p = popen(cmd, "r");
	out[0] = '\0';
	if (p && fgets(out, (int)size, p))
		out[strcspn(out, "\n")] = '\0';
	if (p)
		pclose(p);
	return out;
}

/* Migration 012 on a database of before it: done actions stay done, open
 * ones open; approved minutes imported from files are dated by their
 * meeting, those approved in the app by their last change. */
static void cli_upgrade_actions(void)
{
	char cmd[2048], line[256];
	snprintf(cmd, sizeof(cmd), "cat src/schema/00[1-5]_*.sql > %s/old12.sql && "
		 "sqlite3 %s/old12.db < %s/old12.sql && sqlite3 %s/old12.db \"PRAGMA user_version = 5; "
		 "INSERT INTO organisation (slug, name) VALUES ('cai', 'CAI'); "
		 "INSERT INTO user (email, name, role) VALUES ('c@x.be', 'C', 'coordinator'); "
		 "INSERT INTO body (slug, name, kind, visibility) VALUES ('gt', 'GT', 'working_group', "
		 "'public'); "
		 "INSERT INTO meeting (body_id, title, start, status, modified) VALUES (1, 'Importée', "
		 "'2019-01-08', 'minutes_approved', '2024-05-01T10:00:00Z'), (1, 'Dans l''app', "
		 "'2019-02-08', 'minutes_approved', '2019-02-20T09:00:00Z'); "
		 "INSERT INTO revision (meeting_id, field, user_id, text) VALUES (1, 'minutes', NULL, "
		 "'x'), (2, 'minutes', 1, 'y'); "
		 "INSERT INTO action (meeting_id, position, text, done) VALUES (1, 1, 'Faite', 1), "
		 "(1, 2, 'Ouverte', 0)\"", dir, dir, dir, dir);
	CHECK(system(cmd) == 0);
	struct buf out = {0};
	snprintf(cmd, sizeof(cmd), "check --db %s/old12.db", dir);
	live_cli(cmd, NULL, &out); /* opening it migrates it */
	CHECK_STR(sqlite_line("old12.db", "SELECT group_concat(text || ':' || state, ' ') FROM "
			      "(SELECT * FROM action ORDER BY position)", line, sizeof(line)),
		  "Faite:done Ouverte:open");
	CHECK_STR(sqlite_line("old12.db", "SELECT group_concat(approved_at, ' ') FROM (SELECT * "
			      "FROM meeting ORDER BY id)", line, sizeof(line)),
		  "2019-01-08 2019-02-20T09:00:00Z");
	CHECK_INT(atoi(sqlite_line("old12.db", "PRAGMA user_version", line, sizeof(line))) >= 12, 1);
	buf_free(&out);
}

/* Runs the CLI on DIR/s.db. */
static int search_cli(struct buf *out, const char *args, const char *input)
{
	return cli_on("s.db", out, args, input);
}

/* maillage search and reindex: results for a person or as JSON, French
 * errors, an index left behind by the sqlite3 shell found and rebuilt. */
static void cli_search(void)
{
	struct buf out = {0};
	char cmd[512];
	CHECK_INT(search_cli(&out, "init --demo", NULL), 0);
	CHECK_INT(search_cli(&out, "search réunions", NULL), 0);
	CHECK(strstr(buf_str(&out), "résultats pour « réunions »") != NULL);
	CHECK(strstr(buf_str(&out), "/meetings/") != NULL);
	CHECK_INT(search_cli(&out, "search plénière virtuelle --kind meeting --json", NULL), 0);
	json_t *j = json_loads(buf_str(&out), 0, NULL);
	CHECK(json_integer_value(json_object_get(j, "total")) >= 1);
	json_t *first = json_array_get(json_object_get(j, "results"), 0);
	CHECK_STR(json_string_value(json_object_get(first, "kind")), "meeting");
	CHECK(strstr(json_string_value(json_object_get(first, "snippet_html")), "<mark>") != NULL);
	json_decref(j);
	CHECK_INT(search_cli(&out, "search réunion --kind lettre", NULL), 2);
	CHECK(strstr(buf_str(&out), "Type de document inconnu.") != NULL);
	CHECK_INT(search_cli(&out, "search réunion --page zéro", NULL), 2);
	CHECK_INT(search_cli(&out, "search '\"(((' 'NEAR(' -- '*'", NULL), 0);
	CHECK(strstr(buf_str(&out), "0 résultat") != NULL);
	CHECK_INT(search_cli(&out, "reindex", NULL), 0);
	CHECK(strstr(buf_str(&out), "Index de recherche reconstruit") != NULL);
	snprintf(cmd, sizeof(cmd), "sqlite3 %s/s.db \"UPDATE meeting SET minutes_text = 'okapi' "
		 "WHERE id = (SELECT min(id) FROM meeting)\"", dir);
	CHECK(system(cmd) == 0);
	CHECK_INT(search_cli(&out, "check", NULL), 1);
	CHECK(strstr(buf_str(&out), "des données ont changé sans lui") != NULL);
	CHECK_INT(search_cli(&out, "reindex", NULL), 0);
	CHECK_INT(search_cli(&out, "check", NULL), 0);
	CHECK_INT(search_cli(&out, "search okapi", NULL), 0);
	CHECK(strstr(buf_str(&out), "1 résultat pour") != NULL);
	buf_free(&out);
}

/* Runs the command-line tests in a temporary folder. */
/* make install DESTDIR=… puts a copy that works from anywhere: a new
 * database, its templates and assets; make uninstall takes it away. */
static void cli_install(void)
{
	char cmd[700], bin[300], cwd[4096];
	snprintf(cmd, sizeof(cmd), "make -s install DESTDIR=%s/inst PREFIX=/usr >/dev/null", dir);
	if (!CHECK(system(cmd) == 0))
		return;
	snprintf(bin, sizeof(bin), "%s/inst/usr/bin/maillage", dir);
	snprintf(cmd, sizeof(cmd), "%s/inst/usr/share/man/man1/maillage.1", dir);
	CHECK(access(cmd, R_OK) == 0);
	const char *before = getenv("MAILLAGE_BIN");
	char *saved = before ? strdup(before) : NULL;
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	setenv("MAILLAGE_BIN", bin, 1);
	CHECK(chdir("/") == 0); /* no templates/ here: the installed ones serve */
	struct live s;
	if (CHECK(live_start(&s, "admin@inst.test admin un mot de passe assez long\n", NULL) == 0)) {
		struct client c;
		struct answer a;
		client_open(&c, &s);
		CHECK_INT(client_send(&c, "GET", "/", NULL, &a), 200);
		CHECK(strstr(buf_str(&a.body), "<html lang=\"fr\">") != NULL);
		answer_free(&a);
		CHECK_INT(client_send(&c, "GET", "/assets/maillage.css", NULL, &a), 200);
		answer_free(&a);
		CHECK_INT(client_login(&c, "admin@inst.test", "un mot de passe assez long"), 303);
		client_close(&c);
		CHECK_INT(live_stop(&s), 0);
	}
	struct buf out = {0};
	snprintf(cmd, sizeof(cmd), "init --demo --db %s/inst/demo.db", dir);
	CHECK_INT(live_cli(cmd, NULL, &out), 0);
	CHECK(strstr(buf_str(&out), "/share/maillage/content/") != NULL);
	buf_free(&out);
	CHECK(chdir(cwd) == 0);
	if (saved)
		setenv("MAILLAGE_BIN", saved, 1);
	else
		unsetenv("MAILLAGE_BIN");
	free(saved);
	snprintf(cmd, sizeof(cmd), "make -s uninstall DESTDIR=%s/inst PREFIX=/usr >/dev/null && "
		 "test ! -e %s && test ! -e %s/inst/usr/share/maillage", dir, bin, dir);
	CHECK(system(cmd) == 0);
}

/* The manual page names every command, every option of each and every
 * environment variable the code reads. */
static void cli_manual(void)
{
	struct buf man = {0}, help = {0}, src = {0};
	CHECK(buf_read_file(&man, "docs/maillage.1") == 0);
	CHECK_INT(live_cli("--help", NULL, &help), 0);
	const char *m = buf_str(&man);
	int commands = 0;
	for (const char *p = strstr(buf_str(&help), "\n  "); p; p = strstr(p + 1, "\n  ")) {
		char name[64], out_args[96], marker[96];
		if (sscanf(p + 3, "%63s", name) != 1 || name[0] == '-')
			continue;
		size_t k = (size_t)snprintf(marker, sizeof(marker), ".B ");
		for (const char *q = name; *q && k + 3 < sizeof(marker); q++) {
			if (*q == '-')
				marker[k++] = '\\';
			marker[k++] = *q;
		}
		marker[k] = '\0';
		CHECKF(strstr(m, marker) != NULL, "commande %s absente du manuel", name);
		commands++;
		struct buf sub = {0};
		snprintf(out_args, sizeof(out_args), "%s --help", name);
		live_cli(out_args, NULL, &sub);
		for (const char *o = strstr(buf_str(&sub), "--"); o; o = strstr(o + 2, "--")) {
			char opt[64], escaped[80];
			if (sscanf(o + 2, "%63[a-z-]", opt) != 1)
				continue;
			snprintf(escaped, sizeof(escaped), "\\-\\-%s", opt);
			for (char *q = escaped + 4; *q; q++)
				if (*q == '-') {
					memmove(q + 1, q, strlen(q) + 1);
					*q++ = '\\';
				}
			CHECKF(strstr(m, escaped) != NULL, "option --%s de %s absente du manuel", opt, name);
		}
		buf_free(&sub);
	}
	CHECK(commands >= 13);
	FILE *p = popen("grep -oh 'MAILLAGE_[A-Z_]*' src/*.c tests/*/*.c | sort -u", "r");
	char var[64];
	while (p && fscanf(p, "%63s", var) == 1) {
		char escaped[80];
		snprintf(escaped, sizeof(escaped), ".B %s", var);
		CHECKF(strstr(m, escaped) != NULL, "variable %s absente du manuel", var);
	}
	if (p)
		pclose(p);
	buf_free(&man);
	buf_free(&help);
	buf_free(&src);
}

/* The systemd units pass systemd-analyze verify (the installed paths
 * pointing at this build), and the backup script keeps the 14 newest
 * copies. */
static void cli_deploy(void)
{
	char cmd[8000], abs[PATH_MAX], cwd[1024];
	CHECK(realpath("maillage", abs) != NULL && getcwd(cwd, sizeof(cwd)) != NULL);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/units/man/man1 && cp docs/maillage.1 %s/units/man/man1/ "
		 "&& for f in maillage.service maillage-backup.service maillage-backup.timer; do "
		 "sed -e 's#/usr/bin/maillage#%s#g' -e 's#/usr/share/maillage/#%s/deploy/#g' "
		 "deploy/$f > %s/units/$f; done", dir, dir, abs, cwd, dir);
	CHECK(system(cmd) == 0);
	if (system("command -v systemd-analyze >/dev/null 2>&1") != 0) {
		test_skip("cli_deploy_verify", "systemd-analyze absent");
	} else {
		snprintf(cmd, sizeof(cmd), "cd %s/units && MANPATH=%s/units/man SYSTEMD_LOG_LEVEL=warning "
			 "systemd-analyze verify ./maillage.service ./maillage-backup.service "
			 "./maillage-backup.timer", dir, dir);
		CHECK(system(cmd) == 0);
	}
	struct buf out = {0};
	CHECK_INT(cli_on("deploy.db", &out, "init", NULL), 0);
	snprintf(cmd, sizeof(cmd), "for i in $(seq 16); do MAILLAGE_BIN=%s sh deploy/maillage-backup.sh "
		 "%s/deploy.db %s/copies 14 >/dev/null || exit 1; done; test $(ls %s/copies | wc -l) -eq 14",
		 live_binary(), dir, dir, dir);
	CHECK(system(cmd) == 0);
	snprintf(cmd, sizeof(cmd), "sh deploy/maillage-backup.sh %s/deploy.db %s/copies 0 2>/dev/null", dir, dir);
	CHECK(WEXITSTATUS(system(cmd)) == 2);
	buf_free(&out);
}

void integration_cli(void)
{
	if (!mkdtemp(dir)) {
		test_skip("cli", "dossier temporaire impossible");
		return;
	}
	RUN(cli_usage);
	RUN(cli_accounts);
	RUN(cli_demo_accounts);
	RUN(cli_check);
	RUN(cli_round_trip);
	RUN(cli_files_round_trip);
	RUN(cli_step_files);
	RUN(cli_polls);
	RUN(cli_reviews);
	RUN(cli_mandates);
	RUN(cli_report);
	RUN(cli_import_minutes);
	RUN(cli_import_foreign);
	RUN(cli_import_office);
	RUN(cli_large_round_trip);
	RUN(cli_search);
	RUN(cli_upgrade);
	RUN(cli_upgrade_actions);
	RUN(cli_install);
	RUN(cli_manual);
	RUN(cli_deploy);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("%s n'a pas pu être effacé\n", dir);
}
