/* rp-composer.h: turning a draft into an RFC 5322 message with GMime
 *
 * Pure composition: no network, no store, no GTK. The rules (which
 * addresses go into which header, when a Sender: header is due, what the
 * envelope holds) live here so that they have unit tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "rp-account.h"
#include "rp-message.h"

G_BEGIN_DECLS

/**
 * RpDraftAttachment:
 * @name: the file name recipients see (UTF-8, no folders)
 * @content_type: (nullable): "type/subtype"; %NULL to guess from @name and
 *   the content
 * @path: (nullable): a file read when the message is built, or
 * @data: (nullable): the content itself
 *
 * Exactly one of @path and @data is set.
 */
typedef struct
{
  char   *name;
  char   *content_type;
  char   *path;
  GBytes *data;
} RpDraftAttachment;

/**
 * RpDraft:
 *
 * What the user wrote, as plain data. Treat a draft as a value: the
 * functions below that change one return a new draft (the compose window
 * renders the current one and replaces it), the builders only read it.
 */
typedef struct
{
  char       *from_address;
  char       *from_name;     /* nullable */
  GPtrArray  *to;            /* (element-type RpAddress) never NULL */
  GPtrArray  *cc;            /* (element-type RpAddress) never NULL */
  GPtrArray  *bcc;           /* (element-type RpAddress) never NULL; envelope only */
  char       *subject;       /* never NULL */
  char       *body;          /* UTF-8 plain text, never NULL */
  GPtrArray  *attachments;   /* (element-type RpDraftAttachment) never NULL */
  char       *in_reply_to;   /* Message-ID without <>, or NULL */
  GStrv       references;    /* without <>, oldest first; never NULL */
} RpDraft;

/**
 * RpRecipientKind:
 *
 * Matches message_address.kind in the store. PERSISTED: never renumber.
 */
typedef enum
{
  RP_RECIPIENT_TO  = 1,
  RP_RECIPIENT_CC  = 2,
  RP_RECIPIENT_BCC = 3,
} RpRecipientKind;

#define RP_TYPE_DRAFT (rp_draft_get_type ())

GType      rp_draft_get_type               (void) G_GNUC_CONST;
RpDraft   *rp_draft_new                    (const char             *from_address,
                                            const char             *from_name) G_GNUC_WARN_UNUSED_RESULT;
RpDraft   *rp_draft_copy                   (const RpDraft          *draft) G_GNUC_WARN_UNUSED_RESULT;
void       rp_draft_free                   (RpDraft                *draft);
/* Builders for the fields; the draft owns copies. */
void       rp_draft_add_recipient          (RpDraft                *draft,
                                            RpRecipientKind         kind,
                                            const char             *name,
                                            const char             *address);
void       rp_draft_set_subject            (RpDraft                *draft,
                                            const char             *subject);
void       rp_draft_set_body               (RpDraft                *draft,
                                            const char             *body);
void       rp_draft_add_attachment_file    (RpDraft                *draft,
                                            const char             *path,
                                            const char             *content_type);
void       rp_draft_add_attachment_bytes   (RpDraft                *draft,
                                            const char             *name,
                                            const char             *content_type,
                                            GBytes                 *data);
void       rp_draft_attachment_free        (RpDraftAttachment      *attachment);

/* A reply to @original: In-Reply-To its Message-ID, References its
 * references followed by its Message-ID (RFC 5322 §3.6.4), and its
 * subject with one "Re: " in front unless it has one already. */
RpDraft   *rp_draft_new_reply              (const RpMessageSummary *original,
                                            const char             *from_address,
                                            const char             *from_name) G_GNUC_WARN_UNUSED_RESULT;
/* The draft as @identity sends it: its address in Cc for "Cc myself",
 * in Bcc for "Bcc myself" (unless already a recipient). */
RpDraft   *rp_draft_apply_identity         (const RpDraft          *draft,
                                            const RpIdentity       *identity) G_GNUC_WARN_UNUSED_RESULT;

/* TRUE when a message from @identity carries "Sender: <account email>":
 * it goes out through the account's server under another address. */
gboolean   rp_composer_needs_sender        (const RpAccount        *account,
                                            const RpIdentity       *identity);
/* MAIL FROM: the account's address when it sends on behalf of the
 * identity, else the identity's. */
char      *rp_composer_dup_envelope_from   (const RpAccount        *account,
                                            const RpIdentity       *identity) G_GNUC_WARN_UNUSED_RESULT;
/* RCPT TO: To, Cc and Bcc (after rp_draft_apply_identity()), each address
 * once, in that order. */
GStrv      rp_composer_dup_recipients      (const RpDraft          *draft,
                                            const RpIdentity       *identity) G_GNUC_WARN_UNUSED_RESULT;
/* Checks @draft: a valid From, at least one recipient, valid addresses,
 * UTF-8 text, readable attachments. */
gboolean   rp_composer_validate            (const RpDraft          *draft,
                                            GError                **error);
/* The message, with CRLF line ends, ready for SMTP and the Sent folder. */
GBytes    *rp_composer_build               (const RpDraft          *draft,
                                            const RpAccount        *account,
                                            const RpIdentity       *identity,
                                            GError                **error) G_GNUC_WARN_UNUSED_RESULT;

/* The copy kept in the Drafts folder: recipients optional, Bcc kept in a
 * Bcc: header, "Cc/Bcc myself" left for the send. Reading it back with
 * rp_draft_new_from_message() gives the draft again. */
GBytes    *rp_composer_build_draft         (const RpDraft          *draft,
                                            const RpAccount        *account,
                                            const RpIdentity       *identity,
                                            GError                **error) G_GNUC_WARN_UNUSED_RESULT;
/* The draft a stored message holds, to edit it again: From, To, Cc, Bcc,
 * Subject, the first text/plain part as the body, the other parts as
 * attachments (with their bytes), In-Reply-To and References. */
RpDraft   *rp_draft_new_from_message       (GBytes                 *raw,
                                            GError                **error) G_GNUC_WARN_UNUSED_RESULT;

/* "Name <a@b>" or "a@b" to an address; fails on anything else. */
RpAddress *rp_composer_parse_address       (const char             *text,
                                            GError                **error) G_GNUC_WARN_UNUSED_RESULT;
/* An addr-spec that can go into a header and an SMTP command. */
gboolean   rp_composer_address_is_valid    (const char             *address);
/* One line of header text: line breaks, tabs and other control characters
 * become single spaces, and the ends are trimmed. */
char      *rp_composer_sanitize_header     (const char             *text) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpDraft, rp_draft_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpDraftAttachment, rp_draft_attachment_free)

G_END_DECLS
