/* rsvp.c — the invitees' answers to a meeting's invitation: their rows,
 * the signed links of the mails, recording an answer (audited), putting
 * them back to « à confirmer » when the date or the place changes, and
 * what the coordination reads of them. */
#include "rsvp.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "vocab.h"

#define SIGNATURE 16 /* bytes of HMAC-SHA-256 kept in a link: 128 bits */

/* Makes or updates the row of an invitee (see rsvp.h). */
long long rsvp_invite(long long meeting_id, const char *email, long long organisation_id,
		      long long user_id, long long person_id)
{
	if (db_exec("INSERT INTO rsvp (meeting_id, email, organisation_id, user_id, person_id) "
		    "VALUES (?, lower(?), nullif(?, 0), nullif(?, 0), nullif(?, 0)) ON CONFLICT "
		    "(meeting_id, email) DO UPDATE SET organisation_id = coalesce(excluded."
		    "organisation_id, organisation_id), user_id = coalesce(excluded.user_id, user_id), "
		    "person_id = coalesce(excluded.person_id, person_id)", "itiii", meeting_id, email,
		    organisation_id, user_id, person_id) < 0)
		return -1;
	return db_int(-1, "SELECT id FROM rsvp WHERE meeting_id = ? AND email = lower(?)", "it",
		      meeting_id, email);
}

/* Computes the signature of row id into mac; 0 or -1 (no key). */
static int sign(long long id, unsigned char mac[crypto_auth_hmacsha256_BYTES])
{
	struct buf key = {0};
	char msg[48];
	int n = snprintf(msg, sizeof(msg), "rsvp:%lld", id);
	int rc = db_blob(&key, "SELECT key FROM site_key WHERE purpose = 'rsvp'", NULL) == 1 &&
			 key.len == 32 ? 0 : -1;
	if (rc == 0) {
		crypto_auth_hmacsha256_state st;
		crypto_auth_hmacsha256_init(&st, (const unsigned char *)key.data, key.len);
		crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, (size_t)n);
		crypto_auth_hmacsha256_final(&st, mac);
	}
	sodium_memzero(key.data, key.len);
	buf_free(&key);
	return rc;
}

/* Writes the signed token of row id (see rsvp.h). */
int rsvp_token(long long id, char out[RSVP_TOKEN_MAX])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	if (id <= 0 || sign(id, mac) < 0)
		return -1;
	int n = snprintf(out, RSVP_TOKEN_MAX, "%lld.", id);
	sodium_bin2base64(out + n, (size_t)(RSVP_TOKEN_MAX - n), mac, SIGNATURE,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return 0;
}

/* Returns the row a token names when its signature holds (see rsvp.h). */
long long rsvp_verify(const char *token)
{
	if (!token || strlen(token) >= RSVP_TOKEN_MAX)
		return 0;
	char *dot;
	long long id = strtoll(token, &dot, 10);
	unsigned char given[SIGNATURE], mac[crypto_auth_hmacsha256_BYTES];
	size_t n = 0;
	if (id <= 0 || *dot != '.' || token[0] < '1' || token[0] > '9' ||
	    sodium_base642bin(given, sizeof(given), dot + 1, strlen(dot + 1), NULL, &n, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    n != SIGNATURE || sign(id, mac) < 0)
		return 0;
	return sodium_memcmp(given, mac, SIGNATURE) == 0 ? id : 0;
}

/* Tells whether answer is one a person gives. */
bool rsvp_answer_ok(const char *answer)
{
	return answer && strcmp(answer, "invited") != 0 && vocab_has(&vocab_rsvp_answers, answer);
}

/* Returns row id with its meeting and whether it is open (see rsvp.h). */
json_t *rsvp_row(long long id)
{
	return db_row("SELECT r.id, r.meeting_id, r.email, r.answer, r.user_id, m.title, m.start, "
		      "m.end, m.place, m.video, m.status, m.ics_sequence, b.name AS body, "
		      "coalesce(o.acronym, o.name) AS organisation, " RSVP_OPEN_SQL " AS open "
		      "FROM rsvp r JOIN meeting m ON m.id = r.meeting_id JOIN body b ON b.id = "
		      "m.body_id LEFT JOIN organisation o ON o.id = r.organisation_id WHERE r.id = ?",
		      "i", id);
}

/* Records an answer (see rsvp.h). */
int rsvp_set(long long id, const char *answer, const char *via, long long sequence,
	     long long user_id)
{
	if (!rsvp_answer_ok(answer) || db_begin() < 0)
		return -1;
	json_t *before = db_row("SELECT answer FROM rsvp WHERE id = ?", "i", id);
	const char *was = db_str(before, "answer");
	int changed = was && strcmp(was, answer) != 0;
	int rc = before ? 0 : -1;
	if (rc == 0 && changed)
		rc = db_exec("UPDATE rsvp SET answer = ?, via = ?, sequence = CASE WHEN ? < 0 THEN "
			     "(SELECT ics_sequence FROM meeting WHERE id = rsvp.meeting_id) ELSE ? "
			     "END, answered = " DB_NOW ", modified = " DB_NOW " WHERE id = ?", "ttiii",
			     answer, via, sequence, sequence, id) == 1 ? 0 : -1;
	if (rc == 0 && changed)
		rc = db_audit(user_id, "answer", "rsvp", id, was, answer) < 0 ? -1 : 0;
	json_decref(before);
	if (rc < 0 || db_commit() < 0) {
		db_rollback();
		return -1;
	}
	return changed;
}

/* Puts a meeting's answers back to « à confirmer » (see rsvp.h). */
int rsvp_reset(long long meeting_id)
{
	return db_exec("UPDATE rsvp SET answer = 'invited', via = NULL, answered = NULL, "
		       "modified = " DB_NOW " WHERE meeting_id = ? AND answer <> 'invited'", "i",
		       meeting_id);
}

/* Returns the answers of a meeting by organisation (see rsvp.h). */
json_t *rsvp_summary(long long meeting_id)
{
	json_t *orgs = db_rows("SELECT coalesce(o.name, 'sans organisation') AS organisation, "
			       "sum(r.answer = 'accepted') AS accepted, sum(r.answer = 'tentative') "
			       "AS tentative, sum(r.answer = 'declined') AS declined, "
			       "sum(r.answer = 'invited') AS invited FROM rsvp r LEFT JOIN "
			       "organisation o ON o.id = r.organisation_id WHERE r.meeting_id = ? "
			       "GROUP BY r.organisation_id ORDER BY o.name", "i", meeting_id);
	json_t *silent = db_rows("SELECT coalesce(u.name, p.name, r.email) AS name, "
				 "coalesce(o.acronym, o.name) AS organisation FROM rsvp r LEFT JOIN "
				 "user u ON u.id = r.user_id LEFT JOIN person p ON p.id = r.person_id "
				 "LEFT JOIN organisation o ON o.id = r.organisation_id WHERE "
				 "r.meeting_id = ? AND r.answer = 'invited' ORDER BY o.name, 1", "i",
				 meeting_id);
	return json_pack("{s:o, s:o}", "organisations", orgs ? orgs : json_array(), "silent",
			 silent ? silent : json_array());
}
