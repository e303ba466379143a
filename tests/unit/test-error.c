/* test-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rp-core.h"
#include "rp-test-util.h"

static void
test_error_temporary (void)
{
  g_autoptr(GError) temp = g_error_new_literal (RP_ERROR, RP_ERROR_MAILBOX_IN_USE, "x");
  g_autoptr(GError) delay = g_error_new_literal (RP_ERROR, RP_ERROR_LOGIN_DELAY, "x");
  g_autoptr(GError) timeout = g_error_new_literal (RP_ERROR, RP_ERROR_TIMEOUT, "x");
  g_autoptr(GError) auth = g_error_new_literal (RP_ERROR, RP_ERROR_AUTH_FAILED, "x");
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "x");

  g_assert_true (rp_error_is_temporary (temp));
  g_assert_true (rp_error_is_temporary (delay));
  g_assert_true (rp_error_is_temporary (timeout));
  g_assert_false (rp_error_is_temporary (auth));
  /* Only our own domain is classified; foreign errors must be mapped first. */
  g_assert_false (rp_error_is_temporary (other));
  g_assert_false (rp_error_is_temporary (NULL));
}

static void
test_error_codes_stable (void)
{
  /* These strings are part of rapport-cli's JSON contract. */
  g_assert_cmpstr (rp_error_code_to_string (RP_ERROR_AUTH_FAILED), ==, "auth-failed");
  g_assert_cmpstr (rp_error_code_to_string (RP_ERROR_TLS_CERTIFICATE), ==, "tls-certificate");
  g_assert_cmpstr (rp_error_code_to_string (RP_ERROR_MAILBOX_IN_USE), ==, "mailbox-in-use");
  g_assert_cmpstr (rp_error_code_to_string ((RpErrorCode) 9999), ==, "unknown");
  g_assert_cmpint (RP_ERROR_AUTH_FAILED, ==, 1);
  g_assert_cmpint (RP_ERROR_TLS, ==, 16);
}

int
main (int    argc,
      char **argv)
{
  rp_test_init (&argc, &argv);

  g_test_add_func ("/core/error/temporary", test_error_temporary);
  g_test_add_func ("/core/error/codes-stable", test_error_codes_stable);

  return g_test_run ();
}
