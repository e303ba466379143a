/* rp-certificate.h: what a user needs to judge a server certificate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * RpCertificateProblem:
 *
 * Why a certificate was refused. PERSISTED: never renumber.
 */
typedef enum
{
  RP_CERTIFICATE_OK                = 0,
  RP_CERTIFICATE_SELF_SIGNED       = 1,
  RP_CERTIFICATE_UNKNOWN_ISSUER    = 2,
  RP_CERTIFICATE_EXPIRED           = 3,
  RP_CERTIFICATE_NOT_YET_VALID     = 4,
  RP_CERTIFICATE_HOSTNAME_MISMATCH = 5,
  RP_CERTIFICATE_PIN_MISMATCH      = 6,
  RP_CERTIFICATE_OTHER             = 7,
} RpCertificateProblem;

#define RP_TYPE_CERTIFICATE (rp_certificate_get_type ())

G_DECLARE_FINAL_TYPE (RpCertificate, rp_certificate, RP, CERTIFICATE, GObject)

/* Immutable once made by the transport (from the peer's leaf certificate). */
RpCertificate        *rp_certificate_new                (const char           *host,
                                                         const char           *subject,
                                                         const char           *issuer,
                                                         GDateTime            *not_before,
                                                         GDateTime            *not_after,
                                                         const char           *sha256_fingerprint,
                                                         RpCertificateProblem  problem,
                                                         const char           *verify_detail) G_GNUC_WARN_UNUSED_RESULT;
const char           *rp_certificate_get_host           (RpCertificate *self);
const char           *rp_certificate_get_subject        (RpCertificate *self);
const char           *rp_certificate_get_issuer         (RpCertificate *self);
GDateTime            *rp_certificate_get_not_before     (RpCertificate *self);
GDateTime            *rp_certificate_get_not_after      (RpCertificate *self);
/* Lower-case hex, 64 characters, no colons. */
const char           *rp_certificate_get_fingerprint    (RpCertificate *self);
RpCertificateProblem  rp_certificate_get_problem        (RpCertificate *self);
/* OpenSSL's verify string, for the "details" view. */
const char           *rp_certificate_get_verify_detail  (RpCertificate *self);
/* A translated paragraph for the details view: subject, issuer, validity,
 * fingerprint, one per line. */
char                 *rp_certificate_describe           (RpCertificate *self) G_GNUC_WARN_UNUSED_RESULT;
/* Accepts "AB:CD:…" or "abcd…" in either case; returns normalised lower-case
 * hex without colons, or NULL if @text is not a SHA-256 fingerprint. */
char                 *rp_certificate_normalize_fingerprint (const char *text) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
