/* rp-certificate.c
 *
 * An immutable summary of a server's leaf certificate: the facts a user
 * needs to decide whether to trust it, and why the transport refused it.
 * It deliberately holds no OpenSSL object, so that the app can keep it,
 * show it and compare fingerprints without linking against OpenSSL.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-certificate"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rp-certificate.h"

struct _RpCertificate
{
  GObject               parent_instance;

  char                 *host;
  char                 *subject;
  char                 *issuer;
  GDateTime            *not_before;
  GDateTime            *not_after;
  char                 *fingerprint;
  RpCertificateProblem  problem;
  char                 *verify_detail;
};

G_DEFINE_FINAL_TYPE (RpCertificate, rp_certificate, G_TYPE_OBJECT)

#define SHA256_HEX_LENGTH 64

/* Auxiliary methods */

static char *
format_date (GDateTime *date)
{
  g_autoptr(GDateTime) utc = NULL;

  if (date == NULL)
    return g_strdup (_("unknown"));

  /* An unambiguous, sortable form in UTC: certificates carry UTC times,
   * and "%x" would make 03/04/2027 mean two different days. */
  utc = g_date_time_to_utc (date);
  return g_date_time_format (utc, "%Y-%m-%d %H:%M:%S UTC");
}

static char *
format_fingerprint (const char *hex)
{
  GString *out;

  if (hex == NULL || *hex == '\0')
    return g_strdup (_("unknown"));

  /* The colon-separated upper-case pairs that browsers and
   * "openssl x509 -fingerprint" show, so users can compare by eye. */
  out = g_string_sized_new (SHA256_HEX_LENGTH * 3 / 2);
  for (gsize i = 0; hex[i] != '\0'; i++)
    {
      if (i > 0 && i % 2 == 0)
        g_string_append_c (out, ':');
      g_string_append_c (out, g_ascii_toupper (hex[i]));
    }

  return g_string_free (out, FALSE);
}

/* Overrides */

static void
rp_certificate_finalize (GObject *object)
{
  RpCertificate *self = (RpCertificate *) object;

  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->subject, g_free);
  g_clear_pointer (&self->issuer, g_free);
  g_clear_pointer (&self->not_before, g_date_time_unref);
  g_clear_pointer (&self->not_after, g_date_time_unref);
  g_clear_pointer (&self->fingerprint, g_free);
  g_clear_pointer (&self->verify_detail, g_free);

  G_OBJECT_CLASS (rp_certificate_parent_class)->finalize (object);
}

static void
rp_certificate_class_init (RpCertificateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rp_certificate_finalize;
}

static void
rp_certificate_init (RpCertificate *self)
{
  self->problem = RP_CERTIFICATE_OK;
}

/* Public API */

/**
 * rp_certificate_new:
 * @host: the host name the client connected to
 * @subject: the subject's distinguished name, for display
 * @issuer: the issuer's distinguished name, for display
 * @not_before: (nullable): start of validity
 * @not_after: (nullable): end of validity
 * @sha256_fingerprint: SHA-256 of the DER, in any form
 *   rp_certificate_normalize_fingerprint() accepts
 * @problem: why the certificate was refused, or %RP_CERTIFICATE_OK
 * @verify_detail: (nullable): OpenSSL's verification text
 *
 * Returns: (transfer full): a new, immutable certificate summary
 */
RpCertificate *
rp_certificate_new (const char           *host,
                    const char           *subject,
                    const char           *issuer,
                    GDateTime            *not_before,
                    GDateTime            *not_after,
                    const char           *sha256_fingerprint,
                    RpCertificateProblem  problem,
                    const char           *verify_detail)
{
  RpCertificate *self;
  char *fingerprint;

  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (sha256_fingerprint != NULL, NULL);

  fingerprint = rp_certificate_normalize_fingerprint (sha256_fingerprint);
  g_return_val_if_fail (fingerprint != NULL, NULL);

  self = g_object_new (RP_TYPE_CERTIFICATE, NULL);
  self->host = g_strdup (host);
  self->subject = g_strdup (subject != NULL ? subject : "");
  self->issuer = g_strdup (issuer != NULL ? issuer : "");
  self->not_before = not_before != NULL ? g_date_time_ref (not_before) : NULL;
  self->not_after = not_after != NULL ? g_date_time_ref (not_after) : NULL;
  self->fingerprint = fingerprint;
  self->problem = problem;
  self->verify_detail = g_strdup (verify_detail != NULL ? verify_detail : "");

  return self;
}

/**
 * rp_certificate_get_host:
 *
 * Returns: the host name the client connected to
 */
const char *
rp_certificate_get_host (RpCertificate *self)
{
  g_return_val_if_fail (RP_IS_CERTIFICATE (self), NULL);

  return self->host;
}

/**
 * rp_certificate_get_subject:
 *
 * Returns: the subject's distinguished name, for display
 */
const char *
rp_certificate_get_subject (RpCertificate *self)
{
  g_return_val_if_fail (RP_IS_CERTIFICATE (self), NULL);

  return self->subject;
}

/**
 * rp_certificate_get_issuer:
 *
 * Returns: the issuer's distinguished name, for display
 */
const char *
rp_certificate_get_issuer (RpCertificate *self)
{
  g_return_val_if_fail (RP_IS_CERTIFICATE (self), NULL);

  return self->issuer;
}

/**
 * rp_certificate_get_not_before:
 *
 * Returns: (nullable) (transfer none): when the certificate becomes valid
 */
GDateTime *
rp_certificate_get_not_before (RpCertificate *self)
{
  g_return_val_if_fail (RP_IS_CERTIFICATE (self), NULL);

  return self->not_before;
}

/**
 * rp_certificate_get_not_after:
 *
 * Returns: (nullable) (transfer none): when the certificate expires
 */
GDateTime *
rp_certificate_get_not_after (RpCertificate *self)
{
  g_return_val_if_fail (RP_IS_CERTIFICATE (self), NULL);

  return self->not_after;
}

/**
 * rp_certificate_get_fingerprint:
 *
 * Returns: the SHA-256 of the DER: 64 lower-case hex digits, no colons
 */
const char *
rp_certificate_get_fingerprint (RpCertificate *self)
{
  g_return_val_if_fail (RP_IS_CERTIFICATE (self), NULL);

  return self->fingerprint;
}

/**
 * rp_certificate_get_problem:
 *
 * For a certificate that was accepted because it matched a pinned
 * fingerprint, this still names what normal verification found, so that
 * the details view can say "self-signed, trusted by you".
 *
 * Returns: why verification refused the certificate, or %RP_CERTIFICATE_OK
 */
RpCertificateProblem
rp_certificate_get_problem (RpCertificate *self)
{
  g_return_val_if_fail (RP_IS_CERTIFICATE (self), RP_CERTIFICATE_OTHER);

  return self->problem;
}

/**
 * rp_certificate_get_verify_detail:
 *
 * Returns: OpenSSL's verification text (untranslated), for the details view
 */
const char *
rp_certificate_get_verify_detail (RpCertificate *self)
{
  g_return_val_if_fail (RP_IS_CERTIFICATE (self), NULL);

  return self->verify_detail;
}

/**
 * rp_certificate_describe:
 *
 * Returns: (transfer full): a translated text with the subject, issuer,
 *   validity and fingerprint, one per line
 */
char *
rp_certificate_describe (RpCertificate *self)
{
  g_autofree char *from = NULL;
  g_autofree char *until = NULL;
  g_autofree char *fingerprint = NULL;
  GString *text;

  g_return_val_if_fail (RP_IS_CERTIFICATE (self), NULL);

  from = format_date (self->not_before);
  until = format_date (self->not_after);
  fingerprint = format_fingerprint (self->fingerprint);

  text = g_string_new (NULL);
  g_string_append_printf (text, _("Server: %s"), self->host);
  g_string_append_c (text, '\n');
  g_string_append_printf (text, _("Subject: %s"), self->subject);
  g_string_append_c (text, '\n');
  g_string_append_printf (text, _("Issuer: %s"), self->issuer);
  g_string_append_c (text, '\n');
  g_string_append_printf (text, _("Valid from: %s"), from);
  g_string_append_c (text, '\n');
  g_string_append_printf (text, _("Valid until: %s"), until);
  g_string_append_c (text, '\n');
  g_string_append_printf (text, _("SHA-256 fingerprint: %s"), fingerprint);

  return g_string_free (text, FALSE);
}

/**
 * rp_certificate_normalize_fingerprint:
 * @text: a fingerprint as a user or a settings file wrote it
 *
 * Accepts colon- or space-separated pairs as well as plain hex, in either
 * case, with surrounding white space.
 *
 * Returns: (transfer full) (nullable): 64 lower-case hex digits, or %NULL
 *   if @text is not a SHA-256 fingerprint
 */
char *
rp_certificate_normalize_fingerprint (const char *text)
{
  GString *out;

  if (text == NULL)
    return NULL;

  out = g_string_sized_new (SHA256_HEX_LENGTH + 1);
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == ':' || g_ascii_isspace (*p))
        continue;
      if (!g_ascii_isxdigit (*p) || out->len == SHA256_HEX_LENGTH)
        {
          g_string_free (out, TRUE);
          return NULL;
        }
      g_string_append_c (out, g_ascii_tolower (*p));
    }

  if (out->len != SHA256_HEX_LENGTH)
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}
