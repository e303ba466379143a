/* rp-paths.c
 *
 * All state lives under the XDG base directories, so that tests isolate
 * themselves by pointing XDG_*_HOME at temporary folders (or, inside a
 * GLib test with G_TEST_OPTION_ISOLATE_DIRS, by GLib's own per-test
 * folders, which is why GLib's getters are used and not the environment).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-paths"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "rp-error.h"
#include "rp-paths.h"

/* Auxiliary methods */

static char *
xdg_dir (const char *base)
{
  return g_build_filename (base, "rapport", NULL);
}

/* Public API */

/**
 * rp_paths_get_data_dir:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/rapport`: the database and messages
 */
char *
rp_paths_get_data_dir (void)
{
  return xdg_dir (g_get_user_data_dir ());
}

/**
 * rp_paths_get_config_dir:
 *
 * Returns: (transfer full): `$XDG_CONFIG_HOME/rapport`
 */
char *
rp_paths_get_config_dir (void)
{
  return xdg_dir (g_get_user_config_dir ());
}

/**
 * rp_paths_get_cache_dir:
 *
 * Returns: (transfer full): `$XDG_CACHE_HOME/rapport`
 */
char *
rp_paths_get_cache_dir (void)
{
  return xdg_dir (g_get_user_cache_dir ());
}

/**
 * rp_paths_ensure:
 * @error: return location for a #GError
 *
 * Creates the three state directories, readable only by the user: they
 * hold private mail and, in the config dir, possibly a password file.
 *
 * Returns: %TRUE on success
 */
gboolean
rp_paths_ensure (GError **error)
{
  g_autofree char *data = rp_paths_get_data_dir ();
  g_autofree char *config = rp_paths_get_config_dir ();
  g_autofree char *cache = rp_paths_get_cache_dir ();
  const char *dirs[] = { data, config, cache };

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      if (g_mkdir_with_parents (dirs[i], 0700) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, RP_ERROR, RP_ERROR_STORE,
                       _("Could not create the folder “%s”: %s"),
                       dirs[i], g_strerror (saved_errno));
          return FALSE;
        }
    }

  return TRUE;
}
