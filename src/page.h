/* page.h — what every page shares (layout data, rendering, error pages) and
 * the handlers of the page_*.c files, each named after its URL. */
#ifndef MAILLAGE_PAGE_H
#define MAILLAGE_PAGE_H

#include <jansson.h>
#include <stdbool.h>

#include "buf.h"
#include "req.h"
#include "vocab.h"

struct page_config {
	const char *site_name; /* shown in the header and titles */
	const char *base_url;  /* public URL, e.g. https://maillage.example.org */
	bool secure;           /* cookies get Secure (base URL is https) */
	bool dev;              /* templates reload when they change */
};

extern struct page_config page_cfg;

/* Loads the templates of dir; 0 or -1 with a French message in err. */
int page_init(const char *dir, bool dev, struct buf *err);
/* Frees the templates. */
void page_shutdown(void);
/* Returns the interface's word for key (vocab_ui_terms: "letters" is
 * « Lettres et cartes blanches »), or key itself. */
const char *page_term(const char *key);
/* Returns the data every page's layout needs, the interface's words as
 * "t" among them (new reference). */
json_t *page_data(struct req *req, const char *title);
/* Fills resp with template tmpl rendered over data (consumed); returns status. */
int page_render(struct req *req, struct resp *resp, int status, const char *tmpl,
		json_t *data);
/* Fills resp with the French error page for status (a JSON error under
 * /api/); returns status. */
int page_error(struct req *req, struct resp *resp, int status, const char *message);
/* Returns {value, label, selected} rows for a select from a list of
 * {value, label} pairs, the one equal to value selected (new reference). */
json_t *page_choices(const struct vocab *v, const char *value);
/* Marks as selected the row of rows (from a query giving value and label)
 * whose value is current; returns rows, or an empty array for NULL. */
json_t *page_mark_selected(json_t *rows, const char *current);
/* Adds to each row the French label (dst) of its vocabulary value (src). */
void page_labels(json_t *rows, const char *src, const struct vocab *v, const char *dst);
/* Adds a form's problems ([{field, message}], consumed, may be NULL) to d:
 * error_FIELD beside each field, and a summary (problems, problem_count)
 * linking to each input (id: the field, or its pair in targets, a list of
 * {field, id} ending with {NULL, NULL}; targets may be NULL). */
void page_form_problems(json_t *d, json_t *problems, const char *const targets[][2]);
/* Returns the ?page= number of the request, from 1 to 100000. */
long page_number(struct req *req);
/* Takes off rows the one past a page's worth (a list reads per_page + 1
 * rows to know whether another page follows); tells whether there was one. */
bool page_trim(json_t *rows, size_t per_page);
/* Adds the previous and next page numbers to d (next only when more). */
void page_pager(json_t *d, long page, bool more);
/* Adds to d the "bodies" and "territories" choices of a filter form (the
 * bodies the reader may see), the request's ones selected. */
void page_place_choices(struct req *req, json_t *d);
/* Appends to out the request's query parameters named in keys[0..n) that
 * are set, except skip (may be NULL), as URL-encoded "k=v&k=v". */
void page_query_string(struct req *req, const char *const *keys, size_t n, const char *skip,
		       struct buf *out);
/* Sets a JSON body (data consumed); returns status. */
int page_json(struct resp *resp, int status, json_t *data);
/* Returns next when a browser would keep it on this site (where to go
 * after a form), else "/". */
const char *page_safe_next(const char *next);

/* page_home.c */
int page_home(struct req *req, struct resp *resp);
int page_healthz(struct req *req, struct resp *resp);
int page_asset(struct req *req, struct resp *resp);
/* page_account.c */
int page_login_form(struct req *req, struct resp *resp);
int page_login(struct req *req, struct resp *resp);
int page_logout(struct req *req, struct resp *resp);
int page_account(struct req *req, struct resp *resp);
int page_account_password(struct req *req, struct resp *resp);
int page_account_calendar(struct req *req, struct resp *resp);
int page_account_calendar_delete(struct req *req, struct resp *resp);
int page_account_api_token(struct req *req, struct resp *resp);
int page_account_api_token_delete(struct req *req, struct resp *resp);
int page_password_forgot_form(struct req *req, struct resp *resp);
int page_password_forgot(struct req *req, struct resp *resp);
int page_password_form(struct req *req, struct resp *resp);
int page_password_set(struct req *req, struct resp *resp);
/* page_search.c */
int page_search(struct req *req, struct resp *resp);
int page_search_json(struct req *req, struct resp *resp);
/* page_report.c */
int page_report(struct req *req, struct resp *resp);
int page_report_csv(struct req *req, struct resp *resp);
int page_report_document(struct req *req, struct resp *resp);
/* page_review.c — a body's bilan and perspectives of a year */
int page_review_edit(struct req *req, struct resp *resp);
int page_review_save(struct req *req, struct resp *resp);
/* page_mandate.c */
int page_mandates(struct req *req, struct resp *resp);
int page_mandate_new(struct req *req, struct resp *resp);
int page_mandate_create(struct req *req, struct resp *resp);
int page_mandate_edit(struct req *req, struct resp *resp);
int page_mandate_update(struct req *req, struct resp *resp);
int page_mandate_delete(struct req *req, struct resp *resp);
/* page_glossary.c */
int page_glossary(struct req *req, struct resp *resp);
int page_glossary_save(struct req *req, struct resp *resp);
int page_glossary_delete(struct req *req, struct resp *resp);
int page_glossary_undelete(struct req *req, struct resp *resp);

/* page_commune.c */
int page_communes(struct req *req, struct resp *resp);
int page_commune(struct req *req, struct resp *resp);
int page_commune_update(struct req *req, struct resp *resp);
/* page_body.c */
int page_bodies(struct req *req, struct resp *resp);
int page_body(struct req *req, struct resp *resp);
int page_body_new(struct req *req, struct resp *resp);
int page_body_create(struct req *req, struct resp *resp);
int page_body_edit(struct req *req, struct resp *resp);
int page_body_update(struct req *req, struct resp *resp);
int page_body_membership_add(struct req *req, struct resp *resp);
int page_body_membership_end(struct req *req, struct resp *resp);
/* Makes organisation org a member of body with role (pilot, member,
 * guest) from today, audited, then redirects to back (with
 * ?error=membership when something is not of the lists). */
int page_membership_join(struct req *req, struct resp *resp, long long body, long long org,
			 const char *role, const char *back);
/* Ends membership id of organisation org today, audited; redirects to back. */
int page_membership_end(struct req *req, struct resp *resp, long long id, long long org,
			const char *back);
/* page_meeting.c */
int page_meetings(struct req *req, struct resp *resp);
int page_meeting(struct req *req, struct resp *resp);
json_t *page_meeting_rows(struct req *req, long long body_id, int limit, int offset);
/* Adds the French date (when) and status label to meeting rows. */
void page_meeting_decorate(json_t *rows);
/* The columns of a linked meeting m that page_linked_meetings reads. */
#define PAGE_LINKED_MEETING                                                             \
	"m.id AS meeting_id, m.title AS meeting, m.visibility AS meeting_visibility, "   \
	"m.body_id AS meeting_body, m.deleted AS meeting_deleted"
/* Hides, in rows of PAGE_LINKED_MEETING, each meeting req's reader may not
 * open: no title, no link, « meeting_hidden » set instead. */
void page_linked_meetings(struct req *req, json_t *rows);
int page_meeting_new(struct req *req, struct resp *resp);
int page_meeting_create(struct req *req, struct resp *resp);
int page_meeting_edit(struct req *req, struct resp *resp);
int page_meeting_update(struct req *req, struct resp *resp);
int page_meeting_history(struct req *req, struct resp *resp);
int page_meeting_diff(struct req *req, struct resp *resp);
int page_meeting_prepare(struct req *req, struct resp *resp);
int page_meeting_delete_confirm(struct req *req, struct resp *resp);
int page_meeting_delete(struct req *req, struct resp *resp);
int page_meeting_undelete(struct req *req, struct resp *resp);
int page_meeting_restore(struct req *req, struct resp *resp);
int page_meeting_invite(struct req *req, struct resp *resp);
int page_meeting_approve(struct req *req, struct resp *resp);
int page_meeting_calendar(struct req *req, struct resp *resp);
int page_meeting_reopen(struct req *req, struct resp *resp);
int page_meeting_minutes_document(struct req *req, struct resp *resp);
/* page_organisation.c */
/* Renders an organisation's page, with a contact form sent back with its
 * problems (both consumed, may be NULL). */
int page_organisation_show(struct req *req, struct resp *resp, int status, json_t *contact,
			   json_t *problems);
int page_actions(struct req *req, struct resp *resp);
int page_action(struct req *req, struct resp *resp);
int page_action_update(struct req *req, struct resp *resp);
/* Adds to action rows (id, state, owner_organisation_id) what the
 * templates need: the state's label, whether it is open, and may_change
 * when req's reader may change it. */
void page_action_rows(struct req *req, json_t *rows);

int page_organisations(struct req *req, struct resp *resp);
int page_organisation(struct req *req, struct resp *resp);
int page_organisation_new(struct req *req, struct resp *resp);
int page_organisation_create(struct req *req, struct resp *resp);
int page_organisation_edit(struct req *req, struct resp *resp);
int page_organisation_update(struct req *req, struct resp *resp);
int page_organisation_membership_add(struct req *req, struct resp *resp);
int page_organisation_membership_end(struct req *req, struct resp *resp);
int page_organisation_delete(struct req *req, struct resp *resp);
int page_organisation_undelete(struct req *req, struct resp *resp);
/* Returns the contacts of organisation org for its page (new reference). */
json_t *page_contact_rows(long long org);
int page_contact_create(struct req *req, struct resp *resp);
int page_contact_update(struct req *req, struct resp *resp);
int page_contact_delete(struct req *req, struct resp *resp);
int page_contact_undelete(struct req *req, struct resp *resp);
int page_unsubscribe_form(struct req *req, struct resp *resp);
int page_unsubscribe(struct req *req, struct resp *resp);
int page_contact_export(struct req *req, struct resp *resp);
int page_contact_erase(struct req *req, struct resp *resp);
/* page_letter.c */
int page_letters(struct req *req, struct resp *resp);
int page_letter(struct req *req, struct resp *resp);
int page_letter_new(struct req *req, struct resp *resp);
int page_letter_create(struct req *req, struct resp *resp);
int page_letter_edit(struct req *req, struct resp *resp);
int page_letter_update(struct req *req, struct resp *resp);
int page_letter_event(struct req *req, struct resp *resp);
int page_letter_delete(struct req *req, struct resp *resp);
int page_letter_undelete(struct req *req, struct resp *resp);
int page_interpellations(struct req *req, struct resp *resp);
int page_interpellations_csv(struct req *req, struct resp *resp);
int page_interpellations_atom(struct req *req, struct resp *resp);
/* page_motion.c */
int page_motions(struct req *req, struct resp *resp);
int page_motion(struct req *req, struct resp *resp);
int page_motion_commune(struct req *req, struct resp *resp);
int page_motion_event(struct req *req, struct resp *resp);
int page_motion_new(struct req *req, struct resp *resp);
int page_motion_create(struct req *req, struct resp *resp);
int page_motion_edit(struct req *req, struct resp *resp);
int page_motion_update(struct req *req, struct resp *resp);
int page_motion_delete(struct req *req, struct resp *resp);
int page_motion_undelete(struct req *req, struct resp *resp);
/* Returns the state of each motion the reader may see in commune nis. */
json_t *page_motion_states(struct req *req, long long nis);
/* page_admin.c */
int page_admin_users(struct req *req, struct resp *resp);
int page_admin_user_create(struct req *req, struct resp *resp);
int page_admin_user(struct req *req, struct resp *resp);
int page_admin_user_update(struct req *req, struct resp *resp);
int page_admin_user_disable(struct req *req, struct resp *resp);
int page_admin_user_enable(struct req *req, struct resp *resp);
int page_admin_user_link(struct req *req, struct resp *resp);
int page_admin_outbox(struct req *req, struct resp *resp);
int page_admin_outbox_retry(struct req *req, struct resp *resp);
int page_admin_webhooks(struct req *req, struct resp *resp);
int page_admin_webhook_add(struct req *req, struct resp *resp);
int page_admin_webhook_delete(struct req *req, struct resp *resp);
/* page_api.c */
int page_api_polls(struct req *req, struct resp *resp);
int page_api_poll(struct req *req, struct resp *resp);
int page_api_system(struct req *req, struct resp *resp);
int page_api_organizations(struct req *req, struct resp *resp);
int page_api_organization(struct req *req, struct resp *resp);
int page_api_partners(struct req *req, struct resp *resp);
int page_api_partner(struct req *req, struct resp *resp);
int page_api_meetings(struct req *req, struct resp *resp);
int page_api_meeting(struct req *req, struct resp *resp);
int page_api_papers(struct req *req, struct resp *resp);
int page_api_paper(struct req *req, struct resp *resp);
int page_api_consultations(struct req *req, struct resp *resp);
int page_api_consultation(struct req *req, struct resp *resp);
int page_api_communes(struct req *req, struct resp *resp);
int page_api_file(struct req *req, struct resp *resp);
int page_api_commune(struct req *req, struct resp *resp);
/* page_feed.c */
int page_calendar(struct req *req, struct resp *resp);
int page_body_calendar(struct req *req, struct resp *resp);
int page_calendar_personal(struct req *req, struct resp *resp);
int page_minutes_atom(struct req *req, struct resp *resp);

/* page_poll.c */
int page_poll_new(struct req *req, struct resp *resp);
int page_poll_create(struct req *req, struct resp *resp);
int page_poll(struct req *req, struct resp *resp);
int page_poll_link(struct req *req, struct resp *resp);
int page_poll_link_answer(struct req *req, struct resp *resp);
int page_poll_member(struct req *req, struct resp *resp);
int page_poll_member_answer(struct req *req, struct resp *resp);
int page_poll_close(struct req *req, struct resp *resp);
/* Adds to d the open polls of body_id (0: of every body) that the reader
 * answers as a member or runs as the coordination ("polls", "has_polls"). */
void page_poll_list(struct req *req, json_t *d, long long body_id);
/* Adds to a poll's row (answered, voters) its answer rate in words
 * ("rate"). */
void page_poll_rate(json_t *row);

/* page_rsvp.c */
int page_rsvp_form(struct req *req, struct resp *resp);
int page_rsvp_answer(struct req *req, struct resp *resp);
int page_meeting_rsvp(struct req *req, struct resp *resp);
/* Returns meeting id with the reader's answer ({answer}) when the reader's
 * organisation is a member of its body and the meeting may still be
 * answered, else NULL (new reference). */
json_t *page_rsvp_meeting(struct req *req, long long id);
/* Adds to d the reader's answer to meeting id and its choices ("rsvp")
 * when the reader may answer. */
void page_rsvp_choices(struct req *req, json_t *d, long long id);

/* page_file.c */
int page_file_attach(struct req *req, struct resp *resp);
int page_file(struct req *req, struct resp *resp);
int page_file_get(struct req *req, struct resp *resp);
int page_file_rename(struct req *req, struct resp *resp);
int page_file_replace(struct req *req, struct resp *resp);
int page_file_delete(struct req *req, struct resp *resp);
int page_file_undelete(struct req *req, struct resp *resp);
/* Adds to d the files of record id of kind (meeting, letter, motion,
 * event, body) as "files", the deleted ones too for the coordination,
 * and "files_for", what the form attaching more needs. */
void page_files(struct req *req, json_t *d, const char *kind, long long id);
/* Attaches the files chosen in req's form field "files" to record id of
 * kind and answers: back (the record's page) when all were kept, a page
 * (or JSON, reply=json) of the refused ones otherwise; with optional, a
 * form without any file goes back too. */
int page_files_attach(struct req *req, struct resp *resp, const char *kind, long long id,
		      const char *back, bool optional);

/* page_editor.c */
int page_preview(struct req *req, struct resp *resp);
int page_paste(struct req *req, struct resp *resp);
int page_suggest(struct req *req, struct resp *resp);
/* Adds to a form page's data the examples of the help panel (md_help). */
void page_editor_help(json_t *d);

#endif
