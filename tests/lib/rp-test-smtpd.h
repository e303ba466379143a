/* rp-test-smtpd.h: a real Postfix 3.7 instance on free loopback ports,
 * delivering through LMTP into a RpTestDovecot and authenticating against
 * the same users through Dovecot SASL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "rp-test-ca.h"
#include "rp-test-dovecot.h"

G_BEGIN_DECLS

typedef struct _RpTestSmtpd RpTestSmtpd;

/* Domain of every test user: alice@RP_TEST_DOMAIN and so on. */
#define RP_TEST_DOMAIN "example.test"

/* Starts Postfix in its own temporary folder with three listeners:
 * submission (STARTTLS offered, AUTH only after TLS), submissions
 * (implicit TLS, AUTH), and a plain one (no TLS, AUTH allowed in plain
 * text, for tests of security "none"). Mail to USER@example.test for a
 * Dovecot user is delivered into that user's maildir; any other recipient is
 * refused at RCPT with 550. Relay needs AUTH (relayed mail is accepted
 * and dropped). Users added to @dovecot later are valid recipients at
 * once. @dovecot must outlive the returned object. Waits until the ports
 * answer; aborts the test if Postfix is missing or fails to start. Needs
 * root. */
RpTestSmtpd *rp_test_smtpd_new                  (RpTestCa       *ca,
                                                 RpTestCertKind  cert,
                                                 RpTestDovecot  *dovecot);
void         rp_test_smtpd_free                 (RpTestSmtpd    *smtpd);
guint16      rp_test_smtpd_get_submission_port  (RpTestSmtpd    *smtpd); /* STARTTLS */
guint16      rp_test_smtpd_get_submissions_port (RpTestSmtpd    *smtpd); /* implicit TLS */
guint16      rp_test_smtpd_get_plain_port       (RpTestSmtpd    *smtpd);
/* Stop and start again on the same ports (Outbox tests). */
void         rp_test_smtpd_stop                 (RpTestSmtpd    *smtpd);
void         rp_test_smtpd_start                (RpTestSmtpd    *smtpd);
/* Sets message_size_limit (bytes); restarts Postfix on the same ports so
 * that no running daemon keeps the old limit. */
void         rp_test_smtpd_set_size_limit       (RpTestSmtpd    *smtpd,
                                                 gsize           bytes);
char        *rp_test_smtpd_read_log             (RpTestSmtpd    *smtpd) G_GNUC_WARN_UNUSED_RESULT;
/* Waits (up to @timeout_ms) until the user's maildir holds @count messages. */
gboolean     rp_test_smtpd_wait_for_delivery    (RpTestSmtpd    *smtpd,
                                                 const char     *user,
                                                 guint           count,
                                                 guint           timeout_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpTestSmtpd, rp_test_smtpd_free)

G_END_DECLS
