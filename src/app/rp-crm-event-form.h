/* rp-crm-event-form.h: the small in-place form that adds an event
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rp-core.h"

G_BEGIN_DECLS

#define RP_TYPE_CRM_EVENT_FORM (rp_crm_event_form_get_type ())

G_DECLARE_FINAL_TYPE (RpCrmEventForm, rp_crm_event_form, RP, CRM_EVENT_FORM, GtkWidget)

/* A form adding an event with @record_id (its attendee @address,
 * nullable), linked to @message_id (0: none) whose subject (nullable)
 * prefills the title. Emits "saved" with the new event's id, or
 * "cancelled". */
GtkWidget *rp_crm_event_form_new  (RpStore        *store,
                                   gint64          record_id,
                                   const char     *address,
                                   gint64          message_id,
                                   const char     *subject) G_GNUC_WARN_UNUSED_RESULT;
/* For tests: fills the title and times ("HH:MM"; NULL keeps a field) and
 * presses Save; returns the new event's id, or 0 when the form refused. */
gint64     rp_crm_event_form_save (RpCrmEventForm *self,
                                   const char     *title,
                                   const char     *start,
                                   const char     *end);

G_END_DECLS
