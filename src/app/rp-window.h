/* rp-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rp-application.h"

G_BEGIN_DECLS

#define RP_TYPE_WINDOW (rp_window_get_type ())

G_DECLARE_FINAL_TYPE (RpWindow, rp_window, RP, WINDOW, AdwApplicationWindow)

RpWindow *rp_window_new              (RpApplication *application) G_GNUC_WARN_UNUSED_RESULT;
void      rp_window_show_add_account (RpWindow      *self);

G_END_DECLS
