/* svg.h — the drawings the server makes: the tile map of the province's
 * communes and small horizontal bar charts. Both are well-formed XML,
 * readable without colour (every tile and bar carries its text). */
#ifndef MAILLAGE_SVG_H
#define MAILLAGE_SVG_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* One commune on the map. */
struct svg_tile {
	long long nis;
	const char *name;   /* the commune's name */
	const char *value;  /* short text under the name (a state, a count) */
	const char *href;   /* where the tile leads, or NULL */
	int shade;          /* 0 (nothing) to 8 (the most advanced) picks the fill;
			     * SVG_SHADE_REFUSED and SVG_SHADE_STOPPED stand apart */
	bool marked;        /* hatched (e.g. stale) */
};

#define SVG_SHADE_REFUSED 9
#define SVG_SHADE_STOPPED 10

/* Returns the shade of a motion's state in a commune (vocab_motion_states:
 * the further along, the darker; rejected and stalled stand apart). */
int svg_motion_shade(const char *state);

/* Appends an SVG tile map of the communes in tiles[0..n) (each placed by
 * its NIS code at its approximate position; unknown codes are left out),
 * with title as its accessible name. */
void svg_commune_map(struct buf *out, const struct svg_tile *tiles, size_t n, const char *title);

/* Appends a small square of shade (hatched when marked), for a legend. */
void svg_swatch(struct buf *out, int shade, bool marked);

/* One bar of a chart. */
struct svg_bar {
	const char *group;  /* shown on a line of its own above each group (e.g. a year) */
	const char *label;  /* the bar's label (e.g. a level) */
	long long count;
};

/* Appends an SVG horizontal bar chart of bars[0..n), each bar with its
 * label and its count written out, with title as its accessible name. */
void svg_bar_chart(struct buf *out, const struct svg_bar *bars, size_t n, const char *title);

#endif
