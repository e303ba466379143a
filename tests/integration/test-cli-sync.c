/* test-cli-sync.c: rapport-cli's account, fetch, list, show, search, move
 * and folders commands against a real Dovecot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <sys/wait.h>

#include "rp-core.h"
#include "rp-test-ca.h"
#include "rp-test-dovecot.h"
#include "rp-test-util.h"

static RpTestCa *ca;
static RpTestDovecot *dovecot;

/* Runs rapport-cli with this test's isolated XDG folders. */
static int
run_cli (const char  *stdin_text,
         char       **out,
         char       **err,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) input = g_bytes_new (stdin_text ? stdin_text : "", stdin_text ? strlen (stdin_text) : 0);
  g_autoptr(GBytes) stdout_bytes = NULL;
  g_autoptr(GBytes) stderr_bytes = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("RAPPORT_CLI"));
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "RAPPORT_SECRETS", "file", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (process, input, NULL, &stdout_bytes, &stderr_bytes, &error);
  g_assert_no_error (error);

  if (out != NULL)
    *out = g_bytes_get_size (stdout_bytes)
             ? g_strndup (g_bytes_get_data (stdout_bytes, NULL), g_bytes_get_size (stdout_bytes))
             : g_strdup ("");
  if (err != NULL)
    *err = g_bytes_get_size (stderr_bytes)
             ? g_strndup (g_bytes_get_data (stderr_bytes, NULL), g_bytes_get_size (stderr_bytes))
             : g_strdup ("");

  return g_subprocess_get_exit_status (process);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_cli_account_fetch_list_show (void)
{
  g_autofree char *port = g_strdup_printf ("localhost:%u", rp_test_dovecot_get_pop3s_port (dovecot));
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) expected = NULL;
  const char *text = "From: Anna <anna@example.test>\nTo: carol@example.test\n"
                     "Subject: Quarterly budget\nMessage-ID: <cli-1@example.test>\n\n"
                     "The budget for the third quarter.\n.leading dot\n";
  gint64 id;
  JsonObject *obj;

  rp_test_dovecot_add_user (dovecot, "carol", "secret");
  g_free (rp_test_dovecot_deliver (dovecot, "carol", text, strlen (text)));
  {
    g_autoptr(GString) crlf = g_string_new (NULL);

    for (const char *p = text; *p; p++)
      {
        if (*p == '\n')
          g_string_append_c (crlf, '\r');
        g_string_append_c (crlf, *p);
      }
    expected = g_string_free_to_bytes (g_steal_pointer (&crlf));
  }

  /* Usage errors: exit status 2, one line on stderr. */
  g_assert_cmpint (run_cli (NULL, NULL, &err, "account", "add", "work", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--email"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (NULL, NULL, NULL, "account", "add", "work", "--email", "x",
                            "--pop", "h", "--smtp", "h", "--password-stdin", NULL), ==, 2);
  g_assert_cmpint (run_cli (NULL, NULL, NULL, "list", "--limit", "-1", NULL), ==, 2);

  g_assert_cmpint (run_cli ("secret\n", NULL, &err, "account", "add", "work",
                            "--email", "carol@example.test", "--display-name", "Carol",
                            "--pop", port, "--user", "carol", "--smtp", "localhost:2525",
                            "--smtp-security", "starttls", "--password-stdin",
                            "--delete-after-days", "30",
                            "--ca-file", rp_test_ca_get_ca_file (ca), NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_clear_pointer (&err, g_free);
  /* The same name again is refused. */
  g_assert_cmpint (run_cli ("secret\n", NULL, NULL, "account", "add", "work",
                            "--email", "carol@example.test", "--pop", port,
                            "--smtp", "localhost", "--password-stdin", NULL), ==, 2);

  g_assert_cmpint (run_cli (NULL, &out, NULL, "account", "list", "--json", NULL), ==, 0);
  root = parse_json (out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 1);
  obj = json_array_get_object_element (json_node_get_array (root), 0);
  g_assert_cmpstr (json_object_get_string_member (obj, "name"), ==, "work");
  g_assert_cmpstr (json_object_get_string_member (obj, "email"), ==, "carol@example.test");
  g_assert_true (json_object_get_boolean_member (obj, "enabled"));
  g_assert_cmpint (json_object_get_int_member (obj, "auth_failures"), ==, 0);
  g_assert_true (json_object_has_member (obj, "disabled_reason"));
  g_assert_true (json_object_has_member (obj, "last_error"));
  g_assert_true (json_object_has_member (obj, "last_fetch"));
  g_assert_true (json_object_has_member (obj, "connection_failures"));
  g_assert_cmpstr (json_object_get_string_member (obj, "retention"), ==, "delete-after-days");
  g_clear_pointer (&root, json_node_unref);

  /* The SMTP server has a certificate pin of its own; a malformed
   * fingerprint is refused and an empty one removes the pin. */
  {
    const char *fingerprint = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:"
                              "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";
    g_autofree char *normalized = rp_certificate_normalize_fingerprint (fingerprint);
    JsonObject *smtp;

    g_assert_nonnull (normalized);
    g_clear_pointer (&out, g_free);
    g_assert_cmpint (run_cli (NULL, NULL, NULL, "account", "set", "work",
                              "--pin-smtp-certificate", "not-a-fingerprint", NULL), !=, 0);
    g_assert_cmpint (run_cli (NULL, NULL, NULL, "account", "set", "work",
                              "--pin-smtp-certificate", fingerprint, NULL), ==, 0);
    g_assert_cmpint (run_cli (NULL, &out, NULL, "account", "list", "--json", NULL), ==, 0);
    root = parse_json (out);
    g_clear_pointer (&out, g_free);
    obj = json_array_get_object_element (json_node_get_array (root), 0);
    smtp = json_object_get_object_member (obj, "smtp");
    g_assert_cmpstr (json_object_get_string_member (smtp, "pinned_certificate"), ==, normalized);
    g_assert_null (json_object_get_string_member (json_object_get_object_member (obj, "pop"),
                                                  "pinned_certificate"));
    g_clear_pointer (&root, json_node_unref);
    g_assert_cmpint (run_cli (NULL, NULL, NULL, "account", "set", "work",
                              "--pin-smtp-certificate", "", NULL), ==, 0);
    g_assert_cmpint (run_cli (NULL, &out, NULL, "account", "list", "--json", NULL), ==, 0);
    root = parse_json (out);
    g_clear_pointer (&out, g_free);
    obj = json_array_get_object_element (json_node_get_array (root), 0);
    g_assert_null (json_object_get_string_member (json_object_get_object_member (obj, "smtp"),
                                                  "pinned_certificate"));
    g_clear_pointer (&root, json_node_unref);
  }
  g_clear_pointer (&out, g_free);

  /* The password went to the 0600 file, never to the database. */
  {
    g_autofree char *db = g_build_filename (g_get_user_data_dir (), "rapport", "rapport.db", NULL);
    g_autofree char *contents = NULL;
    gsize len;

    g_assert_true (g_file_get_contents (db, &contents, &len, NULL));
    g_assert_null (g_strstr_len (contents, len, "secret"));
  }

  g_assert_cmpint (run_cli (NULL, &out, NULL, "fetch", "--json", NULL), ==, 0);
  root = parse_json (out);
  obj = json_array_get_object_element (json_node_get_array (root), 0);
  g_assert_cmpstr (json_object_get_string_member (obj, "account"), ==, "work");
  g_assert_cmpint (json_object_get_int_member (obj, "new"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (obj, "bytes"), ==, g_bytes_get_size (expected));
  g_assert_true (json_object_get_null_member (obj, "error"));
  g_clear_pointer (&root, json_node_unref);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_cli (NULL, &out, NULL, "list", "--json", NULL), ==, 0);
  root = parse_json (out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 1);
  obj = json_array_get_object_element (json_node_get_array (root), 0);
  g_assert_cmpstr (json_object_get_string_member (obj, "from"), ==, "anna@example.test");
  g_assert_cmpstr (json_object_get_string_member (obj, "subject"), ==, "Quarterly budget");
  g_assert_cmpstr (json_object_get_string_member (obj, "folder"), ==, "Inbox");
  g_assert_cmpstr (json_object_get_string_member (obj, "account"), ==, "work");
  g_assert_cmpstr (json_object_get_string_member (obj, "flags"), ==, "");
  g_assert_cmpint (json_object_get_int_member (obj, "size"), ==, g_bytes_get_size (expected));
  id = json_object_get_int_member (obj, "id");
  g_clear_pointer (&root, json_node_unref);
  g_clear_pointer (&out, g_free);

  /* show --raw prints the stored bytes exactly. */
  {
    g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

    g_assert_cmpint (run_cli (NULL, &out, NULL, "show", id_text, "--raw", NULL), ==, 0);
    g_assert_cmpmem (out, strlen (out), g_bytes_get_data (expected, NULL),
                     g_bytes_get_size (expected));
    g_clear_pointer (&out, g_free);

    g_assert_cmpint (run_cli (NULL, &out, NULL, "show", id_text, NULL), ==, 0);
    g_assert_nonnull (strstr (out, "Quarterly budget"));
    g_assert_nonnull (strstr (out, "third quarter"));
    g_clear_pointer (&out, g_free);

    g_assert_cmpint (run_cli (NULL, &out, NULL, "search", "budget", "--json", NULL), ==, 0);
    root = parse_json (out);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 1);
    g_clear_pointer (&root, json_node_unref);
    g_clear_pointer (&out, g_free);

    g_assert_cmpint (run_cli (NULL, NULL, NULL, "move", id_text, "Trash", NULL), ==, 0);
    g_assert_cmpint (run_cli (NULL, NULL, NULL, "move", id_text, "Nowhere", NULL), ==, 2);
    g_assert_cmpint (run_cli (NULL, NULL, NULL, "show", "999999", NULL), ==, 2);
  }

  g_assert_cmpint (run_cli (NULL, &out, NULL, "folders", "--json", NULL), ==, 0);
  root = parse_json (out);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (root)); i++)
    {
      obj = json_array_get_object_element (json_node_get_array (root), i);
      if (g_strcmp0 (json_object_get_string_member (obj, "role"), "Trash") == 0)
        g_assert_cmpint (json_object_get_int_member (obj, "total"), ==, 1);
      if (g_strcmp0 (json_object_get_string_member (obj, "role"), "Inbox") == 0)
        g_assert_cmpint (json_object_get_int_member (obj, "total"), ==, 0);
    }
  g_clear_pointer (&root, json_node_unref);
  g_clear_pointer (&out, g_free);

  /* A wrong password: exit 1 with one line naming the account. */
  g_assert_cmpint (run_cli ("wrong\n", NULL, NULL, "account", "set", "work", "--password-stdin",
                            NULL), ==, 0);
  g_assert_cmpint (run_cli (NULL, NULL, &err, "fetch", NULL), ==, 1);
  g_assert_true (g_str_has_prefix (err, "rapport-cli: work: "));
  g_assert_cmpuint (g_strv_length (g_strsplit (err, "\n", -1)), ==, 2);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (NULL, &out, NULL, "account", "list", "--json", NULL), ==, 0);
  root = parse_json (out);
  obj = json_array_get_object_element (json_node_get_array (root), 0);
  g_assert_cmpint (json_object_get_int_member (obj, "auth_failures"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (obj, "last_error_code"), ==, "auth-failed");
  g_clear_pointer (&root, json_node_unref);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_cli (NULL, NULL, NULL, "account", "remove", "work", NULL), ==, 0);
  g_assert_cmpint (run_cli (NULL, &out, NULL, "account", "list", "--json", NULL), ==, 0);
  root = parse_json (out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  int status;

  rp_test_init (&argc, &argv);
  g_assert_nonnull (g_getenv ("RAPPORT_CLI"));

  ca = rp_test_ca_new ();
  dovecot = rp_test_dovecot_new (ca, RP_TEST_CERT_VALID);

  g_test_add_func ("/cli/account-fetch-list-show", test_cli_account_fetch_list_show);

  status = g_test_run ();

  rp_test_dovecot_free (dovecot);
  rp_test_ca_free (ca);
  return status;
}
