/* rp-crm-task-form.c: the small in-place form that adds a task
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport"

#include "config.h"

#include <glib/gi18n.h>

#include "rp-crm.h"
#include "rp-crm-task-form.h"
#include "rp-crm-util.h"

struct _RpCrmTaskForm
{
  GtkWidget      parent_instance;

  RpStore       *store;
  gint64         record_id;
  gint64         message_id;
  gint64         due;          /* UTC midnight, or 0 */

  /* Template children */
  GtkLabel      *context_label;
  AdwEntryRow   *title_row;
  GtkMenuButton *due_button;
  GtkCalendar   *due_calendar;
  AdwComboRow   *priority_row;
  GtkLabel      *error_label;
};

G_DEFINE_FINAL_TYPE (RpCrmTaskForm, rp_crm_task_form, GTK_TYPE_WIDGET)

enum {
  SAVED,
  CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* iCalendar priorities for the rows of the priority list: none, high,
 * normal, low. */
static const int priorities[] = { 0, 1, 5, 9 };

/* Auxiliary methods */

static void
update_due_button (RpCrmTaskForm *self)
{
  g_autofree char *day = NULL;

  if (self->due == 0)
    {
      gtk_menu_button_set_label (self->due_button, _("None"));
      return;
    }
  day = rp_crm_format_day (self->due, TRUE);
  gtk_menu_button_set_label (self->due_button, day);
}

static void
show_error (RpCrmTaskForm *self,
            const char    *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

static gint64
save (RpCrmTaskForm *self)
{
  g_autoptr(RpCrmTask) task = rp_crm_task_new ();
  g_autoptr(GError) error = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->title_row));
  g_autofree char *title = g_strstrip (g_strdup (text));
  guint priority = adw_combo_row_get_selected (self->priority_row);
  gint64 id;

  if (*title == '\0')
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->title_row), "error");
      show_error (self, _("A task needs a title."));
      gtk_widget_grab_focus (GTK_WIDGET (self->title_row));
      return 0;
    }

  task->record_id = self->record_id;
  task->message_id = self->message_id;
  task->title = g_steal_pointer (&title);
  task->due = self->due;
  task->priority = priority < G_N_ELEMENTS (priorities) ? priorities[priority] : 0;
  id = rp_crm_add_task (self->store, task, &error);
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
on_day_selected (RpCrmTaskForm *self,
                 GtkCalendar   *calendar)
{
  self->due = rp_crm_calendar_get_day (calendar);
  update_due_button (self);
  gtk_menu_button_popdown (self->due_button);
}

static void
on_no_due_clicked (RpCrmTaskForm *self,
                   GtkButton     *button)
{
  self->due = 0;
  update_due_button (self);
  gtk_menu_button_popdown (self->due_button);
}

static void
on_title_changed (RpCrmTaskForm *self,
                  GtkEditable   *editable)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->title_row), "error");
}

static void
on_entry_activated (RpCrmTaskForm *self,
                    AdwEntryRow   *row)
{
  save (self);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  save (RP_CRM_TASK_FORM (widget));
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
rp_crm_task_form_dispose (GObject *object)
{
  RpCrmTaskForm *self = RP_CRM_TASK_FORM (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), RP_TYPE_CRM_TASK_FORM);
  /* The template's top box has no id, so disposing the template does
   * not unparent it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (rp_crm_task_form_parent_class)->dispose (object);
}

static void
rp_crm_task_form_class_init (RpCrmTaskFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rp_crm_task_form_dispose;

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rapportmail/Rapport/rp-crm-task-form.ui");
  gtk_widget_class_bind_template_child (widget_class, RpCrmTaskForm, context_label);
  gtk_widget_class_bind_template_child (widget_class, RpCrmTaskForm, title_row);
  gtk_widget_class_bind_template_child (widget_class, RpCrmTaskForm, due_button);
  gtk_widget_class_bind_template_child (widget_class, RpCrmTaskForm, due_calendar);
  gtk_widget_class_bind_template_child (widget_class, RpCrmTaskForm, priority_row);
  gtk_widget_class_bind_template_child (widget_class, RpCrmTaskForm, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_day_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_no_due_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_title_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);

  gtk_widget_class_install_action (widget_class, "form.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "form.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "form.cancel", NULL);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
rp_crm_task_form_init (RpCrmTaskForm *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_due_button (self);
}

/* Public API */

GtkWidget *
rp_crm_task_form_new (RpStore    *store,
                      gint64      record_id,
                      gint64      message_id,
                      const char *subject)
{
  RpCrmTaskForm *self;

  g_return_val_if_fail (RP_IS_STORE (store), NULL);

  self = g_object_new (RP_TYPE_CRM_TASK_FORM, NULL);
  self->store = g_object_ref (store);
  self->record_id = record_id;
  self->message_id = message_id;

  if (message_id != 0 && subject != NULL && *subject != '\0')
    {
      /* Translators: %s is the subject of the message a task is made from. */
      g_autofree char *context = g_strdup_printf (_("Linked to “%s”"), subject);

      gtk_label_set_text (self->context_label, context);
      gtk_editable_set_text (GTK_EDITABLE (self->title_row), subject);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->context_label), message_id != 0);

  return GTK_WIDGET (self);
}

gint64
rp_crm_task_form_save (RpCrmTaskForm *self,
                       const char    *title)
{
  g_return_val_if_fail (RP_IS_CRM_TASK_FORM (self), 0);

  if (title != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->title_row), title);
  return save (self);
}
