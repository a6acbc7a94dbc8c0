/* fuzz_mailin.c — libFuzzer target for mail-in: any message (MIME read by
 * GMime, its calendar by libical) ends in a verdict, taken or left with a
 * reason, against a database holding one invitation (so that matching
 * replies reach the answer); the answer is always one a person gives. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/db.h"
#include "../../src/mailin.h"
#include "../../src/notify.h"
#include "../../src/rsvp.h"

/* Opens a small database once: meeting 1 of one body, one invitee. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	static char dir[] = "/tmp/maillage-fuzz-mailin-XXXXXX";
	char path[64];
	struct buf err = {0};
	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof(path), "%s/f.db", dir);
	notify_site = "https://maillage.example.org";
	if (db_open(path, true, &err) < 0 ||
	    db_exec("INSERT INTO body (slug, name, kind) VALUES ('gt', 'GT', 'working_group')",
		    NULL) != 1 ||
	    db_exec("INSERT INTO meeting (id, body_id, title, start, status) VALUES (1, 1, 'R', "
		    "'2099-06-15T09:30', 'planned')", NULL) != 1 ||
	    rsvp_invite(1, "contact@asbl-b.test", 0, 0, 0) <= 0)
		abort();
	mailin_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mailin_reply r;
	const char *why = NULL;
	int rc = mailin_parse((const char *)data, size, &r, &why);
	if (rc == 0) {
		if (strcmp(r.answer, "accepted") && strcmp(r.answer, "tentative") &&
		    strcmp(r.answer, "declined"))
			abort();
		rc = mailin_apply(&r, &why);
	}
	if ((rc == 1 && !why) || rc < 0)
		abort();
	return 0;
}
