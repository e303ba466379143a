/* rp-crm-note-form.h: the small in-place form that adds a note
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rp-core.h"

G_BEGIN_DECLS

#define RP_TYPE_CRM_NOTE_FORM (rp_crm_note_form_get_type ())

G_DECLARE_FINAL_TYPE (RpCrmNoteForm, rp_crm_note_form, RP, CRM_NOTE_FORM, GtkWidget)

/* A form adding a note to @record_id, linked to @message_id (0: none;
 * @subject, nullable, names it). Emits "saved" with the new note's id, or
 * "cancelled". */
GtkWidget *rp_crm_note_form_new  (RpStore       *store,
                                  gint64         record_id,
                                  gint64         message_id,
                                  const char    *subject) G_GNUC_WARN_UNUSED_RESULT;
/* For tests: fills the text (when not NULL) and presses Save; returns the
 * new note's id, or 0 when the form refused. */
gint64     rp_crm_note_form_save (RpCrmNoteForm *self,
                                  const char    *text);

G_END_DECLS
