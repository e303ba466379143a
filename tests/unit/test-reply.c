/* test-reply.c: replies, forwards and mailto: drafts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "rp-account-store.h"
#include "rp-core.h"
#include "rp-reply.h"
#include "rp-test-util.h"

static const char original_text[] =
  "From: Anna Example <anna@example.org>\r\n"
  "To: Me <me@work.example>, Bob <bob@example.net>, alias@work.example\r\n"
  "Cc: Carol <carol@example.com>, bob@example.net, ME@work.example\r\n"
  "Subject: Quarterly numbers\r\n"
  "Date: Tue, 03 Mar 2026 10:15:00 +0000\r\n"
  "Message-ID: <orig-1@example.org>\r\n"
  "References: <root@example.org>\r\n"
  "In-Reply-To: <root@example.org>\r\n"
  "MIME-Version: 1.0\r\n"
  "Content-Type: text/plain; charset=utf-8\r\n"
  "\r\n"
  "Hello,\r\n"
  "> earlier\r\n"
  "the numbers are in.\r\n";

static RpAccount *
make_account (void)
{
  RpAccount *account = rp_account_new ("work");
  RpIdentity *main_identity = rp_identity_new ("me@work.example");
  RpIdentity *alias = rp_identity_new ("alias@work.example");

  account->email = g_strdup ("me@work.example");
  account->display_name = g_strdup ("Me Myself");
  main_identity->display_name = g_strdup ("Me Myself");
  main_identity->is_default = TRUE;
  alias->display_name = g_strdup ("The Alias");
  g_ptr_array_add (account->identities, main_identity);
  g_ptr_array_add (account->identities, alias);

  return account;
}

static RpMessageSummary *
parse (const char *text)
{
  g_autoptr(GBytes) raw = g_bytes_new (text, strlen (text));

  return rp_message_summary_parse (raw, 0);
}

static char *
join_addresses (GPtrArray *addresses)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < addresses->len; i++)
    {
      const RpAddress *a = g_ptr_array_index (addresses, i);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, a->address);
    }

  return g_string_free (out, FALSE);
}

static void
test_subject (void)
{
  const struct { const char *in; gboolean fwd; const char *out; } cases[] = {
    { "Hello", FALSE, "Re: Hello" },
    { "Re: Hello", FALSE, "Re: Hello" },
    { "RE: Hello", FALSE, "RE: Hello" },
    { "", FALSE, "Re: " },
    { "Hello", TRUE, "Fwd: Hello" },
    { "Fwd: Hello", TRUE, "Fwd: Hello" },
    { "FW: Hello", TRUE, "FW: Hello" },
    { "Re: Hello", TRUE, "Fwd: Re: Hello" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = rp_reply_subject (cases[i].in, cases[i].fwd);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_reply_sender (void)
{
  g_autoptr(RpAccount) account = make_account ();
  g_autoptr(RpMessageSummary) original = parse (original_text);
  g_autoptr(RpDraft) draft = rp_reply_build_from_summary (original, NULL, account,
                                                          RP_REPLY_SENDER);
  g_autofree char *to = join_addresses (draft->to);
  g_autofree char *expected_body = NULL;
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (original->date);
  g_autofree char *date = g_date_time_format (dt, "%Y-%m-%d %H:%M");

  g_assert_cmpstr (draft->subject, ==, "Re: Quarterly numbers");
  g_assert_cmpstr (to, ==, "anna@example.org");
  g_assert_cmpuint (draft->cc->len, ==, 0);
  g_assert_cmpstr (draft->in_reply_to, ==, "orig-1@example.org");
  g_assert_cmpuint (g_strv_length (draft->references), ==, 2);
  g_assert_cmpstr (draft->references[0], ==, "root@example.org");
  g_assert_cmpstr (draft->references[1], ==, "orig-1@example.org");
  /* Addressed to both identities: the first in To wins. */
  g_assert_cmpstr (draft->from_address, ==, "me@work.example");
  expected_body = g_strdup_printf ("On %s, Anna Example wrote:\n"
                                   "> Hello,\n"
                                   ">> earlier\n"
                                   "> the numbers are in.\n"
                                   "\n", date);
  g_assert_cmpstr (draft->body, ==, expected_body);
}

static void
test_reply_all (void)
{
  g_autoptr(RpAccount) account = make_account ();
  g_autoptr(RpMessageSummary) original = parse (original_text);
  g_autoptr(RpDraft) draft = rp_reply_build_from_summary (original, NULL, account,
                                                          RP_REPLY_ALL);
  g_autofree char *to = join_addresses (draft->to);
  g_autofree char *cc = join_addresses (draft->cc);

  g_assert_cmpstr (to, ==, "anna@example.org");
  /* No own addresses (either identity, any case), each address once. */
  g_assert_cmpstr (cc, ==, "bob@example.net,carol@example.com");
}

static void
test_reply_to_and_identity (void)
{
  g_autoptr(RpAccount) account = make_account ();
  g_autoptr(RpMessageSummary) original =
    parse ("From: Anna <anna@example.org>\r\n"
           "Reply-To: List <list@lists.example>\r\n"
           "To: alias@work.example\r\n"
           "Cc: dave@example.com\r\n"
           "Subject: Re: Plans\r\n"
           "Message-ID: <m2@example.org>\r\n"
           "\r\n"
           "Text\r\n");
  g_autoptr(RpDraft) reply = rp_reply_build_from_summary (original, NULL, account,
                                                          RP_REPLY_SENDER);
  g_autoptr(RpDraft) all = rp_reply_build_from_summary (original, NULL, account,
                                                        RP_REPLY_ALL);
  g_autofree char *reply_to = join_addresses (reply->to);
  g_autofree char *all_to = join_addresses (all->to);
  g_autofree char *all_cc = join_addresses (all->cc);

  g_assert_cmpstr (reply->subject, ==, "Re: Plans");
  g_assert_cmpstr (reply_to, ==, "list@lists.example");
  g_assert_cmpstr (reply->from_address, ==, "alias@work.example");
  g_assert_cmpstr (reply->from_name, ==, "The Alias");
  g_assert_cmpstr (all_to, ==, "list@lists.example");
  g_assert_cmpstr (all_cc, ==, "anna@example.org,dave@example.com");
}

static void
test_default_identity (void)
{
  g_autoptr(RpAccount) account = make_account ();
  g_autoptr(RpMessageSummary) original =
    parse ("From: news@example.org\r\nTo: undisclosed-recipients:;\r\n"
           "Subject: News\r\n\r\nBody\r\n");
  g_autoptr(RpDraft) draft = rp_reply_build_from_summary (original, NULL, account,
                                                          RP_REPLY_SENDER);

  g_assert_cmpstr (draft->from_address, ==, "me@work.example");
  g_assert_null (draft->in_reply_to);
}

static void
test_forward_inline (void)
{
  g_autoptr(RpAccount) account = make_account ();
  g_autoptr(RpMessageSummary) original = parse (original_text);
  g_autoptr(RpDraft) draft = rp_reply_build_from_summary (original, NULL, account,
                                                          RP_FORWARD_INLINE);

  g_assert_cmpstr (draft->subject, ==, "Fwd: Quarterly numbers");
  g_assert_cmpuint (draft->to->len, ==, 0);
  g_assert_null (draft->in_reply_to);
  g_assert_nonnull (strstr (draft->body, "-------- Forwarded Message --------\n"
                                         "Subject: Quarterly numbers\n"));
  g_assert_nonnull (strstr (draft->body, "From: Anna Example <anna@example.org>\n"));
  g_assert_nonnull (strstr (draft->body, "\n\nHello,\n> earlier\nthe numbers are in."));
  g_assert_cmpuint (draft->attachments->len, ==, 0);
}

static void
test_forward_attachment (void)
{
  g_autoptr(RpAccount) account = make_account ();
  g_autoptr(GBytes) raw = g_bytes_new_static (original_text, strlen (original_text));
  g_autoptr(RpMessageSummary) original = rp_message_summary_parse (raw, 0);
  g_autoptr(RpDraft) draft = rp_reply_build_from_summary (original, raw, account,
                                                          RP_FORWARD_ATTACHMENT);
  g_autoptr(RpIdentity) identity = rp_identity_copy (rp_account_get_default_identity (account));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) built = NULL;
  const RpDraftAttachment *attachment;

  g_assert_cmpuint (draft->attachments->len, ==, 1);
  attachment = g_ptr_array_index (draft->attachments, 0);
  g_assert_cmpstr (attachment->content_type, ==, "message/rfc822");
  g_assert_cmpstr (attachment->name, ==, "Quarterly numbers.eml");
  g_assert_true (g_bytes_equal (attachment->data, raw));

  /* The composer turns it into a message/rfc822 part. */
  rp_draft_add_recipient (draft, RP_RECIPIENT_TO, NULL, "zoe@example.com");
  built = rp_composer_build (draft, account, identity, &error);
  g_assert_no_error (error);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (built, NULL), g_bytes_get_size (built),
                                  "message/rfc822"));
}

static void
test_mailto (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RpDraft) draft =
    rp_draft_new_from_mailto ("mailto:anna@example.org,bob%40example.net"
                              "?cc=carol@example.com&BCC=dave@example.com"
                              "&subject=Hello%20W%C3%B6rld%20%26%20more"
                              "&body=Line%201%0D%0ALine+2&x-unknown=1", &error);
  g_autofree char *to = NULL;
  g_autofree char *cc = NULL;
  g_autofree char *bcc = NULL;

  g_assert_no_error (error);
  to = join_addresses (draft->to);
  cc = join_addresses (draft->cc);
  bcc = join_addresses (draft->bcc);
  g_assert_cmpstr (to, ==, "anna@example.org,bob@example.net");
  g_assert_cmpstr (cc, ==, "carol@example.com");
  g_assert_cmpstr (bcc, ==, "dave@example.com");
  g_assert_cmpstr (draft->subject, ==, "Hello Wörld & more");
  /* "+" is no space in RFC 6068. */
  g_assert_cmpstr (draft->body, ==, "Line 1\nLine+2");
  g_assert_null (draft->from_address);
}

static void
test_mailto_errors (void)
{
  const char *bad[] = {
    "http://example.org/",
    "mailto:not an address",
    "mailto:a@example.org?subject=%FF%FE",
    "mailto:a@example.org?cc=%zz",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RpDraft) draft = rp_draft_new_from_mailto (bad[i], &error);

      g_assert_null (draft);
      g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(RpDraft) draft = rp_draft_new_from_mailto ("MAILTO:?subject=Only", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (draft->to->len, ==, 0);
    g_assert_cmpstr (draft->subject, ==, "Only");
  }
}

static void
test_from_store (void)
{
  g_autofree char *dir = rp_test_make_tmpdir ("reply");
  g_autofree char *path = g_build_filename (dir, "rapport.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RpStore) store = rp_store_open_sync (path, NULL, &error);
  g_autoptr(RpAccount) account = make_account ();
  g_autoptr(GBytes) raw = g_bytes_new_static (original_text, strlen (original_text));
  g_autoptr(RpDraft) draft = NULL;
  RpStoreNewMessage msg = { .raw = raw };

  g_assert_no_error (error);
  g_assert_true (rp_store_save_account (store, account, &error));
  g_assert_no_error (error);
  msg.folder_id = rp_store_get_special_folder (store, account->id, RP_FOLDER_ROLE_INBOX);
  g_assert_true (rp_store_add_messages_sync (store, account->id, &msg, 1, NULL, &error));
  g_assert_no_error (error);

  draft = rp_reply_build (store, msg.id, RP_REPLY_ALL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (draft->subject, ==, "Re: Quarterly numbers");
  g_assert_cmpuint (draft->cc->len, ==, 2);
  g_clear_pointer (&draft, rp_draft_free);

  draft = rp_reply_build (store, msg.id + 1000, RP_REPLY_SENDER, &error);
  g_assert_null (draft);
  g_assert_error (error, RP_ERROR, RP_ERROR_STORE);

  g_clear_object (&store);
  rp_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  rp_test_init (&argc, &argv);

  g_test_add_func ("/core/reply/subject", test_subject);
  g_test_add_func ("/core/reply/sender", test_reply_sender);
  g_test_add_func ("/core/reply/all", test_reply_all);
  g_test_add_func ("/core/reply/reply-to-and-identity", test_reply_to_and_identity);
  g_test_add_func ("/core/reply/default-identity", test_default_identity);
  g_test_add_func ("/core/reply/forward-inline", test_forward_inline);
  g_test_add_func ("/core/reply/forward-attachment", test_forward_attachment);
  g_test_add_func ("/core/reply/mailto", test_mailto);
  g_test_add_func ("/core/reply/mailto-errors", test_mailto_errors);
  g_test_add_func ("/core/reply/from-store", test_from_store);

  return g_test_run ();
}
