/* rp-message-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport"

#include "config.h"

#include <glib/gi18n.h>

#include "rp-message-row.h"

struct _RpMessageRow
{
  GtkWidget       parent_instance;

  RpMessageItem  *item;
  GSignalGroup   *item_signals;

  /* Template children */
  GtkLabel       *sender_label;
  GtkLabel       *date_label;
  GtkLabel       *thread_label;
  GtkLabel       *subject_label;
  GtkLabel       *snippet_label;
  GtkWidget      *flag_icon;
  GtkWidget      *attachment_icon;
};

G_DEFINE_FINAL_TYPE (RpMessageRow, rp_message_row, GTK_TYPE_WIDGET)

/* Auxiliary methods */

static void
rp_message_row_update (RpMessageRow *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = NULL;
  const char *subject;
  gboolean unread;
  guint thread_count;

  if (self->item == NULL)
    return;

  unread = rp_message_item_get_unread (self->item);
  subject = rp_message_item_get_subject (self->item);
  date = rp_message_row_format_date (rp_message_item_get_date (self->item), now);

  gtk_label_set_label (self->sender_label, rp_message_item_get_sender (self->item));
  gtk_label_set_label (self->subject_label,
                       subject != NULL && *subject != '\0' ? subject : _("(No Subject)"));
  gtk_label_set_label (self->snippet_label, rp_message_item_get_snippet (self->item));
  gtk_label_set_label (self->date_label, date);
  /* A conversation row counts its messages; a lone message shows none. */
  thread_count = rp_message_item_get_thread_count (self->item);
  if (thread_count > 1)
    {
      g_autofree char *count = g_strdup_printf ("%u", thread_count);

      gtk_label_set_label (self->thread_label, count);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->thread_label), thread_count > 1);
  gtk_widget_set_visible (self->flag_icon, rp_message_item_get_flagged (self->item));
  gtk_widget_set_visible (self->attachment_icon,
                          rp_message_item_get_has_attachment (self->item));

  /* Unread mail stands out by weight, as in every mail client. */
  if (unread)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->sender_label), "heading");
      gtk_widget_add_css_class (GTK_WIDGET (self), "unread");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->sender_label), "heading");
      gtk_widget_remove_css_class (GTK_WIDGET (self), "unread");
    }
}

/* Callbacks */

/* The tooltips are made when asked for. Setting a widget's tooltip text
 * asks the X server where the pointer is, and a list view builds two
 * hundred rows before its first frame: hundreds of round trips, which on a
 * busy machine took the better part of a second. */
static gboolean
on_query_tooltip (GtkWidget    *widget,
                  int           x,
                  int           y,
                  gboolean      keyboard_mode,
                  GtkTooltip   *tooltip,
                  RpMessageRow *self)
{
  if (widget == self->attachment_icon)
    gtk_tooltip_set_text (tooltip, _("Has attachments"));
  else if (widget == self->flag_icon)
    gtk_tooltip_set_text (tooltip, _("Flagged"));
  else if (widget == GTK_WIDGET (self->thread_label) && self->item != NULL)
    {
      guint thread_count = rp_message_item_get_thread_count (self->item);
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u message in this conversation",
                                                            "%u messages in this conversation",
                                                            thread_count),
                                               thread_count);

      gtk_tooltip_set_text (tooltip, text);
    }
  else
    return FALSE;

  return TRUE;
}

static void
on_item_notify (GObject    *item,
                GParamSpec *pspec,
                gpointer    user_data)
{
  rp_message_row_update (RP_MESSAGE_ROW (user_data));
}

/* GObject overrides */

static void
rp_message_row_dispose (GObject *object)
{
  RpMessageRow *self = RP_MESSAGE_ROW (object);
  GtkWidget *child;

  g_clear_object (&self->item_signals);
  g_clear_object (&self->item);
  gtk_widget_dispose_template (GTK_WIDGET (self), RP_TYPE_MESSAGE_ROW);
  /* The template's top box has no id, so disposing the template does
   * not unparent it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (rp_message_row_parent_class)->dispose (object);
}

static void
rp_message_row_class_init (RpMessageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rp_message_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rapportmail/Rapport/rp-message-row.ui");
  gtk_widget_class_bind_template_child (widget_class, RpMessageRow, sender_label);
  gtk_widget_class_bind_template_child (widget_class, RpMessageRow, date_label);
  gtk_widget_class_bind_template_child (widget_class, RpMessageRow, thread_label);
  gtk_widget_class_bind_template_child (widget_class, RpMessageRow, subject_label);
  gtk_widget_class_bind_template_child (widget_class, RpMessageRow, snippet_label);
  gtk_widget_class_bind_template_child (widget_class, RpMessageRow, flag_icon);
  gtk_widget_class_bind_template_child (widget_class, RpMessageRow, attachment_icon);
  gtk_widget_class_bind_template_callback (widget_class, on_query_tooltip);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
rp_message_row_init (RpMessageRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->item_signals = g_signal_group_new (RP_TYPE_MESSAGE_ITEM);
  g_signal_group_connect (self->item_signals, "notify", G_CALLBACK (on_item_notify), self);
}

/* Public API */

GtkWidget *
rp_message_row_new (void)
{
  return g_object_new (RP_TYPE_MESSAGE_ROW, NULL);
}

/**
 * rp_message_row_set_item:
 * @self: a #RpMessageRow
 * @item: (nullable): the message to show
 */
void
rp_message_row_set_item (RpMessageRow  *self,
                         RpMessageItem *item)
{
  g_return_if_fail (RP_IS_MESSAGE_ROW (self));
  g_return_if_fail (item == NULL || RP_IS_MESSAGE_ITEM (item));

  if (!g_set_object (&self->item, item))
    return;

  g_signal_group_set_target (self->item_signals, item);
  rp_message_row_update (self);
}

RpMessageItem *
rp_message_row_get_item (RpMessageRow *self)
{
  g_return_val_if_fail (RP_IS_MESSAGE_ROW (self), NULL);

  return self->item;
}

/**
 * rp_message_row_format_date:
 * @unix_time: when the message was sent
 * @now: the current local time
 *
 * Returns: the time of day for a message of today, else the locale's date
 */
char *
rp_message_row_format_date (gint64     unix_time,
                            GDateTime *now)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (unix_time);

  if (dt == NULL)
    return g_strdup ("");

  if (g_date_time_get_year (dt) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (dt) == g_date_time_get_day_of_year (now))
    return g_date_time_format (dt, "%R");

  return g_date_time_format (dt, "%x");
}
