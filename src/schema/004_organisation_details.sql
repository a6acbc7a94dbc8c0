-- 004: an organisation's commune and its description in Markdown (stored
-- rendered, like every Markdown column).
ALTER TABLE organisation ADD COLUMN commune_nis INTEGER REFERENCES commune(nis);
ALTER TABLE organisation ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE organisation ADD COLUMN description_html TEXT NOT NULL DEFAULT '';
ALTER TABLE organisation ADD COLUMN description_text TEXT NOT NULL DEFAULT '';
ALTER TABLE organisation ADD COLUMN render_version INTEGER NOT NULL DEFAULT 0;
CREATE INDEX organisation_stale ON organisation(render_version);
CREATE UNIQUE INDEX membership_unique ON membership(body_id, organisation_id, coalesce(person_id, 0));
