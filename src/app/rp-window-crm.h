/* rp-window-crm.h: the main window's CRM parts: the contextual sidebar
 * beside the reading pane and the CRM page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rp-crm-page.h"
#include "rp-crm-sidebar.h"
#include "rp-window.h"

G_BEGIN_DECLS

/* Called from rp_window_class_init() and rp_window_init(). */
void          _rp_window_crm_class_init      (GtkWidgetClass *widget_class);
void          _rp_window_crm_init            (RpWindow       *self);
/* The page of the main stack that shows mail: "crm" while the user
 * looks at the CRM page, else "mail". */
const char   *_rp_window_crm_get_mail_page   (RpWindow       *self);

/* For tests. */
RpCrmSidebar *_rp_window_get_crm_sidebar     (RpWindow       *self);
RpCrmPage    *_rp_window_get_crm_page        (RpWindow       *self);
/* Whether the sidebar is shown (the setting, and the window wide enough). */
gboolean      _rp_window_crm_sidebar_shown   (RpWindow       *self);
/* The title of the toast that asks for a wider window, while shown. */
const char   *_rp_window_crm_get_narrow_toast_title (RpWindow   *self);

G_END_DECLS
