/* rp-crm-record-form.c: the form that adds or edits a contact or lead
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rp-crm-record-form.h"
#include "rp-crm-util.h"

struct _RpCrmRecordForm
{
  GtkWidget    parent_instance;

  RpStore     *store;
  RpCrmRecord *record;    /* the record as given: id, and fields the form does not show */

  /* Template children */
  GtkLabel    *heading_label;
  AdwComboRow *kind_row;
  AdwEntryRow *name_row;
  AdwEntryRow *emails_row;
  AdwEntryRow *phone_row;
  AdwEntryRow *company_row;
  AdwEntryRow *job_title_row;
  AdwComboRow *status_row;
  GtkLabel    *error_label;
  GtkButton   *delete_button;
  GtkButton   *save_button;
};

G_DEFINE_FINAL_TYPE (RpCrmRecordForm, rp_crm_record_form, GTK_TYPE_WIDGET)

enum {
  SAVED,
  CANCELLED,
  DELETE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Auxiliary methods */

static char *
dup_field (AdwEntryRow *row)
{
  char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

static void
set_field (AdwEntryRow *row,
           const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

static void
show_error (RpCrmRecordForm *self,
            const char      *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

static void
update_kind (RpCrmRecordForm *self)
{
  gboolean lead = adw_combo_row_get_selected (self->kind_row) == RP_CRM_KIND_LEAD;

  /* Only leads have a status worth showing. */
  gtk_widget_set_visible (GTK_WIDGET (self->status_row), lead);
  if (self->record->id != 0)
    gtk_label_set_text (self->heading_label, lead ? _("Edit Lead") : _("Edit Contact"));
  else
    gtk_label_set_text (self->heading_label, lead ? _("New Lead") : _("New Contact"));
  /* Short: the heading says what is added, and the buttons must fit the
   * sidebar's narrowest width in any language. */
  gtk_button_set_label (self->save_button, self->record->id != 0 ? _("_Save") : _("_Add"));
}

static gboolean
valid_address (const char *address)
{
  const char *at = strchr (address, '@');

  return at != NULL && at != address && at[1] != '\0' && strchr (at + 1, '@') == NULL;
}

static gint64
save (RpCrmRecordForm *self)
{
  g_autoptr(RpCrmRecord) record = rp_crm_record_form_dup_record (self);
  g_autoptr(GError) error = NULL;

  if (record->name == NULL && record->emails[0] == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "error");
      show_error (self, _("Enter a name or an email address."));
      return 0;
    }
  for (guint i = 0; record->emails[i] != NULL; i++)
    if (!valid_address (record->emails[i]))
      {
        g_autofree char *message = g_strdup_printf (_("“%s” is not an email address."),
                                                    record->emails[i]);

        gtk_widget_add_css_class (GTK_WIDGET (self->emails_row), "error");
        show_error (self, message);
        return 0;
      }
  /* The record's name is never empty: the address stands in. */
  if (record->name == NULL)
    record->name = g_strdup (record->emails[0]);

  if (record->id == 0)
    {
      if (rp_crm_add_record (self->store, record, &error) == 0)
        {
          show_error (self, error->message);
          return 0;
        }
    }
  else
    {
      /* A lead that became a contact is converted, which keeps its history
       * in one step; the other fields are written after. */
      if (self->record->kind == RP_CRM_KIND_LEAD && record->kind == RP_CRM_KIND_CONTACT &&
          !rp_crm_convert_lead (self->store, record->id, &error))
        {
          show_error (self, error->message);
          return 0;
        }
      if (!rp_crm_update_record (self->store, record, &error))
        {
          show_error (self, error->message);
          return 0;
        }
    }

  g_signal_emit (self, signals[SAVED], 0, record->id);
  return record->id;
}

/* Callbacks */

static void
on_kind_changed (RpCrmRecordForm *self,
                 GParamSpec      *pspec,
                 AdwComboRow     *row)
{
  update_kind (self);
}

static void
on_field_changed (RpCrmRecordForm *self,
                  GtkEditable     *editable)
{
  gtk_widget_remove_css_class (GTK_WIDGET (editable), "error");
}

static void
on_entry_activated (RpCrmRecordForm *self,
                    AdwEntryRow     *row)
{
  save (self);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  save (RP_CRM_RECORD_FORM (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  g_signal_emit (widget, signals[CANCELLED], 0);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RpCrmRecordForm *self = RP_CRM_RECORD_FORM (widget);

  if (self->record->id != 0)
    g_signal_emit (widget, signals[DELETE_REQUESTED], 0, self->record->id);
}

/* GObject overrides */

static void
rp_crm_record_form_dispose (GObject *object)
{
  RpCrmRecordForm *self = RP_CRM_RECORD_FORM (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), RP_TYPE_CRM_RECORD_FORM);
  /* The template's top box has no id, so disposing the template does
   * not unparent it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_pointer (&self->record, rp_crm_record_free);

  G_OBJECT_CLASS (rp_crm_record_form_parent_class)->dispose (object);
}

static void
rp_crm_record_form_class_init (RpCrmRecordFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rp_crm_record_form_dispose;

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[DELETE_REQUESTED] = g_signal_new ("delete-requested", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rapportmail/Rapport/rp-crm-record-form.ui");
  gtk_widget_class_bind_template_child (widget_class, RpCrmRecordForm, heading_label);
  gtk_widget_class_bind_template_child (widget_class, RpCrmRecordForm, kind_row);
  gtk_widget_class_bind_template_child (widget_class, RpCrmRecordForm, name_row);
  gtk_widget_class_bind_template_child (widget_class, RpCrmRecordForm, emails_row);
  gtk_widget_class_bind_template_child (widget_class, RpCrmRecordForm, phone_row);
  gtk_widget_class_bind_template_child (widget_class, RpCrmRecordForm, company_row);
  gtk_widget_class_bind_template_child (widget_class, RpCrmRecordForm, job_title_row);
  gtk_widget_class_bind_template_child (widget_class, RpCrmRecordForm, status_row);
  gtk_widget_class_bind_template_child (widget_class, RpCrmRecordForm, error_label);
  gtk_widget_class_bind_template_child (widget_class, RpCrmRecordForm, delete_button);
  gtk_widget_class_bind_template_child (widget_class, RpCrmRecordForm, save_button);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);

  gtk_widget_class_install_action (widget_class, "form.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "form.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "form.delete", NULL, delete_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "form.cancel", NULL);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
rp_crm_record_form_init (RpCrmRecordForm *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

GtkWidget *
rp_crm_record_form_new (RpStore           *store,
                        const RpCrmRecord *record)
{
  RpCrmRecordForm *self;
  g_autofree char *emails = NULL;

  g_return_val_if_fail (RP_IS_STORE (store), NULL);
  g_return_val_if_fail (record != NULL, NULL);

  self = g_object_new (RP_TYPE_CRM_RECORD_FORM, NULL);
  self->store = g_object_ref (store);
  self->record = rp_crm_record_copy (record);

  adw_combo_row_set_selected (self->kind_row, record->kind);
  adw_combo_row_set_selected (self->status_row, record->status);
  set_field (self->name_row, record->name);
  emails = record->emails != NULL ? g_strjoinv (", ", record->emails) : NULL;
  set_field (self->emails_row, emails);
  set_field (self->phone_row, record->phone);
  set_field (self->company_row, record->company);
  set_field (self->job_title_row, record->job_title);
  gtk_widget_set_visible (GTK_WIDGET (self->delete_button), record->id != 0);
  update_kind (self);

  return GTK_WIDGET (self);
}

RpCrmRecord *
rp_crm_record_form_dup_record (RpCrmRecordForm *self)
{
  RpCrmRecord *record;
  g_autofree char *emails = NULL;

  g_return_val_if_fail (RP_IS_CRM_RECORD_FORM (self), NULL);

  record = rp_crm_record_copy (self->record);
  record->kind = adw_combo_row_get_selected (self->kind_row) == RP_CRM_KIND_LEAD
                 ? RP_CRM_KIND_LEAD : RP_CRM_KIND_CONTACT;
  record->status = (RpCrmLeadStatus) MIN (adw_combo_row_get_selected (self->status_row),
                                          RP_CRM_LEAD_LOST);
  g_free (record->name);
  record->name = dup_field (self->name_row);
  emails = dup_field (self->emails_row);
  g_strfreev (record->emails);
  record->emails = rp_crm_split_addresses (emails);
  g_free (record->phone);
  record->phone = dup_field (self->phone_row);
  g_free (record->company);
  record->company = dup_field (self->company_row);
  g_free (record->job_title);
  record->job_title = dup_field (self->job_title_row);

  return record;
}

gint64
rp_crm_record_form_save (RpCrmRecordForm *self)
{
  g_return_val_if_fail (RP_IS_CRM_RECORD_FORM (self), 0);

  return save (self);
}
