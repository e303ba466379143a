/* rp-crm-note-form.c: the small in-place form that adds a note
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport"

#include "config.h"

#include <glib/gi18n.h>

#include "rp-crm.h"
#include "rp-crm-note-form.h"

struct _RpCrmNoteForm
{
  GtkWidget    parent_instance;

  RpStore     *store;
  gint64       record_id;
  gint64       message_id;

  /* Template children */
  GtkLabel    *context_label;
  GtkTextView *text_view;
  GtkLabel    *error_label;
};

G_DEFINE_FINAL_TYPE (RpCrmNoteForm, rp_crm_note_form, GTK_TYPE_WIDGET)

enum {
  SAVED,
  CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Auxiliary methods */

static void
show_error (RpCrmNoteForm *self,
            const char    *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

static gint64
save (RpCrmNoteForm *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  g_autoptr(RpCrmNote) note = rp_crm_note_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GtkTextIter start, end;
  gint64 id;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  if (*text == '\0')
    {
      show_error (self, _("The note is empty."));
      gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
      return 0;
    }

  note->record_id = self->record_id;
  note->message_id = self->message_id;
  note->text = g_steal_pointer (&text);
  id = rp_crm_add_note (self->store, note, &error);
  if (id == 0)
    {
      show_error (self, error->message);
      return 0;
    }

  g_signal_emit (self, signals[SAVED], 0, id);
  return id;
}

/* Callbacks */

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  save (RP_CRM_NOTE_FORM (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  g_signal_emit (widget, signals[CANCELLED], 0);
}

/* GObject overrides */

static void
rp_crm_note_form_dispose (GObject *object)
{
  RpCrmNoteForm *self = RP_CRM_NOTE_FORM (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), RP_TYPE_CRM_NOTE_FORM);
  /* The template's top box has no id, so disposing the template does
   * not unparent it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (rp_crm_note_form_parent_class)->dispose (object);
}

static void
rp_crm_note_form_class_init (RpCrmNoteFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rp_crm_note_form_dispose;

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rapportmail/Rapport/rp-crm-note-form.ui");
  gtk_widget_class_bind_template_child (widget_class, RpCrmNoteForm, context_label);
  gtk_widget_class_bind_template_child (widget_class, RpCrmNoteForm, text_view);
  gtk_widget_class_bind_template_child (widget_class, RpCrmNoteForm, error_label);

  gtk_widget_class_install_action (widget_class, "form.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "form.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "form.cancel", NULL);
  /* Return makes new lines in a note; Ctrl+Return saves it. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "form.save", NULL);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
rp_crm_note_form_init (RpCrmNoteForm *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

GtkWidget *
rp_crm_note_form_new (RpStore    *store,
                      gint64      record_id,
                      gint64      message_id,
                      const char *subject)
{
  RpCrmNoteForm *self;

  g_return_val_if_fail (RP_IS_STORE (store), NULL);

  self = g_object_new (RP_TYPE_CRM_NOTE_FORM, NULL);
  self->store = g_object_ref (store);
  self->record_id = record_id;
  self->message_id = message_id;

  if (message_id != 0 && subject != NULL && *subject != '\0')
    {
      g_autofree char *context = g_strdup_printf (_("Linked to “%s”"), subject);

      gtk_label_set_text (self->context_label, context);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->context_label),
                          message_id != 0 && subject != NULL && *subject != '\0');

  return GTK_WIDGET (self);
}

gint64
rp_crm_note_form_save (RpCrmNoteForm *self,
                       const char    *text)
{
  g_return_val_if_fail (RP_IS_CRM_NOTE_FORM (self), 0);

  if (text != NULL)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text, -1);
  return save (self);
}
