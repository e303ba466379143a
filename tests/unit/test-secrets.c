/* test-secrets.c: the password file fallback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sys/stat.h>

#include "rp-core.h"
#include "rp-test-util.h"

static void
test_secrets_file (void)
{
  g_autoptr(RpSecrets) secrets = rp_secrets_new (RP_SECRETS_BACKEND_FILE);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = rp_paths_get_config_dir ();
  g_autofree char *path = g_build_filename (dir, "passwords", NULL);
  g_autofree char *password = NULL;
  g_autofree char *contents = NULL;
  struct stat st;

  g_assert_cmpint (rp_secrets_get_backend (secrets), ==, RP_SECRETS_BACKEND_FILE);
  g_assert_null (rp_secrets_lookup_sync (secrets, "pop3", "work", NULL, &error));
  g_assert_no_error (error);

  g_assert_true (rp_secrets_store_sync (secrets, "pop3", "work", "pässwörd=with;odd#chars", NULL,
                                        &error));
  g_assert_no_error (error);
  g_assert_true (rp_secrets_store_sync (secrets, "smtp", "work/other@example.test", "second",
                                        NULL, &error));

  /* Readable by the user only. */
  g_assert_cmpint (stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  password = rp_secrets_lookup_sync (secrets, "pop3", "work", NULL, &error);
  g_assert_cmpstr (password, ==, "pässwörd=with;odd#chars");
  g_clear_pointer (&password, g_free);
  password = rp_secrets_lookup_sync (secrets, "smtp", "work/other@example.test", NULL, &error);
  g_assert_cmpstr (password, ==, "second");
  g_clear_pointer (&password, g_free);

  g_assert_true (rp_secrets_clear_sync (secrets, "pop3", "work", NULL, &error));
  g_assert_null (rp_secrets_lookup_sync (secrets, "pop3", "work", NULL, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, "pässwörd"));
}

static void
test_secrets_env_override (void)
{
  g_autoptr(RpSecrets) secrets = NULL;

  g_setenv ("RAPPORT_SECRETS", "file", TRUE);
  secrets = rp_secrets_new (RP_SECRETS_BACKEND_AUTO);
  g_assert_cmpint (rp_secrets_get_backend (secrets), ==, RP_SECRETS_BACKEND_FILE);
}

int
main (int    argc,
      char **argv)
{
  rp_test_init (&argc, &argv);

  g_test_add_func ("/core/secrets/file", test_secrets_file);
  g_test_add_func ("/core/secrets/env-override", test_secrets_env_override);

  return g_test_run ();
}
