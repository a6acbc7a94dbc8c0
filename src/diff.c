/* diff.c — line-by-line comparison of two texts (longest common
 * subsequence), for the revision history. */
#include "diff.h"

#include <stdlib.h>
#include <string.h>

struct lines {
	const char **start;
	size_t *len;
	size_t n;
};

/* Splits s into lines (pointers into s); the caller frees with free_lines. */
static void split(const char *s, struct lines *l)
{
	size_t n = 1;
	for (const char *p = s; *p; p++)
		n += *p == '\n';
	l->start = malloc(n * sizeof(*l->start));
	l->len = malloc(n * sizeof(*l->len));
	if (!l->start || !l->len)
		abort();
	l->n = 0;
	while (*s) {
		size_t k = strcspn(s, "\n");
		l->start[l->n] = s;
		l->len[l->n++] = k;
		s += k + (s[k] == '\n');
	}
}

/* Frees what split allocated. */
static void free_lines(struct lines *l)
{
	free(l->start);
	free(l->len);
}

/* Tells whether line i of a equals line j of b. */
static int same(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	return a->len[i] == b->len[j] && memcmp(a->start[i], b->start[j], a->len[i]) == 0;
}

/* Appends one line with its operation to out. */
static void put(json_t *out, const char *op, const char *s, size_t n)
{
	json_array_append_new(out, json_pack("{s:s, s:s%}", "op", op, "text", s, n));
}

/* Returns the lines of b against a, or NULL when too long to compare. */
json_t *diff_lines(const char *a, const char *b)
{
	struct lines la, lb;
	split(a ? a : "", &la);
	split(b ? b : "", &lb);
	size_t n = la.n, m = lb.n;
	if ((n + 1) * (m + 1) > DIFF_MAX_CELLS) {
		free_lines(&la);
		free_lines(&lb);
		return NULL;
	}
	/* lcs[i][j]: length of the common subsequence of a[i..] and b[j..] */
	unsigned *lcs = calloc((n + 1) * (m + 1), sizeof(unsigned));
	if (!lcs)
		abort();
	for (size_t i = n; i-- > 0;)
		for (size_t j = m; j-- > 0;) {
			unsigned down = lcs[(i + 1) * (m + 1) + j], right = lcs[i * (m + 1) + j + 1];
			lcs[i * (m + 1) + j] = same(&la, i, &lb, j) ? lcs[(i + 1) * (m + 1) + j + 1] + 1
								   : down > right ? down : right;
		}
	json_t *out = json_array();
	size_t i = 0, j = 0;
	while (i < n || j < m) {
		if (i < n && j < m && same(&la, i, &lb, j)) {
			put(out, "same", la.start[i], la.len[i]);
			i++, j++;
		} else if (j < m && (i == n || lcs[i * (m + 1) + j + 1] > lcs[(i + 1) * (m + 1) + j])) {
			put(out, "added", lb.start[j], lb.len[j]);
			j++;
		} else {
			put(out, "removed", la.start[i], la.len[i]);
			i++;
		}
	}
	free(lcs);
	free_lines(&la);
	free_lines(&lb);
	return out;
}
