/* rp-crm-task-form.h: the small in-place form that adds a task
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rp-core.h"

G_BEGIN_DECLS

#define RP_TYPE_CRM_TASK_FORM (rp_crm_task_form_get_type ())

G_DECLARE_FINAL_TYPE (RpCrmTaskForm, rp_crm_task_form, RP, CRM_TASK_FORM, GtkWidget)

/* A form adding a task to @record_id, linked to @message_id (0: none),
 * whose subject (nullable) prefills the title. Emits "saved" with the new
 * task's id, or "cancelled". */
GtkWidget *rp_crm_task_form_new       (RpStore       *store,
                                       gint64         record_id,
                                       gint64         message_id,
                                       const char    *subject) G_GNUC_WARN_UNUSED_RESULT;
/* For tests: fills the title and presses Save; returns the new task's id,
 * or 0 when the form refused (its error is shown). */
gint64     rp_crm_task_form_save      (RpCrmTaskForm *self,
                                       const char    *title);

G_END_DECLS
