-- 005: each meeting keeps the name of its file in content/ (its date, and
-- "-2" when a body meets twice that day), unique within its body.
ALTER TABLE meeting ADD COLUMN slug TEXT;
CREATE UNIQUE INDEX meeting_slug ON meeting(body_id, slug);
