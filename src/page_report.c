/* page_report.c — the year's activity report (/reports/:year): its key
 * figures beside the year before, then the chapters of the centre's own
 * report (coordination, interpellation, instances), for each reader what
 * they may read (a visitor gets the public version); its figures as CSV. */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "page.h"
#include "report.h"

/* GET /reports/:year — the report, as the reader may read it. */
int page_report(struct req *req, struct resp *resp)
{
	int year = report_year(req_param(req, "year"));
	if (!year)
		return 404;
	json_t *figures = report_figures(year, req->user.role, req->user.org_id);
	json_t *chapters = figures ? report_chapters(year, req->user.role, req->user.org_id) : NULL;
	if (!chapters) {
		json_decref(figures);
		return 500;
	}
	char title[64];
	snprintf(title, sizeof(title), "Rapport d'activités %d", year);
	json_t *d = page_data(req, title);
	json_object_set_new(d, "year", json_integer(year));
	json_object_set_new(d, "previous", json_integer(year - 1));
	json_object_set_new(d, "next", json_integer(year + 1));
	json_object_set_new(d, "figures", figures);
	json_object_set_new(d, "chapters", chapters);
	json_object_set_new(d, "public", json_boolean(req->user.role == ROLE_ANON));
	json_object_set_new(d, "everything", json_boolean(req->user.role >= ROLE_BOARD));
	return page_render(req, resp, 200, "report", d);
}

/* GET /reports/:year/figures.csv — every figure of the report, with the
 * year before, for checking in a spreadsheet. */
int page_report_csv(struct req *req, struct resp *resp)
{
	int year = report_year(req_param(req, "year"));
	json_t *figures = year ? report_figures(year, req->user.role, req->user.org_id) : NULL;
	if (!figures)
		return year ? 500 : 404;
	buf_reset(&resp->body);
	buf_puts(&resp->body, "\xEF\xBB\xBF"); /* a spreadsheet then reads UTF-8 */
	report_csv(year, figures, &resp->body);
	json_decref(figures);
	resp->content_type = "text/csv; charset=utf-8";
	resp_header(resp, "Content-Disposition", /* kept by pointer: the request's arena */
		    arena_printf(&req->arena, "attachment; filename=\"chiffres-%d.csv\"", year));
	return 200;
}

/* The documents being written: one at a time, so that visitors asking
 * for them again and again cannot hold every thread of the server (pandoc
 * takes seconds on a large year). */
static atomic_int writing;

/* GET /reports/:year/rapport.odt and rapport.docx — the report as the
 * reader may read it, written by pandoc for a word processor with its
 * charts and maps (503 with a French page when pandoc is missing, or
 * while another document is being written). */
int page_report_document(struct req *req, struct resp *resp)
{
	int year = report_year(req_param(req, "year"));
	const char *format = strstr(req->path, ".docx") ? "docx" : "odt";
	if (!year)
		return 404;
	if (atomic_fetch_add(&writing, 1) > 0) {
		atomic_fetch_sub(&writing, 1);
		resp_header(resp, "Retry-After", "10");
		return page_error(req, resp, 503, "Un autre rapport est en cours d'écriture. "
				  "Réessayez dans quelques secondes.");
	}
	buf_reset(&resp->body);
	int rc = report_convert(year, req->user.role, req->user.org_id, format, &resp->body);
	atomic_fetch_sub(&writing, 1);
	if (rc == REPORT_NO_DATA)
		return 500;
	if (rc != 0)
		return page_error(req, resp, 503, rc == 1 ? "Le rapport ne peut pas être écrit en "
				  "document : pandoc n'est pas installé sur le serveur."
				  : "Le rapport n'a pas pu être écrit en document. Réessayez plus tard.");
	resp->content_type = strcmp(format, "odt") == 0
		? "application/vnd.oasis.opendocument.text"
		: "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
	resp_header(resp, "Content-Disposition", arena_printf(&req->arena, "attachment; filename="
			    "\"rapport-activites-%d.%s\"", year, format));
	return 200;
}
