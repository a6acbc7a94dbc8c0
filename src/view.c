/* view.c — the template set every page and every mail is filled from. */
#include "view.h"

#include <pthread.h>
#include <stdio.h>

#include "log.h"
#include "template.h"
#include "text.h"

static struct tmpl_set *templates;
static char template_dir[4096];
static bool reloading; /* development: read again when a file changes */
static pthread_rwlock_t templates_lock = PTHREAD_RWLOCK_INITIALIZER;

/* Loads the templates of dir; 0 or -1 with a French message in err. */
int view_init(const char *dir, bool dev, struct buf *err)
{
	struct tmpl_set *set = tmpl_set_new();
	if (tmpl_load_dir(set, dir, err) < 0) {
		tmpl_set_free(set);
		return -1;
	}
	if (!tmpl_exists(set, "error") || !tmpl_exists(set, "layout_head")) {
		buf_printf(err, "le dossier %s ne contient pas les gabarits de Maillage", dir);
		tmpl_set_free(set);
		return -1;
	}
	pthread_rwlock_wrlock(&templates_lock);
	reloading = dev;
	snprintf(template_dir, sizeof(template_dir), "%s", dir);
	tmpl_set_free(templates);
	templates = set;
	pthread_rwlock_unlock(&templates_lock);
	return 0;
}

/* Frees the templates. */
void view_free(void)
{
	pthread_rwlock_wrlock(&templates_lock);
	tmpl_set_free(templates);
	templates = NULL;
	pthread_rwlock_unlock(&templates_lock);
}

/* In development, reloads the templates when a file changed (keeps the old
 * ones, with a message, when the new ones do not compile, and tries again
 * only when a file changes again). Every look at the set holds the lock. */
static void reload_if_changed(void)
{
	pthread_rwlock_rdlock(&templates_lock);
	bool changed = reloading && templates && tmpl_dir_changed(templates);
	pthread_rwlock_unlock(&templates_lock);
	if (!changed)
		return;
	pthread_rwlock_wrlock(&templates_lock);
	if (templates && tmpl_dir_changed(templates)) {
		struct tmpl_set *set = tmpl_set_new();
		struct buf err = {0};
		if (tmpl_load_dir(set, template_dir, &err) == 0) {
			tmpl_set_free(templates);
			templates = set;
			log_info("gabarits rechargés");
		} else {
			log_error("%s", buf_str(&err));
			tmpl_set_free(set);
			tmpl_dir_seen(templates);
		}
		buf_free(&err);
	}
	pthread_rwlock_unlock(&templates_lock);
}

/* Appends template tmpl rendered over data (kept) to out; 0 or -1. */
int view_fill(const char *tmpl, json_t *data, struct buf *out)
{
	reload_if_changed();
	pthread_rwlock_rdlock(&templates_lock);
	int rc = templates ? tmpl_render(templates, tmpl, data, out) : -1;
	pthread_rwlock_unlock(&templates_lock);
	return rc;
}

/* Adds the French spelling of each row's date field src as dst. */
void view_dates_fr(json_t *rows, const char *src, const char *dst)
{
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row) {
		struct buf fr = {0};
		text_date_fr(&fr, json_string_value(json_object_get(row, src)));
		if (fr.len)
			json_object_set_new(row, dst, json_string(buf_str(&fr)));
		buf_free(&fr);
	}
}

/* Sets d[key] to a count with its noun in French ("1 adresse", "3 adresses"). */
void view_count(json_t *d, const char *key, long long n, const char *one, const char *many)
{
	struct buf b = {0};
	text_count(&b, n, one, many);
	json_object_set_new(d, key, json_string(buf_str(&b)));
	buf_free(&b);
}
