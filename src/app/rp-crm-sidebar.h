/* rp-crm-sidebar.h: the contextual sidebar beside the reading pane: the
 * person behind the selected message, from the CRM
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rp-core.h"
#include "rp-crm.h"

G_BEGIN_DECLS

#define RP_TYPE_CRM_SIDEBAR (rp_crm_sidebar_get_type ())

/* The sidebar's widths: narrower, the card and the forms no longer fit;
 * wider, it takes the reading pane's room for nothing. */
#define RP_CRM_SIDEBAR_MIN_WIDTH     280
#define RP_CRM_SIDEBAR_DEFAULT_WIDTH 320
#define RP_CRM_SIDEBAR_MAX_WIDTH     480

G_DECLARE_FINAL_TYPE (RpCrmSidebar, rp_crm_sidebar, RP, CRM_SIDEBAR, GtkWidget)

GtkWidget *rp_crm_sidebar_new         (void) G_GNUC_WARN_UNUSED_RESULT;
void       rp_crm_sidebar_set_store   (RpCrmSidebar *self,
                                       RpStore      *store);
/* Follows @message_id (0: none). The data loads in a worker thread; the
 * old content stays until the new one is there. */
void       rp_crm_sidebar_set_message (RpCrmSidebar *self,
                                       gint64        message_id);
gint64     rp_crm_sidebar_get_message (RpCrmSidebar *self);
/* Loads the shown message and person again (after a change elsewhere).
 * A form being filled in stays. */
void       rp_crm_sidebar_refresh     (RpCrmSidebar *self);
/* Shows the @index-th person of the message (From, then To and Cc). */
void       rp_crm_sidebar_select_person (RpCrmSidebar *self,
                                         guint         index);
/* Shows the person with @address (one of the message's) and offers to
 * add them as @kind: the Add as Contact or Add as Lead form, prefilled,
 * once the person is loaded afresh. A person the CRM knows by then gets
 * their card instead. */
void       rp_crm_sidebar_add_person  (RpCrmSidebar *self,
                                       const char   *address,
                                       RpCrmKind     kind);
/* The width the sidebar asks for, clamped to RP_CRM_SIDEBAR_MIN_WIDTH …
 * RP_CRM_SIDEBAR_MAX_WIDTH; its content never widens it. */
void       rp_crm_sidebar_set_natural_width (RpCrmSidebar *self,
                                             int           width);
int        rp_crm_sidebar_get_natural_width (RpCrmSidebar *self);

G_END_DECLS
