-- Rapport database, version 2: accounts, identities and the Outbox.

-- The incoming POP3 server and the account's policies.
-- pop_security, smtp_security: RpSecurity (0 TLS, 1 STARTTLS, 2 none).
-- pop_auth: RpPop3AuthMethod (0 automatic). retention: RpRetention
-- (0 keep, 1 delete after fetch, 2 delete after N days, 3 delete when
-- deleted locally). disabled_reason: RpDisabledReason (0 none,
-- 1 authentication, 2 connection, 3 by the user).
ALTER TABLE account ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE account ADD COLUMN display_name TEXT NOT NULL DEFAULT '';
ALTER TABLE account ADD COLUMN pop_host TEXT NOT NULL DEFAULT '';
ALTER TABLE account ADD COLUMN pop_port INTEGER NOT NULL DEFAULT 995;
ALTER TABLE account ADD COLUMN pop_security INTEGER NOT NULL DEFAULT 0;
ALTER TABLE account ADD COLUMN pop_user TEXT NOT NULL DEFAULT '';
ALTER TABLE account ADD COLUMN pop_auth INTEGER NOT NULL DEFAULT 0;
ALTER TABLE account ADD COLUMN smtp_host TEXT NOT NULL DEFAULT '';
ALTER TABLE account ADD COLUMN smtp_port INTEGER NOT NULL DEFAULT 465;
ALTER TABLE account ADD COLUMN smtp_security INTEGER NOT NULL DEFAULT 0;
ALTER TABLE account ADD COLUMN smtp_user TEXT NOT NULL DEFAULT '';
ALTER TABLE account ADD COLUMN retention INTEGER NOT NULL DEFAULT 0;
ALTER TABLE account ADD COLUMN retention_days INTEGER NOT NULL DEFAULT 14;
ALTER TABLE account ADD COLUMN recent_mode INTEGER NOT NULL DEFAULT 0;
ALTER TABLE account ADD COLUMN pinned_certificate TEXT;
ALTER TABLE account ADD COLUMN ca_file TEXT;
ALTER TABLE account ADD COLUMN poll_minutes INTEGER NOT NULL DEFAULT 10;
ALTER TABLE account ADD COLUMN batch_size INTEGER NOT NULL DEFAULT 500;
ALTER TABLE account ADD COLUMN enabled INTEGER NOT NULL DEFAULT 1;
ALTER TABLE account ADD COLUMN disabled_reason INTEGER NOT NULL DEFAULT 0;
ALTER TABLE account ADD COLUMN auth_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE account ADD COLUMN connection_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE account ADD COLUMN last_error TEXT;
ALTER TABLE account ADD COLUMN last_error_code TEXT;
ALTER TABLE account ADD COLUMN last_fetch INTEGER;
ALTER TABLE account ADD COLUMN retry_after INTEGER NOT NULL DEFAULT 0;
ALTER TABLE account ADD COLUMN temporary_failures INTEGER NOT NULL DEFAULT 0;

-- "Send mail as": each address of an account. With smtp_host NULL it goes
-- out through the account's SMTP server, carrying Sender: <account email>
-- when the address differs from it.
CREATE TABLE identity (
  id                  INTEGER PRIMARY KEY,
  account_id          INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  address             TEXT NOT NULL,
  display_name        TEXT NOT NULL DEFAULT '',
  is_default          INTEGER NOT NULL DEFAULT 0,
  smtp_host           TEXT,
  smtp_port           INTEGER NOT NULL DEFAULT 465,
  smtp_security       INTEGER NOT NULL DEFAULT 0,
  smtp_user           TEXT NOT NULL DEFAULT '',
  pinned_certificate  TEXT,
  cc_self             INTEGER NOT NULL DEFAULT 0,
  bcc_self            INTEGER NOT NULL DEFAULT 0,
  UNIQUE (account_id, address)
);
CREATE INDEX identity_address ON identity (address);

-- Messages waiting in an Outbox folder. state: RpOutboxState (0 queued,
-- 1 failed temporarily, retried at next_attempt, 2 failed permanently).
-- recipients: every envelope recipient, Bcc included, one per line.
CREATE TABLE outbox (
  message_id    INTEGER PRIMARY KEY REFERENCES message (id) ON DELETE CASCADE,
  identity_id   INTEGER REFERENCES identity (id) ON DELETE SET NULL,
  envelope_from TEXT NOT NULL,
  recipients    TEXT NOT NULL,
  state         INTEGER NOT NULL DEFAULT 0,
  attempts      INTEGER NOT NULL DEFAULT 0,
  next_attempt  INTEGER NOT NULL DEFAULT 0,
  last_error    TEXT,
  queued        INTEGER NOT NULL
);

-- The search index merges its segments less eagerly: a first download of
-- 100,000 messages rewrote index pages over and over (measured with
-- bench/bench-store: 1,900 → 2,100 messages/s), while searches stay within
-- a few milliseconds.
INSERT INTO message_fts (message_fts, rank) VALUES ('automerge', 16);
INSERT INTO message_fts (message_fts, rank) VALUES ('crisismerge', 64);
