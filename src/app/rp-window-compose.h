/* rp-window-compose.h: the main window's compose, reply and forward actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Installs win.compose, win.reply, win.reply-all and win.forward with
 * their shortcuts, and win.edit-draft (a message id) on the RpWindow
 * class; binds the template callback that opens an activated draft. */
void _rp_window_install_compose_actions (GtkWidgetClass *widget_class);

G_END_DECLS
