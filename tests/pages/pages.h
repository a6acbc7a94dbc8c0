/* pages.h — the page test groups kept outside main.c. */
#ifndef MAILLAGE_PAGES_H
#define MAILLAGE_PAGES_H

/* 404, 405, HEAD, roles, CSRF, headers, assets, parameters (basics.c). */
void pages_basics(void);
/* Login, logout, cookies, the password (account.c). */
void pages_account(void);
/* Communes, bodies, organisations, paging, content/ import (network.c). */
void pages_network(void);
/* Meetings: visibility, lists, forms, preview, actions (meetings.c). */
void pages_meetings(void);
/* Partners run from the browser (partners.c). */
void pages_partners(void);
/* Accounts run from the browser (admin.c). */
void pages_admin(void);
/* The home of each kind of reader (home.c). */
void pages_home(void);
/* The actions after the minutes (actions.c). */
void pages_actions(void);
/* The search for each reader (search.c). */
void pages_search(void);
/* The interpellations: letters, motions, history, CSV, feed (interp.c). */
void pages_interp(void);
/* The JSON API and its documented examples (api.c). */
void pages_api(void);
/* The authorization matrix over the route table (matrix.c). */
void pages_matrix(void);
/* Hostile strings in every form field and query parameter (sweep.c). */
void pages_sweep(void);
/* The anonymous page cache (cache.c). */
void pages_cache(void);
/* Mail, webhooks, digests, calendars and feeds (notify.c). */
void pages_notify(void);
/* Date polls: the form, links, answers, results, closing (polls.c). */
void pages_polls(void);
void pages_report(void);
void pages_mandates(void);
/* The answers to an invitation: signed links, the meeting page (rsvp.c). */
void pages_rsvp(void);
/* API tokens, revoked secrets, throttles, hidden links, filters (security.c). */
void pages_security(void);
/* The editor's preview, help, suggestions and pastes (editor.c). */
void pages_editor(void);
/* files.c */
void pages_files(void);
/* Every form shows all its mistakes at once (forms.c). */
void pages_forms(void);
/* A failed statement answers 500, never cached (errors.c). */
void pages_errors(void);

#endif
