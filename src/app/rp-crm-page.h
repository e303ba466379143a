/* rp-crm-page.h: the CRM as a page of the main window: contacts, leads,
 * tasks and upcoming events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rp-core.h"

G_BEGIN_DECLS

#define RP_TYPE_CRM_PAGE (rp_crm_page_get_type ())

G_DECLARE_FINAL_TYPE (RpCrmPage, rp_crm_page, RP, CRM_PAGE, GtkWidget)

GtkWidget *rp_crm_page_new         (void) G_GNUC_WARN_UNUSED_RESULT;
void       rp_crm_page_set_store   (RpCrmPage  *self,
                                    RpStore    *store);
/* Reads the lists again. The page also does so whenever it is shown. */
void       rp_crm_page_refresh     (RpCrmPage  *self);
/* Opens the record @record_id for editing. */
void       rp_crm_page_show_record (RpCrmPage  *self,
                                    gint64      record_id);
/* "contacts", "leads", "tasks" or "events". */
void       rp_crm_page_set_view    (RpCrmPage  *self,
                                    const char *name);

/* For tests: the rows of a view's lists, the record form being shown
 * (or NULL), and the open delete confirmation (or NULL). */
guint             _rp_crm_page_get_n_rows       (RpCrmPage  *self,
                                                 const char *view);
GtkWidget        *_rp_crm_page_get_form         (RpCrmPage  *self);
AdwMessageDialog *_rp_crm_page_get_delete_dialog (RpCrmPage *self);
void              _rp_crm_page_set_search       (RpCrmPage  *self,
                                                 const char *text);
/* How many times the page read its lists since it was made. */
guint             _rp_crm_page_get_n_refreshes  (RpCrmPage  *self);

G_END_DECLS
