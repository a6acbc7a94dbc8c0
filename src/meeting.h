/* meeting.h — the meetings: saving one, the one way every change goes
 * (checked, revisions kept, Markdown rendered, actions extracted, change
 * audited), and the lists other modules read them through. */
#ifndef MAILLAGE_MEETING_H
#define MAILLAGE_MEETING_H

#include <jansson.h>
#include <stddef.h>

#define MEETING_MAX_TEXT (1u << 20) /* bytes of an agenda or of minutes */

struct meeting_in {
	long long body_id;
	const char *slug;        /* name of its content file, or NULL */
	const char *title;
	const char *start, *end; /* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM"; end may be NULL */
	const char *place, *video;
	const char *format, *status, *visibility;
	const char *agenda, *minutes;
};

/* Returns NULL when m can be saved, else what is wrong (French) and, in
 * *field, the name of the field at fault. */
const char *meeting_check(const struct meeting_in *m, const char **field);
/* Returns every problem of m, in the order of the form: [{field, message}]
 * (new reference; empty when it can be saved). */
json_t *meeting_problems(const struct meeting_in *m);
/* Creates (id 0) or updates meeting id from m on behalf of user_id (0 for an
 * import), in one transaction (a savepoint inside the caller's): a new text
 * becomes a revision, both texts are rendered, the minutes' actions are
 * extracted again, the change is audited and, when made by a user, told to
 * the network (notify.c). Nothing is written when nothing changed.
 * Returns the meeting's id, or -1. */
long long meeting_save(long long id, const struct meeting_in *m, long long user_id);

/* Which meetings of a list, by their start: all of them newest first, those
 * from today on soonest first, or those before today newest first. */
enum meeting_when { MEETING_ANY, MEETING_UPCOMING, MEETING_PAST };

/* What a list of meetings keeps (each unused when 0, NULL or empty). */
struct meeting_filter {
	enum meeting_when when;
	long long body_id;     /* one body */
	const char *body;      /* one body, by slug (an unknown one: no meetings) */
	const char *territory; /* the bodies of one territory, by slug */
	const char *year;      /* "YYYY" (anything else: no meetings) */
	long long member_of;   /* the bodies this organisation is a member of */
};

/* Returns the meetings of f that a reader of role and organisation org
 * may see, in the order of f->when: id, title, start, status, visibility, body,
 * body_slug (new reference; NULL on error). */
json_t *meeting_list(const struct meeting_filter *f, int role, long long org, int limit,
		     int offset);
/* Returns the years a reader of role and organisation org may see a meeting
 * of, newest first, as {value, label} rows (new reference; NULL on error). */
json_t *meeting_years(int role, long long org);
/* Returns the 100 latest meetings as choices {id, label, selected} for a
 * staff form (no visibility filter: coordinators read everything), the
 * one given selected (new reference). */
json_t *meeting_choices(long long selected);

#endif
