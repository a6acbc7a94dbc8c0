/* meeting.h — saving a meeting, the one way every change goes: checked,
 * revisions kept, Markdown rendered, actions extracted, change audited. */
#ifndef MAILLAGE_MEETING_H
#define MAILLAGE_MEETING_H

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
/* Creates (id 0) or updates meeting id from m on behalf of user_id (0 for an
 * import), in one transaction (a savepoint inside the caller's): a new text
 * becomes a revision, both texts are rendered, the minutes' actions are
 * extracted again, the change is audited and, when made by a user, told to
 * the network (notify.c). Nothing is written when nothing changed.
 * Returns the meeting's id, or -1. */
long long meeting_save(long long id, const struct meeting_in *m, long long user_id);

#endif
