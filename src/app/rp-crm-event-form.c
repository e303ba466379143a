/* rp-crm-event-form.c: the small in-place form that adds an event
 *
 * The day comes from a calendar, the times from two short entries
 * ("09:30"): GTK 4.8 has no time picker, and typing a time is quicker than
 * spinning one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport"

#include "config.h"

#include <glib/gi18n.h>

#include "rp-crm.h"
#include "rp-crm-event-form.h"
#include "rp-crm-util.h"

struct _RpCrmEventForm
{
  GtkWidget      parent_instance;

  RpStore       *store;
  gint64         record_id;
  char          *address;
  gint64         message_id;
  gint64         day;          /* UTC midnight of the chosen day */

  /* Template children */
  GtkLabel      *context_label;
  AdwEntryRow   *title_row;
  GtkMenuButton *day_button;
  GtkCalendar   *day_calendar;
  AdwEntryRow   *start_row;
  AdwEntryRow   *end_row;
  AdwEntryRow   *location_row;
  GtkLabel      *error_label;
};

G_DEFINE_FINAL_TYPE (RpCrmEventForm, rp_crm_event_form, GTK_TYPE_WIDGET)

enum {
  SAVED,
  CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Auxiliary methods */

static void
update_day_button (RpCrmEventForm *self)
{
  g_autofree char *day = rp_crm_format_day (self->day, TRUE);

  gtk_menu_button_set_label (self->day_button, day);
}

static void
show_error (RpCrmEventForm *self,
            const char     *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

/* "9", "9:30", "09.30" or "0930" → minutes after midnight, or -1. */
static int
parse_time (const char *text)
{
  guint hours = 0, minutes = 0;
  g_autofree char *digits = g_strstrip (g_strdup (text));
  char *end = NULL;

  if (*digits == '\0')
    return -1;
  hours = (guint) g_ascii_strtoull (digits, &end, 10);
  if (*end == ':' || *end == '.')
    {
      const char *rest = end + 1;

      minutes = (guint) g_ascii_strtoull (rest, &end, 10);
      if (end == rest)
        return -1;
    }
  else if (end - digits == 4)
    {
      minutes = hours % 100;
      hours /= 100;
    }
  if (*end != '\0' || hours > 23 || minutes > 59)
    return -1;

  return (int) (hours * 60 + minutes);
}

static gint64
local_time (gint64 day,
            int    minutes)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (day);
  g_autoptr(GDateTime) local = g_date_time_new_local (g_date_time_get_year (utc),
                                                      g_date_time_get_month (utc),
                                                      g_date_time_get_day_of_month (utc),
                                                      minutes / 60, minutes % 60, 0);

  return g_date_time_to_unix (local);
}

static gboolean
check_row (AdwEntryRow *row,
           gboolean     valid)
{
  if (valid)
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  return valid;
}

static gint64
save (RpCrmEventForm *self)
{
  g_autoptr(RpCrmEvent) event = rp_crm_event_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *location = NULL;
  int start = parse_time (gtk_editable_get_text (GTK_EDITABLE (self->start_row)));
  int end = parse_time (gtk_editable_get_text (GTK_EDITABLE (self->end_row)));
  gint64 id;

  title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_row))));
  location = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->location_row))));
  if (!check_row (self->title_row, *title != '\0'))
    {
      show_error (self, _("An event needs a title."));
      return 0;
    }
  if (!check_row (self->start_row, start >= 0) || !check_row (self->end_row, end >= 0))
    {
      show_error (self, _("Enter the times as hours and minutes, like 14:30."));
      return 0;
    }
  if (!check_row (self->end_row, end > start))
    {
      show_error (self, _("The event must end after it starts."));
      return 0;
    }

  event->title = g_steal_pointer (&title);
  event->location = *location != '\0' ? g_steal_pointer (&location) : NULL;
  event->start = local_time (self->day, start);
  event->end = local_time (self->day, end);
  event->message_id = self->message_id;
  if (self->address != NULL)
    {
      const char *attendees[] = { self->address, NULL };

      event->attendees = g_strdupv ((char **) attendees);
    }
  if (self->record_id != 0)
    {
      event->record_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_val (event->record_ids, self->record_id);
    }
  id = rp_crm_save_event (self->store, event, &error);
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
on_day_selected (RpCrmEventForm *self,
                 GtkCalendar    *calendar)
{
  self->day = rp_crm_calendar_get_day (calendar);
  update_day_button (self);
  gtk_menu_button_popdown (self->day_button);
}

static void
on_entry_activated (RpCrmEventForm *self,
                    AdwEntryRow    *row)
{
  save (self);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  save (RP_CRM_EVENT_FORM (widget));
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
rp_crm_event_form_dispose (GObject *object)
{
  RpCrmEventForm *self = RP_CRM_EVENT_FORM (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), RP_TYPE_CRM_EVENT_FORM);
  /* The template's top box has no id, so disposing the template does
   * not unparent it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_pointer (&self->address, g_free);

  G_OBJECT_CLASS (rp_crm_event_form_parent_class)->dispose (object);
}

static void
rp_crm_event_form_class_init (RpCrmEventFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rp_crm_event_form_dispose;

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rapportmail/Rapport/rp-crm-event-form.ui");
  gtk_widget_class_bind_template_child (widget_class, RpCrmEventForm, context_label);
  gtk_widget_class_bind_template_child (widget_class, RpCrmEventForm, title_row);
  gtk_widget_class_bind_template_child (widget_class, RpCrmEventForm, day_button);
  gtk_widget_class_bind_template_child (widget_class, RpCrmEventForm, day_calendar);
  gtk_widget_class_bind_template_child (widget_class, RpCrmEventForm, start_row);
  gtk_widget_class_bind_template_child (widget_class, RpCrmEventForm, end_row);
  gtk_widget_class_bind_template_child (widget_class, RpCrmEventForm, location_row);
  gtk_widget_class_bind_template_child (widget_class, RpCrmEventForm, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_day_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);

  gtk_widget_class_install_action (widget_class, "form.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "form.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "form.cancel", NULL);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
rp_crm_event_form_init (RpCrmEventForm *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Tomorrow morning is the likeliest time for a meeting one plans now. */
  self->day = rp_crm_calendar_get_day (self->day_calendar) + 24 * 60 * 60;
  rp_crm_calendar_set_day (self->day_calendar, self->day);
  update_day_button (self);
  gtk_editable_set_text (GTK_EDITABLE (self->start_row), "10:00");
  gtk_editable_set_text (GTK_EDITABLE (self->end_row), "11:00");
}

/* Public API */

GtkWidget *
rp_crm_event_form_new (RpStore    *store,
                       gint64      record_id,
                       const char *address,
                       gint64      message_id,
                       const char *subject)
{
  RpCrmEventForm *self;

  g_return_val_if_fail (RP_IS_STORE (store), NULL);

  self = g_object_new (RP_TYPE_CRM_EVENT_FORM, NULL);
  self->store = g_object_ref (store);
  self->record_id = record_id;
  self->address = g_strdup (address);
  self->message_id = message_id;

  if (message_id != 0 && subject != NULL && *subject != '\0')
    {
      g_autofree char *context = g_strdup_printf (_("Linked to “%s”"), subject);

      gtk_label_set_text (self->context_label, context);
      gtk_editable_set_text (GTK_EDITABLE (self->title_row), subject);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->context_label),
                          message_id != 0 && subject != NULL && *subject != '\0');

  return GTK_WIDGET (self);
}

gint64
rp_crm_event_form_save (RpCrmEventForm *self,
                        const char     *title,
                        const char     *start,
                        const char     *end)
{
  g_return_val_if_fail (RP_IS_CRM_EVENT_FORM (self), 0);

  if (title != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->title_row), title);
  if (start != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->start_row), start);
  if (end != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->end_row), end);
  return save (self);
}
