/* page_admin.c — the administrator's pages: accounts. */
#include "auth.h"
#include "db.h"
#include "page.h"

/* GET /admin/users — every account with its role and organisation. */
int page_admin_users(struct req *req, struct resp *resp)
{
	json_t *users = db_rows("SELECT u.id, u.email, u.name, u.role, u.disabled, u.created, "
				"o.name AS org_name FROM user u "
				"LEFT JOIN organisation o ON o.id = u.organisation_id "
				"ORDER BY u.name COLLATE NOCASE", NULL);
	if (!users)
		return 500;
	size_t i;
	json_t *u;
	json_array_foreach(users, i, u) {
		int role = auth_role_parse(json_string_value(json_object_get(u, "role")));
		json_object_set_new(u, "role_label", json_string(auth_role_label(role)));
	}
	json_t *d = page_data(req, "Comptes");
	json_object_set_new(d, "users", users);
	json_object_set_new(d, "count", json_integer((json_int_t)json_array_size(users)));
	return page_render(req, resp, 200, "admin_users", d);
}
