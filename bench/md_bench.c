/* md_bench.c — the renderer's speed against bare md4c parsing (empty
 * callbacks) on the same synthetic French minutes, and how its time grows
 * with pathological input. Prints a Markdown table; not a test. */
#include <md4c.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../src/buf.h"
#include "bench.h"
#include "../src/markdown.h"

static uint64_t rng = 0x2020CAFEF00DULL; /* fixed seed: the same corpus every run */

/* Returns the next pseudo-random number. */
static uint64_t next(void)
{
	return bench_next(&rng);
}

static const char *const words[] = {
	"réunion", "plateforme", "coordination", "locale", "intégration", "accueil", "commune",
	"partenaires", "primo-arrivants", "formation", "langue", "française", "citoyenneté",
	"interculturalité", "accompagnement", "social", "juridique", "insertion", "emploi",
	"santé", "mentale", "mobilité", "logement", "racisme", "discriminations", "motion",
	"hospitalière", "conseil", "communal", "collège", "échevin", "province", "Namur",
	"Dinant", "Philippeville", "Ciney", "Gembloux", "Andenne", "Sambreville", "Beauraing",
	"le", "la", "les", "des", "du", "et", "pour", "avec", "dans", "sur", "une", "un",
	"CAI", "CPAS", "PPLI", "ILI", "ISP", "FLE", "AMO", "PCS", "GT", "ASBL"};

static const struct md_glossary glossary[] = {
	{"AMO", "Aide en milieu ouvert"}, {"ASBL", "Association sans but lucratif"},
	{"CAI", "Centre d'action interculturelle"}, {"CPAS", "Centre public d'action sociale"},
	{"FLE", "Français langue étrangère"}, {"GT", "Groupe de travail"},
	{"ILI", "Initiative locale d'intégration"}, {"ISP", "Insertion socioprofessionnelle"},
	{"PCS", "Plan de cohésion sociale"}, {"PPLI", "Plan provincial et local d'intégration"},
};

/* Appends n random words. */
static void sentence(struct buf *b, int n)
{
	for (int i = 0; i < n; i++) {
		const char *w = words[next() % (sizeof(words) / sizeof(words[0]))];
		int style = (int)(next() % 40);
		if (style == 0)
			buf_printf(b, "**%s** ", w);
		else if (style == 1)
			buf_printf(b, "*%s* ", w);
		else if (style == 2)
			buf_printf(b, "[%s](https://exemple.be/%s) ", w, w);
		else if (style == 3)
			buf_printf(b, "[[%s]] ", w);
		else
			buf_printf(b, "%s ", w);
	}
}

/* Appends one meeting's minutes (about 3 KB). */
static void minutes(struct buf *b, int k)
{
	buf_printf(b, "# Réunion %d\n\n## Présences\n\n", k);
	sentence(b, 30);
	buf_puts(b, "\n\n## Ordre du jour\n\n");
	for (int i = 0; i < 4; i++) {
		buf_printf(b, "%d. ", i + 1);
		sentence(b, 8);
		buf_putc(b, '\n');
	}
	buf_puts(b, "\n## Échanges\n\n");
	for (int p = 0; p < 4; p++) {
		sentence(b, 60);
		buf_puts(b, "\n\n");
	}
	buf_puts(b, "| Commune | État |\n|---|---|\n| Ciney | adoptée |\n| Gesves | en cours |\n\n");
	buf_puts(b, "## Actions\n\n");
	for (int i = 0; i < 3; i++) {
		buf_printf(b, "- [%c] ", next() % 2 ? 'x' : ' ');
		sentence(b, 7);
		buf_printf(b, "@CAI %02d/%02d/2021\n", (int)(next() % 28) + 1, (int)(next() % 12) + 1);
	}
	buf_putc(b, '\n');
}

static int noop_block(MD_BLOCKTYPE t, void *d, void *u) { (void)t, (void)d, (void)u; return 0; }
static int noop_span(MD_SPANTYPE t, void *d, void *u) { (void)t, (void)d, (void)u; return 0; }
static int noop_text(MD_TEXTTYPE t, const MD_CHAR *s, MD_SIZE n, void *u)
{
	(void)t, (void)s, (void)n, (void)u;
	return 0;
}

/* Returns the time of one bare md4c parse, in seconds. */
static double time_bare(const struct buf *md, unsigned flags)
{
	MD_PARSER p = {.flags = flags, .enter_block = noop_block, .leave_block = noop_block,
		       .enter_span = noop_span, .leave_span = noop_span, .text = noop_text};
	double t0 = bench_now();
	md_parse(md->data, (MD_SIZE)md->len, &p, NULL);
	return bench_now() - t0;
}

/* Returns the best of runs timings of Maillage's renderer, in seconds. */
static double time_render(const struct buf *md, const struct md_opts *o, int runs)
{
	double best = 1e9;
	for (int i = 0; i < runs; i++) {
		struct buf html = {0}, plain = {0};
		struct md_actions actions = {0};
		double t0 = bench_now();
		md_render(md->data, md->len, o, &html, &plain, &actions);
		double t = bench_now() - t0;
		best = t < best ? t : best;
		buf_free(&html);
		buf_free(&plain);
		md_actions_free(&actions);
	}
	return best;
}

/* Orders doubles for qsort. */
static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Times the renderer on n nested quote markers. */
static double time_nested(size_t n, const struct md_opts *o)
{
	struct buf md = {0};
	for (size_t i = 0; i < n; i++)
		buf_puts(&md, "> ");
	buf_puts(&md, "fond\n");
	double t = time_render(&md, o, 5);
	buf_free(&md);
	return t;
}

int main(int argc, char **argv)
{
	FILE *out = argc > 1 ? fopen(argv[1], "w") : stdout;
	if (!out)
		return 1;
	struct buf md = {0};
	for (int k = 0; md.len < (16u << 20); k++)
		minutes(&md, k);
	struct md_opts o = {.glossary = glossary, .nglossary = 10, .terminated = true};
	unsigned flags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_TASKLISTS |
			 MD_FLAG_PERMISSIVEAUTOLINKS | MD_FLAG_WIKILINKS;
	double mb = (double)md.len / 1e6;
	/* time the two back to back, 15 times: each pair's ratio sees the
	 * machine at the same moment, and the median ratio is reported */
	double bare = 1e9, ours = 1e9, ratios[15];
	for (int i = 0; i < 15; i++) {
		double b = time_bare(&md, flags), r = time_render(&md, &o, 1);
		bare = b < bare ? b : bare;
		ours = r < ours ? r : ours;
		ratios[i] = b / r;
	}
	qsort(ratios, 15, sizeof(double), compare_doubles);
	fprintf(out, "## Rendu Markdown\n\n");
	fprintf(out, "Corpus : %.1f Mo de procès-verbaux synthétiques (graine fixe), meilleurs débits sur 15 passages alternés.\n\n", mb);
	fprintf(out, "| mesure | valeur |\n|---|---|\n");
	fprintf(out, "| md4c seul (rappels vides) | %.0f Mo/s |\n", mb / bare);
	fprintf(out, "| rendu Maillage (HTML + texte + actions) | %.0f Mo/s |\n", mb / ours);
	fprintf(out, "| rapport, médiane de 15 paires (cible ≥ 0,5) | %.2f (de %.2f à %.2f) |\n",
		ratios[7], ratios[0], ratios[14]);
	double t1 = time_nested(10000, &o), t4 = time_nested(40000, &o);
	fprintf(out, "| 10 000 citations imbriquées | %.1f ms |\n", t1 * 1e3);
	fprintf(out, "| 40 000 citations imbriquées | %.1f ms (×%.1f pour ×4) |\n", t4 * 1e3, t4 / t1);
	if (out != stdout)
		fclose(out);
	buf_free(&md);
	return 0;
}
