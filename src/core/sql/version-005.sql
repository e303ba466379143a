-- Schema version 5: a pinned certificate for the SMTP server of an account.
-- pinned_certificate stays the POP3 server's pin. A provider may present
-- different certificates on its POP3 and SMTP servers (even on one host),
-- and the user may trust each of them. NULL: no pin of its own; an SMTP
-- server on the POP3 server's host then falls back to pinned_certificate,
-- as every account did before this version.
ALTER TABLE account ADD COLUMN smtp_pinned_certificate TEXT;
