/* test-paths.c
 *
 * That the folders follow XDG_*_HOME in a real process is checked by
 * test-cli.sh ("paths follows XDG_DATA_HOME"); here, inside GLib's isolated
 * test folders, the layout and the permissions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "rp-core.h"
#include "rp-test-util.h"

static void
test_paths_layout_and_modes (void)
{
  g_autofree char *data = rp_paths_get_data_dir ();
  g_autofree char *config = rp_paths_get_config_dir ();
  g_autofree char *cache = rp_paths_get_cache_dir ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "rapport", NULL);
  g_autoptr(GError) error = NULL;
  struct stat st;

  g_assert_cmpstr (data, ==, expected);
  g_assert_true (g_str_has_prefix (config, g_get_user_config_dir ()));
  g_assert_true (g_str_has_prefix (cache, g_get_user_cache_dir ()));
  g_assert_true (g_str_has_suffix (config, "/rapport"));

  g_assert_true (rp_paths_ensure (&error));
  g_assert_no_error (error);
  g_assert_cmpint (stat (config, &st), ==, 0);
  /* Private mail and possibly a password file: the user only. */
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_true (g_file_test (data, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_test (cache, G_FILE_TEST_IS_DIR));
}

static void
test_paths_unwritable (void)
{
  g_autofree char *data = rp_paths_get_data_dir ();
  g_autofree char *parent = g_path_get_dirname (data);
  g_autoptr(GError) error = NULL;

  /* A file where the folder should be: a clear error, naming the path. */
  g_mkdir_with_parents (parent, 0700);
  g_assert_true (g_file_set_contents (data, "", 0, NULL));
  g_assert_false (rp_paths_ensure (&error));
  g_assert_error (error, RP_ERROR, RP_ERROR_STORE);
  g_assert_nonnull (strstr (error->message, data));
  g_unlink (data);
}

int
main (int    argc,
      char **argv)
{
  rp_test_init (&argc, &argv);

  g_test_add_func ("/core/paths/layout-and-modes", test_paths_layout_and_modes);
  g_test_add_func ("/core/paths/unwritable", test_paths_unwritable);

  return g_test_run ();
}
