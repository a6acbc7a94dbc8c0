/* auth.c — passwords, accounts, sessions, CSRF tokens, roles and login
 * throttling. Passwords are argon2id (libsodium); session tokens are 256
 * random bits, stored only as their BLAKE2b hash. */
#include "auth.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "text.h"

static const char *const role_names[] = {"anonymous", "partner", "board", "coordinator",
					 "admin"};
static const char *const role_labels[] = {"visiteur", "partenaire", "conseil d'administration",
					  "coordination", "administration"};

/* Returns the English name of a role ("partner"…), "anonymous" for none. */
const char *auth_role_name(int role)
{
	return role >= ROLE_ANON && role <= ROLE_ADMIN ? role_names[role] : "anonymous";
}

/* Returns the French label of a role ("partenaire"…). */
const char *auth_role_label(int role)
{
	return role >= ROLE_ANON && role <= ROLE_ADMIN ? role_labels[role] : role_labels[0];
}

/* Returns the role called name, or -1. */
int auth_role_parse(const char *name)
{
	for (int r = ROLE_PARTNER; r <= ROLE_ADMIN; r++)
		if (name && strcmp(name, role_names[r]) == 0)
			return r;
	return -1;
}

/* Hashes a password with argon2id into out; 0 or -1. */
int auth_hash_password(const char *password, char out[AUTH_HASH_MAX])
{
	_Static_assert(AUTH_HASH_MAX >= crypto_pwhash_STRBYTES, "hash buffer too small");
	return crypto_pwhash_str(out, password, strlen(password),
				 crypto_pwhash_OPSLIMIT_INTERACTIVE,
				 crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0 ? 0 : -1;
}

/* Tells whether password matches the argon2id hash. */
bool auth_verify_password(const char *hash, const char *password)
{
	return hash && crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

/* Writes a new random token of AUTH_TOKEN_LEN characters and a NUL. */
void auth_random_token(char out[AUTH_TOKEN_LEN + 1])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, AUTH_TOKEN_LEN + 1, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* Writes a new random 16-character password (no look-alike characters). */
void auth_random_password(char out[17])
{
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	for (int i = 0; i < 16; i++)
		out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	out[16] = '\0';
}

/* Writes the hex BLAKE2b-256 of a token (what the tables store). */
void auth_token_hash(const char *token, char out[65])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

/* Returns NULL when the password is acceptable, else why not (French). */
const char *auth_password_problem(const char *password)
{
	size_t n = strlen(password);
	if (n < 10)
		return "le mot de passe doit compter au moins 10 caractères";
	if (n > 1024)
		return "le mot de passe ne peut dépasser 1024 caractères";
	if (!text_utf8_valid(password, n))
		return "le mot de passe contient des caractères invalides";
	return NULL;
}

/* Tells whether email looks like a deliverable address. */
bool auth_email_valid(const char *email)
{
	size_t n = strlen(email);
	const char *at = strchr(email, '@');
	if (n < 3 || n > 254 || !at || at == email || strchr(at + 1, '@') || !at[1] ||
	    !strchr(at + 1, '.') || at[strlen(at) - 1] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)email[i];
		if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == '"' || c == ',' ||
		    c == ';' || c == '(' || c == ')' || c == '\\' || c >= 0x80)
			return false;
	}
	return true;
}

/* Creates an account; returns its id, or -1 with a French message in err. */
long long auth_user_add(const char *email, const char *name, const char *role,
			const char *org_slug, const char *password, long long by, struct buf *err)
{
	char hash[AUTH_HASH_MAX];
	const char *problem;
	long long org = 0;
	if (!auth_email_valid(email)) {
		buf_printf(err, "adresse e-mail invalide : « %s »", email);
		return -1;
	}
	if (auth_role_parse(role) < 0) {
		buf_printf(err, "rôle inconnu : « %s » (admin, coordinator, board ou partner)", role);
		return -1;
	}
	if (!name || !*name || strlen(name) > 200 || !text_utf8_valid(name, strlen(name))) {
		buf_printf(err, "nom invalide (1 à 200 caractères)");
		return -1;
	}
	if (password && (problem = auth_password_problem(password))) {
		buf_printf(err, "%s", problem);
		return -1;
	}
	if (org_slug && (org = db_int(0, "SELECT id FROM organisation WHERE slug = ?", "t",
				      org_slug)) == 0) {
		buf_printf(err, "organisation inconnue : « %s »", org_slug);
		return -1;
	}
	if (password && auth_hash_password(password, hash) < 0) {
		buf_printf(err, "hachage du mot de passe impossible (mémoire insuffisante ?)");
		return -1;
	}
	if (db_begin() < 0) {
		buf_printf(err, "base de données occupée ou en lecture seule");
		return -1;
	}
	if (db_exec("INSERT INTO user (email, name, role, organisation_id, password_hash) "
		    "VALUES (?, ?, ?, nullif(?, 0), ?)", "tttit", email, name, role, org,
		    password ? hash : NULL) < 0) {
		bool taken = db_constraint_failed();
		db_rollback();
		if (taken)
			buf_printf(err, "un compte existe déjà pour %s", email);
		else
			buf_printf(err, "enregistrement du compte impossible (voir le journal)");
		return -1;
	}
	long long id = db_last_id();
	char after[512];
	snprintf(after, sizeof(after), "%s (%s)", email, role);
	if (db_audit(by, "create", "user", id, NULL, after) < 0 || db_commit() < 0) {
		db_rollback();
		buf_printf(err, "enregistrement du compte impossible (voir le journal)");
		return -1;
	}
	return id;
}

/* Tells whether a cookie value has the shape of one of our tokens. */
static bool token_shaped(const char *t)
{
	if (!t || strlen(t) != AUTH_TOKEN_LEN)
		return false;
	for (const char *p = t; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return false;
	return true;
}

/* Sets account id's password, ends its sessions, revokes its API token,
 * calendar link and password links, audited as by's doing; 0 or -1. */
static int set_password(long long id, const char *password, long long by, struct buf *err)
{
	char hash[AUTH_HASH_MAX];
	const char *problem = auth_password_problem(password);
	if (problem) {
		buf_printf(err, "%s", problem);
		return -1;
	}
	if (auth_hash_password(password, hash) < 0) {
		buf_printf(err, "hachage du mot de passe impossible");
		return -1;
	}
	if (db_begin() < 0) {
		buf_printf(err, "base de données occupée ou en lecture seule");
		return -1;
	}
	if (db_exec("UPDATE user SET password_hash = ?, "
		    "modified = " DB_NOW " WHERE id = ?", "ti",
		    hash, id) < 0 ||
	    db_exec("DELETE FROM session WHERE user_id = ?", "i", id) < 0 ||
	    db_exec("DELETE FROM user_token WHERE user_id = ?", "i", id) < 0 ||
	    db_exec("DELETE FROM password_link WHERE user_id = ?", "i", id) < 0 ||
	    db_audit(by, "password", "user", id, NULL, NULL) < 0 || db_commit() < 0) {
		db_rollback();
		buf_printf(err, "enregistrement du mot de passe impossible");
		return -1;
	}
	return 0;
}

/* Sets the password of the account with this email; 0 or -1 with err set. */
int auth_user_set_password(const char *email, const char *password, long long by,
			   struct buf *err)
{
	long long id = db_int(0, "SELECT id FROM user WHERE email = ?", "t", email);
	if (!id) {
		buf_printf(err, "aucun compte pour %s", email);
		return -1;
	}
	return set_password(id, password, by, err);
}

/* Tells whether account id is the last active administrator. */
static bool last_admin(long long id)
{
	return db_int(0, "SELECT role = 'admin' AND disabled = 0 FROM user WHERE id = ?", "i", id) &&
	       db_int(0, "SELECT count(*) FROM user WHERE role = 'admin' AND disabled = 0", NULL) <= 1;
}

/* Changes account id's role and organisation (0: none), audited; refuses
 * to demote the last active administrator. 0 or -1 with err set. */
int auth_user_change(long long id, const char *role, long long org, long long by,
		     struct buf *err)
{
	json_t *was = db_row("SELECT role, coalesce(organisation_id, 0) AS org FROM user "
			     "WHERE id = ?", "i", id);
	int rc = -1;
	if (!was)
		buf_printf(err, "Ce compte n'existe pas.");
	else if (auth_role_parse(role) < ROLE_PARTNER)
		buf_printf(err, "Choisissez un rôle de la liste.");
	else if (org && !db_int(0, "SELECT 1 FROM organisation WHERE id = ?", "i", org))
		buf_printf(err, "Choisissez une organisation de la liste.");
	else if (strcmp(role, "admin") != 0 && last_admin(id))
		buf_printf(err, "C'est le dernier compte d'administration actif : donnez d'abord ce "
			   "rôle à un autre compte.");
	else
		rc = 0;
	if (rc == 0 && (strcmp(db_str(was, "role"), role) != 0 || db_num(was, "org") != org)) {
		char before[64], after[64];
		snprintf(before, sizeof(before), "%s %lld", db_str(was, "role"), db_num(was, "org"));
		snprintf(after, sizeof(after), "%s %lld", role, org);
		if (db_begin() < 0 ||
		    db_exec("UPDATE user SET role = ?, organisation_id = nullif(?, 0), modified = "
			    DB_NOW " WHERE id = ?", "tii", role, org, id) != 1 ||
		    db_audit(by, "change", "user", id, before, after) < 0 || db_commit() < 0) {
			db_rollback();
			buf_printf(err, "Enregistrement impossible (voir le journal).");
			rc = -1;
		}
	}
	json_decref(was);
	return rc;
}

/* Issues a new one-time password link for account id (the previous ones
 * go), valid AUTH_LINK_DAYS; writes its token (only its hash is kept). */
int auth_link_issue(long long id, char token[AUTH_TOKEN_LEN + 1])
{
	char hash[65];
	auth_random_token(token);
	auth_token_hash(token, hash);
	return db_exec("DELETE FROM password_link WHERE user_id = ?", "i", id) < 0 ||
	       db_exec("INSERT INTO password_link (user_id, token_hash, expires) VALUES (?, ?, "
		       DB_NOW_SHIFTED("'+" AUTH_LINK_DAYS " days'") ")", "it", id, hash) < 0 ? -1 : 0;
}

/* Returns the active account a valid password link token opens, or 0. */
long long auth_link_user(const char *token)
{
	char hash[65];
	if (!token_shaped(token))
		return 0;
	auth_token_hash(token, hash);
	return db_int(0, "SELECT u.id FROM password_link l JOIN user u ON u.id = l.user_id WHERE "
		      "l.token_hash = ? AND l.expires > " DB_NOW " AND u.disabled = 0", "t", hash);
}

/* Sets the password of the account of a valid link, which then no longer
 * works; 0, or -1 with a French message in err. */
int auth_link_use(const char *token, const char *password, struct buf *err)
{
	long long id = auth_link_user(token);
	if (!id) {
		buf_printf(err, "Ce lien n'est plus valable.");
		return -1;
	}
	return set_password(id, password, id, err);
}

/* Counts a request for a new password from email and addr; tells whether
 * one more is allowed (AUTH_RESET_PER_EMAIL an hour per address asked
 * for, AUTH_RESET_PER_CLIENT per client). */
bool auth_reset_allowed(const char *email, const char *addr, bool *for_email)
{
	*for_email = db_int(0, "SELECT count(*) FROM reset_request WHERE email = ? AND created > "
			    DB_NOW_SHIFTED("'-1 hour'"), "t", email) < AUTH_RESET_PER_EMAIL;
	bool client = db_int(0, "SELECT count(*) FROM reset_request WHERE address = ? AND created > "
			     DB_NOW_SHIFTED("'-1 hour'"), "t", addr) < AUTH_RESET_PER_CLIENT;
	if (client)
		db_exec("INSERT INTO reset_request (email, address) VALUES (?, ?)", "tt", email, addr);
	return client;
}

/* Deactivates (or reactivates) the account with this email: deactivating
 * ends its sessions and revokes its API token and calendar link; 0 or -1
 * with err set. */
int auth_user_set_disabled(const char *email, bool disabled, long long by, struct buf *err)
{
	long long id = db_int(0, "SELECT id FROM user WHERE email = ?", "t", email);
	if (!id) {
		buf_printf(err, "aucun compte pour %s", email);
		return -1;
	}
	if (disabled && last_admin(id)) {
		buf_printf(err, "c'est le dernier compte d'administration actif : il reste actif");
		return -1;
	}
	if (db_begin() < 0) {
		buf_printf(err, "base de données occupée ou en lecture seule");
		return -1;
	}
	if (db_exec("UPDATE user SET disabled = ?, modified = " DB_NOW
		    " WHERE id = ?", "ii", (long long)disabled, id) < 0 ||
	    (disabled && (db_exec("DELETE FROM session WHERE user_id = ?", "i", id) < 0 ||
			  db_exec("DELETE FROM user_token WHERE user_id = ?", "i", id) < 0 ||
			  db_exec("DELETE FROM password_link WHERE user_id = ?", "i", id) < 0)) ||
	    db_audit(by, disabled ? "disable" : "enable", "user", id, NULL, NULL) < 0 ||
	    db_commit() < 0) {
		db_rollback();
		buf_printf(err, "enregistrement impossible (voir le journal)");
		return -1;
	}
	return 0;
}

static char dummy_hash[AUTH_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

/* Computes the hash checked for unknown accounts, so timing tells nothing. */
static void make_dummy_hash(void)
{
	char pw[17];
	auth_random_password(pw);
	auth_hash_password(pw, dummy_hash);
}

/* Tells whether email or the client's address failed too often lately. */
static bool throttled(const char *email, const char *addr)
{
	return db_int(0, "SELECT count(*) FROM login_failure WHERE email = ? AND created > "
		      DB_NOW_SHIFTED("'" AUTH_THROTTLE_WINDOW "'"),
		      "t", email) >= AUTH_THROTTLE_MAX ||
	       db_int(0, "SELECT count(*) FROM login_failure WHERE address = ? AND created > "
		      DB_NOW_SHIFTED("'" AUTH_THROTTLE_WINDOW "'"),
		      "t", addr) >= AUTH_THROTTLE_MAX;
}

/* Creates a session for user id, remembering the previous login (what a
 * home page marks as new); writes its cookie token; 0 or -1. */
static int session_create(long long user_id, char token[AUTH_TOKEN_LEN + 1])
{
	char hash[65], csrf[AUTH_TOKEN_LEN + 1];
	auth_random_token(token);
	auth_random_token(csrf);
	auth_token_hash(token, hash);
	if (db_begin() < 0)
		return -1;
	if (db_exec("DELETE FROM session WHERE expires < " DB_NOW,
		    NULL) < 0 ||
	    db_exec("INSERT INTO session (token_hash, user_id, csrf, expires) VALUES (?, ?, ?, "
		    DB_NOW_SHIFTED("'+14 days'") ")", "tit",
		    hash, user_id, csrf) < 0 ||
	    db_exec("UPDATE user SET previous_login_at = login_at, login_at = " DB_NOW
		    " WHERE id = ?", "i", user_id) < 0 ||
	    db_commit() < 0) {
		db_rollback();
		return -1;
	}
	return 0;
}

/* Checks email's password for req's client, with throttling: each failure
 * counts against the account and the address. */
enum auth_result auth_check_password(struct req *req, const char *email, const char *password)
{
	const char *addr = req->remote_addr ? req->remote_addr : "";
	if (throttled(email, addr))
		return AUTH_THROTTLED;
	json_t *u = db_row("SELECT password_hash FROM user WHERE email = ? AND disabled = 0",
			   "t", email);
	const char *hash = json_string_value(json_object_get(u, "password_hash"));
	bool ok;
	if (hash) {
		ok = auth_verify_password(hash, password);
	} else {
		pthread_once(&dummy_once, make_dummy_hash);
		auth_verify_password(dummy_hash, password);
		ok = false;
	}
	json_decref(u);
	if (!ok) {
		db_exec("INSERT INTO login_failure (email, address) VALUES (?, ?)", "tt", email, addr);
		return AUTH_BAD;
	}
	db_exec("DELETE FROM login_failure WHERE email = ?", "t", email);
	return AUTH_OK;
}

/* Checks email and password with throttling; on success creates a session. */
enum auth_result auth_login(struct req *req, const char *email, const char *password,
			    char token[AUTH_TOKEN_LEN + 1])
{
	enum auth_result r = auth_check_password(req, email, password);
	if (r != AUTH_OK)
		return r;
	long long id = db_int(0, "SELECT id FROM user WHERE email = ? AND disabled = 0", "t", email);
	return !id || session_create(id, token) < 0 ? AUTH_ERROR : AUTH_OK;
}

/* Copies a string member of a JSON row into the request's arena. */
static const char *row_str(struct req *req, json_t *row, const char *key)
{
	return arena_strdup(&req->arena, json_string_value(json_object_get(row, key)));
}

/* Fills req->user (and req->csrf) from an account row; frees the row. */
static void fill_user(struct req *req, json_t *row)
{
	req->user.id = json_integer_value(json_object_get(row, "id"));
	req->user.session_id = json_integer_value(json_object_get(row, "session_id"));
	req->user.email = row_str(req, row, "email");
	req->user.name = row_str(req, row, "name");
	req->user.role = auth_role_parse(json_string_value(json_object_get(row, "role")));
	req->user.org_id = json_integer_value(json_object_get(row, "organisation_id"));
	req->user.org_name = row_str(req, row, "org_name");
	req->csrf = row_str(req, row, "csrf");
	json_decref(row);
}

/* Returns the API token req sends (Authorization: Bearer …), or NULL. */
const char *auth_bearer(const struct req *req)
{
	return req->authorization && strncmp(req->authorization, "Bearer ", 7) == 0
		? req->authorization + 7 : NULL;
}

/* Fills req->user and req->csrf from the session or CSRF cookie. */
void auth_load_session(struct req *req)
{
	const char *token = req_cookie(req, AUTH_SESSION_COOKIE);
	const char *bearer = auth_bearer(req);
	req->user = (struct user){.role = ROLE_ANON};
	if (bearer) {
		char hash[65];
		auth_token_hash(token_shaped(bearer) ? bearer : "", hash);
		json_t *row = token_shaped(bearer) ? db_row(
			"SELECT 0 AS session_id, '' AS csrf, u.id, u.email, u.name, u.role, "
			"u.organisation_id, o.name AS org_name FROM user_token t JOIN user u ON "
			"u.id = t.user_id LEFT JOIN organisation o ON o.id = u.organisation_id WHERE "
			"t.kind = 'api' AND t.token_hash = ? AND u.disabled = 0", "t", hash) : NULL;
		req->bearer_refused = !row;
		if (row)
			fill_user(req, row);
		return; /* a program: no session, no CSRF cookie */
	}
	if (token_shaped(token)) {
		char hash[65];
		auth_token_hash(token, hash);
		json_t *row = db_row(
			"SELECT s.id AS session_id, s.csrf, u.id, u.email, u.name, u.role, "
			"u.organisation_id, o.name AS org_name FROM session s "
			"JOIN user u ON u.id = s.user_id "
			"LEFT JOIN organisation o ON o.id = u.organisation_id "
			"WHERE s.token_hash = ? AND u.disabled = 0 "
			"AND s.expires > " DB_NOW, "t", hash);
		if (row) {
			fill_user(req, row);
			return;
		}
	}
	const char *csrf = req_cookie(req, AUTH_CSRF_COOKIE);
	if (token_shaped(csrf)) {
		req->csrf = csrf;
	} else {
		char *fresh = arena_alloc(&req->arena, AUTH_TOKEN_LEN + 1);
		auth_random_token(fresh);
		req->csrf = fresh;
		req->csrf_new = true;
	}
}

/* Issues a new secret of kind for user_id; 0 or -1. */
int auth_token_issue(long long user_id, const char *kind, char token[AUTH_TOKEN_LEN + 1])
{
	char hash[65];
	auth_random_token(token);
	auth_token_hash(token, hash);
	return db_exec("INSERT INTO user_token (user_id, kind, token_hash) VALUES (?, ?, ?) ON "
		       "CONFLICT (user_id, kind) DO UPDATE SET token_hash = excluded.token_hash, "
		       "modified = " DB_NOW, "itt", user_id, kind, hash)
		       == 1 && db_audit(user_id, "create", kind[0] == 'a' ? "api_token" : "calendar_token",
					user_id, NULL, NULL) == 0 ? 0 : -1;
}

/* Revokes user_id's secret of kind; 0 or -1. */
int auth_token_revoke(long long user_id, const char *kind)
{
	return db_exec("DELETE FROM user_token WHERE user_id = ? AND kind = ?", "it", user_id, kind)
		       >= 0 && db_audit(user_id, "delete", kind[0] == 'a' ? "api_token"
						: "calendar_token", user_id, NULL, NULL) == 0 ? 0 : -1;
}

/* Tells whether user_id holds a secret of kind. */
bool auth_token_exists(long long user_id, const char *kind)
{
	return db_int(0, "SELECT 1 FROM user_token WHERE user_id = ? AND kind = ?", "it", user_id,
		      kind) == 1;
}

/* Finds the enabled account whose secret of kind is token: its role and
 * organisation in *role and *org; false when there is none. */
bool auth_token_owner(const char *kind, const char *token, int *role, long long *org)
{
	char hash[65];
	if (!token_shaped(token))
		return false;
	auth_token_hash(token, hash);
	json_t *u = db_row("SELECT u.role, coalesce(u.organisation_id, 0) AS org FROM user_token t "
			   "JOIN user u ON u.id = t.user_id WHERE t.kind = ? AND t.token_hash = ? AND "
			   "u.disabled = 0", "tt", kind, hash);
	if (u) {
		*role = auth_role_parse(json_string_value(json_object_get(u, "role")));
		*org = json_integer_value(json_object_get(u, "org"));
	}
	json_decref(u);
	return u != NULL;
}

/* Ends the session of req, if any. */
void auth_logout(struct req *req)
{
	if (req->user.session_id)
		db_exec("DELETE FROM session WHERE id = ?", "i", req->user.session_id);
	req->user = (struct user){.role = ROLE_ANON};
}

/* Tells whether user u may read something of this visibility in body_id. */
bool auth_may_see(const struct user *u, const char *visibility, long long body_id)
{
	if (u->role >= ROLE_BOARD || (visibility && strcmp(visibility, "public") == 0))
		return true;
	if (u->role < ROLE_PARTNER || !visibility || strcmp(visibility, "members") != 0 ||
	    !u->org_id || !body_id)
		return false;
	return db_int(0, "SELECT 1 FROM membership WHERE body_id = ? AND organisation_id = ? AND "
		      "(end_date IS NULL OR end_date >= date('now'))", "ii", body_id, u->org_id) == 1;
}

/* Writes the rule as a full-text condition on the search index's tags. */
bool auth_sees_fts(int role, long long org_id, struct buf *out)
{
	if (role >= ROLE_BOARD)
		return false;
	json_t *bodies = role >= ROLE_PARTNER && org_id
		? db_rows("SELECT body_id FROM membership WHERE organisation_id = ? AND "
			  "(end_date IS NULL OR end_date >= date('now')) ORDER BY body_id", "i", org_id)
		: NULL;
	buf_puts(out, "(vpublic");
	size_t i;
	json_t *row;
	json_array_foreach(bodies, i, row)
		buf_printf(out, "%sb%lld", i ? " OR " : " OR (vmembers AND (",
			   (long long)json_integer_value(json_object_get(row, "body_id")));
	buf_puts(out, json_array_size(bodies) ? ")))" : ")");
	json_decref(bodies);
	return true;
}
