/* rp-secrets.c
 *
 * The keyring is reached through libsecret. On a headless machine (no
 * session bus, or nobody owning org.freedesktop.secrets and nothing to
 * activate it) passwords go to $XDG_CONFIG_HOME/rapport/passwords, mode
 * 0600, and one warning says so. Reachability is decided with a one-second
 * D-Bus probe rather than by letting libsecret time out after 25 seconds.
 * Passwords never reach the database or a log.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-secrets"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "rp-error.h"
#include "rp-paths.h"
#include "rp-secrets.h"

#define PASSWORD_FILE "passwords"

struct _RpSecrets
{
  GObject           parent_instance;

  RpSecretsBackend  backend;
  GMutex            file_lock;   /* the file fallback is read-modify-write */
};

G_DEFINE_FINAL_TYPE (RpSecrets, rp_secrets, G_TYPE_OBJECT)

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "org.rapportmail.Rapport.Password", SECRET_SCHEMA_NONE,
    {
      { "service", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "key", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

/* Auxiliary methods */

static gboolean
keyring_reachable (void)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) names = NULL;
  gboolean has_owner = FALSE;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    return FALSE;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (bus == NULL)
    return FALSE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, 1000,
                                       NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has_owner);
  if (has_owner)
    return TRUE;

  names = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "ListActivatableNames", NULL,
                                       G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE, 1000,
                                       NULL, NULL);
  if (names != NULL)
    {
      g_autofree const char **list = NULL;

      g_variant_get (names, "(^a&s)", &list);
      for (guint i = 0; list != NULL && list[i] != NULL; i++)
        if (g_str_equal (list[i], "org.freedesktop.secrets"))
          return TRUE;
    }

  return FALSE;
}

static char *
password_file_path (void)
{
  g_autofree char *dir = rp_paths_get_config_dir ();

  return g_build_filename (dir, PASSWORD_FILE, NULL);
}

static GKeyFile *
load_file (GError **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *path = password_file_path ();
  g_autoptr(GError) local_error = NULL;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &local_error) &&
      !g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_set_error (error, RP_ERROR, RP_ERROR_STORE,
                   _("The password file “%s” could not be read: %s"), path, local_error->message);
      return NULL;
    }

  return g_steal_pointer (&file);
}

static gboolean
save_file (GKeyFile  *file,
           GError   **error)
{
  g_autofree char *path = password_file_path ();
  g_autofree char *tmp = g_strconcat (path, ".tmp", NULL);
  g_autofree char *data = NULL;
  gsize length;
  int fd;

  if (!rp_paths_ensure (error))
    return FALSE;

  data = g_key_file_to_data (file, &length, NULL);

  /* Created 0600 from the start: the password never exists readable by
   * others, not even for a moment. */
  fd = g_open (tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0 || write (fd, data, length) != (gssize) length || fsync (fd) != 0)
    {
      int saved_errno = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, RP_ERROR, RP_ERROR_STORE,
                   _("The password file “%s” could not be written: %s"), path,
                   g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);
  g_chmod (tmp, 0600);

  if (g_rename (tmp, path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, RP_ERROR, RP_ERROR_STORE,
                   _("The password file “%s” could not be written: %s"), path,
                   g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

static void
map_secret_error (GError    **error,
                  GError     *secret_error)
{
  g_set_error (error, RP_ERROR, RP_ERROR_STORE,
               _("The keyring refused the password: %s"), secret_error->message);
}

/* GObject overrides */

static void
rp_secrets_finalize (GObject *object)
{
  RpSecrets *self = RP_SECRETS (object);

  g_mutex_clear (&self->file_lock);

  G_OBJECT_CLASS (rp_secrets_parent_class)->finalize (object);
}

static void
rp_secrets_class_init (RpSecretsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rp_secrets_finalize;
}

static void
rp_secrets_init (RpSecrets *self)
{
  g_mutex_init (&self->file_lock);
}

/* Public API */

/**
 * rp_secrets_new:
 * @backend: where passwords go; %RP_SECRETS_BACKEND_AUTO decides by probing
 *
 * Returns: (transfer full): a password store
 */
RpSecrets *
rp_secrets_new (RpSecretsBackend backend)
{
  RpSecrets *self = g_object_new (RP_TYPE_SECRETS, NULL);
  const char *forced = g_getenv ("RAPPORT_SECRETS");

  if (backend == RP_SECRETS_BACKEND_AUTO && forced != NULL)
    {
      if (g_str_equal (forced, "file"))
        backend = RP_SECRETS_BACKEND_FILE;
      else if (g_str_equal (forced, "keyring"))
        backend = RP_SECRETS_BACKEND_KEYRING;
    }

  if (backend == RP_SECRETS_BACKEND_AUTO)
    {
      backend = keyring_reachable () ? RP_SECRETS_BACKEND_KEYRING : RP_SECRETS_BACKEND_FILE;
      if (backend == RP_SECRETS_BACKEND_FILE)
        {
          static gsize warned = 0;

          if (g_once_init_enter (&warned))
            {
              g_autofree char *path = password_file_path ();

              /* A message, not a g_warning(): this is the machine's state,
               * not a programming error, and warnings are fatal in tests. */
              g_message (_("No keyring (Secret Service) is reachable: passwords are kept in "
                           "“%s”, readable only by you."), path);
              g_once_init_leave (&warned, 1);
            }
        }
    }

  self->backend = backend;
  return self;
}

RpSecretsBackend
rp_secrets_get_backend (RpSecrets *self)
{
  g_return_val_if_fail (RP_IS_SECRETS (self), RP_SECRETS_BACKEND_FILE);

  return self->backend;
}

gboolean
rp_secrets_store_sync (RpSecrets     *self,
                       const char    *service,
                       const char    *key,
                       const char    *password,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_return_val_if_fail (RP_IS_SECRETS (self), FALSE);
  g_return_val_if_fail (service != NULL && key != NULL && password != NULL, FALSE);

  if (self->backend == RP_SECRETS_BACKEND_KEYRING)
    {
      g_autoptr(GError) secret_error = NULL;
      g_autofree char *label = g_strdup_printf ("Rapport %s password for %s", service, key);

      if (!secret_password_store_sync (get_schema (), SECRET_COLLECTION_DEFAULT, label, password,
                                       cancellable, &secret_error,
                                       "service", service, "key", key, NULL))
        {
          map_secret_error (error, secret_error);
          return FALSE;
        }
      return TRUE;
    }
  else
    {
      g_autoptr(GKeyFile) file = NULL;
      gboolean ok;

      g_mutex_lock (&self->file_lock);
      file = load_file (error);
      ok = file != NULL;
      if (ok)
        {
          g_key_file_set_string (file, service, key, password);
          ok = save_file (file, error);
        }
      g_mutex_unlock (&self->file_lock);
      return ok;
    }
}

char *
rp_secrets_lookup_sync (RpSecrets     *self,
                        const char    *service,
                        const char    *key,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_return_val_if_fail (RP_IS_SECRETS (self), NULL);
  g_return_val_if_fail (service != NULL && key != NULL, NULL);

  if (self->backend == RP_SECRETS_BACKEND_KEYRING)
    {
      g_autoptr(GError) secret_error = NULL;
      char *password = secret_password_lookup_sync (get_schema (), cancellable, &secret_error,
                                                    "service", service, "key", key, NULL);
      char *copy;

      if (secret_error != NULL)
        {
          map_secret_error (error, secret_error);
          return NULL;
        }
      copy = g_strdup (password);
      secret_password_free (password);
      return copy;
    }
  else
    {
      g_autoptr(GKeyFile) file = NULL;
      char *password = NULL;

      g_mutex_lock (&self->file_lock);
      file = load_file (error);
      if (file != NULL)
        password = g_key_file_get_string (file, service, key, NULL);
      g_mutex_unlock (&self->file_lock);
      return password;
    }
}

gboolean
rp_secrets_clear_sync (RpSecrets     *self,
                       const char    *service,
                       const char    *key,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_return_val_if_fail (RP_IS_SECRETS (self), FALSE);

  if (self->backend == RP_SECRETS_BACKEND_KEYRING)
    {
      g_autoptr(GError) secret_error = NULL;

      secret_password_clear_sync (get_schema (), cancellable, &secret_error,
                                  "service", service, "key", key, NULL);
      if (secret_error != NULL)
        {
          map_secret_error (error, secret_error);
          return FALSE;
        }
      return TRUE;
    }
  else
    {
      g_autoptr(GKeyFile) file = NULL;
      gboolean ok;

      g_mutex_lock (&self->file_lock);
      file = load_file (error);
      ok = file != NULL;
      if (ok && g_key_file_remove_key (file, service, key, NULL))
        ok = save_file (file, error);
      g_mutex_unlock (&self->file_lock);
      return ok;
    }
}
