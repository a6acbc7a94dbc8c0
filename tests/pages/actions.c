/* actions.c — page tests of the actions after the minutes: changed by the
 * coordination and by the owner organisation only, on approved minutes
 * without touching them, kept when the minutes are saved again, and seen
 * alike by the list, the meeting page, the prepare page and the digest.
 * Starts from the harness's pristine network (harness_fresh). */
#include <stdio.h>
#include <string.h>

#include "../../src/action.h"
#include "../../src/db.h"
#include "../../src/digest.h"
#include "../../src/meeting.h"
#include "../test.h"
#include "harness.h"
#include "pages.h"

#define CADASTRE "Compléter le cadastre des opérateurs"

/* Returns the id of the demo action whose text starts with prefix. */
static long long action_id(const char *prefix)
{
	return db_int(0, "SELECT id FROM action WHERE text LIKE ? || '%'", "t", prefix);
}

/* Returns the state of action id. */
static const char *state_of(long long id, char out[16])
{
	json_t *r = db_row("SELECT state FROM action WHERE id = ?", "i", id);
	snprintf(out, 16, "%s", r ? db_str(r, "state") : "?");
	json_decref(r);
	return out;
}

/* Only the coordination and the owner organisation change an action; the
 * owner changes its state, the page shows who closed it and when. */
static void who_changes(void)
{
	struct browser coord = {0}, cpas = {0}, forem = {0}, anon = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	CHECK_INT(harness_login(&cpas, HARNESS_MEMBER, PASSWORD), 303);
	CHECK_INT(harness_login(&forem, HARNESS_PARTNER, PASSWORD), 303);
	long long id = action_id(CADASTRE), cpas_org = db_int(0, "SELECT id FROM organisation "
							     "WHERE slug = 'cpas-de-namur'", NULL);
	char target[64], st[16], org[24];
	snprintf(target, sizeof(target), "/actions/%lld", id);
	snprintf(org, sizeof(org), "%lld", cpas_org);
	struct buf out = {0};
	/* the CPAS reads it (its body's members) but may not change the CAI's action */
	CHECK_INT(harness_fetch(&cpas, "GET", target, NULL, &out), 200);
	CHECK(strstr(buf_str(&out), CADASTRE) && !strstr(buf_str(&out), "Changer l'action"));
	CHECK(!strstr(buf_str(&out), "Marquer comme faite"));
	CHECK_INT(harness_post(&cpas, target, (const char *[]){"state", "done", NULL}, &out), 403);
	CHECK(strstr(buf_str(&out), "revient à une autre organisation") != NULL);
	CHECK(strcmp(state_of(id, st), "open") == 0);
	/* the Forem is not a member of Namur's coordination: the action does not exist for it */
	CHECK_INT(harness_fetch(&forem, "GET", target, NULL, NULL), 404);
	CHECK_INT(harness_post(&forem, target, (const char *[]){"state", "done", NULL}, NULL), 404);
	CHECK_INT(harness_fetch(&anon, "GET", target, NULL, NULL), 404);
	/* the coordination hands it to the CPAS, with a due date */
	CHECK_INT(harness_fetch(&coord, "GET", target, NULL, &out), 200);
	CHECK(strstr(buf_str(&out), "Changer l'action") != NULL);
	CHECK_INT(harness_post(&coord, target, (const char *[]){"owner", org, "due", "2030-03-12", NULL}, NULL),
		  303);
	CHECK_INT(db_int(0, "SELECT owner_organisation_id FROM action WHERE id = ?", "i", id), cpas_org);
	/* now the CPAS sees the button on its list and marks it done */
	CHECK_INT(harness_fetch(&cpas, "GET", "/actions?mine=1", NULL, &out), 200);
	CHECK(strstr(buf_str(&out), CADASTRE) && strstr(buf_str(&out), "Marquer comme faite"));
	CHECK(strstr(buf_str(&out), "12 mars 2030") != NULL);
	CHECK_INT(harness_post(&cpas, target, (const char *[]){"state", "done", "next", "/actions?mine=1",
						       NULL}, NULL), 303);
	CHECK(strcmp(state_of(id, st), "done") == 0);
	CHECK_INT(db_int(0, "SELECT count(*) FROM action a JOIN user u ON u.id = a.closed_by WHERE "
			 "a.id = ? AND u.email = ? AND a.closed_at IS NOT NULL", "it", id,
			 HARNESS_MEMBER), 1);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit WHERE object = 'action' AND object_id = ?",
			 "i", id), 2);
	CHECK_INT(harness_fetch(&cpas, "GET", "/actions?mine=1", NULL, &out), 200);
	CHECK(!strstr(buf_str(&out), CADASTRE));
	CHECK_INT(harness_fetch(&cpas, "GET", target, NULL, &out), 200);
	CHECK(strstr(buf_str(&out), "faite</span> le ") && strstr(buf_str(&out), "par Membre du CPAS"));
	CHECK(strstr(buf_str(&out), "Membre du CPAS : faite") != NULL); /* its history */
	/* the same change again changes nothing and is not audited twice */
	CHECK_INT(harness_post(&cpas, target, (const char *[]){"state", "done", NULL}, NULL), 303);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit WHERE object = 'action' AND object_id = ?",
			 "i", id), 2);
	/* reopened by the coordination: no closing date any more */
	CHECK_INT(harness_post(&coord, target, (const char *[]){"state", "open", NULL}, NULL), 303);
	CHECK_INT(db_int(0, "SELECT count(*) FROM action WHERE id = ? AND state = 'open' AND "
			 "closed_at IS NULL AND closed_by IS NULL", "i", id), 1);
	buf_free(&out);
}

/* Bad input: a clear message, a 4xx, nothing changed. */
static void bad_input(void)
{
	struct browser coord = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	long long id = action_id(CADASTRE);
	char target[64];
	snprintf(target, sizeof(target), "/actions/%lld", id);
	json_t *before = db_row("SELECT state, due, owner_organisation_id, modified FROM action "
				"WHERE id = ?", "i", id);
	static const struct {
		const char *key, *val, *says;
	} bad[] = {
		{"state", "finie", "« à faire », « faite » ou « annulée »"},
		{"state", "", "« à faire », « faite » ou « annulée »"},
		{"due", "2021-02-30", "une date qui existe"},
		{"due", "12/03/2030", "une date qui existe"},
		{"due", "<script>alert(1)</script>", "une date qui existe"},
		{"owner", "999999", "dans la liste"},
		{"owner", "1 OR 1=1", "dans la liste"},
		{"owner", "99999999999999999999999", "dans la liste"},
	};
	struct buf out = {0};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECKF(harness_post(&coord, target, (const char *[]){bad[i].key, bad[i].val, NULL}, &out) == 422,
		       "%s=%s", bad[i].key, bad[i].val);
		CHECKF(strstr(buf_str(&out), bad[i].says) != NULL, "%s=%s", bad[i].key, bad[i].val);
		CHECK(!strstr(buf_str(&out), "<script>alert"));
	}
	json_t *after = db_row("SELECT state, due, owner_organisation_id, modified FROM action "
			       "WHERE id = ?", "i", id);
	CHECK(json_equal(before, after));
	json_decref(before);
	json_decref(after);
	CHECK_INT(harness_fetch(&coord, "GET", "/actions/999999", NULL, NULL), 404);
	CHECK_INT(harness_post(&coord, "/actions/999999", (const char *[]){"state", "done", NULL}, NULL), 404);
	/* a next= that leaves the site goes home instead */
	struct call c;
	char form[160];
	snprintf(form, sizeof(form), "_csrf=%s&state=open&next=//evil.example", coord.csrf);
	CHECK_INT(call(&c, &coord, "POST", target, form), 303);
	CHECK(header_has(&c, "Location", "/") && !header_has(&c, "Location", "evil"));
	call_free(&c);
	buf_free(&out);
}

/* On approved minutes: the action is marked done, the minutes stay as
 * they were, and the meeting page shows the new state beside it. */
static void approved_minutes(void)
{
	struct browser coord = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	long long id = action_id(CADASTRE);
	long long meeting = db_int(0, "SELECT meeting_id FROM action WHERE id = ?", "i", id);
	CHECK(db_exec("UPDATE meeting SET status = 'minutes_approved' WHERE id = ?", "i", meeting) == 1);
	json_t *before = db_row("SELECT minutes, minutes_html, (SELECT count(*) FROM revision WHERE "
				"meeting_id = ?1) AS revisions FROM meeting WHERE id = ?1", "i", meeting);
	char target[64], page[64];
	snprintf(target, sizeof(target), "/actions/%lld", id);
	snprintf(page, sizeof(page), "/meetings/%lld", meeting);
	CHECK_INT(harness_post(&coord, target, (const char *[]){"state", "done", "next", page, NULL}, NULL), 303);
	json_t *after = db_row("SELECT minutes, minutes_html, (SELECT count(*) FROM revision WHERE "
			       "meeting_id = ?1) AS revisions FROM meeting WHERE id = ?1", "i", meeting);
	/* the author's words stay; the rendered minutes show the new state */
	CHECK(json_equal(json_object_get(before, "minutes"), json_object_get(after, "minutes")));
	CHECK(json_equal(json_object_get(before, "revisions"), json_object_get(after, "revisions")));
	const char *html = db_str(after, "minutes_html"), *item = strstr(html, CADASTRE);
	const char *item_end = item ? strstr(item, "</li>") : NULL;
	CHECK(item_end && memmem(item, (size_t)(item_end - item), "badge-done\">faite", 17));
	CHECK(strstr(html, "aria-label=\"fait\" disabled checked />" CADASTRE) != NULL);
	json_decref(before);
	json_decref(after);
	struct buf out = {0};
	CHECK_INT(harness_fetch(&coord, "GET", page, NULL, &out), 200);
	char link[96];
	snprintf(link, sizeof(link), "<a href=\"/actions/%lld\">%s", id, CADASTRE);
	const char *at = strstr(buf_str(&out), link);
	CHECK(at != NULL);
	const char *end = at ? strstr(at, "</li>") : NULL;
	CHECK(end && memmem(at, (size_t)(end - at), "faite</span>", 12) && memmem(at, (size_t)(end - at), "Rouvrir", 7));
	buf_free(&out);
}

/* Saving the minutes again keeps the action's id and what the web changed
 * when its text is unchanged; a new line is a new open action; a line
 * removed takes its action away. */
static void minutes_saved_again(void)
{
	long long body = db_int(0, "SELECT id FROM body WHERE slug = 'coordination-locale-namur'", NULL);
	struct meeting_in m = {.body_id = body, .title = "Réunion des actions", .start = "2030-01-10",
			       .format = "on_site", .status = "minutes_draft",
			       .visibility = "members", .agenda = "",
			       .minutes = "- [ ] Écrire au collège @CAI\n- [ ] Réserver la salle @CAI\n"};
	long long meeting = meeting_save(0, &m, 0);
	CHECK(meeting > 0);
	long long write = db_int(0, "SELECT id FROM action WHERE meeting_id = ? AND text = "
				 "'Écrire au collège'", "i", meeting);
	long long room = db_int(0, "SELECT id FROM action WHERE meeting_id = ? AND text = "
				"'Réserver la salle'", "i", meeting);
	CHECK(write > 0 && room > 0);
	CHECK_INT(action_change(write, &(struct action_change){.state = "cancelled"}, 0) < 0 ? -1 : 1, 1);
	m.minutes = "- [ ] Prévenir la presse @CAI\n- [ ] Écrire au collège @CAI 2030-02-01\n";
	CHECK(meeting_save(meeting, &m, 0) == meeting);
	json_t *kept = db_row("SELECT id, position, state, due FROM action WHERE meeting_id = ? AND "
			      "text = 'Écrire au collège'", "i", meeting);
	CHECK_INT(db_num(kept, "id"), write);
	CHECK_INT(db_num(kept, "position"), 2);
	CHECK(strcmp(db_str(kept, "state"), "cancelled") == 0);
	CHECK(db_str(kept, "due") == NULL); /* the web's change wins over the new line */
	json_decref(kept);
	CHECK_INT(db_int(0, "SELECT count(*) FROM action WHERE id = ?", "i", room), 0);
	CHECK_INT(db_int(0, "SELECT count(*) FROM action WHERE meeting_id = ? AND text = "
			 "'Prévenir la presse' AND state = 'open' AND position = 1", "i", meeting), 1);
	/* an action never changed on the web follows its line: ticked, it is done */
	m.minutes = "- [x] Prévenir la presse @CAI\n- [ ] Écrire au collège @CAI\n";
	CHECK(meeting_save(meeting, &m, 0) == meeting);
	CHECK_INT(db_int(0, "SELECT count(*) FROM action WHERE meeting_id = ? AND text = "
			 "'Prévenir la presse' AND state = 'done'", "i", meeting), 1);
}

/* The prepare page and the digest read the current state: a done action
 * leaves both, a reopened one comes back to both. */
static void prepare_and_digest_agree(void)
{
	struct browser coord = {0}, cpas = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	CHECK_INT(harness_login(&cpas, HARNESS_MEMBER, PASSWORD), 303);
	long long id = action_id(CADASTRE);
	long long body = db_int(0, "SELECT body_id FROM meeting m JOIN action a ON a.meeting_id = m.id "
				"WHERE a.id = ?", "i", id);
	CHECK(db_exec("UPDATE action SET state = 'done' WHERE id <> ?", "i", id) >= 0);
	CHECK(db_exec("UPDATE action SET owner_organisation_id = (SELECT id FROM organisation WHERE "
		      "slug = 'cpas-de-namur'), due = date('now', '-1 day'), state = 'open' WHERE "
		      "id = ?", "i", id) == 1);
	CHECK(db_exec("INSERT INTO meeting (body_id, title, start) VALUES (?, 'Prochaine réunion', "
		      "'2039-01-01')", "i", body) == 1);
	char prepare[64], target[64], link[96];
	snprintf(prepare, sizeof(prepare), "/meetings/%lld/prepare", db_last_id());
	snprintf(target, sizeof(target), "/actions/%lld", id);
	snprintf(link, sizeof(link), "<a href=\"%s\">", target);
	struct buf out = {0};
	CHECK_INT(harness_fetch(&coord, "GET", prepare, NULL, &out), 200);
	CHECK(strstr(buf_str(&out), link) != NULL);
	CHECK_INT(harness_post(&cpas, target, (const char *[]){"state", "done", NULL}, NULL), 303);
	CHECK_INT(harness_fetch(&coord, "GET", prepare, NULL, &out), 200);
	CHECK(!strstr(buf_str(&out), link));
	CHECK(digest_send_today() >= 0);
	CHECK_INT(db_int(0, "SELECT count(*) FROM outbox WHERE recipient = ? AND subject LIKE "
			 "'Maillage : vos actions%'", "t", HARNESS_MEMBER), 0);
	CHECK_INT(harness_post(&coord, target, (const char *[]){"state", "open", NULL}, NULL), 303);
	CHECK_INT(harness_fetch(&coord, "GET", prepare, NULL, &out), 200);
	CHECK(strstr(buf_str(&out), link) != NULL);
	CHECK(digest_send_today() >= 1);
	CHECK_INT(db_int(0, "SELECT count(*) FROM outbox WHERE recipient = ? AND subject LIKE "
			 "'Maillage : vos actions%'", "t", HARNESS_MEMBER), 1); /* its one open action */
	buf_free(&out);
}

/* Runs the actions' tests. */
void pages_actions(void)
{
	harness_fresh();
	RUN(who_changes);
	RUN(bad_input);
	RUN(approved_minutes);
	RUN(minutes_saved_again);
	RUN(prepare_and_digest_agree);
}
