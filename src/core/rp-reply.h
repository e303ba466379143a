/* rp-reply.h: drafts that answer or pass on a message, and drafts from
 * mailto: links
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "rp-account.h"
#include "rp-composer.h"
#include "rp-message.h"
#include "rp-store.h"

G_BEGIN_DECLS

typedef enum
{
  RP_REPLY_SENDER,             /* the author, or its Reply-To */
  RP_REPLY_ALL,                /* the author and every other recipient */
  RP_FORWARD_INLINE,           /* a quoted header block and the body */
  RP_FORWARD_ATTACHMENT,       /* the raw message as message/rfc822 */
} RpReplyKind;

/* The draft for @kind from a message already parsed. @raw is only needed
 * for RP_FORWARD_ATTACHMENT. The From identity is the one the message was
 * addressed to, else the account's default. */
RpDraft   *rp_reply_build_from_summary   (const RpMessageSummary *original,
                                          GBytes                 *raw,
                                          const RpAccount        *account,
                                          RpReplyKind             kind) G_GNUC_WARN_UNUSED_RESULT;
/* The same for a stored message. */
RpDraft   *rp_reply_build                (RpStore                *store,
                                          gint64                  message_id,
                                          RpReplyKind             kind,
                                          GError                **error) G_GNUC_WARN_UNUSED_RESULT;
/* "Re: " (or "Fwd: ") in front of @subject unless one is there already. */
char      *rp_reply_subject              (const char             *subject,
                                          gboolean                forward) G_GNUC_WARN_UNUSED_RESULT;
/* "On DATE, NAME wrote:" followed by @body with "> " before each line. */
char      *rp_reply_quote                (const RpMessageSummary *original) G_GNUC_WARN_UNUSED_RESULT;
/* A draft from a mailto: URI (RFC 6068): to, cc, bcc, subject and body,
 * percent-decoded. The From address is left empty. */
RpDraft   *rp_draft_new_from_mailto      (const char             *uri,
                                          GError                **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
