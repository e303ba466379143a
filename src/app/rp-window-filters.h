/* rp-window-filters.h: the main window's filter actions and the rule
 * offered after a drag-and-drop move
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rp-window.h"

G_BEGIN_DECLS

/* Installs win.run-filters (the folder shown), win.run-filters-selection,
 * win.add-move-rule ("(ss)": address, folder spec) and
 * win.choose-move-rules on the RpWindow class. */
void              _rp_window_install_filter_actions  (GtkWidgetClass *widget_class);

/* Called after messages (@ids) were dropped on @folder_id and moved
 * there: offers "Always move mail from ADDRESS to FOLDER?" for each
 * sender no equivalent rule covers yet. */
void              _rp_window_offer_move_rules        (RpWindow       *self,
                                                      gint64          folder_id,
                                                      const char     *title,
                                                      GArray         *ids);

/* For tests: the toast of the last offer while shown, the dialog of a
 * several-senders offer while open, whether a run is going on, and the
 * text of the toast that ended the last run. */
AdwToast         *_rp_window_get_filter_offer        (RpWindow       *self);
AdwMessageDialog *_rp_window_get_filter_offer_dialog (RpWindow       *self);
gboolean          _rp_window_is_running_filters      (RpWindow       *self);
const char       *_rp_window_get_filter_run_result   (RpWindow       *self);

G_END_DECLS
