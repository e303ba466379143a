/* rp-account-settings.h: one account's settings, a subpage of the
 * preferences window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rp-application.h"

G_BEGIN_DECLS

#define RP_TYPE_ACCOUNT_SETTINGS (rp_account_settings_get_type ())

G_DECLARE_FINAL_TYPE (RpAccountSettings, rp_account_settings, RP, ACCOUNT_SETTINGS, GtkBox)

/* Emits ::done when the user goes back, or after removing the account. */
RpAccountSettings *rp_account_settings_new            (RpApplication     *application,
                                                       gint64             account_id) G_GNUC_WARN_UNUSED_RESULT;
gint64             rp_account_settings_get_account_id (RpAccountSettings *self);

G_END_DECLS
