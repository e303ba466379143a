/* rp-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <locale.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "rp-test-util.h"

/**
 * rp_test_init:
 *
 * g_test_init() with isolated XDG folders (each test gets its own
 * temporary XDG_*_HOME, removed afterwards) and the C locale, so that
 * assertions on messages are not translated.
 */
void
rp_test_init (int    *argc,
              char ***argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
}

/**
 * rp_test_make_tmpdir:
 * @prefix: a short name for the folder
 *
 * Returns: (transfer full): a new folder under the system temp dir
 */
char *
rp_test_make_tmpdir (const char *prefix)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpl = g_strdup_printf ("rapport-%s-XXXXXX", prefix);
  char *dir = g_dir_make_tmp (tmpl, &error);

  g_assert_no_error (error);
  return dir;
}

/**
 * rp_test_rm_rf:
 * @path: a file or folder
 *
 * Removes @path and everything below it; missing paths are fine.
 */
void
rp_test_rm_rf (const char *path)
{
  GDir *dir;
  const char *name;

  if (path == NULL)
    return;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_unlink (path);
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          rp_test_rm_rf (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

/**
 * rp_test_sha256_bytes:
 *
 * Returns: (transfer full): the hex SHA-256 of @bytes
 */
char *
rp_test_sha256_bytes (GBytes *bytes)
{
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

/**
 * rp_test_sha256_file:
 *
 * Returns: (transfer full): the hex SHA-256 of the file at @path
 */
char *
rp_test_sha256_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}
