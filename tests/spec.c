/* spec.c — where the conformance suites of ../shared/specs are found. */
#include "spec.h"

#include <stdlib.h>
#include <sys/stat.h>

/* Returns the folder of the conformance suites, or NULL when missing. */
const char *spec_dir(void)
{
	const char *dir = getenv("MAILLAGE_SPECS");
	if (!dir || !*dir)
		dir = "../shared/specs";
	struct stat st;
	return stat(dir, &st) == 0 && S_ISDIR(st.st_mode) ? dir : NULL;
}
