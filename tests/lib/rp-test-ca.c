/* rp-test-ca.c: a test certificate authority made at fixture time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport-test-ca"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "rp-test-ca.h"
#include "rp-test-util.h"

#define N_KINDS (RP_TEST_CERT_VALID_2 + 1)

struct _RpTestCa
{
  char *dir;
  char *ca_file;
  char *cert_files[N_KINDS];
  char *key_files[N_KINDS];
};

/* One configuration serves `openssl req` (the CA certificates, the requests
 * and the self-signed leaf) and `openssl ca` (every signed leaf). `openssl
 * ca` is used rather than `openssl x509 -req` because it is the only signer
 * in OpenSSL 3.0 that accepts explicit start and end dates, which the expired
 * and not-yet-valid kinds need. P-256 keys keep the whole CA well under a
 * second to make. */
static const char ca_config[] =
  "[ req ]\n"
  "distinguished_name = dn\n"
  "prompt = no\n"
  "[ dn ]\n"
  "CN = unused\n"
  "[ ca_ext ]\n"
  "basicConstraints = critical, CA:TRUE\n"
  "keyUsage = critical, keyCertSign, cRLSign\n"
  "subjectKeyIdentifier = hash\n"
  "[ leaf_ext ]\n"
  "basicConstraints = critical, CA:FALSE\n"
  "keyUsage = critical, digitalSignature\n"
  "extendedKeyUsage = serverAuth\n"
  "subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1\n"
  "subjectKeyIdentifier = hash\n"
  "authorityKeyIdentifier = keyid\n"
  "[ wrong_host_ext ]\n"
  "basicConstraints = critical, CA:FALSE\n"
  "keyUsage = critical, digitalSignature\n"
  "extendedKeyUsage = serverAuth\n"
  "subjectAltName = DNS:wrong.example\n"
  "subjectKeyIdentifier = hash\n"
  "authorityKeyIdentifier = keyid\n"
  "[ ca ]\n"
  "default_ca = test_ca\n"
  "[ test_ca ]\n"
  "database = test_ca-index.txt\n"
  "serial = test_ca-serial\n"
  "new_certs_dir = signed\n"
  "default_md = sha256\n"
  "policy = policy_any\n"
  "unique_subject = no\n"
  "copy_extensions = none\n"
  "[ other_ca ]\n"
  "database = other_ca-index.txt\n"
  "serial = other_ca-serial\n"
  "new_certs_dir = signed\n"
  "default_md = sha256\n"
  "policy = policy_any\n"
  "unique_subject = no\n"
  "copy_extensions = none\n"
  "[ policy_any ]\n"
  "commonName = supplied\n";

/* Auxiliary methods */

/* Runs openssl with @argv (without the program name) inside @dir, and
 * aborts the test with openssl's own complaint if it fails: a fixture that
 * cannot be made is a broken test, not a skipped one. */
static void
run_openssl (const char         *dir,
             const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int wait_status = 0;

  g_ptr_array_add (argv, (gpointer) "openssl");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (dir, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                     &out, &err, &wait_status, &error))
    g_error ("Cannot run openssl %s: %s", args[0], error->message);

  if (!g_spawn_check_wait_status (wait_status, &error))
    g_error ("openssl %s failed (%s): %s", args[0], error->message, err);
}

static void
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static char *
format_openssl_date (GDateTime *when)
{
  return g_date_time_format (when, "%Y%m%d%H%M%SZ");
}

/* Signs leaf.csr (or @csr) with the CA of config section @ca_name. @dates is
 * either NULL (valid from now for ten years) or a start and end date. */
static void
sign_leaf (RpTestCa   *self,
           const char *ca_name,
           const char *csr,
           const char *out,
           const char *extensions,
           const char *subject,
           const char *start_date,
           const char *end_date)
{
  g_autofree char *ca_cert = g_strdup_printf ("%s.pem", ca_name);
  g_autofree char *ca_key = g_strdup_printf ("%s.key", ca_name);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();

  g_ptr_array_add (args, (gpointer) "ca");
  g_ptr_array_add (args, (gpointer) "-batch");
  g_ptr_array_add (args, (gpointer) "-notext");
  g_ptr_array_add (args, (gpointer) "-config");
  g_ptr_array_add (args, (gpointer) "ca.cnf");
  g_ptr_array_add (args, (gpointer) "-name");
  g_ptr_array_add (args, (gpointer) ca_name);
  g_ptr_array_add (args, (gpointer) "-cert");
  g_ptr_array_add (args, ca_cert);
  g_ptr_array_add (args, (gpointer) "-keyfile");
  g_ptr_array_add (args, ca_key);
  g_ptr_array_add (args, (gpointer) "-in");
  g_ptr_array_add (args, (gpointer) csr);
  g_ptr_array_add (args, (gpointer) "-out");
  g_ptr_array_add (args, (gpointer) out);
  g_ptr_array_add (args, (gpointer) "-extensions");
  g_ptr_array_add (args, (gpointer) extensions);
  if (subject != NULL)
    {
      g_ptr_array_add (args, (gpointer) "-subj");
      g_ptr_array_add (args, (gpointer) subject);
    }
  if (start_date != NULL)
    {
      g_ptr_array_add (args, (gpointer) "-startdate");
      g_ptr_array_add (args, (gpointer) start_date);
      g_ptr_array_add (args, (gpointer) "-enddate");
      g_ptr_array_add (args, (gpointer) end_date);
    }
  else
    {
      g_ptr_array_add (args, (gpointer) "-days");
      g_ptr_array_add (args, (gpointer) "3650");
    }
  g_ptr_array_add (args, NULL);

  run_openssl (self->dir, (const char * const *) args->pdata);
}

static void
make_ca (RpTestCa   *self,
         const char *name,
         const char *common_name)
{
  g_autofree char *key = g_strdup_printf ("%s.key", name);
  g_autofree char *cert = g_strdup_printf ("%s.pem", name);
  g_autofree char *subject = g_strdup_printf ("/CN=%s", common_name);
  g_autofree char *index = g_strdup_printf ("%s-index.txt", name);
  g_autofree char *serial = g_strdup_printf ("%s-serial", name);
  const char *args[] = {
    "req", "-x509", "-config", "ca.cnf", "-newkey", "ec",
    "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key,
    "-subj", subject, "-days", "3650", "-extensions", "ca_ext", "-out", cert,
    NULL
  };

  write_file (self->dir, index, "");
  /* Different first serials keep the two CAs' certificates easy to tell
   * apart in a dump. */
  write_file (self->dir, serial, g_str_equal (name, "test_ca") ? "1000\n" : "2000\n");
  run_openssl (self->dir, args);
}

static void
make_request (RpTestCa   *self,
              const char *key,
              const char *csr)
{
  const char *args[] = {
    "req", "-new", "-config", "ca.cnf", "-newkey", "ec",
    "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key,
    "-subj", "/CN=localhost", "-out", csr,
    NULL
  };

  run_openssl (self->dir, args);
}

static void
set_kind (RpTestCa       *self,
          RpTestCertKind  kind,
          const char     *cert,
          const char     *key)
{
  self->cert_files[kind] = g_build_filename (self->dir, cert, NULL);
  self->key_files[kind] = g_build_filename (self->dir, key, NULL);
}

/* Public API */

/**
 * rp_test_ca_new:
 *
 * Makes a test CA, a second CA that nobody trusts, and one certificate of
 * every #RpTestCertKind, in a new temporary folder.
 *
 * Returns: (transfer full): the new CA; free with rp_test_ca_free()
 */
RpTestCa *
rp_test_ca_new (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) two_years_ago = g_date_time_add_years (now, -2);
  g_autoptr(GDateTime) last_year = g_date_time_add_years (now, -1);
  g_autoptr(GDateTime) next_year = g_date_time_add_years (now, 1);
  g_autoptr(GDateTime) in_three_years = g_date_time_add_years (now, 3);
  g_autofree char *expired_start = format_openssl_date (two_years_ago);
  g_autofree char *expired_end = format_openssl_date (last_year);
  g_autofree char *future_start = format_openssl_date (next_year);
  g_autofree char *future_end = format_openssl_date (in_three_years);
  g_autofree char *signed_dir = NULL;
  RpTestCa *self = g_new0 (RpTestCa, 1);
  const char *self_signed_args[] = {
    "req", "-x509", "-config", "ca.cnf", "-key", "leaf.key", "-subj", "/CN=localhost",
    "-days", "3650", "-extensions", "leaf_ext", "-out", "self-signed.pem",
    NULL
  };

  self->dir = rp_test_make_tmpdir ("ca");
  /* Servers started by other fixtures (Postfix, Dovecot) read the keys
   * from here, some of them after dropping root. */
  g_chmod (self->dir, 0755);
  signed_dir = g_build_filename (self->dir, "signed", NULL);
  g_mkdir (signed_dir, 0755);
  write_file (self->dir, "ca.cnf", ca_config);

  make_ca (self, "test_ca", "Rapport Test CA");
  make_ca (self, "other_ca", "Rapport Untrusted CA");
  make_request (self, "leaf.key", "leaf.csr");
  make_request (self, "leaf2.key", "leaf2.csr");

  sign_leaf (self, "test_ca", "leaf.csr", "valid.pem", "leaf_ext", NULL, NULL, NULL);
  sign_leaf (self, "test_ca", "leaf2.csr", "valid-2.pem", "leaf_ext", NULL, NULL, NULL);
  sign_leaf (self, "test_ca", "leaf.csr", "expired.pem", "leaf_ext", NULL,
             expired_start, expired_end);
  sign_leaf (self, "test_ca", "leaf.csr", "not-yet-valid.pem", "leaf_ext", NULL,
             future_start, future_end);
  sign_leaf (self, "test_ca", "leaf.csr", "wrong-host.pem", "wrong_host_ext",
             "/CN=wrong.example", NULL, NULL);
  sign_leaf (self, "other_ca", "leaf.csr", "other-ca.pem", "leaf_ext", NULL, NULL, NULL);
  run_openssl (self->dir, self_signed_args);

  self->ca_file = g_build_filename (self->dir, "test_ca.pem", NULL);
  set_kind (self, RP_TEST_CERT_VALID, "valid.pem", "leaf.key");
  set_kind (self, RP_TEST_CERT_SELF_SIGNED, "self-signed.pem", "leaf.key");
  set_kind (self, RP_TEST_CERT_EXPIRED, "expired.pem", "leaf.key");
  set_kind (self, RP_TEST_CERT_NOT_YET_VALID, "not-yet-valid.pem", "leaf.key");
  set_kind (self, RP_TEST_CERT_WRONG_HOST, "wrong-host.pem", "leaf.key");
  set_kind (self, RP_TEST_CERT_OTHER_CA, "other-ca.pem", "leaf.key");
  set_kind (self, RP_TEST_CERT_VALID_2, "valid-2.pem", "leaf2.key");

  return self;
}

/**
 * rp_test_ca_free:
 * @ca: (nullable): a CA
 *
 * Removes the CA's folder and frees it.
 */
void
rp_test_ca_free (RpTestCa *ca)
{
  if (ca == NULL)
    return;

  rp_test_rm_rf (ca->dir);
  for (guint i = 0; i < N_KINDS; i++)
    {
      g_free (ca->cert_files[i]);
      g_free (ca->key_files[i]);
    }
  g_free (ca->ca_file);
  g_free (ca->dir);
  g_free (ca);
}

/**
 * rp_test_ca_get_dir:
 *
 * Returns: the folder holding every key and certificate
 */
const char *
rp_test_ca_get_dir (RpTestCa *ca)
{
  g_return_val_if_fail (ca != NULL, NULL);

  return ca->dir;
}

/**
 * rp_test_ca_get_ca_file:
 *
 * Returns: the PEM file of the trusted test CA
 */
const char *
rp_test_ca_get_ca_file (RpTestCa *ca)
{
  g_return_val_if_fail (ca != NULL, NULL);

  return ca->ca_file;
}

/**
 * rp_test_ca_get_cert_file:
 *
 * Returns: the PEM file of the leaf certificate of @kind (the leaf only,
 *   without its issuer)
 */
const char *
rp_test_ca_get_cert_file (RpTestCa       *ca,
                          RpTestCertKind  kind)
{
  g_return_val_if_fail (ca != NULL, NULL);
  g_return_val_if_fail ((guint) kind < N_KINDS, NULL);

  return ca->cert_files[kind];
}

/**
 * rp_test_ca_get_key_file:
 *
 * Returns: the PEM file of the private key that goes with @kind
 */
const char *
rp_test_ca_get_key_file (RpTestCa       *ca,
                         RpTestCertKind  kind)
{
  g_return_val_if_fail (ca != NULL, NULL);
  g_return_val_if_fail ((guint) kind < N_KINDS, NULL);

  return ca->key_files[kind];
}

/**
 * rp_test_ca_get_fingerprint:
 *
 * Decodes the PEM itself rather than asking openssl, so that the tests
 * compare our transport's fingerprint with an independent computation.
 *
 * Returns: (transfer full): the lower-case hex SHA-256 of the DER of the
 *   certificate of @kind, without colons
 */
char *
rp_test_ca_get_fingerprint (RpTestCa       *ca,
                            RpTestCertKind  kind)
{
  static const char begin[] = "-----BEGIN CERTIFICATE-----";
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = NULL;
  g_autofree guchar *der = NULL;
  const char *start;
  const char *end;
  g_autofree char *base64 = NULL;
  gsize der_length = 0;

  g_return_val_if_fail (ca != NULL, NULL);
  g_return_val_if_fail ((guint) kind < N_KINDS, NULL);

  g_file_get_contents (ca->cert_files[kind], &pem, NULL, &error);
  g_assert_no_error (error);

  start = strstr (pem, begin);
  g_assert_nonnull (start);
  start += strlen (begin);
  end = strstr (start, "-----END CERTIFICATE-----");
  g_assert_nonnull (end);

  /* g_base64_decode() skips the line breaks between the base64 lines. */
  base64 = g_strndup (start, end - start);
  der = g_base64_decode (base64, &der_length);
  g_assert_cmpuint (der_length, >, 0);

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, der, der_length);
}
