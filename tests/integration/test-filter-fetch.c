/* test-filter-fetch.c: filters on real mail: fetched from Dovecot, forwarded
 * through Postfix, and driven by rapport-cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "send-fixture.h"
#include "rp-crm.h"
#include "rp-filter.h"

/* Auxiliary methods */

static void
deliver (Fixture    *f,
         const char *from,
         const char *to,
         const char *subject)
{
  static guint counter;
  g_autofree char *data = g_strdup_printf ("From: %s\r\nTo: %s\r\nSubject: %s\r\n"
                                           "Date: Tue, 2 Jan 2024 09:00:00 +0000\r\n"
                                           "Message-ID: <filter-fetch-%u@test>\r\n"
                                           "\r\nBody of %s\r\n", from, to, subject, ++counter,
                                           subject);
  g_autofree char *path = rp_test_dovecot_deliver (dovecot, f->user, data, strlen (data));

  g_assert_nonnull (path);
}

static void
fetch (Fixture *f,
       guint    expect_new)
{
  g_autoptr(RpFetcher) fetcher = rp_fetcher_new (f->store, f->secrets);
  g_autoptr(GError) error = NULL;
  RpFetchStats stats = { 0, };

  rp_fetcher_set_timeout (fetcher, 20);
  g_assert_true (rp_fetcher_fetch_sync (fetcher, "work", &stats, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.new_messages, ==, expect_new);
}

/* How many messages with @subject are in the folder of @role, read the way
 * another program would. */
static gint64
count_subject (Fixture      *f,
               RpFolderRole  role,
               const char   *subject,
               gboolean      seen)
{
  g_autofree char *sql = g_strdup_printf (
    "SELECT count (*) FROM message JOIN folder ON folder.id = message.folder_id"
    " WHERE folder.role = %d AND message.subject = '%s' AND (message.flags & 1) = %d",
    role, subject, seen ? 1 : 0);

  return query_int (f, sql);
}

static JsonArray *
cli_filter_list (JsonNode **root)
{
  const char *args[] = { "filter", "list", "--json", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (run_cli (args, &out, &err), ==, 0);
  *root = json_from_string (out, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (*root));
  return json_node_get_array (*root);
}

/* Tests */

/* The rule the wizard offers puts the user's own mail into Sent while it
 * is fetched, and the CRM then counts it as sent to the contact. */
static void
test_own_addresses_to_sent (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(RpFilterRule) rule = rp_filter_rule_new_own_addresses_to_sent (f->account);
  g_autoptr(RpCrmRecord) client = rp_crm_record_new ();
  g_autoptr(GPtrArray) timeline = NULL;
  g_autoptr(GError) error = NULL;
  gboolean found_sent = FALSE, found_received = FALSE;

  g_assert_cmpint (rp_store_save_filter (f->store, rule, &error), >, 0);
  g_assert_no_error (error);
  /* Saved, the rule is not "another" equivalent rule of itself. */
  g_assert_false (rp_store_has_equivalent_filter (f->store, rule, &error));

  client->name = g_strdup ("Client Person");
  client->emails = g_strsplit ("client@example.net", ",", -1);
  g_assert_cmpint (rp_crm_add_record (f->store, client, &error), >, 0);
  g_assert_no_error (error);

  deliver (f, f->address, "Client Person <client@example.net>", "Sent from my phone");
  deliver (f, "Client Person <client@example.net>", f->address, "A question");
  fetch (f, 2);

  g_assert_cmpint (count_subject (f, RP_FOLDER_ROLE_SENT, "Sent from my phone", TRUE), ==, 1);
  g_assert_cmpint (count_subject (f, RP_FOLDER_ROLE_INBOX, "A question", FALSE), ==, 1);
  g_assert_cmpuint (count_folder (f, RP_FOLDER_ROLE_INBOX), ==, 1);
  g_assert_cmpuint (count_folder (f, RP_FOLDER_ROLE_SENT), ==, 1);

  timeline = rp_crm_get_timeline (f->store, client->id, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (timeline->len, ==, 2);
  for (guint i = 0; i < timeline->len; i++)
    {
      RpCrmTimelineEntry *entry = g_ptr_array_index (timeline, i);

      if (g_str_equal (entry->subject, "Sent from my phone"))
        found_sent = entry->sent;
      else if (g_str_equal (entry->subject, "A question"))
        found_received = !entry->sent;
    }
  g_assert_true (found_sent);
  g_assert_true (found_received);
}

/* A forward action queues a new message in the Outbox after the commit;
 * sending it goes through the real Postfix to the other user's maildir. */
static void
test_forward_through_postfix (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *boss = new_user ("boss");
  g_autofree char *boss_address = address_of (boss);
  g_autofree char *action = g_strconcat ("forward:", boss_address, NULL);
  g_autoptr(RpFilterRule) rule = rp_filter_rule_new ("To the boss");
  g_autoptr(GPtrArray) delivered = NULL;
  g_autoptr(GError) error = NULL;
  RpOutboxFlushStats stats = { 0, };
  const char *message;

  rp_filter_rule_add_condition (rule, rp_filter_condition_parse ("subject:contains:urgent",
                                                                 &error));
  rp_filter_rule_add_action (rule, rp_filter_action_parse (action, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rp_store_save_filter (f->store, rule, &error), >, 0);

  deliver (f, "customer@example.net", f->address, "Urgent: the order");
  deliver (f, "customer@example.net", f->address, "Just saying hi");
  fetch (f, 2);

  g_assert_cmpuint (count_outbox_rows (f), ==, 1);
  g_assert_cmpint (count_subject (f, RP_FOLDER_ROLE_INBOX, "Urgent: the order", FALSE), ==, 1);

  g_assert_true (rp_outbox_flush_sync (f->store, f->secrets, 0, RP_OUTBOX_FLUSH_NOW, &stats, NULL,
                                       &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.sent, ==, 1);

  delivered = expect_deliveries (boss, 1);
  message = g_ptr_array_index (delivered, 0);
  g_assert_nonnull (strstr (message, "Subject: Fwd: Urgent: the order"));
  g_assert_nonnull (strstr (message, f->address));
  g_assert_nonnull (strstr (message, "Body of Urgent: the order"));
  g_assert_null (strstr (message, "Just saying hi"));
}

/* rapport-cli filter add, list --json, run, remove, end to end, with
 * fetches in between. */
static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *condition = g_strconcat ("from:contains:", f->address, NULL);
  const char *add[] = { "filter", "add", "Mine", "--if", condition, "--then", "move:Sent",
                        "--then", "mark-read", NULL };
  const char *add_again[] = { "filter", "add", "Mine again", "--if", condition, "--then",
                              "move:Sent", "--then", "mark-read", NULL };
  const char *bad[] = { "filter", "add", "Bad", "--if", "subject:matches:(x", "--then", "flag",
                        NULL };
  const char *run[] = { "filter", "run", NULL };
  const char *run_folder[] = { "filter", "run", "--folder", "Inbox", NULL };
  const char *fetch_cli[] = { "fetch", NULL };
  const char *remove[] = { "filter", "remove", "Mine", NULL };
  const char *remove_again[] = { "filter", "remove", "Mine", NULL };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) root_after = NULL;
  JsonArray *list;
  JsonObject *rule;
  char *out = NULL, *err = NULL;

  /* Mail from myself, fetched before there was any rule: in the Inbox. */
  deliver (f, f->address, "someone@example.net", "Before the rule");
  fetch (f, 1);
  g_assert_cmpint (count_subject (f, RP_FOLDER_ROLE_INBOX, "Before the rule", FALSE), ==, 1);

  g_assert_cmpint (run_cli (add, &out, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (add_again, NULL, &err), ==, 2);
  g_assert_nonnull (strstr (err, "does the same"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (bad, NULL, &err), ==, 2);
  g_assert_nonnull (strstr (err, "regular expression “(x” of the filter “Bad” is not valid"));
  g_clear_pointer (&err, g_free);

  list = cli_filter_list (&root);
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  rule = json_array_get_object_element (list, 0);
  g_assert_cmpstr (json_object_get_string_member (rule, "name"), ==, "Mine");
  g_assert_cmpstr (json_object_get_string_member (rule, "match"), ==, "all");
  g_assert_cmpstr (json_array_get_string_element (
                     json_object_get_array_member (rule, "conditions"), 0), ==, condition);
  g_assert_cmpstr (json_array_get_string_element (
                     json_object_get_array_member (rule, "actions"), 0), ==, "move:Sent");

  /* "filter run" sorts what is there already. */
  g_assert_cmpint (run_cli (run, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "1 message matched a filter"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (count_subject (f, RP_FOLDER_ROLE_SENT, "Before the rule", TRUE), ==, 1);
  g_assert_cmpint (run_cli (run_folder, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "0 messages matched a filter"));
  g_clear_pointer (&out, g_free);

  /* New mail fetched by rapport-cli goes straight to Sent. */
  deliver (f, f->address, "someone@example.net", "After the rule");
  deliver (f, "someone@example.net", f->address, "Not mine");
  g_assert_cmpint (run_cli (fetch_cli, &out, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (count_subject (f, RP_FOLDER_ROLE_SENT, "After the rule", TRUE), ==, 1);
  g_assert_cmpint (count_subject (f, RP_FOLDER_ROLE_INBOX, "Not mine", FALSE), ==, 1);

  g_assert_cmpint (run_cli (remove, &out, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (remove_again, NULL, &err), ==, 2);
  g_clear_pointer (&err, g_free);
  list = cli_filter_list (&root_after);
  g_assert_cmpuint (json_array_get_length (list), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  int status;

  rp_test_init (&argc, &argv);
  send_fixture_start_servers ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/integration/filter/own-addresses-to-sent", test_own_addresses_to_sent);
  ADD ("/integration/filter/forward-through-postfix", test_forward_through_postfix);
  ADD ("/integration/filter/cli", test_cli);

  status = g_test_run ();

  send_fixture_stop_servers ();
  return status;
}
