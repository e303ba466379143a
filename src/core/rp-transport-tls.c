/* rp-transport-tls.c
 *
 * The TLS half of RpTransport: the OpenSSL client context, the handshake
 * on the connected socket, and the judgement of the server's certificate.
 *
 * The certificate is verified by OpenSSL during the handshake with
 * SSL_VERIFY_NONE, and the verdict (SSL_get_verify_result) is judged by us
 * right after the handshake, before a single byte of application data is
 * read or written. That way a refused certificate still yields its details
 * for the user, and a pinned fingerprint can override the verdict.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-transport"

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <sys/socket.h>

#include <glib/gi18n-lib.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "rp-error.h"
#include "rp-transport-private.h"

/* Auxiliary methods: a socket BIO that cannot raise SIGPIPE */

/* OpenSSL's own socket BIO writes with write(), so a server that resets
 * the connection while we send would kill the whole application with
 * SIGPIPE. GSocket happens to ignore SIGPIPE process-wide today, but that
 * is its private decision; this BIO is OpenSSL's with send (MSG_NOSIGNAL)
 * instead, safe on its own. The file descriptor stays owned by the
 * GSocket. */

static int
bio_write (BIO        *bio,
           const char *data,
           int         length)
{
  int fd = GPOINTER_TO_INT (BIO_get_data (bio));
  gssize n;

  BIO_clear_retry_flags (bio);
  do
    n = send (fd, data, length, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);

  if (n < 0 && _rp_errno_would_block (errno))
    BIO_set_retry_write (bio);

  return (int) n;
}

static int
bio_read (BIO  *bio,
          char *buffer,
          int   length)
{
  int fd = GPOINTER_TO_INT (BIO_get_data (bio));
  gssize n;

  BIO_clear_retry_flags (bio);
  do
    n = recv (fd, buffer, length, 0);
  while (n < 0 && errno == EINTR);

  if (n == 0)
    BIO_set_flags (bio, BIO_FLAGS_IN_EOF);
  else if (n < 0 && _rp_errno_would_block (errno))
    BIO_set_retry_read (bio);

  return (int) n;
}

static long
bio_ctrl (BIO  *bio,
          int   command,
          long  number,
          void *pointer)
{
  switch (command)
    {
    case BIO_CTRL_FLUSH:
      return 1;
    case BIO_CTRL_EOF:
      /* With SSL_OP_IGNORE_UNEXPECTED_EOF, OpenSSL asks this to tell a
       * closed connection from a read error. */
      return BIO_test_flags (bio, BIO_FLAGS_IN_EOF) != 0;
    case BIO_C_GET_FD:
      if (pointer != NULL)
        *(int *) pointer = GPOINTER_TO_INT (BIO_get_data (bio));
      return GPOINTER_TO_INT (BIO_get_data (bio));
    default:
      return 0;
    }
}

static BIO *
socket_bio_new (int fd)
{
  static gsize once = 0;
  static BIO_METHOD *method = NULL;
  BIO *bio;

  if (g_once_init_enter (&once))
    {
      method = BIO_meth_new (BIO_get_new_index () | BIO_TYPE_SOURCE_SINK | BIO_TYPE_DESCRIPTOR,
                             "rapport socket");
      BIO_meth_set_write (method, bio_write);
      BIO_meth_set_read (method, bio_read);
      BIO_meth_set_ctrl (method, bio_ctrl);
      g_once_init_leave (&once, 1);
    }

  bio = BIO_new (method);
  if (bio == NULL)
    return NULL;

  BIO_set_data (bio, GINT_TO_POINTER (fd));
  BIO_set_init (bio, 1);

  return bio;
}

/* Auxiliary methods: certificates */

static const char *
last_ssl_reason (void)
{
  unsigned long code = ERR_peek_last_error ();
  const char *reason = code != 0 ? ERR_reason_error_string (code) : NULL;

  return reason != NULL ? reason : "unknown error";
}

static char *
name_to_string (const X509_NAME *name)
{
  BIO *memory = BIO_new (BIO_s_mem ());
  char *data = NULL;
  long length;
  char *text;

  /* RFC 2253 order ("CN=…,O=…"), with UTF-8 left as is. */
  X509_NAME_print_ex (memory, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  length = BIO_get_mem_data (memory, &data);
  text = g_utf8_make_valid (data != NULL ? data : "", MAX (length, 0));
  BIO_free (memory);

  return text;
}

static GDateTime *
asn1_time_to_date (const ASN1_TIME *time)
{
  struct tm tm = { 0 };

  if (time == NULL || !ASN1_TIME_to_tm (time, &tm))
    return NULL;

  return g_date_time_new_utc (tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                              tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static char *
fingerprint_of (X509 *x509)
{
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  GString *hex;

  if (!X509_digest (x509, EVP_sha256 (), digest, &length))
    return NULL;

  hex = g_string_sized_new (2 * length + 1);
  for (unsigned int i = 0; i < length; i++)
    g_string_append_printf (hex, "%02x", digest[i]);

  return g_string_free (hex, FALSE);
}

static RpCertificateProblem
problem_from_verify_result (long result)
{
  switch (result)
    {
    case X509_V_OK:
      return RP_CERTIFICATE_OK;
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
      return RP_CERTIFICATE_SELF_SIGNED;
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
      return RP_CERTIFICATE_UNKNOWN_ISSUER;
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return RP_CERTIFICATE_EXPIRED;
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return RP_CERTIFICATE_NOT_YET_VALID;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
      return RP_CERTIFICATE_HOSTNAME_MISMATCH;
    default:
      return RP_CERTIFICATE_OTHER;
    }
}

static void
set_certificate_error (const char            *host,
                       RpCertificateProblem   problem,
                       const char            *detail,
                       GError               **error)
{
  switch (problem)
    {
    case RP_CERTIFICATE_SELF_SIGNED:
      g_set_error (error, RP_ERROR, RP_ERROR_TLS_CERTIFICATE,
                   _("The certificate of %s is self-signed, so nobody vouches that the "
                     "server is who it claims to be"), host);
      break;
    case RP_CERTIFICATE_UNKNOWN_ISSUER:
      g_set_error (error, RP_ERROR, RP_ERROR_TLS_CERTIFICATE,
                   _("The certificate of %s was issued by an unknown authority"), host);
      break;
    case RP_CERTIFICATE_EXPIRED:
      g_set_error (error, RP_ERROR, RP_ERROR_TLS_CERTIFICATE,
                   _("The certificate of %s has expired"), host);
      break;
    case RP_CERTIFICATE_NOT_YET_VALID:
      g_set_error (error, RP_ERROR, RP_ERROR_TLS_CERTIFICATE,
                   _("The certificate of %s is not valid yet; check the date and time "
                     "of this computer"), host);
      break;
    case RP_CERTIFICATE_HOSTNAME_MISMATCH:
      g_set_error (error, RP_ERROR, RP_ERROR_TLS_CERTIFICATE,
                   _("The certificate presented by %s belongs to a different server name"),
                   host);
      break;
    case RP_CERTIFICATE_PIN_MISMATCH:
      g_set_error (error, RP_ERROR, RP_ERROR_TLS_CERTIFICATE,
                   _("The certificate of %s is not the one you accepted before"), host);
      break;
    case RP_CERTIFICATE_OK:
    case RP_CERTIFICATE_OTHER:
    default:
      g_set_error (error, RP_ERROR, RP_ERROR_TLS_CERTIFICATE,
                   _("The certificate of %s could not be verified: %s"), host, detail);
      break;
    }
}

/* Builds the summary of the peer's leaf certificate and decides whether to
 * accept it: when normal verification passed, or when it is exactly the
 * pinned certificate. A pin never makes another certificate fail that
 * verifies normally (the server may have renewed it properly), and never
 * makes another certificate pass. */
static gboolean
check_certificate (RpTransport   *self,
                   SSL           *ssl,
                   GError       **error)
{
  const char *host = self->host;
  const char *pinned = self->pinned;
  g_autoptr(RpCertificate) certificate = NULL;
  g_autoptr(GDateTime) not_before = NULL;
  g_autoptr(GDateTime) not_after = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *issuer = NULL;
  g_autofree char *fingerprint = NULL;
  RpCertificateProblem problem;
  const char *detail;
  X509 *x509;
  long result;

  x509 = SSL_get1_peer_certificate (ssl);
  if (x509 == NULL)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_TLS,
                   _("The server %s sent no certificate"), self->label);
      return FALSE;
    }

  result = SSL_get_verify_result (ssl);
  problem = problem_from_verify_result (result);
  detail = X509_verify_cert_error_string (result);
  subject = name_to_string (X509_get_subject_name (x509));
  issuer = name_to_string (X509_get_issuer_name (x509));
  not_before = asn1_time_to_date (X509_get0_notBefore (x509));
  not_after = asn1_time_to_date (X509_get0_notAfter (x509));
  fingerprint = fingerprint_of (x509);
  X509_free (x509);

  if (fingerprint == NULL)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_TLS,
                   _("The secure connection to %s failed: %s"),
                   self->label, "cannot compute the certificate fingerprint");
      return FALSE;
    }

  certificate = rp_certificate_new (host, subject, issuer, not_before, not_after,
                                    fingerprint, problem, detail);
  g_set_object (&self->peer_certificate, certificate);

  if (problem == RP_CERTIFICATE_OK)
    return TRUE;

  if (pinned != NULL && g_str_equal (pinned, fingerprint))
    {
      _rp_transport_trace_event (self, "certificate %s accepted by its pinned fingerprint "
                                 "despite: %s", fingerprint, detail);
      return TRUE;
    }

  _rp_transport_trace_event (self, "certificate %s refused: %s", fingerprint, detail);
  set_certificate_error (host, problem, detail, error);

  return FALSE;
}

/* The system's CAs. SSL_CTX_set_default_verify_paths() parses the whole
 * bundle (about 140 certificates) on every connection, 12 to 30 ms: more
 * than the rest of a poll that finds no new mail. The hashed directory
 * (Debian's ca-certificates keeps it) is looked up lazily instead, one
 * file per issuer a chain needs. SSL_CERT_FILE and SSL_CERT_DIR still
 * override, as OpenSSL users expect. */
static void
load_system_store (RpTransport *self,
                   SSL_CTX     *ctx)
{
  const char *file = g_getenv (X509_get_default_cert_file_env ());
  const char *dir = g_getenv (X509_get_default_cert_dir_env ());
  g_autofree char *probe = NULL;

  if (file != NULL && *file != '\0')
    SSL_CTX_load_verify_file (ctx, file);

  if (dir == NULL || *dir == '\0')
    dir = X509_get_default_cert_dir ();

  /* Without hash links the directory finds nothing: fall back to the
   * bundle then. ISRG Root X1 (Let's Encrypt) is in every current store. */
  probe = g_build_filename (dir, "4042bcee.0", NULL);
  if ((file != NULL && *file != '\0') ||
      (g_file_test (probe, G_FILE_TEST_EXISTS) && SSL_CTX_load_verify_dir (ctx, dir)))
    return;

  if (!SSL_CTX_set_default_verify_paths (ctx))
    g_debug ("[%s] the system certificate store could not be loaded", self->label);
}

static SSL_CTX *
create_context (RpTransport  *self,
                GError      **error)
{
  const char *ca_file = self->ca_file;
  SSL_CTX *ctx;

  ERR_clear_error ();
  ctx = SSL_CTX_new (TLS_client_method ());
  if (ctx == NULL)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_TLS,
                   _("The secure connection to %s failed: %s"),
                   self->label,
                   last_ssl_reason ());
      return NULL;
    }

  SSL_CTX_set_min_proto_version (ctx, TLS1_2_VERSION);
  /* Read whole socket buffers, not one TLS record header and body at a
   * time: servers like Dovecot send small records, and two read() calls
   * per 4 KB record dominated a big download. Safe here because reads
   * always go through SSL_read() before any poll(). */
  SSL_CTX_set_read_ahead (ctx, 1);
  SSL_CTX_set_default_read_buffer_len (ctx, 64 * 1024);
  /* A server that closes without close_notify is treated as a plain close:
   * POP3 and SMTP end every reply with their own terminator, so a
   * truncation cannot pass unnoticed, and many servers do this. */
  SSL_CTX_set_options (ctx, SSL_OP_IGNORE_UNEXPECTED_EOF | SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_mode (ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  /* Verification still runs and records its verdict; check_certificate()
   * judges it after the handshake, before any application data. */
  SSL_CTX_set_verify (ctx, SSL_VERIFY_NONE, NULL);

  load_system_store (self, ctx);

  if (ca_file != NULL && !SSL_CTX_load_verify_locations (ctx, ca_file, NULL))
    {
      g_set_error (error, RP_ERROR, RP_ERROR_TLS,
                   _("Could not read the certificate authority file %s: %s"),
                   ca_file, last_ssl_reason ());
      SSL_CTX_free (ctx);
      return NULL;
    }

  return ctx;
}

/* Creating an SSL_CTX costs OpenSSL 3 a few milliseconds (provider and
 * algorithm look-ups), a noticeable part of a poll that finds no new mail.
 * A context holds nothing per connection (the host name and the pin are
 * checked per SSL), so one per CA file is shared by every transport of the
 * process. A changed CA file is read again after a restart. */
static SSL_CTX *
get_context (RpTransport  *self,
             GError      **error)
{
  static GMutex lock;
  static GHashTable *contexts;  /* CA file path, "" for none → SSL_CTX */
  const char *key = self->ca_file != NULL ? self->ca_file : "";
  SSL_CTX *ctx;

  g_mutex_lock (&lock);
  if (contexts == NULL)
    contexts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) SSL_CTX_free);
  ctx = g_hash_table_lookup (contexts, key);
  if (ctx != NULL)
    SSL_CTX_up_ref (ctx);
  g_mutex_unlock (&lock);

  if (ctx != NULL)
    return ctx;

  ctx = create_context (self, error);
  if (ctx == NULL)
    return NULL;

  g_mutex_lock (&lock);
  if (!g_hash_table_contains (contexts, key))
    {
      SSL_CTX_up_ref (ctx);
      g_hash_table_insert (contexts, g_strdup (key), ctx);
    }
  g_mutex_unlock (&lock);

  return ctx;
}

/* Internal API */

gboolean
_rp_transport_handshake (RpTransport   *self,
                         GCancellable  *cancellable,
                         GError       **error)
{
  const char *host = self->host;
  X509_VERIFY_PARAM *param;
  SSL_CTX *ctx;
  SSL *ssl;
  BIO *bio;

  g_clear_object (&self->peer_certificate);

  ctx = get_context (self, error);
  if (ctx == NULL)
    return FALSE;

  ssl = SSL_new (ctx);
  bio = socket_bio_new (self->fd);
  if (ssl == NULL || bio == NULL)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_TLS,
                   _("The secure connection to %s failed: %s"),
                   self->label, "out of memory");
      g_clear_pointer (&bio, BIO_free);
      g_clear_pointer (&ssl, SSL_free);
      SSL_CTX_free (ctx);
      return FALSE;
    }

  SSL_set_bio (ssl, bio, bio);
  /* From here the transport owns both, and all I/O goes through TLS. */
  g_assert (self->ssl == NULL && self->ssl_ctx == NULL);
  self->ssl_ctx = ctx;
  self->ssl = ssl;
  self->tls_broken = FALSE;

  param = SSL_get0_param (ssl);
  if (g_hostname_is_ip_address (host))
    {
      /* RFC 6066 forbids IP literals in SNI; the certificate must carry
       * the address as an IP SAN instead. */
      if (!X509_VERIFY_PARAM_set1_ip_asc (param, host))
        {
          g_set_error (error, RP_ERROR, RP_ERROR_TLS,
                       _("The secure connection to %s failed: %s"),
                       self->label, "unusable IP address");
          return FALSE;
        }
    }
  else
    {
      SSL_set_tlsext_host_name (ssl, host);
      X509_VERIFY_PARAM_set_hostflags (param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      if (!X509_VERIFY_PARAM_set1_host (param, host, 0))
        {
          g_set_error (error, RP_ERROR, RP_ERROR_TLS,
                       _("The secure connection to %s failed: %s"),
                       self->label, "unusable host name");
          return FALSE;
        }
    }

  SSL_set_connect_state (ssl);

  for (;;)
    {
      int ret, ssl_error, saved_errno;

      if (!_rp_transport_check_cancelled (cancellable, error))
        return FALSE;

      ERR_clear_error ();
      errno = 0;
      ret = SSL_do_handshake (ssl);
      saved_errno = errno;
      if (ret == 1)
        break;

      ssl_error = SSL_get_error (ssl, ret);
      if (ssl_error == SSL_ERROR_WANT_READ || ssl_error == SSL_ERROR_WANT_WRITE)
        {
          if (!_rp_transport_wait (self, ssl_error == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN,
                                   cancellable, error))
            return FALSE;
          continue;
        }

      _rp_transport_trace_event (self, "TLS handshake failed: %s", last_ssl_reason ());
      _rp_transport_set_ssl_error (self, ssl_error, saved_errno, TRUE, error);
      return FALSE;
    }

  if (!check_certificate (self, ssl, error))
    return FALSE;

  _rp_transport_trace_event (self, "TLS established: %s, %s",
                             SSL_get_version (ssl), SSL_get_cipher_name (ssl));

  return TRUE;
}

int
_rp_transport_get_min_tls_version (RpTransport *self)
{
  g_return_val_if_fail (RP_IS_TRANSPORT (self), 0);

  return self->ssl_ctx != NULL ? (int) SSL_CTX_get_min_proto_version (self->ssl_ctx) : 0;
}
