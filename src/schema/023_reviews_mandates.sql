-- 023: what the annual report needs beyond the meetings. A body's
-- « Bilan » and « Perspectives » for a year, in Markdown: every save adds
-- a row, the last of a body and year is its text, the earlier ones its
-- history. The centre's mandates: the organisations outside the network
-- where it sits, in which seat, at which level, for which communes, from
-- and until when. And the actions closed on the web found by their date.
CREATE TABLE body_review (
	id INTEGER PRIMARY KEY,
	body_id INTEGER NOT NULL REFERENCES body(id),
	year INTEGER NOT NULL CHECK (year BETWEEN 1990 AND 2100),
	bilan TEXT NOT NULL DEFAULT '',
	bilan_html TEXT NOT NULL DEFAULT '',
	bilan_text TEXT NOT NULL DEFAULT '',
	perspectives TEXT NOT NULL DEFAULT '',
	perspectives_html TEXT NOT NULL DEFAULT '',
	perspectives_text TEXT NOT NULL DEFAULT '',
	render_version INTEGER NOT NULL DEFAULT 0,
	user_id INTEGER REFERENCES user(id),
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX body_review_year ON body_review(body_id, year, id);
CREATE INDEX body_review_stale ON body_review(render_version);

CREATE TABLE mandate (
	id INTEGER PRIMARY KEY,
	organisation_id INTEGER NOT NULL REFERENCES organisation(id),
	seat TEXT NOT NULL CHECK (seat IN ('board', 'general_assembly', 'steering_committee',
		'support_committee', 'advisory_guest', 'selection_jury', 'working_groups', 'member')),
	level TEXT NOT NULL CHECK (level IN ('regional', 'provincial', 'local')),
	representative TEXT NOT NULL DEFAULT '',
	note TEXT NOT NULL DEFAULT '',
	start_date TEXT,
	end_date TEXT,
	deleted INTEGER NOT NULL DEFAULT 0,
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX mandate_organisation ON mandate(organisation_id);

CREATE TABLE mandate_commune (
	mandate_id INTEGER NOT NULL REFERENCES mandate(id),
	commune_nis INTEGER NOT NULL REFERENCES commune(nis),
	PRIMARY KEY (mandate_id, commune_nis)
) WITHOUT ROWID;

CREATE INDEX action_closed ON action(closed_at) WHERE closed_at IS NOT NULL;
