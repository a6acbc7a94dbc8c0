-- 011: the years of the meetings a reader may see, found by seeks: the
-- public meetings by their own index, newest first (meeting_live would
-- walk past every hidden meeting of a year without a public one).
CREATE INDEX meeting_public ON meeting(deleted, visibility, start);
