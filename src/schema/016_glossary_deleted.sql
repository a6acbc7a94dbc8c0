-- 016: a glossary entry removed on the web stays, marked, so that it can be
-- restored; the renderer, the lists and the export skip it.
ALTER TABLE glossary ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
