/* rp-invitation-private.h: what the invitation files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rp-composer.h"
#include "rp-invitation.h"

G_BEGIN_DECLS

/* Makes libical's errors non-fatal, once per process. */
void   _rp_invitation_init_libical (void);
/* Text from a calendar as valid UTF-8 without control characters other
 * than line breaks and tabs; NULL for NULL or "". */
char  *_rp_invitation_clean_text   (const char *text) G_GNUC_WARN_UNUSED_RESULT;

/* rp-invitation-reply.c: the answer as a draft (From the identity, To the
 * organiser, subject, text, threading), and the iMIP message for it. */
RpDraft *_rp_invitation_make_draft    (const RpInvitation  *invitation,
                                       const RpAccount     *account,
                                       const RpIdentity    *identity,
                                       RpPartstat           partstat,
                                       GError             **error) G_GNUC_WARN_UNUSED_RESULT;
GBytes  *_rp_invitation_build_message (const RpInvitation  *invitation,
                                       const RpDraft       *draft,
                                       const RpAccount     *account,
                                       const RpIdentity    *identity,
                                       const char          *attendee_address,
                                       RpPartstat           partstat,
                                       GError             **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
