/* vocab.c — Maillage's vocabularies, one table each. */
#include "vocab.h"

#include <string.h>

/* Defines the vocabulary name from its items, counted by the compiler. */
#define VOCAB(name, ...)                                                          \
	static const struct vocab_item name##_items[] = {__VA_ARGS__};             \
	const struct vocab name = {name##_items, sizeof(name##_items) / sizeof(name##_items[0])}

VOCAB(vocab_visibilities, {"public", "publique"}, {"members", "membres de l'instance"},
      {"internal", "interne"});
VOCAB(vocab_meeting_formats, {"on_site", "en présentiel"}, {"remote", "à distance"},
      {"hybrid", "hybride"});
VOCAB(vocab_meeting_statuses, {"planned", "prévue"}, {"held", "tenue"},
      {"minutes_draft", "procès-verbal en projet"},
      {"minutes_approved", "procès-verbal approuvé"}, {"cancelled", "annulée"});
VOCAB(vocab_presences, {"present", "présente"}, {"excused", "excusée"}, {"absent", "absente"});
VOCAB(vocab_rsvp_answers, {"invited", "à confirmer"}, {"accepted", "Je viens"},
      {"tentative", "Peut-être"}, {"declined", "Je ne viens pas"});
VOCAB(vocab_body_kinds, {"platform", "plateforme provinciale"},
      {"working_group", "groupe de travail"}, {"local_coordination", "coordination locale"},
      {"other", "autre instance"});
VOCAB(vocab_body_statuses, {"active", "active"}, {"dormant", "en veille"},
      {"closed", "clôturée"});
VOCAB(vocab_letter_kinds, {"open_letter", "lettre ouverte"}, {"carte_blanche", "carte blanche"},
      {"memo", "mémo"}, {"plaidoyer", "plaidoyer"}, {"courrier", "courrier"},
      {"press_release", "communiqué"}, {"question", "question"});
VOCAB(vocab_levels, {"commune", "commune"}, {"province", "province"}, {"region", "région"},
      {"federal", "fédéral"}, {"europe", "Europe"});
VOCAB(vocab_letter_statuses, {"draft", "brouillon"}, {"sent", "envoyée ou publiée"},
      {"answered", "réponse reçue"}, {"closed", "clôturée"});
VOCAB(vocab_event_kinds, {"sent", "envoi"}, {"answer", "réponse reçue"},
      {"meeting", "rencontre"}, {"vote", "vote"}, {"result", "résultat"},
      {"followup", "relance"}, {"note", "note"});
VOCAB(vocab_motion_states, {"not_started", "pas entamée"}, {"contact", "premier contact"},
      {"concertation", "concertation"}, {"submitted", "déposée"},
      {"adopted_college", "adoptée par le collège"},
      {"adopted_council", "votée par le conseil"}, {"rejected", "rejetée"},
      {"implementation", "mise en œuvre"}, {"stalled", "au point mort"});

VOCAB(vocab_organisation_kinds, {"asbl", "ASBL"}, {"commune", "commune"}, {"cpas", "CPAS"},
      {"public_service", "service public"}, {"collective", "collectif"}, {"union", "syndicat"},
      {"school", "école"}, {"other", "autre"});
VOCAB(vocab_action_states, {"open", "à faire"}, {"done", "faite"}, {"cancelled", "annulée"});
VOCAB(vocab_audit_verbs, {"meeting create", "a planifié la réunion"},
      {"meeting update", "a modifié la réunion"}, {"meeting delete", "a supprimé la réunion"},
      {"meeting undelete", "a rétabli la réunion"},
      {"meeting attendance", "a noté les présences de la réunion"},
      {"meeting approve", "a approuvé le procès-verbal de"},
      {"meeting reopen", "a remis en projet le procès-verbal de"},
      {"meeting invite", "a envoyé l'invitation de"}, {"letter create", "a créé l'interpellation"},
      {"letter update", "a modifié l'interpellation"},
      {"letter delete", "a supprimé l'interpellation"},
      {"letter undelete", "a rétabli l'interpellation"}, {"action change", "a changé l'action"},
      {"body create", "a créé l'instance"}, {"body update", "a modifié l'instance"},
      {"motion_commune state", "a fait avancer la motion"},
      {"body review", "a écrit le bilan de l'instance"},
      {"mandate create", "a ajouté le mandat"}, {"mandate update", "a modifié le mandat"},
      {"mandate delete", "a supprimé le mandat"});
/* The words of the interface, one per thing: the sections and their lists
 * (pages and templates take them from here, as {{t.KEY}}). */
VOCAB(vocab_ui_terms, {"bodies", "Instances"}, {"meetings", "Réunions"}, {"actions", "Actions"},
      {"interpellations", "Interpellations"}, {"letters", "Lettres et cartes blanches"},
      {"motions", "Motions"}, {"communes", "Communes"}, {"organisations", "Organisations"},
      {"glossary", "Glossaire"});
VOCAB(vocab_outbox_kinds, {"mail", "courriel"}, {"webhook", "notification"});
VOCAB(vocab_outbox_states, {"queued", "en attente"}, {"sent", "envoyé"}, {"failed", "en échec"});
VOCAB(vocab_member_roles, {"pilot", "pilote"}, {"member", "membre"}, {"guest", "invitée"});
VOCAB(vocab_mandate_seats, {"board", "conseil d'administration"},
      {"general_assembly", "assemblée générale"}, {"steering_committee", "comité de pilotage"},
      {"support_committee", "comité d'accompagnement"},
      {"advisory_guest", "membre invité avec voix consultative"},
      {"selection_jury", "jury de sélection"}, {"working_groups", "groupes de travail"},
      {"member", "membre effectif"});
VOCAB(vocab_mandate_levels, {"regional", "régional"}, {"provincial", "provincial"},
      {"local", "local"});

/* Returns the position of value in v, or -1. */
int vocab_index(const struct vocab *v, const char *value)
{
	for (size_t i = 0; value && i < v->n; i++)
		if (strcmp(v->items[i].value, value) == 0)
			return (int)i;
	return -1;
}

/* Returns the label of value in v, or NULL. */
const char *vocab_label(const struct vocab *v, const char *value)
{
	int i = vocab_index(v, value);
	return i < 0 ? NULL : v->items[i].label;
}

/* Tells whether v has value. */
bool vocab_has(const struct vocab *v, const char *value)
{
	return vocab_index(v, value) >= 0;
}
