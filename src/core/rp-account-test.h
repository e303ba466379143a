/* rp-account-test.h: "test the connection" for an account being set up
 *
 * Connects to the account's POP3 server and logs in, then connects to its
 * SMTP server, says EHLO and authenticates, and logs out of both. Nothing
 * is fetched, sent or stored.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rp-account.h"
#include "rp-certificate.h"

G_BEGIN_DECLS

/**
 * RpAccountTestStep:
 * @RP_ACCOUNT_TEST_POP_CONNECT: connecting to the POP3 server (and TLS)
 * @RP_ACCOUNT_TEST_POP_LOGIN: logging in to the POP3 server
 * @RP_ACCOUNT_TEST_SMTP_CONNECT: connecting to the SMTP server, EHLO, TLS
 * @RP_ACCOUNT_TEST_SMTP_AUTH: authenticating to the SMTP server
 * @RP_ACCOUNT_TEST_DONE: every step succeeded
 *
 * The steps of a connection test, in order.
 */
typedef enum
{
  RP_ACCOUNT_TEST_POP_CONNECT,
  RP_ACCOUNT_TEST_POP_LOGIN,
  RP_ACCOUNT_TEST_SMTP_CONNECT,
  RP_ACCOUNT_TEST_SMTP_AUTH,
  RP_ACCOUNT_TEST_DONE,
} RpAccountTestStep;

/* Called when a step begins (and with RP_ACCOUNT_TEST_DONE at the end of a
 * successful test), in the thread-default main context of the caller of
 * rp_account_test_async(). */
typedef void (*RpAccountTestProgressFunc) (RpAccountTestStep step,
                                           gpointer          user_data);

/* Runs the test in a worker thread. @account is copied. The account's
 * pinned_certificate (POP3), smtp_pinned_certificate and ca_file are
 * honoured, so that a retry after "Trust this certificate" succeeds. A
 * refused certificate belongs to the POP3 server when @failed_step is
 * RP_ACCOUNT_TEST_POP_CONNECT and to the SMTP server when it is
 * RP_ACCOUNT_TEST_SMTP_CONNECT. */
void      rp_account_test_async  (const RpAccount            *account,
                                  const char                 *password,
                                  RpAccountTestProgressFunc   progress,
                                  gpointer                    progress_data,
                                  GCancellable               *cancellable,
                                  GAsyncReadyCallback         callback,
                                  gpointer                    user_data);
/* On failure, @failed_step says which step failed and, for
 * RP_ERROR_TLS_CERTIFICATE, @certificate receives the refused certificate
 * (for "Trust this certificate"). Errors carry RP_ERROR codes and the
 * provider hints of rp-quirks.c. */
gboolean  rp_account_test_finish (GAsyncResult               *result,
                                  RpAccountTestStep          *failed_step,
                                  RpCertificate             **certificate,
                                  GError                    **error);
/* The same, blocking the calling thread. */
gboolean  rp_account_test_sync   (const RpAccount            *account,
                                  const char                 *password,
                                  RpAccountTestStep          *failed_step,
                                  RpCertificate             **certificate,
                                  GCancellable               *cancellable,
                                  GError                    **error);

G_END_DECLS
