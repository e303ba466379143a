/* test-filter.c: filter rules: parsing, every condition, operator and
 * action, order and "stop", validation, equivalence, storage and JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "rp-core.h"
#include "rp-crm.h"
#include "rp-filter.h"
#include "rp-filter-private.h"
#include "rp-outbox.h"
#include "rp-test-util.h"

typedef struct
{
  char      *dir;
  RpStore   *store;
  RpAccount *account;
  gint64     inbox;
  gint64     sent;
  gint64     trash;
} Fixture;

/* Auxiliary methods */

static GBytes *
build_message (const char *from,
               const char *to,
               const char *cc,
               const char *subject,
               const char *extra_headers,
               const char *body,
               gboolean    attachment)
{
  GString *s = g_string_new (NULL);
  static guint counter;

  g_string_append_printf (s, "From: %s\r\nTo: %s\r\n", from, to);
  if (cc != NULL)
    g_string_append_printf (s, "Cc: %s\r\n", cc);
  g_string_append_printf (s, "Subject: %s\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n"
                             "Message-ID: <filter-%u@test>\r\n", subject, ++counter);
  if (extra_headers != NULL)
    g_string_append (s, extra_headers);
  g_string_append (s, "MIME-Version: 1.0\r\n");
  if (attachment)
    g_string_append_printf (s, "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
                               "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n"
                               "--b\r\nContent-Type: application/pdf\r\n"
                               "Content-Disposition: attachment; filename=\"x.pdf\"\r\n"
                               "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b--\r\n",
                            body);
  else
    g_string_append_printf (s, "Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n", body);

  return g_string_free_to_bytes (s);
}

static gint64
add_message (Fixture *f,
             gint64   folder,
             GBytes  *raw)
{
  g_autoptr(GError) error = NULL;
  RpStoreNewMessage msg = { .folder_id = folder, .raw = raw };

  g_assert_true (rp_store_add_messages_sync (f->store, f->account->id, &msg, 1, NULL, &error));
  g_assert_no_error (error);
  g_bytes_unref (raw);
  return msg.id;
}

static gint64
add_simple (Fixture    *f,
            const char *from,
            const char *subject)
{
  return add_message (f, f->inbox, build_message (from, "me@example.com", NULL, subject, NULL,
                                                  "Hello", FALSE));
}

static RpFilterRule *
rule_from (const char *name,
           const char *condition,
           const char *action)
{
  RpFilterRule *rule = rp_filter_rule_new (name);
  g_autoptr(GError) error = NULL;
  RpFilterCondition *c = rp_filter_condition_parse (condition, &error);
  RpFilterAction *a = rp_filter_action_parse (action, &error);

  g_assert_no_error (error);
  rp_filter_rule_add_condition (rule, c);
  rp_filter_rule_add_action (rule, a);
  return rule;
}

static gint64
save (Fixture      *f,
      RpFilterRule *rule)
{
  g_autoptr(GError) error = NULL;
  gint64 id = rp_store_save_filter (f->store, rule, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

/* Saves a new rule and frees it. */
static gint64
add_rule (Fixture      *f,
          RpFilterRule *rule)
{
  gint64 id = save (f, rule);

  rp_filter_rule_free (rule);
  return id;
}

static RpMessageItem *
get_item (Fixture *f,
          gint64   id)
{
  g_autoptr(GError) error = NULL;
  RpMessageItem *item = rp_store_get_item (f->store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (item);
  return item;
}

static gint64
folder_of (Fixture *f,
           gint64   id)
{
  g_autoptr(RpMessageItem) item = get_item (f, id);

  return rp_message_item_get_folder_id (item);
}

static guint
flags_of (Fixture *f,
          gint64   id)
{
  g_autoptr(RpMessageItem) item = get_item (f, id);

  return rp_message_item_get_flags (item);
}

static void
set_flags_sql (Fixture *f,
               gint64   message_id,
               guint    flags)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("UPDATE message SET flags = %u WHERE id = %"
                                          G_GINT64_FORMAT, flags, message_id);
  RpStoreConn *conn = _rp_store_writer_acquire (f->store);

  g_assert_true (_rp_store_exec (conn->db, sql, &error));
  g_assert_no_error (error);
  _rp_store_writer_release (f->store, conn);
}

/* Whether @condition matches the stored message, as the editor's test
 * sees it (one message, loaded alone) — and, as a check that both agree,
 * as "Run filters now" sees it (the folder read in one pass, the body
 * from the search index, headers from the first bytes of the raw
 * message, the rules' values found through the set's index). */
static gboolean
matches (Fixture    *f,
         const char *condition,
         gint64      message_id)
{
  g_autoptr(RpFilterRule) rule = rule_from ("t", condition, "flag");
  g_autoptr(GPtrArray) saved = NULL;
  g_autoptr(GError) error = NULL;
  gboolean result = FALSE;
  guint flags = flags_of (f, message_id);
  guint matched_selection = G_MAXUINT;
  guint matched_folder = G_MAXUINT;
  gint64 rule_id;

  g_assert_true (rp_filter_rule_matches_message (f->store, rule, message_id, &result, &error));
  g_assert_no_error (error);

  saved = rp_store_list_filters (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (saved->len, ==, 0);
  rule_id = save (f, rule);

  set_flags_sql (f, message_id, 0);
  g_assert_true (rp_filter_run_sync (f->store, 0, &message_id, 1, NULL, NULL, &matched_selection,
                                     NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (matched_selection, ==, result ? 1 : 0);
  g_assert_cmpuint (flags_of (f, message_id), ==, result ? RP_MESSAGE_FLAG_FLAGGED : 0);

  /* The whole folder: the other messages there must not disturb it. */
  set_flags_sql (f, message_id, 0);
  g_assert_true (rp_filter_run_sync (f->store, folder_of (f, message_id), NULL, 0, NULL, NULL,
                                     &matched_folder, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (flags_of (f, message_id), ==, result ? RP_MESSAGE_FLAG_FLAGGED : 0);

  g_assert_true (rp_store_delete_filter (f->store, rule_id, &error));
  g_assert_no_error (error);
  set_flags_sql (f, message_id, flags);
  return result;
}

static guint
count_in (Fixture *f,
          gint64   folder)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RpFolderInfo) info = rp_store_get_folder (f->store, folder, &error);

  g_assert_no_error (error);
  return info->total;
}

static void
run_inbox (Fixture *f,
           guint    expect_matched)
{
  g_autoptr(GError) error = NULL;
  guint matched = 0;

  g_assert_true (rp_filter_run_sync (f->store, f->inbox, NULL, 0, NULL, NULL, &matched, NULL,
                                     &error));
  g_assert_no_error (error);
  g_assert_cmpuint (matched, ==, expect_matched);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  RpIdentity *identity;

  f->dir = rp_test_make_tmpdir ("filter");
  path = g_build_filename (f->dir, "rapport.db", NULL);
  f->store = rp_store_open_sync (path, NULL, &error);
  g_assert_no_error (error);

  f->account = rp_account_new ("work");
  g_free (f->account->email);
  f->account->email = g_strdup ("me@example.com");
  identity = rp_identity_new ("me@example.com");
  identity->is_default = TRUE;
  g_ptr_array_add (f->account->identities, identity);
  g_ptr_array_add (f->account->identities, rp_identity_new ("alias@example.org"));
  g_assert_true (rp_store_save_account (f->store, f->account, &error));
  g_assert_no_error (error);

  f->inbox = rp_store_get_special_folder (f->store, f->account->id, RP_FOLDER_ROLE_INBOX);
  f->sent = rp_store_get_special_folder (f->store, f->account->id, RP_FOLDER_ROLE_SENT);
  f->trash = rp_store_get_special_folder (f->store, f->account->id, RP_FOLDER_ROLE_TRASH);
  g_assert_cmpint (f->inbox, >, 0);
  g_assert_cmpint (f->sent, >, 0);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->account, rp_account_free);
  /* Pending "changed" emissions hold the store until they are dispatched,
   * and a finished GTask's worker lets go of it a moment after the
   * callback ran. */
  {
    gpointer weak = f->store;
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    g_object_add_weak_pointer (G_OBJECT (f->store), &weak);
    while (g_main_context_iteration (NULL, FALSE))
      ;
    g_object_unref (f->store);
    while (weak != NULL && g_get_monotonic_time () < deadline)
      {
        while (g_main_context_iteration (NULL, FALSE))
          ;
        g_usleep (10 * 1000);
      }
    g_assert_null (weak);
  }
  rp_test_rm_rf (f->dir);
  g_free (f->dir);
}

/* Tests */

static void
test_parse (void)
{
  static const char * const conditions[] = {
    "from:contains:me@example.com", "to:not-contains:x", "cc:is:a@b.c", "to-or-cc:begins-with:bo",
    "subject:ends-with:!", "body:matches:^Dear .*$", "header:X-Spam-Flag:is:YES",
    "account:is:work", "has-attachment", "size:greater:200k", "size:less:10",
    "from-identity", "sender-in-crm", "subject:contains:a:b:c",
  };
  static const char * const actions[] = {
    "move:Sent", "copy:Archive/2024", "mark-read", "flag", "delete", "forward:boss@example.com",
    "link-crm", "link-crm:12",
  };
  static const char * const bad_conditions[] = {
    "sender:contains:x", "from", "from:likes:x", "has-attachment:is:yes", "header::is:x",
    "header:X Y:is:x", "size:greater",
  };
  static const char * const bad_actions[] = { "move", "move:", "archive", "flag:now", "forward" };

  for (guint i = 0; i < G_N_ELEMENTS (conditions); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RpFilterCondition) c = rp_filter_condition_parse (conditions[i], &error);
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      text = rp_filter_condition_to_string (c);
      g_assert_cmpstr (text, ==, conditions[i]);
    }

  {
    g_autoptr(RpFilterCondition) c = rp_filter_condition_parse ("header:X-Spam-Flag:is:YES", NULL);
    g_autoptr(RpFilterCondition) v = rp_filter_condition_parse ("subject:contains:a:b:c", NULL);
    g_autoptr(RpFilterCondition) me = rp_filter_condition_parse ("FROM-ME", NULL);
    g_autofree char *described = rp_filter_condition_describe (c);

    g_assert_cmpint (c->field, ==, RP_FILTER_FIELD_HEADER);
    g_assert_cmpstr (c->header, ==, "X-Spam-Flag");
    g_assert_cmpint (c->op, ==, RP_FILTER_OP_IS);
    g_assert_cmpstr (c->value, ==, "YES");
    g_assert_cmpstr (v->value, ==, "a:b:c");
    g_assert_cmpint (me->field, ==, RP_FILTER_FIELD_FROM_IDENTITY);
    g_assert_cmpstr (described, ==, "Header “X-Spam-Flag” is “YES”");
  }

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RpFilterAction) a = rp_filter_action_parse (actions[i], &error);
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      text = rp_filter_action_to_string (a);
      g_assert_cmpstr (text, ==, actions[i]);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad_conditions); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RpFilterCondition) c = rp_filter_condition_parse (bad_conditions[i], &error);

      g_assert_null (c);
      g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_actions); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RpFilterAction) a = rp_filter_action_parse (bad_actions[i], &error);

      g_assert_null (a);
      g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
    }

  /* Every field, operator and action has a machine and a display name. */
  for (int i = 0; i <= RP_FILTER_FIELD_LAST; i++)
    {
      g_assert_cmpint (rp_filter_field_from_string (rp_filter_field_to_string (i)), ==, i);
      g_assert_nonnull (rp_filter_field_get_display_name (i));
    }
  for (int i = 0; i <= RP_FILTER_OP_LAST; i++)
    {
      g_assert_cmpint (rp_filter_op_from_string (rp_filter_op_to_string (i)), ==, i);
      g_assert_nonnull (rp_filter_op_get_display_name (i));
    }
  for (int i = 0; i <= RP_FILTER_ACTION_LAST; i++)
    {
      g_assert_cmpint (rp_filter_action_type_from_string (rp_filter_action_type_to_string (i)), ==, i);
      g_assert_nonnull (rp_filter_action_type_get_display_name (i));
    }
  g_assert_true (rp_filter_field_accepts_op (RP_FILTER_FIELD_SIZE, RP_FILTER_OP_LESS));
  g_assert_false (rp_filter_field_accepts_op (RP_FILTER_FIELD_SIZE, RP_FILTER_OP_CONTAINS));
  g_assert_false (rp_filter_field_accepts_op (RP_FILTER_FIELD_SUBJECT, RP_FILTER_OP_GREATER));
  g_assert_false (rp_filter_field_has_value (RP_FILTER_FIELD_HAS_ATTACHMENT));
}

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

static void
test_bad_regex_refused (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(RpFilterRule) rule = rule_from ("Broken", "subject:matches:(unclosed", "flag");
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (rp_store_save_filter (f->store, rule, &error), ==, 0);
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "regular expression “(unclosed”"));
  g_assert_nonnull (strstr (error->message, "“Broken”"));
  g_assert_cmpint (rule->id, ==, 0);
  g_clear_error (&error);

  rules = rp_store_list_filters (f->store, &error);
  g_assert_cmpuint (rules->len, ==, 0);
}

static void
test_validate (void)
{
  static const struct { const char *condition; const char *action; const char *message; } cases[] = {
    { "size:greater:lots", "flag", "is not a size" },
    { "from:contains:", "flag", "no text to look for" },
    { "from:contains:x", "forward:not an address", "not an email address" },
    { "from:contains:x", "link-crm:abc", "not the number of a CRM record" },
    { "header:X-A:matches:[", "flag", "regular expression" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RpFilterRule) rule = rule_from ("R", cases[i].condition, cases[i].action);
      g_autoptr(GError) error = NULL;

      g_assert_false (rp_filter_rule_validate (rule, &error));
      g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }

  {
    g_autoptr(RpFilterRule) empty = rp_filter_rule_new ("  ");
    g_autoptr(RpFilterRule) no_action = rp_filter_rule_new ("x");
    g_autoptr(RpFilterRule) wrong_op = rule_from ("R", "subject:contains:x", "flag");
    g_autoptr(GError) error = NULL;

    g_assert_false (rp_filter_rule_validate (empty, &error));
    g_assert_nonnull (strstr (error->message, "needs a name"));
    g_clear_error (&error);
    rp_filter_rule_add_condition (no_action, rp_filter_condition_parse ("has-attachment", NULL));
    g_assert_false (rp_filter_rule_validate (no_action, &error));
    g_assert_nonnull (strstr (error->message, "at least one action"));
    g_clear_error (&error);
    ((RpFilterCondition *) g_ptr_array_index (wrong_op->conditions, 0))->op = RP_FILTER_OP_GREATER;
    g_assert_false (rp_filter_rule_validate (wrong_op, &error));
    g_assert_nonnull (strstr (error->message, "cannot be combined"));
  }
}

static void
test_equivalent (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(RpFilterRule) drag = rp_filter_rule_new_move_from ("bob@example.net", "Sent");
  g_autoptr(RpFilterRule) again = rp_filter_rule_new_move_from ("BOB@Example.net", "sent");
  g_autoptr(RpFilterRule) elsewhere = rp_filter_rule_new_move_from ("bob@example.net", "Archive");
  g_autoptr(RpFilterRule) own = rp_filter_rule_new_own_addresses_to_sent (f->account);
  g_autoptr(RpFilterRule) own_again = rp_filter_rule_new_own_addresses_to_sent (f->account);
  g_autoptr(RpFilterRule) reordered = rule_from ("x", "from-identity", "mark-read");
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (drag->conditions->len, ==, 1);
  g_assert_true (drag->stop);
  g_assert_false (rp_store_has_equivalent_filter (f->store, drag, &error));
  add_rule (f, rp_filter_rule_copy (drag));
  g_assert_true (rp_store_has_equivalent_filter (f->store, again, &error));
  g_assert_false (rp_store_has_equivalent_filter (f->store, elsewhere, &error));
  g_assert_no_error (error);

  /* The stored rule itself is not "another" rule. */
  {
    g_autoptr(GPtrArray) rules = rp_store_list_filters (f->store, &error);

    g_assert_false (rp_store_has_equivalent_filter (f->store, g_ptr_array_index (rules, 0),
                                                    &error));
  }

  g_assert_false (rp_store_has_equivalent_filter (f->store, own, &error));
  add_rule (f, rp_filter_rule_copy (own));
  g_assert_true (rp_store_has_equivalent_filter (f->store, own_again, &error));

  /* Conditions and actions in another order are the same rule. */
  rp_filter_rule_add_condition (reordered, rp_filter_condition_parse ("account:is:WORK", NULL));
  rp_filter_rule_add_action (reordered, rp_filter_action_parse ("move:Sent", NULL));
  g_assert_true (rp_filter_rule_equivalent (reordered, own));
  reordered->match_all = FALSE;
  g_assert_false (rp_filter_rule_equivalent (reordered, own));
}

/* saving with an id 0 inserts; saving again updates in place */
static void
test_save_update (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(RpFilterRule) a = rule_from ("a", "subject:contains:x", "flag");
  g_autoptr(RpFilterRule) b = rule_from ("b", "subject:contains:y", "flag");
  g_autoptr(RpFilterRule) loaded = NULL;
  g_autoptr(RpFilterRule) missing = rule_from ("gone", "subject:contains:z", "flag");
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GError) error = NULL;

  save (f, a);
  save (f, b);
  g_free (a->name);
  a->name = g_strdup ("a renamed");
  rp_filter_rule_add_action (a, rp_filter_action_parse ("mark-read", NULL));
  g_assert_cmpint (rp_store_save_filter (f->store, a, &error), ==, a->id);

  rules = rp_store_list_filters (f->store, &error);
  g_assert_cmpuint (rules->len, ==, 2);
  g_assert_cmpstr (((RpFilterRule *) g_ptr_array_index (rules, 0))->name, ==, "a renamed");
  loaded = rp_store_get_filter (f->store, a->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->actions->len, ==, 2);

  missing->id = 9999;
  g_assert_cmpint (rp_store_save_filter (f->store, missing, &error), ==, 0);
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (missing->id, ==, 9999);
}

static void
test_json_round_trip (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(RpFilterRule) any = rule_from ("Spam or big", "header:X-Spam:is:yes", "delete");
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *again = NULL;
  g_autofree char *other_dir = rp_test_make_tmpdir ("filter-json");
  g_autofree char *other_path = g_build_filename (other_dir, "rapport.db", NULL);
  g_autoptr(RpStore) other = NULL;
  g_autoptr(GPtrArray) rules = NULL;

  any->match_all = FALSE;
  any->stop = TRUE;
  any->enabled = FALSE;
  rp_filter_rule_add_condition (any, rp_filter_condition_parse ("size:greater:10M", NULL));
  save (f, any);
  add_rule (f, rule_from ("Mine", "from-identity", "move:Sent"));
  add_rule (f, rule_from ("Regex: a:b", "subject:matches:^\\[list\\] (a|b)", "copy:Lists/Old"));

  json = rp_store_export_filters_json (f->store, &error);
  g_assert_no_error (error);

  other = rp_store_open_sync (other_path, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (rp_store_import_filters_json (other, json, &error));
  g_assert_no_error (error);
  again = rp_store_export_filters_json (other, &error);
  g_assert_cmpstr (again, ==, json);

  /* Importing the same backup again adds nothing. */
  g_assert_true (rp_store_import_filters_json (other, json, &error));
  rules = rp_store_list_filters (other, &error);
  g_assert_cmpuint (rules->len, ==, 3);
  g_clear_pointer (&rules, g_ptr_array_unref);

  /* A file with a broken rule imports nothing at all. */
  g_assert_false (rp_store_import_filters_json (other,
    "{\"version\":1,\"filters\":[{\"name\":\"ok\",\"conditions\":[\"subject:contains:new\"],"
    "\"actions\":[\"flag\"]},{\"name\":\"bad\",\"conditions\":[\"subject:matches:(\"],"
    "\"actions\":[\"flag\"]}]}", &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "regular expression"));
  g_clear_error (&error);
  g_assert_false (rp_store_import_filters_json (other, "not json", &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (rp_store_import_filters_json (other, "{\"version\":9,\"filters\":[]}", &error));
  g_clear_error (&error);
  rules = rp_store_list_filters (other, &error);
  g_assert_cmpuint (rules->len, ==, 3);

  g_clear_object (&other);
  rp_test_rm_rf (other_dir);
}

static void
test_explain (Fixture       *f,
              gconstpointer  data)
{
  gint64 id = add_simple (f, "bob@example.net", "Invoice");
  g_autoptr(RpFilterRule) rule = rule_from ("r", "from:contains:bob", "flag");
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  RpFilterExplanation *e;

  rp_filter_rule_add_condition (rule, rp_filter_condition_parse ("subject:is:receipt", NULL));
  rule->enabled = FALSE;
  lines = rp_filter_explain (f->store, rule, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 2);
  e = g_ptr_array_index (lines, 0);
  g_assert_true (e->matched);
  g_assert_cmpstr (e->description, ==, "From contains “bob”");
  e = g_ptr_array_index (lines, 1);
  g_assert_false (e->matched);
  g_assert_cmpuint (e->index, ==, 1);

  g_assert_null (rp_filter_explain (f->store, rule, 424242, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
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

  g_test_add_func ("/core/filter/parse", test_parse);
  g_test_add_func ("/core/filter/validate", test_validate);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/core/filter/conditions", test_conditions);
  ADD ("/core/filter/all-any", test_all_any);
  ADD ("/core/filter/actions", test_actions);
  ADD ("/core/filter/order-and-stop", test_order_and_stop);
  ADD ("/core/filter/bad-regex-refused", test_bad_regex_refused);
  ADD ("/core/filter/equivalent", test_equivalent);
  ADD ("/core/filter/save-update", test_save_update);
  ADD ("/core/filter/json-round-trip", test_json_round_trip);
  ADD ("/core/filter/explain", test_explain);
  ADD ("/core/filter/classify", test_classify);
  ADD ("/core/filter/run-async", test_run_async);
  ADD ("/core/filter/run-stored", test_run_stored);
#undef ADD

  return g_test_run ();
}
