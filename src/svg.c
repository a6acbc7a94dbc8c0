/* svg.c — the tile map of the communes and small bar charts, as SVG. */
#include "svg.h"

#include <string.h>

#include "html.h"
#include "text.h"
#include "vocab.h"

/* The shade of each motion state, in the order of vocab_motion_states. */
static const int motion_shades[] = {0, 1, 2, 3, 6, 7, SVG_SHADE_REFUSED, 8, SVG_SHADE_STOPPED};

/* Returns the shade of a motion's state (see svg.h). */
int svg_motion_shade(const char *state)
{
	int i = vocab_index(&vocab_motion_states, state);
	return i < 0 || (size_t)i >= sizeof(motion_shades) / sizeof(motion_shades[0])
		? 0 : motion_shades[i];
}

/* Where each commune sits on the map: a grid of 7 columns and 8 rows that
 * keeps the communes' relative positions (north at the top, west to the
 * left), from their approximate coordinates. */
static const struct {
	long long nis;
	int col, row;
} places[] = {
	{92114, 1, 0}, {92142, 2, 0}, {92141, 3, 0}, {92035, 4, 0}, {92138, 5, 0},
	{92137, 1, 1}, {92140, 2, 1}, {92045, 3, 1}, {92094, 4, 1}, {92003, 5, 1}, {92097, 6, 1},
	{92048, 2, 2}, {92101, 3, 2}, {92006, 4, 2}, {92054, 5, 2}, {91064, 6, 2},
	{92087, 1, 3}, {91005, 2, 3}, {91141, 3, 3}, {91030, 4, 3}, {91059, 5, 3}, {91120, 6, 3},
	{93088, 0, 4}, {93022, 1, 4}, {91103, 2, 4}, {91034, 3, 4}, {91072, 4, 4}, {91114, 5, 4},
	{93010, 0, 5}, {93056, 1, 5}, {91142, 2, 5}, {91013, 3, 5},
	{93014, 0, 6}, {93090, 1, 6}, {93018, 2, 6}, {91054, 3, 6}, {91015, 4, 6},
	{91143, 3, 7},
};

#define TILE_W 140
#define TILE_H 96
#define GAP 4
#define TILE_FONT 17  /* at the map's smallest width on a phone, 11 px */
#define TILE_CHARS 14 /* of TILE_FONT that fit on one line of a tile */
#define TILE_LINES 2  /* lines for the name, and for the value */

/* Fills from light (nothing yet) to dark (the most advanced), the text on
 * shades 7 and 8 white; then a refusal (salmon) and a standstill (grey). */
static const char *const fills[11] = {"#f3f3f3", "#e3eef8", "#c6dbef", "#9ecae1", "#6baed6",
				      "#c7e9c0", "#74c476", "#31a354", "#006d2c", "#fcbba1",
				      "#cfcfcf"};

/* Finds the place of nis; tells whether it has one. */
static bool place_of(long long nis, int *col, int *row)
{
	for (size_t i = 0; i < sizeof(places) / sizeof(places[0]); i++)
		if (places[i].nis == nis) {
			*col = places[i].col, *row = places[i].row;
			return true;
		}
	return false;
}

/* Returns how many bytes of s fit on one line of a tile: the longest run
 * up to a space or after a hyphen that holds TILE_CHARS characters, or
 * TILE_CHARS characters cut when a single word is longer. */
static size_t line_end(const char *s)
{
	size_t n = strlen(s), best = 0, i = 0;
	for (size_t count = 0; i < n && count < TILE_CHARS; count++) {
		size_t step = 1;
		while (i + step < n && ((unsigned char)s[i + step] & 0xC0) == 0x80)
			step++;
		i += step;
		if (i == n || s[i] == ' ' || s[i - 1] == '-')
			best = i;
	}
	if (i == n)
		return n;
	return best ? best : i;
}

/* Appends s as up to TILE_LINES lines of text centred at x from y (the
 * last one ending in « … » when s is longer); returns the next line's y. */
static int tile_text(struct buf *out, const char *s, int x, int y, const char *ink, bool bold)
{
	for (int line = 0; line < TILE_LINES && s && *s; line++) {
		size_t n = line_end(s);
		buf_printf(out, "<text x=\"%d\" y=\"%d\" fill=\"%s\" font-size=\"%d\"%s "
			   "text-anchor=\"middle\">", x, y, ink, TILE_FONT,
			   bold ? " font-weight=\"bold\"" : "");
		bool cut = line == TILE_LINES - 1 && s[n];
		struct buf part = {0};
		buf_append(&part, s, cut && n > 3 ? n - 1 : n);
		html_escape_str(out, buf_str(&part));
		buf_free(&part);
		buf_puts(out, cut ? "…</text>" : "</text>");
		s += n;
		while (*s == ' ')
			s++;
		y += TILE_FONT + 3;
	}
	return y;
}

/* Appends one tile: its box, its name and its value (each wrapped, the
 * whole name in its title), in a link if any. */
static void tile(struct buf *out, const struct svg_tile *t, int col, int row, unsigned id)
{
	int x = col * (TILE_W + GAP), y = row * (TILE_H + GAP);
	int shade = t->shade < 0 || t->shade > SVG_SHADE_STOPPED ? 0 : t->shade;
	const char *ink = shade == 7 || shade == 8 ? "#ffffff" : "#1a1a1a";
	if (t->href) {
		buf_puts(out, "<a href=\"");
		html_escape_str(out, t->href);
		buf_puts(out, "\">");
	}
	buf_puts(out, "<g><title>");
	html_escape_str(out, t->name);
	buf_puts(out, " : ");
	html_escape_str(out, t->value);
	buf_printf(out, "</title><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"4\" "
		   "fill=\"%s\" stroke=\"#555555\"/>", x, y, TILE_W, TILE_H, fills[shade]);
	if (t->marked)
		buf_printf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"4\" "
			   "fill=\"url(#hatch-%08x)\" stroke=\"#1a1a1a\" stroke-dasharray=\"5 3\" "
			   "stroke-width=\"2\"/>", x, y, TILE_W, TILE_H, id);
	int next = tile_text(out, t->name, x + TILE_W / 2, y + TILE_FONT + 4, ink, true);
	tile_text(out, t->value, x + TILE_W / 2, next + 2, ink, false);
	buf_puts(out, "</g>");
	if (t->href)
		buf_puts(out, "</a>");
	buf_putc(out, '\n');
}

/* Appends a small square of a shade (hatched when marked), for a legend. */
void svg_swatch(struct buf *out, int shade, bool marked)
{
	shade = shade < 0 || shade > SVG_SHADE_STOPPED ? 0 : shade;
	buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"swatch\" width=\"18\" "
		   "height=\"18\" viewBox=\"0 0 18 18\" aria-hidden=\"true\"><rect x=\"1\" y=\"1\" "
		   "width=\"16\" height=\"16\" rx=\"3\" fill=\"%s\" stroke=\"#555555\"/>",
		   fills[shade]);
	if (marked)
		buf_puts(out, "<path d=\"M1 9 L9 1 M1 17 L17 1 M9 17 L17 9\" stroke=\"#1a1a1a\" "
			      "stroke-opacity=\"0.5\" stroke-width=\"2\"/>");
	buf_puts(out, "</svg>");
}

/* Returns the number that makes the ids of a drawing titled title its own
 * on a page with others. */
static unsigned id_of(const char *title)
{
	return text_hash(title, strlen(title));
}

/* Appends the tile map of the communes of tiles[0..n). */
void svg_commune_map(struct buf *out, const struct svg_tile *tiles, size_t n, const char *title)
{
	int w = 7 * (TILE_W + GAP), h = 8 * (TILE_H + GAP);
	unsigned id = id_of(title);
	buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map\" viewBox=\"0 0 %d %d\" "
		   "role=\"group\" aria-labelledby=\"map-%08x\" font-family=\"sans-serif\">"
		   "<title id=\"map-%08x\">", w, h, id, id);
	html_escape_str(out, title);
	buf_printf(out, "</title><defs><pattern id=\"hatch-%08x\" width=\"8\" height=\"8\" ", id);
	buf_puts(out, "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
		      "<rect width=\"3\" height=\"8\" fill=\"#000000\" fill-opacity=\"0.18\"/>"
		      "</pattern></defs>\n");
	for (size_t i = 0; i < n; i++) {
		int col, row;
		if (place_of(tiles[i].nis, &col, &row))
			tile(out, &tiles[i], col, row, id);
	}
	buf_puts(out, "</svg>");
}

#define BAR_LABEL_W 240
#define BAR_W 320
#define BAR_H 28
#define BAR_FONT 21 /* at the chart's width on a phone, 11 px */

/* Tells whether bar i starts a group (its group's name goes on a line of
 * its own above it). */
static bool starts_group(const struct svg_bar *bars, size_t i)
{
	return bars[i].group && (i == 0 || !bars[i - 1].group ||
				 strcmp(bars[i - 1].group, bars[i].group) != 0);
}

/* Appends a horizontal bar chart of bars[0..n). */
void svg_bar_chart(struct buf *out, const struct svg_bar *bars, size_t n, const char *title)
{
	long long max = 1;
	size_t lines = n;
	for (size_t i = 0; i < n; i++) {
		if (bars[i].count > max)
			max = bars[i].count;
		lines += starts_group(bars, i);
	}
	int h = (int)lines * (BAR_H + 8) + 8;
	unsigned id = id_of(title);
	buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 %d %d\" "
		   "role=\"img\" aria-labelledby=\"chart-%08x\" font-family=\"sans-serif\">"
		   "<title id=\"chart-%08x\">", BAR_LABEL_W + BAR_W + 60, h > 30 ? h : 30, id, id);
	html_escape_str(out, title);
	buf_puts(out, "</title>\n");
	int y = 8;
	for (size_t i = 0; i < n; i++, y += BAR_H + 8) {
		int w = (int)(bars[i].count * BAR_W / max);
		if (starts_group(bars, i)) {
			buf_printf(out, "<text x=\"0\" y=\"%d\" font-size=\"%d\" font-weight=\"bold\">",
				   y + 21, BAR_FONT);
			html_escape_str(out, bars[i].group);
			buf_puts(out, "</text>\n");
			y += BAR_H + 8;
		}
		buf_printf(out, "<g><text x=\"%d\" y=\"%d\" font-size=\"%d\" text-anchor=\"end\">",
			   BAR_LABEL_W - 8, y + 21, BAR_FONT);
		html_escape_str(out, bars[i].label);
		buf_printf(out, "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
			   "fill=\"#3b6ea5\"/><text x=\"%d\" y=\"%d\" font-size=\"%d\">%lld</text></g>\n",
			   BAR_LABEL_W, y, w > 0 ? w : 1, BAR_H, BAR_LABEL_W + (w > 0 ? w : 1) + 6, y + 21,
			   BAR_FONT, bars[i].count);
	}
	buf_puts(out, "</svg>");
}
