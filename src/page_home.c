/* page_home.c — the home page, the health check and the static files. */
#include <string.h>

#include "asset.h"
#include "auth.h"
#include "db.h"
#include "interp.h"
#include "page.h"

/* GET / — what Maillage is, and where to go next; for coordinators, the
 * letters and communes to follow up (« à relancer »). */
int page_home(struct req *req, struct resp *resp)
{
	json_t *d = page_data(req, NULL);
	json_object_set_new(d, "is_home", json_true());
	if (req->user.role >= ROLE_COORDINATOR) {
		json_object_set_new(d, "followups", interp_followups(0, 0));
		json_object_set_new(d, "dashboard", json_true());
	}
	return page_render(req, resp, 200, "home", d);
}

/* GET /assets/:file — a static file with ETag and long caching. */
int page_asset(struct req *req, struct resp *resp)
{
	const struct asset *a = asset_find(req_param(req, "file"));
	if (!a)
		return 404;
	const char *v = req_query(req, "v");
	resp_header(resp, "ETag", a->etag);
	resp_header(resp, "Cache-Control", v && strcmp(v, asset_version()) == 0
			   ? "public, max-age=31536000, immutable" : "public, max-age=3600");
	resp->content_type = a->type;
	if (req->if_none_match && strstr(req->if_none_match, a->etag))
		return 304;
	buf_append(&resp->body, a->data, a->len);
	return 200;
}

/* GET /healthz — 200 and the schema version when the database answers. */
int page_healthz(struct req *req, struct resp *resp)
{
	(void)req;
	int version = db_schema_version();
	if (version < 0)
		return page_json(resp, 503, json_pack("{s:s}", "status", "database unavailable"));
	return page_json(resp, 200, json_pack("{s:s, s:i}", "status", "ok", "schema", version));
}
