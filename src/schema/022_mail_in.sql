-- 022: the messages of the replies' mailbox (serve --imap-url) already
-- read, by folder and IMAP UID: a reply Maillage took ('taken', left read)
-- or a message left unread for a person ('left', with the reason logged
-- once). Nothing is fetched twice.
CREATE TABLE mail_in (
	mailbox TEXT NOT NULL,
	uid INTEGER NOT NULL,
	outcome TEXT NOT NULL CHECK (outcome IN ('taken', 'left')),
	reason TEXT,
	at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	PRIMARY KEY (mailbox, uid)
) WITHOUT ROWID;
