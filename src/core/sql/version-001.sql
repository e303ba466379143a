-- Rapport database, version 1.
-- Enums stored here are PERSISTED: never renumber them in C.

-- An account: issue-specific settings arrive in later versions as columns.
CREATE TABLE account (
  id        INTEGER PRIMARY KEY,
  name      TEXT NOT NULL UNIQUE,
  created   INTEGER NOT NULL
);

-- Folders. role: RpFolderRole (0 user folder, 1 Inbox, 2 Drafts, 3 Outbox,
-- 4 Sent, 5 Trash, 6 Junk). Each account has one folder of each special
-- role; user folders nest through parent_id.
CREATE TABLE folder (
  id          INTEGER PRIMARY KEY,
  account_id  INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  parent_id   INTEGER REFERENCES folder (id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  role        INTEGER NOT NULL DEFAULT 0,
  position    INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX folder_role ON folder (account_id, role) WHERE role != 0;
CREATE UNIQUE INDEX folder_name ON folder (account_id, ifnull (parent_id, 0), name);

-- A message, with the summary the list, search, threads and CRM need.
-- flags: RpMessageFlags bits (1 seen, 2 flagged, 4 answered, 8 forwarded,
-- 16 draft).
CREATE TABLE message (
  id              INTEGER PRIMARY KEY,
  account_id      INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  folder_id       INTEGER NOT NULL REFERENCES folder (id) ON DELETE CASCADE,
  thread_id       INTEGER NOT NULL,
  sha256          BLOB NOT NULL,
  size            INTEGER NOT NULL,
  date            INTEGER NOT NULL,
  arrived         INTEGER NOT NULL,
  flags           INTEGER NOT NULL DEFAULT 0,
  has_attachment  INTEGER NOT NULL DEFAULT 0,
  from_name       TEXT,
  from_address    TEXT,
  to_text         TEXT NOT NULL DEFAULT '',
  cc_text         TEXT NOT NULL DEFAULT '',
  subject         TEXT NOT NULL DEFAULT '',
  thread_subject  TEXT NOT NULL DEFAULT '',
  snippet         TEXT NOT NULL DEFAULT '',
  message_id      TEXT,
  in_reply_to     TEXT,
  list_id         TEXT
);
CREATE INDEX message_folder_date ON message (folder_id, date DESC, id DESC);
CREATE INDEX message_unread ON message (folder_id) WHERE flags & 1 = 0;
CREATE INDEX message_account ON message (account_id);
CREATE INDEX message_message_id ON message (message_id);
CREATE INDEX message_thread ON message (thread_id, date);
CREATE INDEX message_thread_subject ON message (thread_subject, date);

-- The raw bytes exactly as received. In the same database as the summary
-- so that one transaction makes a whole batch durable (see rp-store.c).
CREATE TABLE message_raw (
  id    INTEGER PRIMARY KEY REFERENCES message (id) ON DELETE CASCADE,
  data  BLOB NOT NULL
);

-- Every address of a message. kind: 0 From, 1 To, 2 Cc, 3 Bcc (kept for
-- sent mail only, never in headers), 4 Reply-To.
CREATE TABLE message_address (
  message_id  INTEGER NOT NULL REFERENCES message (id) ON DELETE CASCADE,
  kind        INTEGER NOT NULL,
  name        TEXT,
  address     TEXT NOT NULL
);
CREATE INDEX message_address_message ON message_address (message_id);
CREATE INDEX message_address_address ON message_address (address);

-- The Message-IDs a message refers to (In-Reply-To and References), for
-- threading a parent that arrives after its replies.
CREATE TABLE message_reference (
  message_id  INTEGER NOT NULL REFERENCES message (id) ON DELETE CASCADE,
  ref         TEXT NOT NULL
);
CREATE INDEX message_reference_ref ON message_reference (ref);
CREATE INDEX message_reference_message ON message_reference (message_id);

CREATE TABLE attachment (
  message_id    INTEGER NOT NULL REFERENCES message (id) ON DELETE CASCADE,
  position      INTEGER NOT NULL,
  filename      TEXT,
  content_type  TEXT NOT NULL,
  size          INTEGER NOT NULL,
  content_id    TEXT,
  is_inline     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (message_id, position)
);

-- What each account's POP3 server has had, by UIDL: the fetcher's memory.
-- message_id is NULL when the stored copy was deleted locally. A row is
-- written in the same transaction as its message, so a committed row means
-- a stored message (the DELE contract).
CREATE TABLE server_message (
  account_id  INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  uidl        TEXT NOT NULL,
  message_id  INTEGER REFERENCES message (id) ON DELETE SET NULL,
  fetched     INTEGER NOT NULL,
  PRIMARY KEY (account_id, uidl)
) WITHOUT ROWID;
CREATE INDEX server_message_message ON server_message (message_id);

-- Full-text search. rowid = message.id. unicode61 with diacritics removed,
-- so that "muller" finds "Müller".
CREATE VIRTUAL TABLE message_fts USING fts5 (
  sender, recipients, subject, body, attachments,
  tokenize = 'unicode61 remove_diacritics 2'
);
