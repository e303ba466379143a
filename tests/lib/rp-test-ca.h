/* rp-test-ca.h: a test certificate authority made at fixture time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _RpTestCa RpTestCa;

typedef enum
{
  RP_TEST_CERT_VALID,        /* CN/SAN localhost + 127.0.0.1 + ::1, signed by the test CA */
  RP_TEST_CERT_SELF_SIGNED,  /* localhost, signed by itself */
  RP_TEST_CERT_EXPIRED,      /* localhost, signed by the test CA, expired last year */
  RP_TEST_CERT_NOT_YET_VALID,/* localhost, signed by the test CA, valid from next year */
  RP_TEST_CERT_WRONG_HOST,   /* wrong.example, signed by the test CA */
  RP_TEST_CERT_OTHER_CA,     /* localhost, signed by a second CA nobody trusts */
  RP_TEST_CERT_VALID_2,      /* a second valid localhost cert (for "changed certificate") */
} RpTestCertKind;

/* Makes a CA and all certificate kinds in a new temporary folder, with the
 * openssl command. Removed by rp_test_ca_free(). */
RpTestCa   *rp_test_ca_new             (void);
void        rp_test_ca_free            (RpTestCa       *ca);
const char *rp_test_ca_get_dir         (RpTestCa       *ca);
/* PEM of the test CA: give it to rp_transport_set_ca_file(). */
const char *rp_test_ca_get_ca_file     (RpTestCa       *ca);
const char *rp_test_ca_get_cert_file   (RpTestCa       *ca,
                                        RpTestCertKind  kind);
const char *rp_test_ca_get_key_file    (RpTestCa       *ca,
                                        RpTestCertKind  kind);
/* Lower-case hex SHA-256 of the certificate's DER, no colons. */
char       *rp_test_ca_get_fingerprint (RpTestCa       *ca,
                                        RpTestCertKind  kind) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpTestCa, rp_test_ca_free)

G_END_DECLS
