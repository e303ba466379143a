/* rp-invitation-bar.h: a calendar invitation at the top of the reading
 * pane, with Accept, Tentative and Decline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rp-invitation.h"
#include "rp-secrets.h"
#include "rp-store.h"

G_BEGIN_DECLS

#define RP_TYPE_INVITATION_BAR (rp_invitation_bar_get_type ())

G_DECLARE_FINAL_TYPE (RpInvitationBar, rp_invitation_bar, RP, INVITATION_BAR, AdwBin)

GtkWidget          *rp_invitation_bar_new         (void) G_GNUC_WARN_UNUSED_RESULT;
void                rp_invitation_bar_set_store   (RpInvitationBar *self,
                                                   RpStore         *store);
/* The passwords for sending answers; without it, the application's. */
void                rp_invitation_bar_set_secrets (RpInvitationBar *self,
                                                   RpSecrets       *secrets);
/* Shows the invitation in @message_id when @has_calendar (the summary's
 * flag), loading it in a worker; hides the bar otherwise. Reading it
 * applies a CANCEL or a new version to the calendar. */
void                rp_invitation_bar_set_message (RpInvitationBar *self,
                                                   gint64           message_id,
                                                   gboolean         has_calendar);

/* For tests: the invitation shown (NULL while loading or when none), its
 * status, the status line, and whether the answer buttons are offered and
 * a load or an answer is running. */
const RpInvitation *_rp_invitation_bar_get_invitation (RpInvitationBar *self);
RpInvitationStatus  _rp_invitation_bar_get_status     (RpInvitationBar *self);
const char         *_rp_invitation_bar_get_status_text (RpInvitationBar *self);
gboolean            _rp_invitation_bar_get_can_respond (RpInvitationBar *self);
gboolean            _rp_invitation_bar_get_busy        (RpInvitationBar *self);

G_END_DECLS
