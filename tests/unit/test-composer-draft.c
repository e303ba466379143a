/* test-composer-draft.c: the Drafts copy of a message, built and read back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "rp-core.h"
#include "rp-composer.h"
#include "rp-test-util.h"

/* Auxiliary functions */

static RpAccount *
make_account (gboolean cc_self)
{
  RpAccount *account = rp_account_new ("work");
  RpIdentity *identity;

  g_free (account->email);
  account->email = g_strdup ("alice@example.test");
  identity = rp_identity_new ("alice@example.test");
  identity->is_default = TRUE;
  identity->display_name = g_strdup ("Alice Ärger");
  identity->cc_self = cc_self;
  g_ptr_array_add (account->identities, identity);

  return account;
}

static RpDraft *
round_trip (const RpDraft *draft,
            gboolean       cc_self)
{
  g_autoptr(RpAccount) account = make_account (cc_self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) raw = NULL;
  RpDraft *back;

  raw = rp_composer_build_draft (draft, account, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (raw);
  back = rp_draft_new_from_message (raw, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);

  return back;
}

static void
assert_addresses (GPtrArray  *list,
                  const char *expected)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < list->len; i++)
    {
      g_autofree char *one = rp_address_format (g_ptr_array_index (list, i));

      g_string_append_printf (text, "%s%s", i > 0 ? ", " : "", one);
    }
  g_assert_cmpstr (text->str, ==, expected);
}

static void
assert_bytes_equal (GBytes     *bytes,
                    const char *data,
                    gsize       length)
{
  g_autoptr(GBytes) expected = g_bytes_new (data, length);

  g_assert_nonnull (bytes);
  g_assert_true (g_bytes_equal (bytes, expected));
}

/* Tests */

#define FORWARDED "From: Carol <carol@example.test>\r\nSubject: Earlier\r\n\r\nThe earlier one.\r\n"

static void
test_round_trip (void)
{
  static const char binary[] = { 0x00, 0x01, (char) 0xff, '\r', '\n', 'x', 0x00, '\n' };
  g_autofree char *dir = rp_test_make_tmpdir ("composer-draft");
  g_autofree char *path = g_build_filename (dir, "Bericht März.txt", NULL);
  g_autoptr(RpDraft) draft = rp_draft_new ("alice@example.test", "Alice Ärger");
  g_autoptr(RpDraft) back = NULL;
  g_autoptr(GBytes) data = g_bytes_new (binary, sizeof binary);
  g_autoptr(GBytes) forwarded = g_bytes_new_static (FORWARDED, strlen (FORWARDED));
  g_autoptr(GError) error = NULL;
  const RpDraftAttachment *a;

  g_assert_true (g_file_set_contents (path, "file content\n", -1, &error));
  g_assert_no_error (error);

  rp_draft_add_recipient (draft, RP_RECIPIENT_TO, "Bob Bäcker", "bob@example.test");
  rp_draft_add_recipient (draft, RP_RECIPIENT_TO, NULL, "carol@example.test");
  rp_draft_add_recipient (draft, RP_RECIPIENT_CC, "Dave", "dave@example.test");
  rp_draft_add_recipient (draft, RP_RECIPIENT_BCC, "Eve", "eve@example.test");
  rp_draft_set_subject (draft, "Grüße zum Geburtstag – und ein langes Thema, das umgebrochen "
                               "werden muss, weil es über achtzig Zeichen hinausgeht");
  rp_draft_set_body (draft, "Hallo Bob,\n\n> zitiert\nviele Grüße\nFrom the start\n.\n");
  rp_draft_add_attachment_bytes (draft, "blob.bin", "application/octet-stream", data);
  rp_draft_add_attachment_file (draft, path, "text/plain");
  rp_draft_add_attachment_bytes (draft, "Earlier.eml", "message/rfc822", forwarded);
  draft->in_reply_to = g_strdup ("parent-2@example.test");
  g_strfreev (draft->references);
  draft->references = g_strsplit ("root-1@example.test parent-2@example.test", " ", -1);

  back = round_trip (draft, FALSE);

  g_assert_cmpstr (back->from_address, ==, "alice@example.test");
  g_assert_cmpstr (back->from_name, ==, "Alice Ärger");
  assert_addresses (back->to, "Bob Bäcker <bob@example.test>, carol@example.test");
  assert_addresses (back->cc, "Dave <dave@example.test>");
  assert_addresses (back->bcc, "Eve <eve@example.test>");
  g_assert_cmpstr (back->subject, ==, draft->subject);
  g_assert_cmpstr (back->body, ==, draft->body);
  g_assert_cmpstr (back->in_reply_to, ==, "parent-2@example.test");
  g_assert_cmpuint (g_strv_length (back->references), ==, 2);
  g_assert_cmpstr (back->references[0], ==, "root-1@example.test");
  g_assert_cmpstr (back->references[1], ==, "parent-2@example.test");

  /* The attachments come back as content: the file may be gone by now. */
  g_assert_cmpuint (back->attachments->len, ==, 3);
  a = g_ptr_array_index (back->attachments, 0);
  g_assert_cmpstr (a->name, ==, "blob.bin");
  g_assert_cmpstr (a->content_type, ==, "application/octet-stream");
  g_assert_null (a->path);
  assert_bytes_equal (a->data, binary, sizeof binary);
  a = g_ptr_array_index (back->attachments, 1);
  g_assert_cmpstr (a->name, ==, "Bericht März.txt");
  g_assert_cmpstr (a->content_type, ==, "text/plain");
  g_assert_null (a->path);
  assert_bytes_equal (a->data, "file content\n", 13);
  a = g_ptr_array_index (back->attachments, 2);
  g_assert_cmpstr (a->name, ==, "Earlier.eml");
  g_assert_cmpstr (a->content_type, ==, "message/rfc822");
  assert_bytes_equal (a->data, FORWARDED, strlen (FORWARDED));

  /* A second round changes nothing: saving a reopened draft is lossless. */
  {
    g_autoptr(RpDraft) again = round_trip (back, FALSE);

    g_assert_cmpstr (again->subject, ==, back->subject);
    g_assert_cmpstr (again->body, ==, back->body);
    assert_addresses (again->bcc, "Eve <eve@example.test>");
    g_assert_cmpuint (again->attachments->len, ==, 3);
    a = g_ptr_array_index (again->attachments, 0);
    assert_bytes_equal (a->data, binary, sizeof binary);
  }

  rp_test_rm_rf (dir);
}

static void
test_unaddressed (void)
{
  g_autoptr(RpAccount) account = make_account (FALSE);
  g_autoptr(RpDraft) draft = rp_draft_new ("alice@example.test", NULL);
  g_autoptr(RpDraft) back = NULL;
  g_autoptr(GBytes) sendable = NULL;
  g_autoptr(GError) error = NULL;

  rp_draft_set_subject (draft, "Ideas");
  rp_draft_set_body (draft, "Not sure yet whom to send this to.");

  /* A draft need not have recipients yet; a message to send does. */
  sendable = rp_composer_build (draft, account, NULL, &error);
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  g_assert_null (sendable);

  back = round_trip (draft, FALSE);
  g_assert_cmpuint (back->to->len + back->cc->len + back->bcc->len, ==, 0);
  g_assert_cmpstr (back->subject, ==, "Ideas");
  g_assert_cmpstr (back->body, ==, "Not sure yet whom to send this to.\n");
  g_assert_null (back->in_reply_to);
  g_assert_cmpuint (g_strv_length (back->references), ==, 0);
  g_assert_cmpuint (back->attachments->len, ==, 0);
}

static void
test_identity_not_applied (void)
{
  g_autoptr(RpDraft) draft = rp_draft_new ("alice@example.test", "Alice");
  g_autoptr(RpDraft) back = NULL;

  rp_draft_add_recipient (draft, RP_RECIPIENT_TO, NULL, "bob@example.test");
  back = round_trip (draft, TRUE);

  /* "Cc myself" is added when sending; a reopened draft must not show the
   * user's own address as if they had typed it. */
  assert_addresses (back->to, "bob@example.test");
  g_assert_cmpuint (back->cc->len, ==, 0);
}

static void
test_foreign_draft (void)
{
  static const char text[] =
    "From: Alice <alice@example.test>\r\n"
    "To: Bob <bob@example.test>\r\n"
    "Bcc: undisclosed: eve@example.test, Mallory <mallory@example.test>;\r\n"
    "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"outer\"\r\n"
    "\r\n"
    "--outer\r\n"
    "Content-Type: multipart/alternative; boundary=\"alt\"\r\n"
    "\r\n"
    "--alt\r\n"
    "Content-Type: text/plain; charset=iso-8859-1\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "Sch=F6n=\r\n"
    " war's.\r\n"
    "--alt\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "\r\n"
    "<p>Schön war's.</p>\r\n"
    "--alt--\r\n"
    "--outer\r\n"
    "Content-Type: message/rfc822\r\n"
    "Content-Disposition: attachment; filename=\"earlier.eml\"\r\n"
    "\r\n"
    "From: Carol <carol@example.test>\r\n"
    "Subject: Earlier\r\n"
    "\r\n"
    "The earlier message.\r\n"
    "--outer--\r\n";
  g_autoptr(GBytes) raw = g_bytes_new_static (text, sizeof text - 1);
  g_autoptr(RpDraft) draft = NULL;
  g_autoptr(GError) error = NULL;
  const RpDraftAttachment *a;
  gsize size;
  const char *data;

  /* Another mail client's draft: the plain text alternative is the body,
   * the HTML twin is no attachment, an attached message stays one. */
  draft = rp_draft_new_from_message (raw, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (draft->subject, ==, "Grüße");
  /* The line end before a boundary belongs to the boundary. */
  g_assert_cmpstr (draft->body, ==, "Schön war's.");
  assert_addresses (draft->to, "Bob <bob@example.test>");
  assert_addresses (draft->bcc, "eve@example.test, Mallory <mallory@example.test>");
  g_assert_cmpuint (draft->attachments->len, ==, 1);
  a = g_ptr_array_index (draft->attachments, 0);
  g_assert_cmpstr (a->name, ==, "earlier.eml");
  g_assert_cmpstr (a->content_type, ==, "message/rfc822");
  data = g_bytes_get_data (a->data, &size);
  g_assert_nonnull (g_strstr_len (data, size, "Subject: Earlier"));
  g_assert_nonnull (g_strstr_len (data, size, "The earlier message."));
}

static void
test_not_a_message (void)
{
  g_autoptr(GBytes) raw = g_bytes_new_static ("", 0);
  g_autoptr(RpDraft) draft = NULL;
  g_autoptr(GError) error = NULL;

  draft = rp_draft_new_from_message (raw, &error);
  g_assert_error (error, RP_ERROR, RP_ERROR_PROTOCOL);
  g_assert_null (draft);
}

int
main (int   argc,
      char *argv[])
{
  rp_test_init (&argc, &argv);

  g_test_add_func ("/core/composer-draft/round-trip", test_round_trip);
  g_test_add_func ("/core/composer-draft/unaddressed", test_unaddressed);
  g_test_add_func ("/core/composer-draft/identity-not-applied", test_identity_not_applied);
  g_test_add_func ("/core/composer-draft/foreign-draft", test_foreign_draft);
  g_test_add_func ("/core/composer-draft/not-a-message", test_not_a_message);

  return g_test_run ();
}
