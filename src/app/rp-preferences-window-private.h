/* rp-preferences-window-private.h: the window's parts, for its tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rp-account-settings-private.h"
#include "rp-preferences-window.h"

G_BEGIN_DECLS

/* How many accounts the Accounts page lists. */
guint              _rp_preferences_window_get_n_accounts     (RpPreferencesWindow *self);
/* The row of the @index-th account. */
AdwActionRow      *_rp_preferences_window_get_account_row    (RpPreferencesWindow *self,
                                                              guint                index);
/* The account settings shown as a subpage, or NULL. */
RpAccountSettings *_rp_preferences_window_get_settings       (RpPreferencesWindow *self);

G_END_DECLS
