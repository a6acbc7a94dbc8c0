-- 014: the named contacts of the member organisations are recipients.
-- A contact has a function, receives the invitations or not, can stop
-- every mail by the link each one carries (its unsubscribe token, made
-- when the contact is), and can be removed (deleted, restorable) or
-- erased (name and address gone for good, the attendance kept anonymous).
ALTER TABLE person ADD COLUMN function TEXT NOT NULL DEFAULT '';
ALTER TABLE person ADD COLUMN invitations INTEGER NOT NULL DEFAULT 1;
ALTER TABLE person ADD COLUMN unsubscribe_token TEXT;
ALTER TABLE person ADD COLUMN unsubscribed_at TEXT;
ALTER TABLE person ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE person ADD COLUMN erased_at TEXT;
UPDATE person SET unsubscribe_token = lower(hex(randomblob(20)));
CREATE UNIQUE INDEX person_unsubscribe ON person(unsubscribe_token);
CREATE TRIGGER person_token AFTER INSERT ON person WHEN NEW.unsubscribe_token IS NULL
BEGIN
	UPDATE person SET unsubscribe_token = lower(hex(randomblob(20))) WHERE id = NEW.id;
END;
