/* rp-preferences-window.h: the preferences: accounts (and filters)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rp-application.h"

G_BEGIN_DECLS

#define RP_TYPE_PREFERENCES_WINDOW (rp_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (RpPreferencesWindow, rp_preferences_window, RP, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

RpPreferencesWindow *rp_preferences_window_new          (RpApplication       *application,
                                                         GtkWindow           *parent) G_GNUC_WARN_UNUSED_RESULT;
/* Shows the open preferences window of @application, or a new one. */
RpPreferencesWindow *rp_preferences_window_present      (RpApplication       *application,
                                                         GtkWindow           *parent);
/* Opens the settings of one account (a subpage). */
void                 rp_preferences_window_show_account (RpPreferencesWindow *self,
                                                         gint64               account_id);

G_END_DECLS
