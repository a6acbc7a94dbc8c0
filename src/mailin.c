/* mailin.c — a calendar's reply to an invitation, read from a message:
 * GMime walks the MIME parts, libical reads the iCalendar one, the answer
 * goes to the invitee's row as a « Je viens » link would put it. */
#include "mailin.h"

#include <ctype.h>
#include <gmime/gmime.h>
#include <libical/ical.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "notify.h"
#include "rsvp.h"

/* Prepares the libraries once. */
static void init_once(void)
{
	g_mime_init();
	icalerror_set_errors_are_fatal(0);
}

/* Prepares GMime and libical (see mailin.h). */
void mailin_init(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, init_once);
}

/* Copies address a into out lower-cased, without a "mailto:" and spaces;
 * false when it is empty or too long. */
static bool address_copy(const char *a, char out[MAILIN_ADDRESS_MAX])
{
	if (!a)
		return false;
	while (isspace((unsigned char)*a))
		a++;
	if (strncasecmp(a, "mailto:", 7) == 0)
		a += 7;
	size_t n = strlen(a);
	while (n && isspace((unsigned char)a[n - 1]))
		n--;
	if (n == 0 || n >= MAILIN_ADDRESS_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)a[i]);
	out[n] = '\0';
	return true;
}

/* Returns the answer a PARTSTAT gives, or NULL for none. */
static const char *answer_of(icalparameter_partstat s)
{
	switch (s) {
	case ICAL_PARTSTAT_ACCEPTED:
		return "accepted";
	case ICAL_PARTSTAT_TENTATIVE:
		return "tentative";
	case ICAL_PARTSTAT_DECLINED:
		return "declined";
	default:
		return NULL;
	}
}

/* Reads iCalendar text into r: 0, or 1 with why when it is no usable
 * reply. */
static int read_calendar(const char *text, struct mailin_reply *r, const char **why)
{
	icalcomponent *cal = icalparser_parse_string(text);
	icalcomponent *ev = cal && icalcomponent_isa(cal) == ICAL_VCALENDAR_COMPONENT
				    ? icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT)
				    : NULL;
	int rc = 1;
	if (!ev)
		*why = "calendrier illisible ou sans événement";
	else if (icalcomponent_get_method(cal) != ICAL_METHOD_REPLY)
		*why = "calendrier qui n'est pas une réponse (METHOD:REPLY)";
	else if (icalcomponent_count_properties(ev, ICAL_ATTENDEE_PROPERTY) != 1)
		*why = "réponse qui ne porte pas exactement un participant";
	else {
		icalproperty *att = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY);
		icalparameter *ps = icalproperty_get_first_parameter(att, ICAL_PARTSTAT_PARAMETER);
		const char *uid = icalcomponent_get_uid(ev);
		r->answer = ps ? answer_of(icalparameter_get_partstat(ps)) : NULL;
		r->sequence = icalcomponent_get_sequence(ev);
		if (!uid || !*uid || strlen(uid) >= sizeof(r->uid))
			*why = "réponse sans UID valable";
		else if (!address_copy(icalproperty_get_attendee(att), r->attendee))
			*why = "réponse sans adresse du participant";
		else if (!r->answer)
			*why = "réponse sans décision (PARTSTAT)";
		else {
			snprintf(r->uid, sizeof(r->uid), "%s", uid);
			rc = 0;
		}
	}
	if (cal)
		icalcomponent_free(cal);
	return rc;
}

/* What the walk over the parts found. */
struct walk {
	struct mailin_reply *r;
	const char *why;
	int found;     /* 0 once a reply was read, else 1 */
	int calendars; /* calendar parts seen */
};

/* Tells whether a part's type is a calendar's. */
static bool is_calendar(GMimeObject *part)
{
	GMimeContentType *ct = g_mime_object_get_content_type(part);
	return ct && (g_mime_content_type_is_type(ct, "text", "calendar") ||
		      g_mime_content_type_is_type(ct, "application", "ics"));
}

/* Reads one part: a calendar part not yet read is decoded and parsed. */
static void visit(GMimeObject *parent, GMimeObject *part, gpointer data)
{
	(void)parent;
	struct walk *w = data;
	if (w->found == 0 || !GMIME_IS_PART(part) || !is_calendar(part))
		return;
	w->calendars++;
	GMimeDataWrapper *content = g_mime_part_get_content(GMIME_PART(part));
	GMimeStream *out = g_mime_stream_mem_new();
	GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
	if (!content || g_mime_data_wrapper_write_to_stream(content, out) < 0)
		w->why = "partie iCalendar illisible";
	else if (bytes->len > MAILIN_CALENDAR_MAX)
		w->why = "partie iCalendar trop grande (plus de 256 Kio)";
	else if (bytes->len && memchr(bytes->data, '\0', bytes->len))
		w->why = "partie iCalendar illisible (octet nul)";
	else {
		g_byte_array_append(bytes, (const guint8 *)"", 1);
		w->found = read_calendar((const char *)bytes->data, w->r, &w->why);
	}
	g_object_unref(out);
}

/* Copies the message's first sender address into out ("" for none). */
static void sender(GMimeMessage *m, char out[MAILIN_ADDRESS_MAX])
{
	InternetAddressList *from = g_mime_message_get_from(m);
	InternetAddress *a = from && internet_address_list_length(from) > 0
				     ? internet_address_list_get_address(from, 0)
				     : NULL;
	out[0] = '\0';
	if (!a || !INTERNET_ADDRESS_IS_MAILBOX(a) ||
	    !address_copy(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a)), out))
		out[0] = '\0';
}

/* Reads a message (see mailin.h). */
int mailin_parse(const char *data, size_t len, struct mailin_reply *r, const char **why)
{
	memset(r, 0, sizeof(*r));
	if (len > MAILIN_MAX) {
		*why = "message trop gros (plus de 4 Mo)";
		return 1;
	}
	if (len == 0) {
		*why = "message vide";
		return 1;
	}
	mailin_init();
	GMimeStream *in = g_mime_stream_mem_new_with_buffer(data, len);
	GMimeParser *parser = g_mime_parser_new_with_stream(in);
	GMimeMessage *m = g_mime_parser_construct_message(parser, NULL);
	struct walk w = {.r = r, .found = 1};
	if (!m) {
		w.why = "message illisible (MIME)";
	} else {
		sender(m, r->from);
		g_mime_message_foreach(m, visit, &w);
		if (w.calendars == 0)
			w.why = "message sans calendrier (pas une réponse à une invitation)";
		g_object_unref(m);
	}
	g_object_unref(parser);
	g_object_unref(in);
	*why = w.found == 0 ? NULL : w.why;
	return w.found;
}

/* Returns the meeting whose UID reply names, or 0 for none of ours. */
static long long meeting_of(const char *uid)
{
	long long id;
	char ours[NOTIFY_UID_MAX];
	if (sscanf(uid, "meeting-%lld@", &id) != 1 || id <= 0)
		return 0;
	notify_uid(id, ours);
	return strcmp(uid, ours) == 0 ? db_int(0, "SELECT id FROM meeting WHERE id = ?", "i", id) : 0;
}

/* Sets the answer a reply gives (see mailin.h). */
int mailin_apply(const struct mailin_reply *r, const char **why)
{
	long long meeting = meeting_of(r->uid);
	if (!meeting) {
		*why = "UID inconnu : ce n'est pas une invitation de Maillage";
		return 1;
	}
	json_t *id = db_row("SELECT id FROM rsvp WHERE meeting_id = ? AND lower(email) = ?", "it",
			    meeting, r->attendee);
	json_t *row = id ? rsvp_row(db_num(id, "id")) : NULL;
	json_decref(id);
	int rc = 1;
	if (!row)
		*why = "participant qui n'était pas invité à cette réunion";
	else if (strcmp(r->from, r->attendee) != 0)
		*why = "réponse envoyée par une autre adresse que celle du participant";
	else if (db_num(row, "ics_sequence") != r->sequence)
		*why = "réponse à une version périmée de l'invitation (SEQUENCE)";
	else if (!db_num(row, "open"))
		*why = "réunion passée, annulée ou supprimée";
	else
		rc = rsvp_set(db_num(row, "id"), r->answer, "calendar", r->sequence, 0) < 0 ? -1 : 0;
	json_decref(row);
	return rc;
}

/* Reads and applies one message (see mailin.h). */
int mailin_message(const char *data, size_t len, const char *source, const char **why)
{
	struct mailin_reply r;
	int rc = mailin_parse(data, len, &r, why);
	if (rc == 0)
		rc = mailin_apply(&r, why);
	if (rc == 0)
		log_info("réponse de calendrier (%s) : %s %s (%s)", source, r.attendee,
			 strcmp(r.answer, "accepted") == 0    ? "vient"
			 : strcmp(r.answer, "tentative") == 0 ? "viendra peut-être"
							      : "ne vient pas",
			 r.uid);
	else if (rc > 0)
		log_info("message laissé (%s) : %s", source, *why);
	else {
		*why = "base de données indisponible";
		log_error("réponse de calendrier non enregistrée (%s) : %s", source, *why);
	}
	return rc;
}
