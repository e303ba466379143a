/* rp-test-https.c: a real HTTPS server on loopback for autoconfig tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport-test-https"

#include "config.h"

#include <glib/gstdio.h>
#include <gio/gio.h>

#include "rp-test-https.h"
#include "rp-test-server.h"
#include "rp-test-util.h"

struct _RpTestHttps
{
  char        *dir;
  char        *docroot;
  char        *log_path;
  guint16      port;
  GSubprocess *process;
};

/* Auxiliary methods */

static void
run_openssl (const char         *dir,
             const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int wait_status = 0;

  g_ptr_array_add (argv, (gpointer) "openssl");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (dir, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                     NULL, &err, &wait_status, &error))
    g_error ("Cannot run openssl %s: %s", args[0], error->message);
  if (!g_spawn_check_wait_status (wait_status, &error))
    g_error ("openssl %s failed (%s): %s", args[0], error->message, err);
}

/* A leaf certificate for @hostnames, signed with the test CA's key (which
 * rp-test-ca keeps as test_ca.key next to test_ca.pem). */
static void
make_certificate (RpTestHttps         *self,
                  RpTestCa            *ca,
                  const char * const  *hostnames)
{
  g_autoptr(GString) san = g_string_new ("subjectAltName = ");
  g_autofree char *config = NULL;
  g_autofree char *config_path = g_build_filename (self->dir, "leaf.cnf", NULL);
  g_autofree char *subject = g_strdup_printf ("/CN=%s", hostnames[0]);
  g_autofree char *ca_cert = g_build_filename (rp_test_ca_get_dir (ca), "test_ca.pem", NULL);
  g_autofree char *ca_key = g_build_filename (rp_test_ca_get_dir (ca), "test_ca.key", NULL);
  g_autoptr(GError) error = NULL;
  const char *request[] = {
    "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
    "-keyout", "https.key", "-subj", subject, "-out", "https.csr", NULL
  };
  const char *sign[] = {
    "x509", "-req", "-in", "https.csr", "-CA", ca_cert, "-CAkey", ca_key,
    "-CAcreateserial", "-CAserial", "https.srl", "-days", "30", "-sha256",
    "-extfile", "leaf.cnf", "-extensions", "leaf", "-out", "https.pem", NULL
  };

  for (guint i = 0; hostnames[i] != NULL; i++)
    g_string_append_printf (san, "%sDNS:%s", i > 0 ? ", " : "", hostnames[i]);
  config = g_strdup_printf ("[ leaf ]\n"
                            "basicConstraints = critical, CA:FALSE\n"
                            "keyUsage = critical, digitalSignature\n"
                            "extendedKeyUsage = serverAuth\n"
                            "%s\n", san->str);
  g_file_set_contents (config_path, config, -1, &error);
  g_assert_no_error (error);

  run_openssl (self->dir, request);
  run_openssl (self->dir, sign);
}

static char *
site_path (RpTestHttps *self,
           const char  *host,
           const char  *path,
           const char  *suffix)
{
  g_autofree char *lower = g_ascii_strdown (host, -1);
  g_autofree char *file = g_strconcat (path, suffix, NULL);
  char *full = g_build_filename (self->docroot, lower, file, NULL);
  g_autofree char *parent = g_path_get_dirname (full);

  g_mkdir_with_parents (parent, 0755);
  return full;
}

static void
write_site_file (RpTestHttps *self,
                 const char  *host,
                 const char  *path,
                 const char  *suffix,
                 const char  *contents)
{
  g_autofree char *full = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (g_str_has_prefix (path, "/"));

  full = site_path (self, host, path, suffix);
  g_file_set_contents (full, contents, -1, &error);
  g_assert_no_error (error);
}

static const char *
find_python (void)
{
  /* Debian's interpreter, not whatever a developer's PATH puts first. */
  if (g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    return "/usr/bin/python3";
  return "python3";
}

/* Public API */

RpTestHttps *
rp_test_https_new (RpTestCa            *ca,
                   const char * const  *hostnames)
{
  g_autofree char *script = g_build_filename (RP_TEST_SRCDIR, "lib",
                                              "rp-test-https-server.py", NULL);
  g_autofree char *output = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  RpTestHttps *self;

  g_return_val_if_fail (ca != NULL, NULL);
  g_return_val_if_fail (hostnames != NULL && hostnames[0] != NULL, NULL);

  self = g_new0 (RpTestHttps, 1);
  self->dir = rp_test_make_tmpdir ("https");
  self->docroot = g_build_filename (self->dir, "sites", NULL);
  self->log_path = g_build_filename (self->dir, "requests.log", NULL);
  g_mkdir (self->docroot, 0755);
  make_certificate (self, ca, hostnames);
  cert = g_build_filename (self->dir, "https.pem", NULL);
  key = g_build_filename (self->dir, "https.key", NULL);
  output = g_build_filename (self->dir, "server.log", NULL);

  /* Another process may take the free port before Python binds it: then
   * the server exits, and a new port is tried. */
  for (guint attempt = 0; attempt < 5 && self->process == NULL; attempt++)
    {
      g_autofree char *port = NULL;
      const char *argv[8];

      self->port = rp_test_server_find_free_port ();
      port = g_strdup_printf ("%u", self->port);
      argv[0] = find_python ();
      argv[1] = script;
      argv[2] = self->docroot;
      argv[3] = port;
      argv[4] = cert;
      argv[5] = key;
      argv[6] = self->log_path;
      argv[7] = NULL;
      self->process = rp_test_server_spawn (argv, output);

      /* A server that exited leaves the identifier unset. */
      for (guint i = 0; i < 400; i++)
        {
          if (rp_test_server_port_accepts (self->port) ||
              g_subprocess_get_identifier (self->process) == NULL)
            break;
          g_usleep (25 * 1000);
        }

      if (!rp_test_server_port_accepts (self->port))
        {
          rp_test_server_stop (self->process);
          g_clear_object (&self->process);
        }
    }

  if (self->process == NULL)
    {
      g_autofree char *log = rp_test_server_read_file (output);

      g_error ("The HTTPS test server did not start: %s", log);
    }

  return self;
}

void
rp_test_https_free (RpTestHttps *https)
{
  if (https == NULL)
    return;

  if (https->process != NULL)
    rp_test_server_stop (https->process);
  g_clear_object (&https->process);
  rp_test_rm_rf (https->dir);
  g_free (https->dir);
  g_free (https->docroot);
  g_free (https->log_path);
  g_free (https);
}

guint16
rp_test_https_get_port (RpTestHttps *https)
{
  g_return_val_if_fail (https != NULL, 0);

  return https->port;
}

void
rp_test_https_add_file (RpTestHttps *https,
                        const char  *host,
                        const char  *path,
                        const char  *contents)
{
  g_return_if_fail (https != NULL);

  write_site_file (https, host, path, "", contents);
}

void
rp_test_https_add_redirect (RpTestHttps *https,
                            const char  *host,
                            const char  *path,
                            const char  *location)
{
  g_return_if_fail (https != NULL);

  write_site_file (https, host, path, ".redirect", location);
}

void
rp_test_https_add_hang (RpTestHttps *https,
                        const char  *host,
                        const char  *path)
{
  g_return_if_fail (https != NULL);

  write_site_file (https, host, path, ".hang", "");
}

void
rp_test_https_clear (RpTestHttps *https)
{
  g_return_if_fail (https != NULL);

  rp_test_rm_rf (https->docroot);
  g_mkdir (https->docroot, 0755);
  g_unlink (https->log_path);
}

GPtrArray *
rp_test_https_get_requests (RpTestHttps *https)
{
  g_autofree char *log = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *requests = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (https != NULL, requests);

  log = rp_test_server_read_file (https->log_path);
  lines = g_strsplit (log, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      g_ptr_array_add (requests, g_strdup (lines[i]));

  return requests;
}
