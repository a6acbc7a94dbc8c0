-- 009_meeting_years.sql — the meetings that are not deleted, by date, with
-- what the visibility rule reads: the list of meetings, its pages and its
-- years are read from this index alone instead of every meeting's row.
CREATE INDEX meeting_live ON meeting(deleted, start, visibility, body_id);
