/* rp-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "rp-core.h"
#include "rp-application.h"
#include "rp-compose-window.h"
#include "rp-preferences-window.h"
#include "rp-reply.h"
#include "rp-window.h"

struct _RpApplication
{
  AdwApplication  parent_instance;

  RpStore        *store;
  RpSecrets      *secrets;
  RpFetcher      *fetcher;
  RpScheduler    *scheduler;
  /* Why the store could not be opened, shown by the window. */
  GError         *store_error;

  guint           sigterm_source;
  guint           sigint_source;
};

G_DEFINE_FINAL_TYPE (RpApplication, rp_application, ADW_TYPE_APPLICATION)

/* Callbacks */

static gboolean
on_quit_signal (gpointer user_data)
{
  RpApplication *self = RP_APPLICATION (user_data);

  /* A session manager or a test asks politely: close windows so that they
   * save their state, then leave the main loop with status 0. */
  g_application_quit (G_APPLICATION (self));
  return G_SOURCE_CONTINUE;
}

static void
rp_application_quit_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  RpApplication *self = RP_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Destroy windows first so that each saves its geometry. */
  for (GList *l = windows; l != NULL;)
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_destroy (window);
    }

  g_application_quit (G_APPLICATION (self));
}

static void
rp_application_about_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  RpApplication *self = RP_APPLICATION (user_data);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The Rapport developers", NULL };

  adw_show_about_window (window,
                         "application-name", "Rapport",
                         "application-icon", APP_ID,
                         "developer-name", _("The Rapport developers"),
                         "version", PACKAGE_VERSION,
                         "developers", developers,
                         "comments", _("Your mail, next to the people you write to."),
                         "copyright", "© 2026 The Rapport developers",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
rp_application_add_account_action (GSimpleAction *action,
                                   GVariant      *parameter,
                                   gpointer       user_data)
{
  RpApplication *self = RP_APPLICATION (user_data);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (RP_IS_WINDOW (window))
    rp_window_show_add_account (RP_WINDOW (window));
}

static void
rp_application_fetch_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  RpApplication *self = RP_APPLICATION (user_data);

  if (self->scheduler != NULL)
    rp_scheduler_fetch_now (self->scheduler, NULL);
}

/* The preferences; with an account id (app.account-settings), that
 * account's settings. */
static void
rp_application_preferences_action (GSimpleAction *action,
                                   GVariant      *parameter,
                                   gpointer       user_data)
{
  RpApplication *self = RP_APPLICATION (user_data);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  RpPreferencesWindow *preferences = rp_preferences_window_present (self, window);

  if (preferences != NULL && parameter != NULL)
    rp_preferences_window_show_account (preferences, g_variant_get_int64 (parameter));
}

static const GActionEntry app_actions[] = {
  { "fetch", rp_application_fetch_action },
  { "quit", rp_application_quit_action },
  { "about", rp_application_about_action },
  { "add-account", rp_application_add_account_action },
  { "preferences", rp_application_preferences_action },
  { "account-settings", rp_application_preferences_action, "x" },
};

/* GApplication overrides */

static void
rp_application_startup (GApplication *application)
{
  RpApplication *self = RP_APPLICATION (application);
  g_autoptr(GError) error = NULL;

  G_APPLICATION_CLASS (rp_application_parent_class)->startup (application);

  g_set_application_name ("Rapport");
  gtk_window_set_default_icon_name (APP_ID);

  if (!rp_paths_ensure (&error))
    g_warning ("%s", error->message);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay",
                                         (const char *[]) { "<Control>question", NULL });

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.fetch",
                                         (const char *[]) { "F5", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         (const char *[]) { "<Control>comma", NULL });

  /* Without a store there is nothing to show but the reason; the window
   * reports it instead of the app failing to start. */
  self->store = rp_store_open_sync (NULL, NULL, &self->store_error);
  if (self->store != NULL)
    {
      self->secrets = rp_secrets_new (RP_SECRETS_BACKEND_AUTO);
      self->fetcher = rp_fetcher_new (self->store, self->secrets);
      self->scheduler = rp_scheduler_new (self->fetcher, self->store);
      rp_scheduler_start (self->scheduler);
    }
  else
    {
      g_warning ("%s", self->store_error->message);
    }

  self->sigterm_source = g_unix_signal_add (SIGTERM, on_quit_signal, self);
  self->sigint_source = g_unix_signal_add (SIGINT, on_quit_signal, self);
}

static void
rp_application_shutdown (GApplication *application)
{
  RpApplication *self = RP_APPLICATION (application);

  g_clear_handle_id (&self->sigterm_source, g_source_remove);
  g_clear_handle_id (&self->sigint_source, g_source_remove);

  if (self->scheduler != NULL)
    rp_scheduler_stop (self->scheduler);
  g_clear_object (&self->scheduler);
  g_clear_object (&self->fetcher);
  g_clear_object (&self->secrets);
  g_clear_object (&self->store);
  g_clear_error (&self->store_error);

  G_APPLICATION_CLASS (rp_application_parent_class)->shutdown (application);
}

static void
rp_application_activate (GApplication *application)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    window = GTK_WINDOW (rp_window_new (RP_APPLICATION (application)));

  gtk_window_present (window);
}

static void
rp_application_open (GApplication  *application,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  gboolean composed = FALSE;

  /* mailto: URIs arrive here, also from a second instance (GApplication
   * forwards "open" to the running one): each gets a compose window. */
  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *uri = g_file_get_uri (files[i]);
      g_autoptr(RpDraft) draft = NULL;
      g_autoptr(GError) error = NULL;

      if (!g_file_has_uri_scheme (files[i], "mailto"))
        continue;
      draft = rp_draft_new_from_mailto (uri, &error);
      if (draft == NULL)
        {
          g_warning ("Ignoring a mailto: link: %s", error->message);
          continue;
        }
      gtk_window_present (GTK_WINDOW (rp_compose_window_new (RP_APPLICATION (application),
                                                             draft)));
      composed = TRUE;
    }

  /* Anything else (or nothing usable) shows the main window. */
  if (!composed)
    rp_application_activate (application);
}

static void
rp_application_class_init (RpApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->startup = rp_application_startup;
  app_class->shutdown = rp_application_shutdown;
  app_class->activate = rp_application_activate;
  app_class->open = rp_application_open;
}

static void
rp_application_init (RpApplication *self)
{
}

/* Public API */

RpApplication *
rp_application_new (void)
{
  return g_object_new (RP_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/org/rapportmail/Rapport",
                       NULL);
}

/**
 * rp_application_get_store:
 * @self: a #RpApplication
 *
 * Returns: (transfer none) (nullable): the mail store, or %NULL when it
 *   could not be opened (see rp_application_get_store_error())
 */
RpStore *
rp_application_get_store (RpApplication *self)
{
  g_return_val_if_fail (RP_IS_APPLICATION (self), NULL);

  return self->store;
}

/**
 * rp_application_get_store_error:
 * @self: a #RpApplication
 *
 * Returns: (transfer none) (nullable): why the store could not be opened
 */
const GError *
rp_application_get_store_error (RpApplication *self)
{
  g_return_val_if_fail (RP_IS_APPLICATION (self), NULL);

  return self->store_error;
}

/**
 * rp_application_get_secrets:
 * @self: a #RpApplication
 *
 * Returns: (transfer none) (nullable): the password store
 */
RpSecrets *
rp_application_get_secrets (RpApplication *self)
{
  g_return_val_if_fail (RP_IS_APPLICATION (self), NULL);

  return self->secrets;
}

/**
 * rp_application_get_fetcher:
 * @self: a #RpApplication
 *
 * Returns: (transfer none) (nullable): the POP3 fetcher
 */
RpFetcher *
rp_application_get_fetcher (RpApplication *self)
{
  g_return_val_if_fail (RP_IS_APPLICATION (self), NULL);

  return self->fetcher;
}

/**
 * rp_application_get_scheduler:
 * @self: a #RpApplication
 *
 * Returns: (transfer none) (nullable): the scheduler that polls accounts
 */
RpScheduler *
rp_application_get_scheduler (RpApplication *self)
{
  g_return_val_if_fail (RP_IS_APPLICATION (self), NULL);

  return self->scheduler;
}
