/* rp-window-compose.c: the main window's compose, reply and forward actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport"

#include "config.h"

#include <glib/gi18n.h>

#include "rp-compose-window.h"
#include "rp-reply.h"
#include "rp-window-compose.h"
#include "rp-window-private.h"

/* Auxiliary methods */

static RpApplication *
window_app (GtkWidget *widget)
{
  return RP_APPLICATION (gtk_window_get_application (GTK_WINDOW (widget)));
}

static void
present_draft (GtkWidget     *widget,
               const RpDraft *draft)
{
  RpComposeWindow *compose = rp_compose_window_new (window_app (widget), draft);

  gtk_window_present (GTK_WINDOW (compose));
}

static void
answer_selected (GtkWidget   *widget,
                 RpReplyKind  kind)
{
  RpWindow *self = RP_WINDOW (widget);
  RpStore *store = rp_application_get_store (window_app (widget));
  g_autoptr(GArray) ids = rp_message_list_get_selected (_rp_window_get_message_list (self));
  g_autoptr(RpDraft) draft = NULL;
  g_autoptr(GError) error = NULL;

  /* Several selected messages have no single answer. */
  if (store == NULL || ids == NULL || ids->len != 1)
    {
      gtk_widget_error_bell (widget);
      return;
    }

  draft = rp_reply_build (store, g_array_index (ids, gint64, 0), kind, &error);
  if (draft == NULL)
    {
      g_warning ("Cannot answer the message: %s", error->message);
      gtk_widget_error_bell (widget);
      return;
    }
  present_draft (widget, draft);
}

static void
compose_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  present_draft (widget, NULL);
}

static void
reply_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  answer_selected (widget, RP_REPLY_SENDER);
}

static void
reply_all_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  answer_selected (widget, RP_REPLY_ALL);
}

static void
forward_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  answer_selected (widget, RP_FORWARD_INLINE);
}

/* Internal API */

void
_rp_window_install_compose_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.compose", NULL, compose_activated);
  gtk_widget_class_install_action (widget_class, "win.reply", NULL, reply_activated);
  gtk_widget_class_install_action (widget_class, "win.reply-all", NULL, reply_all_activated);
  gtk_widget_class_install_action (widget_class, "win.forward", NULL, forward_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.compose", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.reply", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.reply-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK,
                                       "win.forward", NULL);
}
