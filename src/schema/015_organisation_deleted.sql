-- 015: an organisation can be removed (and restored) from the web once it
-- no longer takes part in anything: no current membership, no active
-- account, no open action. It then leaves the lists and the choices.
ALTER TABLE organisation ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
