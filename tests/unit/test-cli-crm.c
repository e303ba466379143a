/* test-cli-crm.c: rapport-cli crm — records, linked mail with its
 * direction, tasks, events, notes, import and export — with the JSON
 * output checked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "rp-core.h"
#include "rp-test-util.h"

/* Runs rapport-cli with this test's isolated XDG folders; returns the
 * exit status. */
static int
run_cli (char **out,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("RAPPORT_CLI"));
  va_start (args, out);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &stdout_text, &stderr_text, &error);
  g_assert_no_error (error);
  if (stderr_text != NULL && *stderr_text != '\0')
    g_test_message ("stderr: %s", stderr_text);

  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
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

/* Stores two messages with the CLI's default database: one from Kim in
 * the Inbox, one to Kim in Sent. Returns their ids. */
static void
store_mail (gint64 *received,
            gint64 *sent)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RpStore) store = rp_store_open_sync (NULL, NULL, &error);
  const char *texts[] = {
    "From: Kim <kim@example.org>\r\nTo: me@example.com\r\nSubject: Question\r\n"
    "Date: Mon, 01 Jan 2024 10:00:00 +0000\r\nMessage-ID: <q@t>\r\n\r\nHi\r\n",
    "From: me@example.com\r\nTo: Kim <kim@example.org>\r\nSubject: Re: Question\r\n"
    "Date: Mon, 01 Jan 2024 11:00:00 +0000\r\nMessage-ID: <a@t>\r\n\r\nHello\r\n",
  };
  gint64 *ids[] = { received, sent };
  gint64 account;

  g_assert_no_error (error);
  account = rp_store_ensure_account (store, "work", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GBytes) raw = g_bytes_new_static (texts[i], strlen (texts[i]));
      RpStoreNewMessage msg = {
        .folder_id = rp_store_get_special_folder (store, account,
                                                  i == 0 ? RP_FOLDER_ROLE_INBOX
                                                         : RP_FOLDER_ROLE_SENT),
        .raw = raw,
      };

      g_assert_true (rp_store_add_messages_sync (store, account, &msg, 1, NULL, &error));
      g_assert_no_error (error);
      *ids[i] = msg.id;
    }

  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_cli_crm (void)
{
  g_autofree char *out = NULL;
  g_autofree char *message_arg = NULL;
  g_autofree char *vcf = g_build_filename (g_get_user_cache_dir (), "out.vcf", NULL);
  g_autofree char *ics = g_build_filename (g_get_user_cache_dir (), "out.ics", NULL);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *record;
  JsonArray *array;
  JsonObject *item;
  gint64 received = 0, sent = 0;

  g_assert_true (g_mkdir_with_parents (g_get_user_cache_dir (), 0700) == 0);
  store_mail (&received, &sent);

  /* A lead created after the mail is linked to it. */
  g_assert_cmpint (run_cli (&out, "crm", "lead", "add", "KIM@example.org", "--name", "Kim Park",
                            "--company", "Park & Co", "--status", "contacted", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (&out, "crm", "contact", "add", "lou@example.net", "--name", "Lou",
                            "--phone", "+1 555", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (NULL, "crm", "lead", "add", "x@example.org", "--status", "bogus",
                            NULL), ==, 2);
  /* Invalid input, such as an address that is taken, is exit status 2. */
  g_assert_cmpint (run_cli (NULL, "crm", "contact", "add", "kim@example.org", NULL), ==, 2);

  g_assert_cmpint (run_cli (&out, "crm", "list", "--kind", "lead", "--json", NULL), ==, 0);
  root = parse_json (out);
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  record = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (record, "name"), ==, "Kim Park");
  g_assert_cmpstr (json_object_get_string_member (record, "kind"), ==, "lead");
  g_assert_cmpstr (json_object_get_string_member (record, "status"), ==, "contacted");
  g_assert_cmpstr (json_object_get_string_member (record, "company"), ==, "Park & Co");
  g_clear_pointer (&root, json_node_unref);
  g_clear_pointer (&out, g_free);

  /* Items, one from the received message. */
  message_arg = g_strdup_printf ("%" G_GINT64_FORMAT, received);
  g_assert_cmpint (run_cli (NULL, "crm", "task", "add", "kim@example.org", "--title", "Answer",
                            "--due", "2030-02-03", "--message", message_arg, NULL), ==, 0);
  g_assert_cmpint (run_cli (NULL, "crm", "task", "add", "kim@example.org", "--title", "x",
                            "--due", "2030-02-30", NULL), ==, 2);
  g_assert_cmpint (run_cli (NULL, "crm", "event", "add", "kim@example.org", "--title", "Visit",
                            "--start", "2030-03-01T09:00:00Z", "--end", "2030-03-01T10:30:00Z",
                            "--location", "Office", NULL), ==, 0);
  g_assert_cmpint (run_cli (NULL, "crm", "note", "add", "kim@example.org", "--text",
                            "Prefers mail", "--message", message_arg, NULL), ==, 0);
  g_assert_cmpint (run_cli (NULL, "crm", "convert", "kim@example.org", NULL), ==, 0);
  g_assert_cmpint (run_cli (NULL, "crm", "convert", "kim@example.org", NULL), ==, 2);

  g_assert_cmpint (run_cli (&out, "crm", "show", "Kim@Example.org", "--json", NULL), ==, 0);
  root = parse_json (out);
  record = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (record, "kind"), ==, "contact");
  g_assert_cmpstr (json_object_get_string_member (record, "status"), ==, "contacted");

  array = json_object_get_array_member (record, "messages");
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  item = json_array_get_object_element (array, 0);
  g_assert_cmpint (json_object_get_int_member (item, "id"), ==, sent);
  g_assert_cmpstr (json_object_get_string_member (item, "folder"), ==, "Sent");
  g_assert_cmpstr (json_object_get_string_member (item, "direction"), ==, "sent");
  item = json_array_get_object_element (array, 1);
  g_assert_cmpint (json_object_get_int_member (item, "id"), ==, received);
  g_assert_cmpstr (json_object_get_string_member (item, "folder"), ==, "Inbox");
  g_assert_cmpstr (json_object_get_string_member (item, "direction"), ==, "received");
  g_assert_cmpstr (json_object_get_string_member (item, "subject"), ==, "Question");

  array = json_object_get_array_member (record, "tasks");
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  item = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (item, "title"), ==, "Answer");
  g_assert_cmpstr (json_object_get_string_member (item, "due"), ==, "2030-02-03");
  g_assert_cmpint (json_object_get_int_member (item, "message"), ==, received);

  array = json_object_get_array_member (record, "events");
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  item = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (item, "title"), ==, "Visit");
  g_assert_cmpstr (json_object_get_string_member (item, "start"), ==, "2030-03-01T09:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (item, "end"), ==, "2030-03-01T10:30:00Z");
  g_assert_cmpstr (json_object_get_string_member (item, "location"), ==, "Office");

  array = json_object_get_array_member (record, "notes");
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  item = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (item, "text"), ==, "Prefers mail");
  g_clear_pointer (&root, json_node_unref);
  g_clear_pointer (&out, g_free);

  /* Export, delete, import: the records and items come back. */
  g_assert_cmpint (run_cli (NULL, "crm", "export", vcf, NULL), ==, 0);
  g_assert_cmpint (run_cli (NULL, "crm", "export", ics, NULL), ==, 0);
  g_assert_cmpint (run_cli (NULL, "crm", "export", "out.txt", NULL), ==, 2);
  g_assert_cmpint (run_cli (NULL, "crm", "delete", "kim@example.org", NULL), ==, 0);
  g_assert_cmpint (run_cli (NULL, "crm", "show", "kim@example.org", NULL), ==, 2);
  g_assert_cmpint (run_cli (&out, "crm", "import", vcf, NULL), ==, 0);
  g_assert_cmpstr (out, ==, "2\n");
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (&out, "crm", "import", ics, NULL), ==, 0);
  g_assert_cmpstr (out, ==, "2\n");
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_cli (&out, "crm", "show", "kim@example.org", "--json", NULL), ==, 0);
  root = parse_json (out);
  record = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (record, "name"), ==, "Kim Park");
  g_assert_cmpstr (json_object_get_string_member (record, "kind"), ==, "contact");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (record, "messages")), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (record, "tasks")), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (record, "events")), ==, 1);
  g_clear_pointer (&root, json_node_unref);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_cli (&out, "crm", "list", "--json", NULL), ==, 0);
  root = parse_json (out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  rp_test_init (&argc, &argv);

  g_test_add_func ("/cli/crm/commands", test_cli_crm);

  return g_test_run ();
}
