-- 012: the workspace. An action from the minutes keeps its origin (its
-- meeting, position and text) but lives after them: its state (open, done,
-- cancelled), who closed it and when, and whether it was changed on the web
-- (then saving the minutes again keeps that change). Approved minutes say
-- who approved them and when; an account remembers its previous login, so
-- that a home page can mark what is new since then.
DROP INDEX action_open;
DROP INDEX action_owner;
ALTER TABLE action ADD COLUMN state TEXT NOT NULL DEFAULT 'open'
	CHECK (state IN ('open', 'done', 'cancelled'));
ALTER TABLE action ADD COLUMN closed_at TEXT;
ALTER TABLE action ADD COLUMN closed_by INTEGER REFERENCES user(id);
ALTER TABLE action ADD COLUMN edited INTEGER NOT NULL DEFAULT 0;
UPDATE action SET state = 'done' WHERE done <> 0;
ALTER TABLE action DROP COLUMN done;
CREATE INDEX action_open ON action(state, due);
CREATE INDEX action_owner ON action(owner_organisation_id, state, due);

ALTER TABLE meeting ADD COLUMN approved_at TEXT;
ALTER TABLE meeting ADD COLUMN approved_by INTEGER REFERENCES user(id);
-- approved in the app: when last modified; imported from files: its date
UPDATE meeting SET approved_at = CASE WHEN EXISTS (SELECT 1 FROM revision r WHERE
	r.meeting_id = meeting.id AND r.field = 'minutes' AND r.user_id IS NOT NULL)
	THEN modified ELSE start END WHERE status = 'minutes_approved';

ALTER TABLE user ADD COLUMN login_at TEXT;
ALTER TABLE user ADD COLUMN previous_login_at TEXT;

-- the homes' lists, each a seek: the minutes approved lately in one body,
-- and the meetings by status (drafts left behind)
CREATE INDEX meeting_approved ON meeting(body_id, approved_at) WHERE approved_at IS NOT NULL;
CREATE INDEX meeting_status ON meeting(status, start);
