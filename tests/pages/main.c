/* main.c — the page tests: route_answer called in process, as the server
 * calls it, for every route and every kind of reader. Each group starts
 * from the same pristine network (harness_fresh), so that no group depends
 * on what another changed. */
#include <stdio.h>

#include "../test.h"
#include "harness.h"
#include "pages.h"

int main(void)
{
	if (harness_setup() < 0) {
		fprintf(stderr, "pages: préparation impossible\n");
		return 1;
	}
	pages_api();
	pages_basics();
	pages_account();
	pages_network();
	pages_meetings();
	pages_actions();
	pages_editor();
	pages_files();
	pages_forms();
	pages_home();
	pages_admin();
	pages_partners();
	pages_search();
	pages_interp();
	pages_notify();
	pages_rsvp();
	pages_polls();
	pages_report();
	pages_mandates();
	pages_matrix();
	pages_sweep();
	pages_cache();
	pages_security();
	pages_errors();
	harness_teardown();
	return test_report("pages");
}
