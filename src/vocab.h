/* vocab.h — Maillage's vocabularies: each closed list of values the data
 * model knows (visibilities, meeting statuses, kinds of letters, states of
 * a motion…) with its French label, in one table each, used by the pages,
 * the import and export, the API and the mails alike. */
#ifndef MAILLAGE_VOCAB_H
#define MAILLAGE_VOCAB_H

#include <stdbool.h>
#include <stddef.h>

/* One value and its French label. */
struct vocab_item {
	const char *value, *label;
};

/* A vocabulary: its items, in the order forms and lists show them. */
struct vocab {
	const struct vocab_item *items;
	size_t n;
};

extern const struct vocab vocab_visibilities;     /* public, members, internal */
extern const struct vocab vocab_meeting_formats;  /* on_site, remote, hybrid */
extern const struct vocab vocab_meeting_statuses; /* planned … cancelled */
extern const struct vocab vocab_presences;        /* present, excused, absent */
extern const struct vocab vocab_rsvp_answers;     /* invited, accepted, tentative, declined */
extern const struct vocab vocab_body_kinds;       /* platform, working_group… */
extern const struct vocab vocab_body_statuses;    /* active, dormant, closed */
extern const struct vocab vocab_letter_kinds;     /* open_letter, carte_blanche… */
extern const struct vocab vocab_levels;           /* commune … europe */
extern const struct vocab vocab_letter_statuses;  /* draft, sent, answered, closed */
extern const struct vocab vocab_event_kinds;      /* sent, answer, meeting… */
extern const struct vocab vocab_motion_states;    /* not_started … stalled */
extern const struct vocab vocab_organisation_kinds; /* asbl, commune, cpas… */
extern const struct vocab vocab_action_states;      /* open, done, cancelled */
extern const struct vocab vocab_audit_verbs;        /* "meeting update"… as a French verb */
extern const struct vocab vocab_ui_terms;           /* the interface's words, by key */
extern const struct vocab vocab_outbox_kinds;       /* mail, webhook */
extern const struct vocab vocab_outbox_states;      /* queued, sent, failed */
extern const struct vocab vocab_member_roles;     /* pilot, member, guest */
extern const struct vocab vocab_mandate_seats;    /* board, general_assembly… */
extern const struct vocab vocab_mandate_levels;   /* regional, provincial, local */

/* Returns the label of value in v, or NULL when v has no such value. */
const char *vocab_label(const struct vocab *v, const char *value);
/* Tells whether v has value. */
bool vocab_has(const struct vocab *v, const char *value);
/* Returns the position of value in v, or -1. */
int vocab_index(const struct vocab *v, const char *value);

#endif
