/* main.c — runs every unit test group. */
#include "../../src/mem.h"
#include "../test.h"
#include "unit.h"

int main(void)
{
	mem_init();
	unit_buf();
	unit_auth();
	unit_template();
	unit_markdown();
	unit_front();
	unit_diff();
	unit_search();
	unit_interp();
	unit_mail();
	unit_mailin();
	unit_backup();
	unit_restyle();
	unit_md_spec();
	return test_report("unit");
}
