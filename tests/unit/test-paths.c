/* test-paths.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include "rp-core.h"
#include "rp-test-util.h"

static void
test_paths_follow_xdg (void)
{
  g_autofree char *tmp = rp_test_make_tmpdir ("paths");
  g_autofree char *data_home = g_build_filename (tmp, "data", NULL);
  g_autofree char *config_home = g_build_filename (tmp, "config", NULL);
  g_autofree char *cache_home = g_build_filename (tmp, "cache", NULL);
  g_autofree char *data = NULL;
  g_autofree char *config = NULL;
  g_autofree char *cache = NULL;
  g_autoptr(GError) error = NULL;
  struct stat st;

  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache_home, TRUE);

  data = rp_paths_get_data_dir ();
  config = rp_paths_get_config_dir ();
  cache = rp_paths_get_cache_dir ();
  g_assert_cmpstr (data, ==, g_build_filename (data_home, "rapport", NULL));
  g_assert_true (g_str_has_prefix (config, config_home));
  g_assert_true (g_str_has_prefix (cache, cache_home));

  g_assert_true (rp_paths_ensure (&error));
  g_assert_no_error (error);
  g_assert_cmpint (stat (config, &st), ==, 0);
  /* Private mail and possibly a password file: the user only. */
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_true (g_file_test (data, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_test (cache, G_FILE_TEST_IS_DIR));

  rp_test_rm_rf (tmp);
}

static void
test_paths_relative_ignored (void)
{
  g_autofree char *data = NULL;

  /* The XDG spec: relative values are invalid and must be ignored. */
  g_setenv ("XDG_DATA_HOME", "relative/dir", TRUE);
  data = rp_paths_get_data_dir ();
  g_assert_true (g_path_is_absolute (data));
  g_assert_true (g_str_has_suffix (data, "/.local/share/rapport"));
}

static void
test_paths_unwritable (void)
{
  g_autoptr(GError) error = NULL;

  g_setenv ("XDG_DATA_HOME", "/proc/rapport-cannot-be-here", TRUE);
  g_assert_false (rp_paths_ensure (&error));
  g_assert_error (error, RP_ERROR, RP_ERROR_STORE);
  g_assert_nonnull (strstr (error->message, "/proc/rapport-cannot-be-here"));
}

int
main (int    argc,
      char **argv)
{
  rp_test_init (&argc, &argv);

  g_test_add_func ("/core/paths/follow-xdg", test_paths_follow_xdg);
  g_test_add_func ("/core/paths/relative-ignored", test_paths_relative_ignored);
  g_test_add_func ("/core/paths/unwritable", test_paths_unwritable);

  return g_test_run ();
}
