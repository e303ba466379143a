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
/* A window editing @draft, read from the Drafts copy @stored_id: saving
 * replaces that copy, sending or discarding removes it. */
RpComposeWindow *rp_compose_window_new_for_stored_draft (RpApplication   *app,
                                                         const RpDraft   *draft,
                                                         gint64           stored_id) G_GNUC_WARN_UNUSED_RESULT;
/* Seconds between automatic saves of changes (default 30; 0: none). */
void             rp_compose_window_set_autosave_interval (RpComposeWindow *self,
                                                          guint            seconds);
guint            rp_compose_window_get_autosave_interval (RpComposeWindow *self);
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
