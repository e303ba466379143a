/* filter-fixture.c: what the filter tests share (see filter-fixture.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "filter-fixture.h"

GBytes *
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

gint64
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

gint64
add_simple (Fixture    *f,
            const char *from,
            const char *subject)
{
  return add_message (f, f->inbox, build_message (from, "me@example.com", NULL, subject, NULL,
                                                  "Hello", FALSE));
}

RpFilterRule *
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

gint64
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
gint64
add_rule (Fixture      *f,
          RpFilterRule *rule)
{
  gint64 id = save (f, rule);

  rp_filter_rule_free (rule);
  return id;
}

RpMessageItem *
get_item (Fixture *f,
          gint64   id)
{
  g_autoptr(GError) error = NULL;
  RpMessageItem *item = rp_store_get_item (f->store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (item);
  return item;
}

gint64
folder_of (Fixture *f,
           gint64   id)
{
  g_autoptr(RpMessageItem) item = get_item (f, id);

  return rp_message_item_get_folder_id (item);
}

guint
flags_of (Fixture *f,
          gint64   id)
{
  g_autoptr(RpMessageItem) item = get_item (f, id);

  return rp_message_item_get_flags (item);
}

void
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
gboolean
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

guint
count_in (Fixture *f,
          gint64   folder)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RpFolderInfo) info = rp_store_get_folder (f->store, folder, &error);

  g_assert_no_error (error);
  return info->total;
}

void
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

void
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

void
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
