-- Schema version 3: filter rules (issue [7]).

-- The rules, in the order they run (position ascending). match_all: 1 when
-- every condition must match, 0 when any one is enough. stop: no further
-- rule runs on a message this rule matched.
CREATE TABLE filter (
  id         INTEGER PRIMARY KEY,
  position   INTEGER NOT NULL,
  name       TEXT NOT NULL,
  enabled    INTEGER NOT NULL DEFAULT 1,
  match_all  INTEGER NOT NULL DEFAULT 1,
  stop       INTEGER NOT NULL DEFAULT 0,
  created    INTEGER NOT NULL
);
CREATE INDEX filter_position ON filter (position, id);

-- field: RpFilterField (0 From, 1 To, 2 Cc, 3 To or Cc, 4 Subject, 5 Body,
-- 6 a named header, 7 account, 8 has an attachment, 9 size, 10 sent from
-- one of my identities, 11 sender in the CRM). op: RpFilterOp (0 contains,
-- 1 does not contain, 2 is, 3 begins with, 4 ends with, 5 matches a
-- regular expression, 6 greater, 7 less). header: the header's name for
-- field 6, else NULL.
CREATE TABLE filter_condition (
  filter_id  INTEGER NOT NULL REFERENCES filter (id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  field      INTEGER NOT NULL,
  header     TEXT,
  op         INTEGER NOT NULL,
  value      TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (filter_id, position)
) WITHOUT ROWID;

-- type: RpFilterActionType (0 move, 1 copy, 2 mark read, 3 flag, 4 delete
-- to Trash, 5 forward, 6 link to a CRM record). argument: a folder spec
-- for move and copy, an address for forward, a record id (or '') for the
-- CRM link.
CREATE TABLE filter_action (
  filter_id  INTEGER NOT NULL REFERENCES filter (id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  type       INTEGER NOT NULL,
  argument   TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (filter_id, position)
) WITHOUT ROWID;
