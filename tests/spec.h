/* spec.h — where the conformance suites of ../shared/specs are found. */
#ifndef MAILLAGE_SPEC_H
#define MAILLAGE_SPEC_H

/* Returns the folder of the conformance suites (MAILLAGE_SPECS, else
 * ../shared/specs), or NULL when it does not exist. */
const char *spec_dir(void);

#endif
