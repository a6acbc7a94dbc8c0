/* notify.c — invitations, updates, cancellations, minutes, webhooks and
 * daily digests, written to the outbox in the caller's transaction. */
#include "notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "db.h"
#include "file.h"
#include "ical.h"
#include "mail.h"
#include "markdown.h"
#include "rsvp.h"
#include "text.h"
#include "view.h"
#include "vocab.h"

const char *notify_site = "http://127.0.0.1:8080";

#define MINUTES_SUMMARY 600   /* bytes of minutes quoted in the mail */

/* The fields of a meeting every message needs. */
#define MEETING_SQL                                                                        \
	"SELECT m.id, m.title, m.start, m.end, m.place, m.video, m.status, m.visibility, "   \
	"m.ics_sequence, m.invited, m.body_id, b.name AS body, m.agenda, m.minutes, " \
	"m.deleted FROM meeting m JOIN body b ON b.id = m.body_id WHERE m.id = ?"

/* Returns s, or "" for NULL. */
static const char *str(const char *s)
{
	return s ? s : "";
}

/* Writes the iCalendar UID of meeting id (see notify.h). */
void notify_uid(long long id, char out[NOTIFY_UID_MAX])
{
	const char *host = strstr(notify_site, "://");
	snprintf(out, NOTIFY_UID_MAX, "meeting-%lld@%.60s", id, host ? host + 3 : "maillage");
	for (char *p = out; *p; p++)
		if (*p == '/' || *p == ':')
			*p = '-';
}

/* Appends meeting row m as a VEVENT. */
void notify_vevent(struct buf *out, json_t *m, const char *attendee)
{
	char uid[NOTIFY_UID_MAX], url[600], stamp[17];
	long long id = db_num(m, "id");
	const char *place = db_str(m, "place"), *video = db_str(m, "video"),
		   *status = db_str(m, "status");
	notify_uid(id, uid);
	snprintf(url, sizeof(url), "%s/meetings/%lld", notify_site, id);
	ical_now(stamp);
	struct buf desc = {0};
	buf_printf(&desc, "%s\n%s", str(db_str(m, "body")), url);
	if (video && *video)
		buf_printf(&desc, "\nVisioconférence : %s", video);
	struct ical_event e = {
		.uid = uid, .sequence = db_num(m, "ics_sequence"), .start = db_str(m, "start"),
		.end = db_str(m, "end"), .summary = db_str(m, "title"),
		.description = buf_str(&desc), .location = place && *place ? place : video,
		.url = url, .organizer = attendee ? mail_cfg.from : NULL, .attendee = attendee,
		.stamp = stamp, .cancelled = status && strcmp(status, "cancelled") == 0};
	ical_event(out, &e);
	buf_free(&desc);
}

/* Returns the addresses of a body's members (see notify.h). */
json_t *notify_member_addresses(long long body_id)
{
	json_t *rows = db_rows(
		"SELECT lower(email) AS email, CASE WHEN count(token) = count(*) THEN max(token) END "
		"AS token, max(org) AS org, max(uid) AS uid, max(pid) AS pid FROM (SELECT u.email, "
		"NULL AS token, u.organisation_id AS org, u.id AS uid, NULL AS pid FROM user u JOIN "
		"membership ms ON "
		"ms.organisation_id = u.organisation_id WHERE ms.body_id = ?1 AND u.disabled = 0 AND "
		"(ms.end_date IS NULL OR ms.end_date >= date('now')) UNION ALL SELECT p.email, "
		"p.unsubscribe_token, p.organisation_id, NULL, p.id FROM person p JOIN membership ms ON "
		"ms.organisation_id = "
		"p.organisation_id WHERE ms.body_id = ?1 AND p.email IS NOT NULL AND p.deleted = 0 "
		"AND p.invitations = 1 AND p.unsubscribed_at IS NULL AND (ms.end_date IS NULL OR "
		"ms.end_date >= date('now'))) GROUP BY lower(email) ORDER BY 1", "i", body_id);
	return rows ? rows : json_array();
}

/* Appends to text, for a contact with an unsubscribe token, how to stop
 * the mails; writes the one-click address into url (empty otherwise). */
static void unsubscribe_footer(const char *token, struct buf *text, struct buf *url)
{
	buf_reset(url);
	if (!token)
		return;
	buf_printf(url, "%s/unsubscribe/%s", notify_site, token);
	buf_printf(text, "\n--\nVous recevez ce message comme contact d'une organisation membre. "
		   "Pour ne plus en recevoir : %s\n", buf_str(url));
}

/* Makes the invitee row of address row r (notify_member_addresses) for meeting
 * m and appends to text its three answer links; returns them for the HTML
 * part ([{label, url}], new reference), or NULL on failure. */
static json_t *rsvp_links(json_t *m, json_t *r, struct buf *text)
{
	static const char *const answers[] = {"accepted", "tentative", "declined"};
	char token[RSVP_TOKEN_MAX];
	long long id = rsvp_invite(db_num(m, "id"), db_str(r, "email"), db_num(r, "org"),
				   db_num(r, "uid"), db_num(r, "pid"));
	if (id <= 0 || rsvp_token(id, token) < 0)
		return NULL;
	json_t *links = json_array();
	buf_puts(text, "\nSerez-vous là ? Répondez d'un clic :\n");
	for (size_t i = 0; i < 3; i++) {
		const char *label = vocab_label(&vocab_rsvp_answers, answers[i]);
		struct buf url = {0};
		buf_printf(&url, "%s/rsvp/%s?answer=%s", notify_site, token, answers[i]);
		buf_printf(text, "- %s : %s\n", label, buf_str(&url));
		json_array_append_new(links, json_pack("{s:s, s:s}", "label", label, "url",
						       buf_str(&url)));
		buf_free(&url);
	}
	return links;
}

/* Queues one mail of a meeting to every member contact: subject, the
 * template's HTML and the text (with, for a contact, the link that stops
 * them), and its iCalendar with method (or none).
 * Returns how many, or -1. */
static int to_members(json_t *m, const char *subject, const char *tmpl, const char *text,
		      const char *method)
{
	json_t *to = notify_member_addresses(json_integer_value(json_object_get(m, "body_id"))), *r;
	size_t i;
	int n = 0;
	struct buf html = {0};
	json_array_foreach(to, i, r) {
		const char *addr = json_string_value(json_object_get(r, "email"));
		if (mail_address_problem(addr))
			continue; /* a contact's address that no server would take */
		struct buf ics = {0};
		if (method) {
			ical_begin(&ics, method, NULL);
			notify_vevent(&ics, m, addr);
			ical_end(&ics);
		}
		struct buf body = {0}, stop = {0};
		buf_puts(&body, text);
		json_t *answers = method && strcmp(method, "REQUEST") == 0
			? rsvp_links(m, r, &body) : NULL;
		if (method && strcmp(method, "REQUEST") == 0 && !answers) {
			buf_free(&ics);
			buf_free(&body);
			n = -1;
			break;
		}
		unsubscribe_footer(db_str(r, "token"), &body, &stop);
		json_t *data = json_pack("{s:O, s:s, s:s, s:s?, s:b, s:o?}", "meeting", m, "site",
					 notify_site, "text", text, "unsubscribe",
					 stop.len ? buf_str(&stop) : NULL, "asks", answers != NULL,
					 "answers", answers);
		buf_reset(&html);
		if (view_fill(tmpl, data, &html) < 0)
			buf_reset(&html);
		json_decref(data);
		struct mail_msg msg = {.to = addr, .subject = subject, .text = buf_str(&body),
				       .html = html.len ? buf_str(&html) : NULL,
				       .ics = method ? buf_str(&ics) : NULL, .ics_method = method,
				       .unsubscribe = stop.len ? buf_str(&stop) : NULL};
		int rc = mail_queue(&msg);
		buf_free(&ics);
		buf_free(&body);
		buf_free(&stop);
		if (rc < 0) {
			n = -1;
			break;
		}
		n++;
	}
	buf_free(&html);
	json_decref(to);
	return n;
}

/* Writes the text part of a mail made from Markdown md (may be NULL). */
static void mail_text_of(const char *md, struct buf *out)
{
	if (md && md_render_text(md, strlen(md), out) < 0)
		buf_reset(out);
}

/* Appends to text the meeting's documents, each with its address (links:
 * the mail carries no file). */
static void documents_text(long long meeting_id, struct buf *text)
{
	json_t *files = file_rows("meeting", meeting_id, 0), *f;
	size_t i;
	if (json_array_size(files))
		buf_puts(text, "\nDocuments :\n\n");
	json_array_foreach(files, i, f)
		buf_printf(text, "- %s (%s, %s) : %s%s\n", db_str(f, "name"), db_str(f, "label"),
			   db_str(f, "size_fr"), notify_site, db_str(f, "url"));
	json_decref(files);
}

/* Returns the French date of a meeting row (new buffer content in out). */
static void when_fr(json_t *m, struct buf *out)
{
	text_date_fr(out, json_string_value(json_object_get(m, "start")));
}

/* Queues the invitation, update or cancellation of meeting row m. */
static int send_calendar(json_t *m, const char *kind, const char *method)
{
	const char *title = db_str(m, "title"), *place = db_str(m, "place"),
		   *video = db_str(m, "video");
	struct buf when = {0}, subject = {0}, text = {0}, agenda = {0};
	mail_text_of(db_str(m, "agenda"), &agenda);
	when_fr(m, &when);
	buf_printf(&subject, "%s : %s, %s", kind, title, buf_str(&when));
	for (char *p = subject.data; p && *p; p++)
		if (*p == '\r' || *p == '\n')
			*p = ' '; /* a title never breaks a header */
	buf_printf(&text, "%s — %s\n\n%s\nQuand : %s\n", kind, db_str(m, "body"), title,
		   buf_str(&when));
	if (place && *place)
		buf_printf(&text, "Où : %s\n", place);
	if (video && *video)
		buf_printf(&text, "Visioconférence : %s\n", video);
	if (json_is_true(json_object_get(m, "answers_reset")))
		buf_puts(&text, "\nLa date ou le lieu a changé : les réponses données sont remises "
			 "à « à confirmer ». Dites-nous à nouveau si vous venez.\n");
	if (strcmp(method, "CANCEL") != 0 && agenda.len)
		buf_printf(&text, "\nOrdre du jour :\n\n%s\n", buf_str(&agenda));
	if (strcmp(method, "CANCEL") != 0)
		documents_text(db_num(m, "id"), &text);
	buf_printf(&text, "\n%s/meetings/%lld\n", notify_site,
		   (long long)json_integer_value(json_object_get(m, "id")));
	int n = to_members(m, buf_str(&subject), "mail_meeting", buf_str(&text), method);
	buf_free(&when);
	buf_free(&subject);
	buf_free(&text);
	buf_free(&agenda);
	return n;
}

/* Queues the invitation of a meeting to its members; how many, or -1. */
int notify_invite(long long meeting_id, long long user_id)
{
	if (db_begin() < 0)
		return -1;
	bool again = db_int(0, "SELECT invited IS NOT NULL FROM meeting WHERE id = ?", "i",
			    meeting_id) == 1;
	int n = db_exec("UPDATE meeting SET invited = coalesce(invited, " DB_NOW
			") WHERE id = ?", "i", meeting_id) == 1 ? 0 : -1;
	json_t *m = n == 0 ? db_row(MEETING_SQL, "i", meeting_id) : NULL;
	if (m)
		n = send_calendar(m, again ? "Invitation (rappel)" : "Invitation", "REQUEST");
	char after[32];
	snprintf(after, sizeof(after), "%d", n);
	if (!m || n < 0 || db_audit(user_id, "invite", "meeting", meeting_id, NULL, after) < 0 ||
	    db_commit() < 0) {
		db_rollback();
		n = -1;
	}
	json_decref(m);
	return n;
}

/* Tells whether field k differs between before and the row m. */
static bool changed(json_t *before, json_t *m, const char *k)
{
	const char *a = json_string_value(json_object_get(before, k));
	const char *b = json_string_value(json_object_get(m, k));
	return strcmp(a ? a : "", b ? b : "") != 0;
}

/* Queues the mails and webhooks of approved minutes. */
static int minutes_approved(json_t *m)
{
	long long id = db_num(m, "id");
	const char *title = db_str(m, "title"), *body_name = db_str(m, "body");
	struct buf when = {0}, subject = {0}, text = {0};
	when_fr(m, &when);
	buf_printf(&subject, "Procès-verbal approuvé : %s, %s", title, buf_str(&when));
	for (char *p = subject.data; p && *p; p++)
		if (*p == '\r' || *p == '\n')
			*p = ' ';
	struct buf plain = {0};
	mail_text_of(db_str(m, "minutes"), &plain);
	const char *minutes = buf_str(&plain);
	size_t cut = strlen(minutes) > MINUTES_SUMMARY ? MINUTES_SUMMARY : strlen(minutes);
	while (cut < strlen(minutes) && cut > 0 && ((unsigned char)minutes[cut] & 0xC0) == 0x80)
		cut--;
	buf_printf(&text, "Le procès-verbal de la réunion « %s » (%s, %s) est approuvé.\n\n%.*s%s\n\n"
		   "Le lire en entier : %s/meetings/%lld\n", title, body_name, buf_str(&when),
		   (int)cut, minutes, cut < strlen(minutes) ? "…" : "", notify_site, id);
	documents_text(id, &text);
	int n = to_members(m, buf_str(&subject), "mail_minutes", buf_str(&text), NULL);
	char url[600];
	snprintf(url, sizeof(url), "%s/meetings/%lld", notify_site, id);
	json_t *hook = json_pack("{s:s, s:{s:I, s:s, s:s, s:s, s:s}}", "event", "minutes_approved",
				 "meeting", "id", (json_int_t)id, "title", title, "body", body_name,
				 "date", db_str(m, "start"), "url", url);
	char *body = json_dumps(hook, JSON_COMPACT);
	if (n >= 0 && mail_queue_webhooks(body) < 0)
		n = -1;
	free(body);
	json_decref(hook);
	buf_free(&when);
	buf_free(&subject);
	buf_free(&text);
	buf_free(&plain);
	return n < 0 ? -1 : 0;
}

/* Tells the network what a saved change of a meeting means. */
int notify_meeting_saved(long long meeting_id, json_t *before)
{
	if (!before)
		return 0; /* a new meeting: nobody was told of it yet */
	json_t *m = db_row(MEETING_SQL, "i", meeting_id);
	if (!m)
		return -1;
	const char *status = json_string_value(json_object_get(m, "status"));
	const char *was = json_string_value(json_object_get(before, "status"));
	bool invited = json_is_string(json_object_get(m, "invited"));
	bool internal = strcmp(json_string_value(json_object_get(m, "visibility")), "internal") == 0;
	int rc = 0;
	bool cancel = strcmp(status, "cancelled") == 0 && strcmp(str(was), "cancelled") != 0;
	bool moved = changed(before, m, "start") || changed(before, m, "end") ||
		     changed(before, m, "place") || changed(before, m, "video") ||
		     changed(before, m, "title");
	bool elsewhen = changed(before, m, "start") || changed(before, m, "end") ||
			changed(before, m, "place") || changed(before, m, "video");
	if (invited && (cancel || (moved && strcmp(status, "planned") == 0))) {
		rc = db_exec("UPDATE meeting SET ics_sequence = ics_sequence + 1 WHERE id = ?", "i",
			     meeting_id) == 1 ? 0 : -1;
		if (rc == 0 && elsewhen && !cancel && rsvp_reset(meeting_id) > 0)
			json_object_set_new(m, "answers_reset", json_true());
		json_object_set_new(m, "ics_sequence", json_integer(
			json_integer_value(json_object_get(m, "ics_sequence")) + 1));
		if (rc == 0)
			rc = send_calendar(m, cancel ? "Annulation" : "Modification",
					   cancel ? "CANCEL" : "REQUEST") < 0 ? -1 : 0;
	}
	if (rc == 0 && !internal && strcmp(status, "minutes_approved") == 0 &&
	    strcmp(str(was), "minutes_approved") != 0)
		rc = minutes_approved(m);
	json_decref(m);
	return rc;
}

/* Queues the webhooks of a motion's state change in a commune; 0 or -1. */
int notify_motion_state(long long motion_commune_id, const char *from, const char *to)
{
	json_t *r = db_row("SELECT mo.slug, mo.title, mo.visibility, c.nis, c.name FROM motion_commune "
			   "mc JOIN motion mo ON mo.id = mc.motion_id JOIN commune c ON c.nis = "
			   "mc.commune_nis WHERE mc.id = ?", "i", motion_commune_id);
	if (!r)
		return -1;
	if (strcmp(db_str(r, "visibility"), "public") != 0) {
		json_decref(r);
		return 0; /* a webhook leaves the network: public motions only */
	}
	long long nis = db_num(r, "nis");
	const char *slug = db_str(r, "slug");
	char url[700];
	snprintf(url, sizeof(url), "%s/motions/%s/communes/%lld", notify_site, slug, nis);
	json_t *hook = json_pack("{s:s, s:{s:s, s:s}, s:{s:I, s:s}, s:s, s:s, s:s, s:s, s:s}",
				 "event", "motion_state", "motion", "slug", slug, "title",
				 db_str(r, "title"), "commune", "nis", (json_int_t)nis, "name",
				 db_str(r, "name"),
				 "from", from, "from_label", str(vocab_label(&vocab_motion_states, from)),
				 "to", to, "to_label", str(vocab_label(&vocab_motion_states, to)),
				 	"url", url);
	char *body = json_dumps(hook, JSON_COMPACT);
	int rc = body ? mail_queue_webhooks(body) : -1;
	free(body);
	json_decref(hook);
	json_decref(r);
	return rc;
}

/* Queues the mail of account id's password link token: the welcome of a
 * new account, or the new password it asked for. */
int notify_password_link(long long id, const char *token, bool welcome)
{
	json_t *u = db_row("SELECT email, name FROM user WHERE id = ?", "i", id);
	if (!u)
		return -1;
	struct buf text = {0};
	buf_printf(&text, "Bonjour %s,\n\n", db_str(u, "name"));
	if (welcome)
		buf_printf(&text, "Un compte vient d'être ouvert pour vous sur Maillage, l'espace de "
			   "travail du réseau. Pour choisir votre mot de passe, ouvrez ce lien :\n\n");
	else
		buf_printf(&text, "Quelqu'un (vous, sans doute) a demandé un nouveau mot de passe pour "
			   "votre compte Maillage. Pour le choisir, ouvrez ce lien :\n\n");
	buf_printf(&text, "%s/password/%s\n\nLe lien sert une seule fois et pendant %s jours. ",
		   notify_site, token, AUTH_LINK_DAYS);
	buf_printf(&text, "Votre adresse de connexion est %s.\n", db_str(u, "email"));
	if (!welcome)
		buf_puts(&text, "\nSi vous n'avez rien demandé, ignorez ce message : votre mot de passe "
			 "actuel reste valable.\n");
	struct mail_msg m = {.to = db_str(u, "email"),
			     .subject = welcome ? "Votre compte Maillage" : "Nouveau mot de passe Maillage",
			     .text = buf_str(&text)};
	int rc = mail_address_problem(m.to) ? -1 : mail_queue(&m);
	buf_free(&text);
	json_decref(u);
	return rc;
}

/* Queues mail text (with its HTML from template mail_poll) of poll p to
 * address, with a contact's unsubscribe token (may be NULL); 0 or -1. */
static int poll_mail(json_t *p, const char *address, const char *subject, const char *text,
		     const char *link, const char *unsubscribe)
{
	struct buf body = {0}, stop = {0}, html = {0};
	buf_puts(&body, text);
	unsubscribe_footer(unsubscribe, &body, &stop);
	json_t *data = json_pack("{s:O, s:s, s:s, s:s?, s:s?}", "poll", p, "site", notify_site,
				 "text", text, "link", link, "unsubscribe",
				 stop.len ? buf_str(&stop) : NULL);
	if (view_fill("mail_poll", data, &html) < 0)
		buf_reset(&html);
	json_decref(data);
	struct mail_msg msg = {.to = address, .subject = subject, .text = buf_str(&body),
			       .html = html.len ? buf_str(&html) : NULL,
			       .unsubscribe = stop.len ? buf_str(&stop) : NULL};
	int rc = mail_address_problem(address) ? 0 : mail_queue(&msg);
	buf_free(&body);
	buf_free(&stop);
	buf_free(&html);
	return rc < 0 ? -1 : 0;
}

/* Writes the subject « lead : title » into out, on one line. */
static void subject_line(struct buf *out, const char *lead, const char *title)
{
	buf_printf(out, "%s : %s", lead, title);
	for (char *c = out->data; c && *c; c++)
		if (*c == '\r' || *c == '\n')
			*c = ' ';
}

/* Queues a poll's mail to a voter with its personal link (see notify.h). */
int notify_poll(json_t *p, const char *address, const char *unsubscribe, const char *token,
		bool reminder)
{
	struct buf subject = {0}, text = {0}, closes = {0}, link = {0};
	text_date_fr(&closes, db_str(p, "closes"));
	buf_printf(&link, "%s/polls/answer/%s", notify_site, token);
	subject_line(&subject, reminder ? "Rappel — quelle date vous convient ?"
					: "Quelle date vous convient ?", db_str(p, "title"));
	buf_printf(&text, "%s — %s\n\n", db_str(p, "body"), db_str(p, "title"));
	if (reminder)
		buf_puts(&text, "Vous n'avez pas encore répondu : le sondage se clôt bientôt.\n\n");
	buf_printf(&text, "La coordination propose plusieurs dates. Dites pour chacune si elle vous "
		   "convient (oui, si nécessaire, non), au plus tard le %s :\n\n%s\n\n"
		   "Ce lien est personnel : il ne demande pas de compte et sert jusqu'à la clôture.\n",
		   buf_str(&closes), buf_str(&link));
	const char *place = db_str(p, "place"), *video = db_str(p, "video"), *note = db_str(p, "note");
	if (place && *place)
		buf_printf(&text, "\nOù : %s\n", place);
	if (video && *video)
		buf_printf(&text, "Visioconférence : %s\n", video);
	if (note && *note)
		buf_printf(&text, "\n%s\n", note);
	int rc = poll_mail(p, address, buf_str(&subject), buf_str(&text), buf_str(&link),
			   unsubscribe);
	buf_free(&subject);
	buf_free(&text);
	buf_free(&closes);
	buf_free(&link);
	return rc;
}

/* Tells a poll's author that it closed without a slot chosen (see
 * notify.h). */
int notify_poll_closed(json_t *p, const char *address)
{
	struct buf subject = {0}, text = {0}, link = {0};
	subject_line(&subject, "Sondage clos", db_str(p, "title"));
	buf_printf(&link, "%s/polls/%lld", notify_site, db_num(p, "id"));
	buf_printf(&text, "Le sondage « %s » (%s) a atteint sa date de clôture. Ses résultats "
		   "vous attendent : choisissez le créneau, la réunion sera créée et l'invitation "
		   "partira.\n\n%s\n", db_str(p, "title"), db_str(p, "body"), buf_str(&link));
	int rc = poll_mail(p, address, buf_str(&subject), buf_str(&text), buf_str(&link), NULL);
	buf_free(&subject);
	buf_free(&text);
	buf_free(&link);
	return rc;
}
