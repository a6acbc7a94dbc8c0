/* digest.c — the daily digest: to each person, the open actions of their
 * organisation due within a week or overdue and, for the coordination,
 * the follow-ups of interpellations due soon; once a day at most. */
#include "digest.h"

#include "auth.h"
#include "db.h"
#include "interp.h"
#include "mail.h"
#include "notify.h"
#include "view.h"

#define DIGEST_DAYS "+7 days" /* actions due within a week are in the digest */

/* Returns the open actions of user u's organisation due within a week
 * or overdue, in meetings u may read (new reference). */
static json_t *digest_actions(json_t *u)
{
	json_t *rows = db_rows(
		"SELECT a.text, a.due, a.due < date('now') AS overdue, m.id AS meeting_id, m.title "
		"AS meeting FROM action a JOIN meeting m ON m.id = a.meeting_id WHERE "
		"a.owner_organisation_id = ? AND a.state = 'open' AND a.due IS NOT NULL AND a.due <= "
		"date('now', '" DIGEST_DAYS "') AND m.deleted = 0 AND "
		AUTH_SEES_SQL("m.visibility", "m.body_id") " ORDER BY a.due, a.id", "iii",
		json_integer_value(json_object_get(u, "organisation_id")),
		json_integer_value(json_object_get(u, "role")),
		json_integer_value(json_object_get(u, "organisation_id")));
	return rows ? rows : json_array();
}

/* Queues the digest of user u when it has something; 1, 0 or -1. */
static int digest_of(json_t *u)
{
	json_t *actions = digest_actions(u);
	json_t *follow = json_integer_value(json_object_get(u, "role")) >= ROLE_COORDINATOR
		? interp_followups(0, 0) : json_array();
	int rc = 0;
	if (json_array_size(actions) + json_array_size(follow) == 0)
		goto out;
	long long id = json_integer_value(json_object_get(u, "id"));
	if (db_exec("INSERT INTO digest (user_id, day) VALUES (?, date('now')) ON CONFLICT DO "
		    "NOTHING", "i", id) != 1)
		goto out; /* already sent today (or the database failed: -1 below) */
	struct buf text = {0}, html = {0};
	size_t i;
	json_t *r;
	view_dates_fr(actions, "due", "due_fr");
	buf_puts(&text, "Bonjour,\n\nVoici ce qui attend une suite dans le réseau.\n");
	if (json_array_size(actions))
		buf_puts(&text, "\nActions de votre organisation :\n");
	json_array_foreach(actions, i, r)
		buf_printf(&text, "- %s (pour le %s%s) — %s/meetings/%lld\n",
			   json_string_value(json_object_get(r, "text")),
			   json_string_value(json_object_get(r, "due_fr")),
			   json_integer_value(json_object_get(r, "overdue")) ? ", en retard" : "",
			   notify_site, (long long)json_integer_value(json_object_get(r, "meeting_id")));
	if (json_array_size(follow))
		buf_puts(&text, "\nÀ relancer :\n");
	json_array_foreach(follow, i, r)
		buf_printf(&text, "- %s (relance le %s) — %s%s\n",
			   json_string_value(json_object_get(r, "title")),
			   json_string_value(json_object_get(r, "due_fr")), notify_site,
			   json_string_value(json_object_get(r, "url")));
	json_t *data = json_pack("{s:O, s:O, s:s}", "actions", actions, "followups", follow, "site",
				 notify_site);
	if (view_fill("mail_digest", data, &html) < 0)
		buf_reset(&html);
	json_decref(data);
	struct mail_msg msg = {.to = json_string_value(json_object_get(u, "email")),
			       .subject = "Maillage : vos actions et relances du jour",
			       .text = buf_str(&text), .html = html.len ? buf_str(&html) : NULL};
	rc = mail_address_problem(msg.to) ? 0 : mail_queue(&msg) < 0 ? -1 : 1;
	buf_free(&text);
	buf_free(&html);
out:
	json_decref(actions);
	json_decref(follow);
	return rc;
}

/* Queues today's digests; how many, or -1. */
int digest_send_today(void)
{
	json_t *users = db_rows("SELECT id, email, coalesce(organisation_id, 0) AS organisation_id, "
				"CASE role WHEN 'admin' THEN 4 WHEN 'coordinator' THEN 3 WHEN 'board' "
				"THEN 2 ELSE 1 END AS role FROM user WHERE disabled = 0 AND NOT EXISTS "
				"(SELECT 1 FROM digest d WHERE d.user_id = user.id AND d.day = "
				"date('now')) ORDER BY id", NULL), *u;
	if (!users)
		return -1;
	int n = 0;
	size_t i;
	json_array_foreach(users, i, u) {
		if (db_begin() < 0) {
			n = -1;
			break;
		}
		int rc = digest_of(u);
		if (rc < 0 || db_commit() < 0) {
			db_rollback();
			n = -1;
			break;
		}
		n += rc;
	}
	json_decref(users);
	return n;
}
