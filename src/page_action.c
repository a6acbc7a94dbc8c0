/* page_action.c — the actions decided in the minutes: the list of those
 * still to do, one action with its origin and history, and its change of
 * state, due date or owner (by the coordination or the owner organisation),
 * which never touches the minutes themselves. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "auth.h"
#include "db.h"
#include "page.h"
#include "text.h"
#include "view.h"

#define ACTIONS_PER_PAGE 100

/* Adds state_label, is_open and may_change to each action row. */
void page_action_rows(struct req *req, json_t *rows)
{
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		const char *state = db_str(r, "state");
		const char *label = vocab_label(&vocab_action_states, state);
		json_object_set_new(r, "state_label", json_string(label ? label : ""));
		json_object_set_new(r, "is_open", json_boolean(state && strcmp(state, "open") == 0));
		json_object_set_new(r, "may_change", json_boolean(action_may_change(&req->user, r)));
	}
	view_dates_fr(rows, "due", "due_fr");
}

/* GET /actions?mine=1&page=N — the open actions of the meetings one may
 * see, overdue and soonest first, 100 a page; "mine" keeps those of one's
 * organisation. */
int page_actions(struct req *req, struct resp *resp)
{
	bool mine = req_query(req, "mine") && req->user.org_id;
	long page = page_number(req);
	json_t *rows = db_rows(
		"SELECT a.id, a.text, a.owner, a.due, a.state, a.owner_organisation_id, "
		"a.due < date('now') AS overdue, m.id AS meeting_id, m.title AS meeting, "
		"m.start AS meeting_start, b.name AS body, m.title = b.name AS named_as_body, "
		"o.name AS owner_name, o.slug AS owner_slug "
		"FROM action a JOIN meeting m ON m.id = a.meeting_id JOIN body b ON b.id = m.body_id "
		"LEFT JOIN organisation o ON o.id = a.owner_organisation_id "
		"WHERE a.state = 'open' AND m.deleted = 0 AND (? = 0 OR a.owner_organisation_id = ?) "
		"AND " AUTH_SEES_SQL("m.visibility", "m.body_id")
		" ORDER BY a.due IS NULL, a.due, o.name, a.id LIMIT ? OFFSET ?", "iiiiii",
		(long long)mine, req->user.org_id, (long long)req->user.role, req->user.org_id,
		(long long)ACTIONS_PER_PAGE + 1, (long long)(page - 1) * ACTIONS_PER_PAGE);
	if (!rows)
		return 500;
	bool more = page_trim(rows, ACTIONS_PER_PAGE);
	page_action_rows(req, rows);
	view_dates_fr(rows, "meeting_start", "meeting_when");
	json_t *d = page_data(req, mine ? "Mes actions" : "Actions");
	json_object_set_new(d, "actions", rows);
	json_object_set_new(d, "mine", json_boolean(mine));
	json_object_set_new(d, "can_filter", json_boolean(req->user.org_id != 0));
	page_pager(d, page, more);
	return page_render(req, resp, 200, "actions", d);
}

/* Returns the request's action when its reader may see its meeting, else
 * NULL (new reference). */
static json_t *readable_action(struct req *req)
{
	json_t *a = action_get(atoll(req_param(req, "id")));
	if (a && (db_num(a, "deleted") ||
		  !auth_may_see(&req->user, db_str(a, "visibility"), db_num(a, "body_id")))) {
		json_decref(a);
		return NULL;
	}
	return a;
}

/* Returns the changes of action id, newest first, with who made them and
 * the state each left (for the action's history). */
static json_t *history(long long id)
{
	json_t *rows = db_rows("SELECT coalesce(u.name, 'import de fichiers') AS author, a.created, "
			       "json_extract(a.after, '$.state') AS state, json_extract(a.after, "
			       "'$.due') AS due FROM audit a LEFT JOIN user u ON u.id = a.user_id "
			       "WHERE a.object = 'action' AND a.object_id = ? ORDER BY a.id DESC "
			       "LIMIT 50", "i", id);
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		const char *label = vocab_label(&vocab_action_states, db_str(r, "state"));
		json_object_set_new(r, "state_label", json_string(label ? label : ""));
	}
	view_dates_fr(rows, "created", "when");
	view_dates_fr(rows, "due", "due_fr");
	return rows ? rows : json_array();
}

/* Renders the page of action a (consumed), with the change form's problems
 * ([{field, message}], consumed, may be NULL). */
static int action_page(struct req *req, struct resp *resp, int status, json_t *a,
		       json_t *problems)
{
	json_t *list = json_pack("[O]", a); /* the row helpers work on lists */
	page_action_rows(req, list);
	view_dates_fr(list, "closed_at", "closed_fr");
	view_dates_fr(list, "meeting_start", "meeting_when");
	json_decref(list);
	json_t *d = page_data(req, "Action");
	if (json_is_true(json_object_get(a, "may_change"))) {
		json_object_set_new(d, "states", page_choices(&vocab_action_states, db_str(a, "state")));
		json_t *owners = db_rows("SELECT id, name, id = ? AS selected FROM organisation WHERE deleted = 0 OR id = ?1 "
					 "ORDER BY name COLLATE NOCASE", "i",
					 db_num(a, "owner_organisation_id"));
		json_object_set_new(d, "owners", owners ? owners : json_array());
	}
	page_form_problems(d, problems, NULL);
	json_object_set_new(d, "history", history(db_num(a, "id")));
	json_object_set_new(d, "action", a);
	return page_render(req, resp, status, "action", d);
}

/* GET /actions/:id — one action: its origin, its state, its history, and
 * the form to change it for those who may. */
int page_action(struct req *req, struct resp *resp)
{
	json_t *a = readable_action(req);
	return a ? action_page(req, resp, 200, a, NULL) : 404;
}

/* POST /actions/:id (state, due, owner, next, _csrf; each optional) —
 * changes an action's state, due date or owner, then goes back to next. */
int page_action_update(struct req *req, struct resp *resp)
{
	json_t *a = readable_action(req);
	if (!a)
		return 404;
	if (!action_may_change(&req->user, a)) {
		json_decref(a);
		return page_error(req, resp, 403, "Cette action revient à une autre organisation : "
				  "seules cette organisation et la coordination peuvent la changer.");
	}
	struct action_change c = {.state = req_form(req, "state"), .due = req_form(req, "due"),
				  .owner = req_form(req, "owner")};
	struct check k = {0};
	action_rules(&c, &k);
	if (k.n)
		return action_page(req, resp, 422, a, check_json(&k));
	long long id = db_num(a, "id");
	json_decref(a);
	if (action_change(id, &c, req->user.id) < 0)
		return 500;
	const char *next = req_form(req, "next");
	return resp_redirect(req, resp, 303, next ? page_safe_next(next)
					      : arena_printf(&req->arena, "/actions/%lld", id));
}
