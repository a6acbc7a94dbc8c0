/* auth.h — passwords, accounts, sessions, CSRF tokens, roles and login
 * throttling. */
#ifndef MAILLAGE_AUTH_H
#define MAILLAGE_AUTH_H

#include <stdbool.h>

#include "buf.h"
#include "req.h"

/* Roles, each allowed everything the ones before it are (AUTH_SEES_SQL
 * relies on ROLE_BOARD being 2). */
enum role { ROLE_ANON, ROLE_PARTNER, ROLE_BOARD, ROLE_COORDINATOR, ROLE_ADMIN };

#define AUTH_TOKEN_LEN 43      /* 256 random bits, base64url without padding */
#define AUTH_HASH_MAX 128      /* room for an argon2id hash string */
#define AUTH_SESSION_DAYS 14
#define AUTH_THROTTLE_MAX 9    /* failures allowed in the window; the next is refused */
#define AUTH_THROTTLE_WINDOW "-10 minutes"
#define AUTH_SESSION_COOKIE "maillage_session"
#define AUTH_CSRF_COOKIE "maillage_csrf"
#define AUTH_LINK_DAYS "7"         /* a password link's life */
#define AUTH_RESET_PER_EMAIL 3     /* new-password mails an hour to one address */
#define AUTH_RESET_PER_CLIENT 10   /* new-password requests an hour from one client */

enum auth_result { AUTH_OK, AUTH_BAD, AUTH_THROTTLED, AUTH_ERROR };

/* Returns the English name of a role ("partner"…), "anonymous" for none. */
const char *auth_role_name(int role);
/* Returns the French label of a role ("partenaire"…). */
const char *auth_role_label(int role);
/* Returns the role called name, or -1. */
int auth_role_parse(const char *name);

/* Hashes a password with argon2id into out; 0 or -1. */
int auth_hash_password(const char *password, char out[AUTH_HASH_MAX]);
/* Tells whether password matches the argon2id hash. */
bool auth_verify_password(const char *hash, const char *password);
/* Writes a new random token of AUTH_TOKEN_LEN characters and a NUL. */
void auth_random_token(char out[AUTH_TOKEN_LEN + 1]);
/* Writes the hex BLAKE2b-256 of a token (what the tables store, never the
 * token itself). */
void auth_token_hash(const char *token, char out[65]);
/* Writes a new random 16-character password (no look-alike characters). */
void auth_random_password(char out[17]);
/* Returns NULL when the password is acceptable, else why not (French). */
const char *auth_password_problem(const char *password);
/* Tells whether email looks like a deliverable address. */
bool auth_email_valid(const char *email);

/* Creates an account on behalf of user by (0: the command line), without
 * a password when password is NULL (its owner chooses one through a
 * link, auth_link_issue); returns its id, or -1 with a French message in
 * err. */
long long auth_user_add(const char *email, const char *name, const char *role,
			const char *org_slug, const char *password, long long by, struct buf *err);
/* Sets the password of the account with this email, ending its sessions
 * and revoking its API token and calendar link; 0 or -1 with err set. */
int auth_user_set_password(const char *email, const char *password, long long by,
			   struct buf *err);

/* Changes account id's role and organisation (0: none) on behalf of by,
 * audited; the last active administrator keeps its role. 0 or -1 with a
 * French message in err. */
int auth_user_change(long long id, const char *role, long long org, long long by,
		     struct buf *err);
/* Issues a one-time link for account id to choose its password (valid
 * AUTH_LINK_DAYS days; any previous link goes), in the caller's
 * transaction; writes its token (only its hash is kept). 0 or -1. */
int auth_link_issue(long long id, char token[AUTH_TOKEN_LEN + 1]);
/* Returns the active account whose valid, unused link token is, or 0. */
long long auth_link_user(const char *token);
/* Sets the password of the account of link token, which is then spent
 * (as are its sessions, API token and calendar link); 0, or -1 with a
 * French message in err. */
int auth_link_use(const char *token, const char *password, struct buf *err);
/* Records a request for a new password for email from client addr; tells
 * whether the client may ask (AUTH_RESET_PER_CLIENT an hour), and in
 * *for_email whether a mail may go to that address (AUTH_RESET_PER_EMAIL
 * an hour). */
bool auth_reset_allowed(const char *email, const char *addr, bool *for_email);

/* Deactivates (disabled true) or reactivates the account with this email;
 * deactivating ends its sessions and revokes its API token, calendar link
 * and password links, and is refused for the last active administrator. 0 or -1 with a French message in err. */
int auth_user_set_disabled(const char *email, bool disabled, long long by, struct buf *err);
/* Checks email's password for req's client: AUTH_THROTTLED after
 * AUTH_THROTTLE_MAX failures in the window for the account or the address
 * (even with the right password), else AUTH_OK or AUTH_BAD (counted). */
enum auth_result auth_check_password(struct req *req, const char *email, const char *password);
/* Checks email and password for req's client, with throttling; on success
 * creates a session whose cookie token is written to token. */
enum auth_result auth_login(struct req *req, const char *email, const char *password,
			    char token[AUTH_TOKEN_LEN + 1]);
/* Returns the API token req sends (Authorization: Bearer …), or NULL. An
 * API token only reads: the router accepts it on the routes marked
 * ROUTE_TOKEN (the JSON API) and answers 401 everywhere else. */
const char *auth_bearer(const struct req *req);
/* Fills req->user and req->csrf from the session or CSRF cookie, or from
 * an API token (Authorization: Bearer), setting req->bearer_refused when
 * that token is unknown. */
void auth_load_session(struct req *req);
/* Issues a new secret of kind ("calendar" or "api") for user_id, replacing
 * the previous one, audited; writes it to token (to show once; only its
 * hash is kept). 0 or -1. */
int auth_token_issue(long long user_id, const char *kind, char token[AUTH_TOKEN_LEN + 1]);
/* Revokes user_id's secret of kind, audited; 0 or -1. */
int auth_token_revoke(long long user_id, const char *kind);
/* Tells whether user_id holds a secret of kind. */
bool auth_token_exists(long long user_id, const char *kind);
/* Finds the enabled account whose secret of kind is token: its role and
 * organisation in *role and *org; false when there is none. */
bool auth_token_owner(const char *kind, const char *token, int *role, long long *org);
/* Ends the session of req, if any. */
void auth_logout(struct req *req);

/* The one visibility rule of Maillage: tells whether user u may read
 * something of the given visibility (public, members, internal) that
 * belongs to body_id (0 for none). Anonymous visitors read public things;
 * partners also what the bodies of their organisation hold (members);
 * board, coordinators and admins read everything. */
bool auth_may_see(const struct user *u, const char *visibility, long long body_id);

/* The same rule as an SQL condition on a visibility column and a body id
 * column, for lists; it binds two parameters: the role, then the
 * organisation id of the user (0 for none). */
#define AUTH_SEES_SQL(visibility, body)                                                   \
	"(" visibility " = 'public' OR ? >= 2 OR (" visibility " = 'members' AND EXISTS "  \
	"(SELECT 1 FROM membership ms WHERE ms.body_id = " body " AND ms.organisation_id = ? " \
	"AND (ms.end_date IS NULL OR ms.end_date >= date('now')))))"

/* The same rule as a full-text condition on the search index's tags
 * (« vpublic », « vmembers », « b12 »: see doc_source): writes it to out
 * and returns true, or returns false when the reader sees everything. */
bool auth_sees_fts(int role, long long org_id, struct buf *out);

#endif
