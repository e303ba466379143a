/* rp-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport"

#include "config.h"

#include <glib/gi18n.h>

#include "rp-window.h"

struct _RpWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  /* Template children */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwLeaflet           *leaflet;
  GtkPaned             *content_paned;
  GtkWidget            *sidebar_box;
  AdwStatusPage        *welcome_page;
};

G_DEFINE_FINAL_TYPE (RpWindow, rp_window, ADW_TYPE_APPLICATION_WINDOW)

/* Auxiliary methods */

static void
rp_window_restore_state (RpWindow *self)
{
  int width = g_settings_get_int (self->settings, "window-width");
  int height = g_settings_get_int (self->settings, "window-height");

  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  gtk_widget_set_size_request (self->sidebar_box,
                               g_settings_get_int (self->settings, "sidebar-width"), -1);
  gtk_paned_set_position (self->content_paned,
                          g_settings_get_int (self->settings, "message-list-width"));
}

static void
rp_window_save_state (RpWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_set_int (self->settings, "message-list-width",
                      gtk_paned_get_position (self->content_paned));
  g_settings_apply (self->settings);
}

/* GtkWindow overrides */

static gboolean
rp_window_close_request (GtkWindow *window)
{
  rp_window_save_state (RP_WINDOW (window));

  return GTK_WINDOW_CLASS (rp_window_parent_class)->close_request (window);
}

/* GObject overrides */

static void
rp_window_dispose (GObject *object)
{
  RpWindow *self = RP_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), RP_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (rp_window_parent_class)->dispose (object);
}

static void
rp_window_class_init (RpWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = rp_window_dispose;
  window_class->close_request = rp_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rapportmail/Rapport/rp-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RpWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RpWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, RpWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, RpWindow, content_paned);
  gtk_widget_class_bind_template_child (widget_class, RpWindow, sidebar_box);
  gtk_widget_class_bind_template_child (widget_class, RpWindow, welcome_page);
}

static void
rp_window_init (RpWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  rp_window_restore_state (self);

  /* With no account there is nothing to show but the greeting. */
  gtk_stack_set_visible_child_name (self->main_stack, "welcome");
}

/* Public API */

RpWindow *
rp_window_new (RpApplication *application)
{
  g_return_val_if_fail (RP_IS_APPLICATION (application), NULL);

  return g_object_new (RP_TYPE_WINDOW, "application", application, NULL);
}

/**
 * rp_window_show_add_account:
 * @self: a #RpWindow
 *
 * Leads the user to adding an account.
 */
void
rp_window_show_add_account (RpWindow *self)
{
  g_return_if_fail (RP_IS_WINDOW (self));

  gtk_stack_set_visible_child_name (self->main_stack, "welcome");
  gtk_widget_grab_focus (GTK_WIDGET (self->welcome_page));
}
