/* rp-crm-record-form.h: the form that adds or edits a contact or lead
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rp-core.h"
#include "rp-crm.h"

G_BEGIN_DECLS

#define RP_TYPE_CRM_RECORD_FORM (rp_crm_record_form_get_type ())

G_DECLARE_FINAL_TYPE (RpCrmRecordForm, rp_crm_record_form, RP, CRM_RECORD_FORM, GtkWidget)

/* A form for @record: a new one when its id is 0 (its fields prefill the
 * form), else the stored record to edit. Emits "saved" with the record's
 * id, "cancelled", or (editing) "delete-requested" with the record's id:
 * whoever shows the form asks for confirmation. */
GtkWidget *rp_crm_record_form_new  (RpStore           *store,
                                    const RpCrmRecord *record) G_GNUC_WARN_UNUSED_RESULT;
/* The record as the fields hold it now (id as given). */
RpCrmRecord *rp_crm_record_form_dup_record (RpCrmRecordForm *self) G_GNUC_WARN_UNUSED_RESULT;
/* Presses Save; returns the record's id, or 0 when the form refused (its
 * error is shown). */
gint64     rp_crm_record_form_save (RpCrmRecordForm   *self);

G_END_DECLS
