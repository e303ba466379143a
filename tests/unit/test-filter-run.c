/* test-filter-run.c: filter rules applied to mail: every condition,
 * operator and action, all and any, order and "stop", the fetcher's hook,
 * and runs over stored mail (the rules themselves are in test-filter.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "filter-fixture.h"

/* Tests */

static void
test_conditions (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RpCrmRecord) record = rp_crm_record_new ();
  gint64 plain, rich, own, lead;
  g_autofree char *big_body = g_strnfill (300 * 1024, 'x');

  plain = add_message (f, f->inbox, build_message ("Bob Builder <bob@example.net>",
                                                   "me@example.com, Ann <ann@example.org>",
                                                   "carl@example.com",
                                                   "Invoice 42 for March",
                                                   "X-Spam-Flag: NO\r\nReceived: from a\r\n"
                                                   "Received: from b\r\n",
                                                   "Dear customer,\nplease pay.", FALSE));
  rich = add_message (f, f->inbox, build_message ("=?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <jm@example.de>",
                                                  "team@example.com", NULL,
                                                  "=?utf-8?q?Gr=C3=BC=C3=9Fe?=",
                                                  "X-Spam-Flag: YES\r\nX-Mailer: =?utf-8?q?M=C3=A4iler?=\r\n",
                                                  big_body, TRUE));
  own = add_message (f, f->inbox, build_message ("Me <ALIAS@example.org>", "friend@example.com",
                                                 NULL, "From my phone", NULL, "sent", FALSE));
  lead = add_simple (f, "Lead Person <lead@example.biz>", "Interested");

  /* From: whole text for contains, single address or name for the rest;
   * case never matters. */
  g_assert_true (matches (f, "from:contains:BOB@example", plain));
  g_assert_true (matches (f, "from:contains:builder", plain));
  g_assert_false (matches (f, "from:contains:ann", plain));
  g_assert_true (matches (f, "from:not-contains:ann", plain));
  g_assert_false (matches (f, "from:not-contains:bob", plain));
  g_assert_true (matches (f, "from:is:bob@example.net", plain));
  g_assert_true (matches (f, "from:is:Bob Builder", plain));
  g_assert_false (matches (f, "from:is:bob@example", plain));
  g_assert_true (matches (f, "from:begins-with:bob@", plain));
  g_assert_true (matches (f, "from:ends-with:@EXAMPLE.NET", plain));
  g_assert_false (matches (f, "from:ends-with:@example.org", plain));
  g_assert_true (matches (f, "from:matches:^bob builder <[a-z]+@example\\.net>$", plain));
  g_assert_false (matches (f, "from:matches:^carl", plain));
  g_assert_true (matches (f, "from:contains:müller", rich));
  g_assert_true (matches (f, "from:is:JÜRGEN MÜLLER", rich));

  /* To, Cc and To-or-Cc: "is" holds for any one address of the list. */
  g_assert_true (matches (f, "to:is:ann@example.org", plain));
  g_assert_true (matches (f, "to:is:me@example.com", plain));
  g_assert_false (matches (f, "to:is:carl@example.com", plain));
  g_assert_true (matches (f, "cc:is:carl@example.com", plain));
  g_assert_false (matches (f, "cc:contains:ann", plain));
  g_assert_true (matches (f, "to-or-cc:is:carl@example.com", plain));
  g_assert_true (matches (f, "to-or-cc:is:ann@example.org", plain));
  g_assert_true (matches (f, "to:begins-with:ann", plain));
  g_assert_true (matches (f, "cc:ends-with:example.com", plain));
  g_assert_true (matches (f, "to-or-cc:matches:carl@", plain));
  g_assert_true (matches (f, "to:not-contains:team", plain));
  g_assert_false (matches (f, "to:not-contains:team", rich));

  /* Subject, decoded. */
  g_assert_true (matches (f, "subject:contains:invoice", plain));
  g_assert_true (matches (f, "subject:is:invoice 42 for march", plain));
  g_assert_true (matches (f, "subject:begins-with:Invoice", plain));
  g_assert_true (matches (f, "subject:ends-with:march", plain));
  g_assert_true (matches (f, "subject:matches:invoice \\d+", plain));
  g_assert_false (matches (f, "subject:matches:^\\d", plain));
  g_assert_true (matches (f, "subject:not-contains:invoice", rich));
  g_assert_true (matches (f, "subject:is:GRÜSSE", rich) || matches (f, "subject:is:grüße", rich));

  /* Body. */
  g_assert_true (matches (f, "body:contains:please pay", plain));
  g_assert_true (matches (f, "body:begins-with:dear", plain));
  g_assert_true (matches (f, "body:matches:^please", plain));
  g_assert_false (matches (f, "body:contains:please pay", rich));

  /* Any named header, decoded; repeated ones all count; a missing header
   * does not contain anything. */
  g_assert_true (matches (f, "header:x-spam-flag:is:yes", rich));
  g_assert_false (matches (f, "header:X-Spam-Flag:is:yes", plain));
  g_assert_true (matches (f, "header:X-Mailer:contains:mäiler", rich));
  g_assert_false (matches (f, "header:X-Mailer:contains:m", plain));
  g_assert_true (matches (f, "header:X-Mailer:not-contains:m", plain));
  g_assert_true (matches (f, "header:Received:contains:from b", plain));
  g_assert_true (matches (f, "header:Received:matches:^from a$", plain));
  g_assert_true (matches (f, "header:Received:begins-with:from a", plain));
  g_assert_true (matches (f, "header:Received:ends-with:from b", plain));

  /* Account, attachment, size. */
  g_assert_true (matches (f, "account:is:work", plain));
  g_assert_false (matches (f, "account:is:home", plain));
  g_assert_true (matches (f, "account:begins-with:WO", plain));
  g_assert_true (matches (f, "has-attachment", rich));
  g_assert_false (matches (f, "has-attachment", plain));
  g_assert_true (matches (f, "size:greater:200k", rich));
  g_assert_false (matches (f, "size:greater:200k", plain));
  g_assert_true (matches (f, "size:less:2k", plain));
  g_assert_false (matches (f, "size:less:2k", rich));
  g_assert_true (matches (f, "size:greater:1", plain));

  /* Sent from one of my identities (any case). */
  g_assert_true (matches (f, "from-identity", own));
  g_assert_false (matches (f, "from-identity", plain));

  /* Sender is a CRM contact or lead. */
  g_assert_false (matches (f, "sender-in-crm", lead));
  record->kind = RP_CRM_KIND_LEAD;
  record->name = g_strdup ("Lead Person");
  record->emails = g_strsplit ("lead@example.biz", ",", -1);
  g_assert_cmpint (rp_crm_add_record (f->store, record, &error), >, 0);
  g_assert_no_error (error);
  g_assert_true (matches (f, "sender-in-crm", lead));
  g_assert_false (matches (f, "sender-in-crm", plain));
}

static void
test_all_any (Fixture       *f,
              gconstpointer  data)
{
  gint64 id = add_simple (f, "bob@example.net", "Invoice");
  g_autoptr(RpFilterRule) rule = rule_from ("r", "from:contains:bob", "flag");
  g_autoptr(GError) error = NULL;
  gboolean result = FALSE;

  rp_filter_rule_add_condition (rule, rp_filter_condition_parse ("subject:contains:receipt", NULL));
  g_assert_true (rp_filter_rule_matches_message (f->store, rule, id, &result, &error));
  g_assert_false (result);
  rule->match_all = FALSE;
  g_assert_true (rp_filter_rule_matches_message (f->store, rule, id, &result, &error));
  g_assert_true (result);
  g_assert_no_error (error);
}

static void
test_actions (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RpCrmRecord) record = rp_crm_record_new ();
  g_autoptr(RpCrmRecord) other = rp_crm_record_new ();
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GArray) links = NULL;
  g_autoptr(GArray) other_links = NULL;
  g_autoptr(RpFilterRule) link_fixed = NULL;
  gint64 moved, copied, read, flagged, deleted, forwarded, linked, untouched, archive;
  g_autoptr(RpOutboxEntry) entry = NULL;

  moved = add_simple (f, "move@example.net", "m");
  copied = add_simple (f, "copy@example.net", "c");
  read = add_simple (f, "read@example.net", "r");
  flagged = add_simple (f, "flag@example.net", "f");
  deleted = add_simple (f, "delete@example.net", "d");
  forwarded = add_simple (f, "forward@example.net", "Please look");
  linked = add_simple (f, "crm@example.net", "l");
  untouched = add_simple (f, "other@example.net", "u");

  record->name = g_strdup ("Crm Person");
  record->emails = g_strsplit ("crm-other@example.net", ",", -1);
  g_assert_cmpint (rp_crm_add_record (f->store, record, &error), >, 0);
  other->name = g_strdup ("Fixed Record");
  other->emails = g_strsplit ("fixed@example.net", ",", -1);
  g_assert_cmpint (rp_crm_add_record (f->store, other, &error), >, 0);
  g_assert_no_error (error);
  /* The sender gets an address of the record only now, so only the
   * filter can link the message. */
  g_assert_true (rp_crm_add_address (f->store, record->id, "crm@example.net", &error));

  add_rule (f, rule_from ("move", "from:is:move@example.net", "move:Sent"));
  add_rule (f, rule_from ("copy", "from:is:copy@example.net", "copy:Archive"));
  add_rule (f, rule_from ("read", "from:is:read@example.net", "mark-read"));
  add_rule (f, rule_from ("flag", "from:is:flag@example.net", "flag"));
  add_rule (f, rule_from ("delete", "from:is:delete@example.net", "delete"));
  add_rule (f, rule_from ("forward", "from:is:forward@example.net", "forward:boss@example.com"));
  add_rule (f, rule_from ("link", "from:is:crm@example.net", "link-crm"));
  link_fixed = rule_from ("link fixed", "from:is:crm@example.net", "link-crm");
  g_free (((RpFilterAction *) g_ptr_array_index (link_fixed->actions, 0))->argument);
  ((RpFilterAction *) g_ptr_array_index (link_fixed->actions, 0))->argument =
    g_strdup_printf ("%" G_GINT64_FORMAT, other->id);
  add_rule (f, g_steal_pointer (&link_fixed));

  run_inbox (f, 7);

  g_assert_cmpint (folder_of (f, moved), ==, f->sent);
  g_assert_cmpint (folder_of (f, copied), ==, f->inbox);
  archive = rp_store_find_folder (f->store, f->account->id, "Archive");
  g_assert_cmpint (archive, >, 0);
  g_assert_cmpuint (count_in (f, archive), ==, 1);
  g_assert_cmpuint (flags_of (f, read) & RP_MESSAGE_FLAG_SEEN, !=, 0);
  g_assert_cmpuint (flags_of (f, read) & RP_MESSAGE_FLAG_FLAGGED, ==, 0);
  g_assert_cmpuint (flags_of (f, flagged) & RP_MESSAGE_FLAG_FLAGGED, !=, 0);
  g_assert_cmpuint (flags_of (f, flagged) & RP_MESSAGE_FLAG_SEEN, ==, 0);
  g_assert_cmpint (folder_of (f, deleted), ==, f->trash);
  g_assert_cmpint (folder_of (f, untouched), ==, f->inbox);
  g_assert_cmpuint (flags_of (f, untouched), ==, 0);

  /* The forward waits in the Outbox, from the default identity. */
  outbox = rp_outbox_list (f->store, f->account->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 1);
  entry = rp_outbox_get (f->store, ((RpOutboxEntry *) g_ptr_array_index (outbox, 0))->message_id,
                         &error);
  g_assert_cmpstr (entry->from, ==, "me@example.com");
  g_assert_cmpstr (entry->recipients[0], ==, "boss@example.com");
  g_assert_null (entry->recipients[1]);
  g_assert_nonnull (strstr (entry->subject, "Please look"));
  g_assert_cmpint (folder_of (f, forwarded), ==, f->inbox);

  /* Linked to the sender's record, and to the record named by id. */
  links = rp_crm_get_message_records (f->store, linked, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (links->len, ==, 2);
  g_assert_cmpint (g_array_index (links, gint64, 0), ==, record->id);
  g_assert_cmpint (g_array_index (links, gint64, 1), ==, other->id);
  other_links = rp_crm_get_message_records (f->store, untouched, &error);
  g_assert_cmpuint (other_links->len, ==, 0);

  /* "Run now" again applies every rule that still matches, as asked: the
   * moved and deleted messages left the Inbox, the others match again. */
  run_inbox (f, 5);
  g_assert_cmpuint (count_in (f, archive), ==, 2);
}

static void
test_order_and_stop (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 first, second, id, lists, archive;
  RpFilterRule *rule;

  lists = rp_store_create_folder (f->store, f->account->id, 0, "Lists", &error);
  archive = rp_store_create_folder (f->store, f->account->id, 0, "Archive", &error);
  g_assert_no_error (error);

  id = add_simple (f, "news@example.net", "Weekly");
  first = add_rule (f, rule_from ("to lists", "from:contains:news", "move:Lists"));
  rule = rule_from ("to archive", "subject:contains:weekly", "move:Archive");
  second = save (f, rule);

  /* Both match; the later move decides. */
  run_inbox (f, 1);
  g_assert_cmpint (folder_of (f, id), ==, archive);

  /* Reordered, the other one is last. */
  g_assert_true (rp_store_move_messages (f->store, &id, 1, f->inbox, &error));
  g_assert_true (rp_store_reorder_filters (f->store, (gint64[]) { second }, 1, &error));
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) rules = rp_store_list_filters (f->store, &error);

    g_assert_cmpint (((RpFilterRule *) g_ptr_array_index (rules, 0))->id, ==, second);
    g_assert_cmpint (((RpFilterRule *) g_ptr_array_index (rules, 1))->id, ==, first);
  }
  run_inbox (f, 1);
  g_assert_cmpint (folder_of (f, id), ==, lists);

  /* "Stop" on the first rule keeps the second from running. */
  g_assert_true (rp_store_move_messages (f->store, &id, 1, f->inbox, &error));
  rule->stop = TRUE;
  g_assert_cmpint (rp_store_save_filter (f->store, rule, &error), ==, second);
  run_inbox (f, 1);
  g_assert_cmpint (folder_of (f, id), ==, archive);

  /* A rule switched off does nothing. */
  g_assert_true (rp_store_move_messages (f->store, &id, 1, f->inbox, &error));
  rule->enabled = FALSE;
  g_assert_cmpint (rp_store_save_filter (f->store, rule, &error), ==, second);
  run_inbox (f, 1);
  g_assert_cmpint (folder_of (f, id), ==, lists);

  /* Deleted, it is gone from the list. */
  g_assert_true (rp_store_delete_filter (f->store, first, &error));
  g_assert_false (rp_store_delete_filter (f->store, first, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  {
    g_autoptr(GPtrArray) rules = rp_store_list_filters (f->store, &error);

    g_assert_cmpuint (rules->len, ==, 1);
  }
  rp_filter_rule_free (rule);
}

/* The fetcher's hook decides folder and flags before the message is stored. */
static void
test_classify (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) raw = build_message ("Me <me@example.com>", "x@example.com", NULL, "mine",
                                         NULL, "b", FALSE);
  g_autoptr(RpMessageSummary) summary = rp_message_summary_parse (raw, 0);
  RpStoreNewMessage msg = { .folder_id = f->inbox, .raw = raw, .summary = summary };
  RpFilterSet *set;
  GPtrArray *deferred;

  add_rule (f, rp_filter_rule_new_own_addresses_to_sent (f->account));
  add_rule (f, rule_from ("copy mine", "from:is:me@example.com", "copy:Mine"));
  set = _rp_filter_set_load (f->store, &error);
  g_assert_no_error (error);

  /* The own-addresses rule stops: the copy rule after it never runs. */
  deferred = _rp_filter_set_classify (set, f->account, &msg);
  g_assert_null (deferred);
  g_assert_cmpint (msg.folder_id, ==, f->sent);
  g_assert_cmpuint (msg.flags & RP_MESSAGE_FLAG_SEEN, !=, 0);
  _rp_filter_set_free (set);
}

static void
progress_cb (guint    done,
             guint    total,
             gpointer user_data)
{
  GArray *calls = user_data;
  guint pair[2] = { done, total };

  g_assert_cmpuint (done, <=, total);
  g_array_append_vals (calls, pair, 2);
}

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  guint *matched = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (rp_filter_run_finish (RP_STORE (source), result, matched, &error));
  g_assert_no_error (error);
}

/* What only a run over stored mail does: headers read from the first
 * bytes of the raw message (one block may be longer than the first read),
 * a move into another account's folder, several rules' values on one
 * field, and "does not contain" through the index. */
static void
test_run_stored (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) received = g_string_new (NULL);
  g_autoptr(RpAccount) home = rp_account_new ("home");
  gint64 deep, folded, other, elsewhere;
  guint matched = 0;

  for (guint i = 0; i < 80; i++)
    g_string_append_printf (received, "Received: from relay%u.example.net by mx.example.com;"
                                      " Mon, 1 Jan 2024 10:00:%02u +0000\r\n", i, i % 60);
  g_string_append (received, "X-Target: =?utf-8?q?tief_unten_=C3=BCberall?=\r\n");
  deep = add_message (f, f->inbox, build_message ("deep@example.net", "me@example.com", NULL,
                                                  "deep", received->str, "one", FALSE));
  folded = add_message (f, f->inbox, build_message ("folded@example.net", "me@example.com", NULL,
                                                    "folded", "X-Long: part one\r\n\tpart two\r\n",
                                                    "two", FALSE));
  other = add_simple (f, "Other <other@example.org>", "Weekly report");

  g_assert_true (matches (f, "header:X-Target:contains:ÜBERALL", deep));
  g_assert_true (matches (f, "header:Received:contains:relay79.example.net", deep));
  g_assert_false (matches (f, "header:X-Target:contains:überall", folded));
  g_assert_true (matches (f, "header:X-Long:is:part one\tpart two", folded));
  g_assert_true (matches (f, "from:not-contains:report", other));
  g_assert_false (matches (f, "subject:not-contains:report", other));

  /* Several values on one field, most absent: each rule still sees its own. */
  add_rule (f, rule_from ("a", "from:contains:nobody@example.org", "flag"));
  add_rule (f, rule_from ("b", "from:contains:other@", "mark-read"));
  add_rule (f, rule_from ("c", "from:contains:other@example.com", "flag"));
  add_rule (f, rule_from ("d", "subject:contains:weekly", "move:Reports"));

  /* A folder that only the other account has: the message moves there,
   * and into that account. */
  g_free (home->email);
  home->email = g_strdup ("me@example.org");
  g_assert_true (rp_store_save_account (f->store, home, &error));
  g_assert_no_error (error);
  elsewhere = rp_store_create_folder (f->store, home->id, 0, "Elsewhere", &error);
  g_assert_no_error (error);
  add_rule (f, rule_from ("e", "from:is:deep@example.net", "move:Elsewhere"));

  g_assert_true (rp_filter_run_sync (f->store, f->inbox, NULL, 0, NULL, NULL, &matched, NULL,
                                     &error));
  g_assert_no_error (error);
  g_assert_cmpuint (matched, ==, 2);
  g_assert_cmpuint (flags_of (f, other), ==, RP_MESSAGE_FLAG_SEEN);
  g_assert_cmpint (folder_of (f, other), ==, rp_store_find_folder (f->store, f->account->id,
                                                                   "Reports"));
  g_assert_cmpint (folder_of (f, deep), ==, elsewhere);
  g_assert_cmpint (folder_of (f, folded), ==, f->inbox);
  g_assert_cmpuint (count_in (f, elsewhere), ==, 1);

  {
    g_autoptr(RpMessageItem) moved = get_item (f, deep);
    g_autoptr(RpMessageItem) stayed = get_item (f, other);

    g_assert_cmpint (rp_message_item_get_account_id (moved), ==, home->id);
    g_assert_cmpint (rp_message_item_get_account_id (stayed), ==, f->account->id);
  }
}

static void
test_run_async (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GArray) calls = g_array_new (FALSE, FALSE, sizeof (guint));
  gint64 ids[3];
  guint matched = G_MAXUINT;

  ids[0] = add_simple (f, "a@example.net", "yes 1");
  ids[1] = add_simple (f, "b@example.net", "no");
  ids[2] = add_simple (f, "c@example.net", "yes 2");
  add_simple (f, "d@example.net", "yes but not selected");
  add_rule (f, rule_from ("y", "subject:begins-with:yes", "flag"));

  rp_filter_run_async (f->store, 0, ids, 3, progress_cb, calls, NULL, run_done_cb, &matched);
  while (matched == G_MAXUINT)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (matched, ==, 2);
  g_assert_cmpuint (flags_of (f, ids[0]), ==, RP_MESSAGE_FLAG_FLAGGED);
  g_assert_cmpuint (flags_of (f, ids[1]), ==, 0);
  g_assert_cmpuint (flags_of (f, ids[2]), ==, RP_MESSAGE_FLAG_FLAGGED);
  /* The last progress report says everything is done. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (calls->len, >=, 2);
  g_assert_cmpuint (g_array_index (calls, guint, calls->len - 2), ==, 3);
  g_assert_cmpuint (g_array_index (calls, guint, calls->len - 1), ==, 3);
}

int
main (int    argc,
      char **argv)
{
  rp_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/core/filter/conditions", test_conditions);
  ADD ("/core/filter/all-any", test_all_any);
  ADD ("/core/filter/actions", test_actions);
  ADD ("/core/filter/order-and-stop", test_order_and_stop);
  ADD ("/core/filter/classify", test_classify);
  ADD ("/core/filter/run-async", test_run_async);
  ADD ("/core/filter/run-stored", test_run_stored);
#undef ADD

  return g_test_run ();
}
