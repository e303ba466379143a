/* rp-compose-window.h: writing a message
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rp-application.h"
#include "rp-core.h"
#include "rp-composer.h"

G_BEGIN_DECLS

#define RP_TYPE_COMPOSE_WINDOW (rp_compose_window_get_type ())

G_DECLARE_FINAL_TYPE (RpComposeWindow, rp_compose_window, RP, COMPOSE_WINDOW, AdwApplicationWindow)

/* A window showing @draft (nullable: an empty message). Its From address
 * picks the identity; without one, the first account's default. */
RpComposeWindow *rp_compose_window_new            (RpApplication   *app,
                                                   const RpDraft   *draft) G_GNUC_WARN_UNUSED_RESULT;
/* The message as the fields hold it now; NULL with @error set when an
 * address is invalid (its field is marked). */
RpDraft         *rp_compose_window_dup_draft      (RpComposeWindow *self,
                                                   GError         **error) G_GNUC_WARN_UNUSED_RESULT;
/* The fields, for tests: "to", "cc", "bcc", "subject". */
GtkEditable     *rp_compose_window_get_field      (RpComposeWindow *self,
                                                   const char      *name);
GtkTextView     *rp_compose_window_get_body_view  (RpComposeWindow *self);
/* The Drafts copy saved last, or 0. */
gint64           rp_compose_window_get_saved_draft (RpComposeWindow *self);
/* The title of the toast shown last (an error), or NULL. */
const char      *rp_compose_window_get_last_error (RpComposeWindow *self);

G_END_DECLS
