/* test-store-addresses.c: address completion from the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "rp-core.h"
#include "rp-store-addresses.h"
#include "rp-test-util.h"

typedef struct
{
  char    *dir;
  RpStore *store;
  gint64   account;
  gint64   inbox;
  gint64   sent;
} Fixture;

static void
add_message (Fixture    *f,
             gint64      folder,
             const char *from,
             const char *to,
             gint64      date)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (date);
  g_autofree char *date_text = g_date_time_format (dt, "%a, %d %b %Y %H:%M:%S +0000");
  g_autofree char *text = g_strdup_printf ("From: %s\r\nTo: %s\r\nDate: %s\r\n"
                                           "Subject: s\r\nMessage-ID: <%s-%s-%" G_GINT64_FORMAT
                                           "@t>\r\n\r\nbody\r\n",
                                           from, to, date_text, "m", to, date);
  g_autoptr(GBytes) raw = g_bytes_new (text, strlen (text));
  RpStoreNewMessage msg = { .folder_id = folder, .raw = raw };

  g_assert_true (rp_store_add_messages_sync (f->store, f->account, &msg, 1, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (msg.duplicate);
}

static char *
complete (Fixture    *f,
          const char *prefix)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) result = rp_store_complete_addresses (f->store, prefix, 10, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < result->len; i++)
    {
      g_autofree char *one = rp_address_format (g_ptr_array_index (result, i));

      if (i > 0)
        g_string_append_c (out, '|');
      g_string_append (out, one);
    }

  return g_string_free (out, FALSE);
}

static void
test_complete (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 day = 24 * 3600;
  char *result;

  f->dir = rp_test_make_tmpdir ("addresses");
  path = g_build_filename (f->dir, "rapport.db", NULL);
  f->store = rp_store_open_sync (path, NULL, &error);
  g_assert_no_error (error);
  f->account = rp_store_ensure_account (f->store, "work", &error);
  g_assert_no_error (error);
  f->inbox = rp_store_get_special_folder (f->store, f->account, RP_FOLDER_ROLE_INBOX);
  f->sent = rp_store_get_special_folder (f->store, f->account, RP_FOLDER_ROLE_SENT);
  g_assert_cmpint (f->sent, >, 0);

  /* Martin wrote twice long ago; Maria once recently; Marc received one
   * message from the user recently, which counts more than Maria's. */
  add_message (f, f->inbox, "Martin Old <martin@example.org>", "me@work.example", now - 700 * day);
  add_message (f, f->inbox, "Martin Old <martin@example.org>", "me@work.example", now - 720 * day);
  add_message (f, f->inbox, "Maria Recent <maria@example.org>", "me@work.example", now - 2 * day);
  add_message (f, f->sent, "Me <me@work.example>", "Marc Sent <MARC@example.net>", now - 3 * day);
  add_message (f, f->inbox, "Zoe <zoe@example.com>", "Me <me@work.example>", now - day);

  result = complete (f, "mar");
  g_assert_cmpstr (result, ==, "Marc Sent <MARC@example.net>|Maria Recent <maria@example.org>"
                               "|Martin Old <martin@example.org>");
  g_free (result);

  /* Case-insensitive, on any word of the name. */
  result = complete (f, "OLD");
  g_assert_cmpstr (result, ==, "Martin Old <martin@example.org>");
  g_free (result);

  /* The user's own address is found from received mail (To), once. */
  result = complete (f, "me@");
  g_assert_cmpstr (result, ==, "Me <me@work.example>");
  g_free (result);

  /* LIKE wildcards in the prefix are literal. */
  result = complete (f, "%");
  g_assert_cmpstr (result, ==, "");
  g_free (result);
  result = complete (f, "");
  g_assert_cmpstr (result, ==, "");
  g_free (result);

  g_clear_object (&f->store);
  rp_test_rm_rf (f->dir);
  g_free (f->dir);
}

int
main (int   argc,
      char *argv[])
{
  rp_test_init (&argc, &argv);

  g_test_add_func ("/core/store/complete-addresses", test_complete);

  return g_test_run ();
}
