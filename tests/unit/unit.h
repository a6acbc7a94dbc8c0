/* unit.h — the unit test groups run by tests/unit/main.c. */
#ifndef MAILLAGE_UNIT_H
#define MAILLAGE_UNIT_H

void unit_buf(void);
void unit_auth(void);
void unit_template(void);
void unit_md_spec(void);
void unit_markdown(void);
void unit_front(void);
void unit_diff(void);
void unit_search(void);
void unit_interp(void);
void unit_mail(void);
void unit_mailin(void);
void unit_backup(void);
void unit_restyle(void);

#endif
