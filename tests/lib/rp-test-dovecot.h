/* rp-test-dovecot.h: a real Dovecot 2.3 POP3 server on free loopback ports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "rp-test-ca.h"

G_BEGIN_DECLS

typedef struct _RpTestDovecot RpTestDovecot;

/* Starts Dovecot in its own temporary folder, serving POP3 on three free
 * loopback ports (implicit TLS, STLS-capable plain, and plain without TLS),
 * LMTP on a unix socket and auth (for Postfix SASL) on a socket, with the
 * given certificate from @ca (TLS 1.2 or later). Logins: USER/PASS, SASL
 * PLAIN and LOGIN, and APOP (the greeting carries a timestamp); plain
 * text is allowed without TLS. UIDLs are %08Xu%08Xv (lower-case hex).
 * Users come from passwd-files; each has a maildir the test can fill and
 * inspect. Waits until the ports answer.
 * Aborts the test (g_error) if Dovecot is missing or does not start:
 * a missing server is a failure, never a skip. */
RpTestDovecot *rp_test_dovecot_new               (RpTestCa       *ca,
                                                  RpTestCertKind  cert);
void           rp_test_dovecot_free              (RpTestDovecot  *dovecot);
/* Adds (or replaces) a user; takes effect at once (replacing a password
 * waits up to a second for Dovecot's once-a-second check of the file).
 * recent:USER logs in as USER too (Gmail's "recent mode"). */
void           rp_test_dovecot_add_user          (RpTestDovecot  *dovecot,
                                                  const char     *user,
                                                  const char     *password);
guint16        rp_test_dovecot_get_pop3s_port    (RpTestDovecot  *dovecot);
guint16        rp_test_dovecot_get_pop3_port     (RpTestDovecot  *dovecot); /* STLS offered */
guint16        rp_test_dovecot_get_pop3_plain_port (RpTestDovecot *dovecot); /* no TLS at all */
const char    *rp_test_dovecot_get_dir           (RpTestDovecot  *dovecot);
/* Unix socket path of LMTP delivery, and host:port of the SASL auth
 * listener for Postfix (inet:127.0.0.1:PORT). */
const char    *rp_test_dovecot_get_lmtp_socket   (RpTestDovecot  *dovecot);
guint16        rp_test_dovecot_get_auth_port     (RpTestDovecot  *dovecot);
/* The user's Maildir (with cur/ new/ tmp/). */
char          *rp_test_dovecot_get_maildir       (RpTestDovecot  *dovecot,
                                                  const char     *user) G_GNUC_WARN_UNUSED_RESULT;
/* Puts a message into the user's maildir new/ (bytes exactly as given);
 * returns the file's path. */
char          *rp_test_dovecot_deliver           (RpTestDovecot  *dovecot,
                                                  const char     *user,
                                                  const char     *data,
                                                  gsize           length) G_GNUC_WARN_UNUSED_RESULT;
/* Paths of all message files in the user's maildir (new/ and cur/), sorted. */
GPtrArray     *rp_test_dovecot_list_messages     (RpTestDovecot  *dovecot,
                                                  const char     *user) G_GNUC_WARN_UNUSED_RESULT;
/* The whole Dovecot log so far (waiting until it stops growing), and how
 * many POP3 logins it records: successful ones, and successful plus
 * failed ones (wrong password or unknown user, counted as they happen).
 * Note that after a failed login Dovecot 2.3's login process holds a
 * second try on the same connection back by a few seconds. */
char          *rp_test_dovecot_read_log          (RpTestDovecot  *dovecot) G_GNUC_WARN_UNUSED_RESULT;
guint          rp_test_dovecot_count_logins      (RpTestDovecot  *dovecot);
guint          rp_test_dovecot_count_login_attempts (RpTestDovecot *dovecot);

/* Every user name added so far, sorted; for RpTestSmtpd's recipient map. */
GPtrArray     *rp_test_dovecot_list_users        (RpTestDovecot  *dovecot) G_GNUC_WARN_UNUSED_RESULT;
/* Called after rp_test_dovecot_add_user() has changed the users, so that
 * RpTestSmtpd can rebuild its recipient map. One function per server. */
typedef void (*RpTestDovecotUsersChanged) (RpTestDovecot *dovecot,
                                           gpointer       user_data);
void           rp_test_dovecot_set_users_changed_func (RpTestDovecot            *dovecot,
                                                       RpTestDovecotUsersChanged func,
                                                       gpointer                  user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpTestDovecot, rp_test_dovecot_free)

G_END_DECLS
