-- Schema version 4: the CRM (issue [8]).
-- Enums stored here are PERSISTED: never renumber them in C.

-- A contact or a lead. kind: RpCrmKind (0 contact, 1 lead). status:
-- RpCrmLeadStatus (0 new, 1 contacted, 2 qualified, 3 lost); a converted
-- lead keeps its status and everything linked to it, only kind changes.
CREATE TABLE crm_record (
  id         INTEGER PRIMARY KEY,
  kind       INTEGER NOT NULL DEFAULT 0,
  name       TEXT NOT NULL DEFAULT '',
  phone      TEXT,
  company    TEXT,
  job_title  TEXT,
  status     INTEGER NOT NULL DEFAULT 0,
  source     TEXT,
  owner      TEXT,
  created    INTEGER NOT NULL,
  updated    INTEGER NOT NULL,
  -- The record's completion words (those of crm_word below) as one
  -- string, each word after a space: " anna müller mueller acme
  -- anna@acme.example". Address completion tests prefixes against it
  -- with instr() while it walks the records in rank order.
  words      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX crm_record_kind_name ON crm_record (kind, name COLLATE NOCASE);

-- A record's addresses; position 0 is the primary one. An address belongs
-- to one record, compared case-insensitively: the lookup behind the
-- sidebar, the linking of new mail and the completion.
CREATE TABLE crm_address (
  record_id  INTEGER NOT NULL REFERENCES crm_record (id) ON DELETE CASCADE,
  address    TEXT NOT NULL,
  position   INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX crm_address_address ON crm_address (address COLLATE NOCASE);
CREATE INDEX crm_address_record ON crm_address (record_id, position);

-- Which messages belong to which records (From, To or Cc carried one of
-- the record's addresses, or the user linked it). Whether a message was
-- sent or received is not stored: it follows the message's folder.
CREATE TABLE crm_message (
  record_id   INTEGER NOT NULL REFERENCES crm_record (id) ON DELETE CASCADE,
  message_id  INTEGER NOT NULL REFERENCES message (id) ON DELETE CASCADE,
  PRIMARY KEY (record_id, message_id)
) WITHOUT ROWID;
CREATE INDEX crm_message_message ON crm_message (message_id);

-- Back-filling a new record's links is one INSERT … SELECT over this
-- index: the case-insensitive address, with the kind and message id in
-- the index so that the table is never read.
CREATE INDEX message_address_nocase ON message_address (address COLLATE NOCASE, kind, message_id);
-- It replaces the case-sensitive index of version 1, which no query used
-- (addresses are compared case-insensitively everywhere): storing mail
-- then maintains one index of addresses, as before the CRM.
DROP INDEX message_address_address;

-- due: the start of the due day (UTC), NULL for none. priority: iCalendar
-- (0 undefined, 1 highest … 9 lowest).
CREATE TABLE crm_task (
  id          INTEGER PRIMARY KEY,
  record_id   INTEGER REFERENCES crm_record (id) ON DELETE CASCADE,
  message_id  INTEGER REFERENCES message (id) ON DELETE SET NULL,
  title       TEXT NOT NULL,
  due         INTEGER,
  priority    INTEGER NOT NULL DEFAULT 0,
  done        INTEGER NOT NULL DEFAULT 0,
  uid         TEXT NOT NULL UNIQUE,
  created     INTEGER NOT NULL
);
CREATE INDEX crm_task_record ON crm_task (record_id, done);
CREATE INDEX crm_task_open ON crm_task (done, due);

-- Calendar events, ours and those of invitations. attendees: addresses,
-- one per line. partstat: our answer to an invitation, NULL for our own.
CREATE TABLE crm_event (
  id          INTEGER PRIMARY KEY,
  uid         TEXT NOT NULL UNIQUE,
  sequence    INTEGER NOT NULL DEFAULT 0,
  title       TEXT NOT NULL DEFAULT '',
  start       INTEGER NOT NULL,
  end         INTEGER NOT NULL,
  location    TEXT,
  attendees   TEXT NOT NULL DEFAULT '',
  cancelled   INTEGER NOT NULL DEFAULT 0,
  partstat    TEXT,
  message_id  INTEGER REFERENCES message (id) ON DELETE SET NULL
);
CREATE INDEX crm_event_end ON crm_event (end);

CREATE TABLE crm_event_record (
  event_id   INTEGER NOT NULL REFERENCES crm_event (id) ON DELETE CASCADE,
  record_id  INTEGER NOT NULL REFERENCES crm_record (id) ON DELETE CASCADE,
  PRIMARY KEY (record_id, event_id)
) WITHOUT ROWID;
CREATE INDEX crm_event_record_event ON crm_event_record (event_id);

CREATE TABLE crm_note (
  id          INTEGER PRIMARY KEY,
  record_id   INTEGER NOT NULL REFERENCES crm_record (id) ON DELETE CASCADE,
  message_id  INTEGER REFERENCES message (id) ON DELETE SET NULL,
  text        TEXT NOT NULL,
  created     INTEGER NOT NULL
);
CREATE INDEX crm_note_record ON crm_note (record_id, created);

-- Every address seen in From, To or Cc, with how often and how recently it
-- was used, and every address of a CRM record (uses 0 until mail carries
-- it), for address completion. Kept up to date inside the transaction
-- that stores a message (rp-crm-link.c). sent_uses counts mail in the
-- Outbox or Sent (where the user's own From address is left out). Moving
-- or deleting a message later does not change the counts: they are a
-- memory of use.
--
-- record_id: the CRM record owning the address, NULL for an address only
-- collected from mail (set and cleared with the record's addresses by
-- rp-crm.c; no foreign key, which would make every record deletion scan
-- this table).
-- words: the casefolded words of every name the address came with, and
-- the address itself, each after a space (collected addresses' own
-- words; a record's are in crm_record.words).
-- rank: how much the address was used, with the weight of a use halving
-- every 90 days: log2 (1 + uses + 2 * sent_uses) + last_used / 7776000.
-- Because the decay is exponential, the order of two ranks never changes
-- as time passes, so the rank is computed when the address is used and
-- completion reads the best addresses straight from an index (rank DESC,
-- LIMIT before anything is scored) instead of scoring every address that
-- starts with the letter typed. log2() needs SQLite's math functions
-- (built in on Debian since 3.35).
CREATE TABLE address_use (
  address    TEXT NOT NULL COLLATE NOCASE PRIMARY KEY,
  name       TEXT,
  uses       INTEGER NOT NULL DEFAULT 0,
  sent_uses  INTEGER NOT NULL DEFAULT 0,
  last_used  INTEGER NOT NULL DEFAULT 0,
  record_id  INTEGER,
  words      TEXT NOT NULL DEFAULT '',
  rank       REAL NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX address_use_crm_rank ON address_use (rank DESC, address)
  WHERE record_id IS NOT NULL;
CREATE INDEX address_use_collected_rank ON address_use (rank DESC, address)
  WHERE record_id IS NULL;

INSERT INTO address_use (address, name, uses, sent_uses, last_used, rank)
  SELECT address, name, uses, sent_uses, last_used,
         log2 (1 + uses + 2 * sent_uses) + last_used / 7776000.0
    FROM (SELECT a.address,
                 (SELECT a2.name FROM message_address a2 JOIN message m2 ON m2.id = a2.message_id
                   WHERE a2.address = a.address COLLATE NOCASE AND ifnull (a2.name, '') != ''
                   ORDER BY m2.date DESC LIMIT 1) AS name,
                 count (*) AS uses, sum (f.role IN (3, 4)) AS sent_uses, max (m.date) AS last_used
            FROM message_address a
            JOIN message m ON m.id = a.message_id
            JOIN folder f ON f.id = m.folder_id
           WHERE a.kind IN (0, 1, 2) AND NOT (f.role IN (3, 4) AND a.kind = 0)
           GROUP BY a.address COLLATE NOCASE);

-- Completion looks words up by prefix in these two indexes instead of
-- scanning names with LIKE: casefolded words of names and companies (with
-- their ASCII forms, so that "mul" finds "Müller") and each whole address.
-- crm_word is rewritten with its record (rp-crm.c); address_word grows with
-- the mail (rp-crm-link.c) and is filled for existing mail, with
-- address_use.words, by a C hook after this script (_rp_crm_post_upgrade()).
-- Completion uses these when few words start with what was typed, and
-- walks the rank indexes above when many do.
CREATE TABLE crm_word (
  word       TEXT NOT NULL,
  record_id  INTEGER NOT NULL REFERENCES crm_record (id) ON DELETE CASCADE,
  PRIMARY KEY (word, record_id)
) WITHOUT ROWID;
CREATE INDEX crm_word_record ON crm_word (record_id);

CREATE TABLE address_word (
  word     TEXT NOT NULL,
  address  TEXT NOT NULL COLLATE NOCASE,
  PRIMARY KEY (word, address)
) WITHOUT ROWID;
