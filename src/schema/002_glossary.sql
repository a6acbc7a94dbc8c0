-- 002: the glossary of acronyms (the report's « Sigles et acronymes »), used
-- by the Markdown renderer to explain the first use of each acronym.
CREATE TABLE glossary (
	id INTEGER PRIMARY KEY,
	acronym TEXT NOT NULL UNIQUE,
	expansion TEXT NOT NULL,
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
