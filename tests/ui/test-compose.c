/* test-compose.c: the compose window, in-process under Xvfb, sending
 * through a real Postfix to a real Dovecot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <adwaita.h>
#include <gmime/gmime.h>
#include <string.h>

#include "rp-application.h"
#include "rp-compose-window.h"
#include "rp-message-view-private.h"
#include "rp-reply.h"
#include "rp-window-private.h"
#include "send-fixture.h"
#include "ui-test-util.h"

typedef struct
{
  RpApplication *app;
  RpStore       *store;
  RpAccount     *account;
  char          *user;
  char          *address;
} ComposeFixture;

/* Auxiliary methods */

/* Runs the main loop until @cond holds; fails after 30 s. */
#define WAIT_FOR(cond) RP_UI_TEST_WAIT_FOR (cond, 30)

static guint
folder_total (ComposeFixture *f,
              RpFolderRole    role)
{
  g_autoptr(RpFolderInfo) info =
    rp_store_get_folder (f->store, rp_store_get_special_folder (f->store, f->account->id, role),
                         NULL);

  return info != NULL ? info->total : 0;
}

static guint
outbox_rows (ComposeFixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = rp_outbox_list (f->store, 0, &error);

  g_assert_no_error (error);
  return entries->len;
}

/* The app's own store gets the account of a new Dovecot user, sending
 * through Postfix's submission port, as the send tests do. */
static void
compose_setup (ComposeFixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_autofree char *key = NULL;
  RpIdentity *identity;

  f->app = rp_ui_test_new_application ();
  f->store = rp_application_get_store (f->app);
  g_assert_nonnull (f->store);

  f->user = new_user ("composer");
  f->address = address_of (f->user);
  password = g_strconcat (f->user, "-secret", NULL);

  f->account = rp_account_new ("work");
  g_free (f->account->email);
  f->account->email = g_strdup (f->address);
  g_free (f->account->pop_host);
  f->account->pop_host = g_strdup ("pop.invalid");
  /* The scheduler must leave a test account alone. */
  f->account->enabled = FALSE;
  g_free (f->account->smtp_host);
  f->account->smtp_host = g_strdup ("localhost");
  f->account->smtp_port = rp_test_smtpd_get_submission_port (smtpd);
  f->account->smtp_security = RP_SECURITY_STARTTLS;
  g_free (f->account->smtp_user);
  f->account->smtp_user = g_strdup (f->address);
  f->account->ca_file = g_strdup (rp_test_ca_get_ca_file (ca));
  identity = rp_identity_new (f->address);
  identity->is_default = TRUE;
  identity->display_name = g_strdup ("Composing Person");
  g_ptr_array_add (f->account->identities, identity);
  g_assert_true (rp_store_save_account (f->store, f->account, &error));
  g_assert_no_error (error);

  key = rp_account_dup_secret_key (f->account, NULL);
  g_assert_true (rp_secrets_store_sync (rp_application_get_secrets (f->app), "smtp", key,
                                        password, NULL, &error));
  g_assert_no_error (error);
}

static void
compose_teardown (ComposeFixture *f)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (f->app));

  rp_scheduler_stop (rp_application_get_scheduler (f->app));
  while (windows != NULL)
    {
      gtk_window_destroy (windows->data);
      windows = gtk_application_get_windows (GTK_APPLICATION (f->app));
    }
  rp_ui_test_spin (50);
  g_clear_object (&f->app);
  rp_account_free (f->account);
  g_free (f->user);
  g_free (f->address);
}

static RpComposeWindow *
open_window (ComposeFixture *f,
             const RpDraft  *draft)
{
  RpComposeWindow *window = rp_compose_window_new (f->app, draft);

  gtk_window_present (GTK_WINDOW (window));
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (window)));

  return window;
}

static char *
body_text (RpComposeWindow *window)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (rp_compose_window_get_body_view (window));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static RpComposeWindow *
newest_compose_window (ComposeFixture *f)
{
  /* The application lists its windows most recently shown first. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (f->app)); l != NULL; l = l->next)
    if (RP_IS_COMPOSE_WINDOW (l->data))
      return l->data;

  return NULL;
}

static guint
count_compose_windows (ComposeFixture *f)
{
  guint n = 0;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (f->app)); l != NULL; l = l->next)
    n += RP_IS_COMPOSE_WINDOW (l->data) ? 1 : 0;

  return n;
}

static void
close_compose_windows (ComposeFixture *f)
{
  RpComposeWindow *window;

  while ((window = newest_compose_window (f)) != NULL)
    gtk_window_destroy (GTK_WINDOW (window));
}

/* The id of the list's first row, or 0. */
static gint64
first_item_id (RpMessageList *list)
{
  GListModel *model = G_LIST_MODEL (rp_message_list_get_model (list));
  g_autoptr(RpMessageItem) item = NULL;

  if (model == NULL || g_list_model_get_n_items (model) == 0)
    return 0;
  item = g_list_model_get_item (model, 0);

  return rp_message_item_get_id (item);
}

static GtkDropTarget *
find_drop_target (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }

  return NULL;
}

static GtkListView *
find_list_view (GtkWidget *widget)
{
  if (GTK_IS_LIST_VIEW (widget))
    return GTK_LIST_VIEW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkListView *found = find_list_view (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Drops @path on @window through its real drop target, as a file
 * manager's drag does. */
static void
drop_file (RpComposeWindow *window,
           const char      *path)
{
  GtkDropTarget *target = find_drop_target (GTK_WIDGET (window));
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_auto(GValue) value = G_VALUE_INIT;
  GSList *files = g_slist_prepend (NULL, file);
  gboolean accepted = FALSE;

  g_assert_nonnull (target);
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (files));
  g_slist_free (files);
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_assert_true (accepted);
}

static RpDraft *
load_stored_draft (ComposeFixture *f,
                   gint64          id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) raw = rp_store_get_raw (f->store, id, &error);
  RpDraft *draft;

  g_assert_no_error (error);
  draft = rp_draft_new_from_message (raw, &error);
  g_assert_no_error (error);

  return draft;
}

/* The decoded content of the part named @filename in @message. */
static GBytes *
attachment_in (const char *message,
               const char *filename)
{
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer (message, strlen (message));
  GMimeParser *parser = g_mime_parser_new_with_stream (stream);
  GMimeMessage *parsed = g_mime_parser_construct_message (parser, NULL);
  GMimePartIter *iter;
  GBytes *found = NULL;

  g_assert_nonnull (parsed);
  iter = g_mime_part_iter_new (GMIME_OBJECT (parsed));
  do
    {
      GMimeObject *part = g_mime_part_iter_get_current (iter);

      if (found == NULL && GMIME_IS_PART (part)
          && g_strcmp0 (g_mime_part_get_filename (GMIME_PART (part)), filename) == 0)
        {
          GMimeStream *out = g_mime_stream_mem_new ();
          GByteArray *array;

          g_mime_data_wrapper_write_to_stream (g_mime_part_get_content (GMIME_PART (part)), out);
          array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (out));
          found = g_bytes_new (array->data, array->len);
          g_object_unref (out);
        }
    }
  while (g_mime_part_iter_next (iter));

  g_mime_part_iter_free (iter);
  g_object_unref (parsed);
  g_object_unref (parser);
  g_object_unref (stream);

  return found;
}

/* Tests */

static void
test_send (ComposeFixture *f)
{
  g_autofree char *recipient_user = NULL;
  g_autofree char *recipient = NULL;
  g_autoptr(GPtrArray) delivered = NULL;
  RpComposeWindow *window;
  gpointer weak;

  recipient_user = new_user ("reader");
  recipient = address_of (recipient_user);

  window = open_window (f, NULL);
  gtk_editable_set_text (rp_compose_window_get_field (window, "to"), recipient);
  gtk_editable_set_text (rp_compose_window_get_field (window, "subject"), "Lunch on Friday");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (rp_compose_window_get_body_view (window)),
                            "Shall we meet at noon?\n", -1);
  rp_ui_test_spin (100);
  rp_ui_test_save_screenshot (GTK_WIDGET (window), "test-compose.png");

  /* Saving a draft twice keeps one copy in Drafts; sending removes it. */
  gtk_widget_activate_action (GTK_WIDGET (window), "compose.save-draft", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "compose.save-draft", NULL);
  g_assert_cmpint (rp_compose_window_get_saved_draft (window), >, 0);
  g_assert_cmpuint (folder_total (f, RP_FOLDER_ROLE_DRAFTS), ==, 1);

  weak = window;
  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_widget_activate_action (GTK_WIDGET (window), "compose.send", NULL);
  WAIT_FOR (weak == NULL);
  WAIT_FOR (folder_total (f, RP_FOLDER_ROLE_SENT) == 1 && outbox_rows (f) == 0);
  g_assert_cmpuint (folder_total (f, RP_FOLDER_ROLE_DRAFTS), ==, 0);
  g_assert_cmpuint (folder_total (f, RP_FOLDER_ROLE_OUTBOX), ==, 0);

  delivered = expect_deliveries (recipient_user, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (delivered, 0), "Subject: Lunch on Friday\r\n"));
  g_assert_nonnull (strstr (g_ptr_array_index (delivered, 0), "Shall we meet at noon?"));
  g_assert_true (has_header (g_ptr_array_index (delivered, 0), "From: Composing Person <"));

}

static void
test_invalid_address (ComposeFixture *f)
{
  RpComposeWindow *window;
  GtkEditable *to;

  window = open_window (f, NULL);
  to = rp_compose_window_get_field (window, "to");
  gtk_editable_set_text (to, "someone@example.org, not an address");
  gtk_editable_set_text (rp_compose_window_get_field (window, "subject"), "Hello");

  gtk_widget_activate_action (GTK_WIDGET (window), "compose.send", NULL);
  rp_ui_test_spin (100);
  /* The window stays, the field is marked, nothing is queued. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (to), "error"));
  g_assert_nonnull (rp_compose_window_get_last_error (window));
  g_assert_nonnull (strstr (rp_compose_window_get_last_error (window), "not an address"));
  g_assert_cmpuint (outbox_rows (f), ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_reply (ComposeFixture *f)
{
  static const char text[] =
    "From: Anna <anna@example.org>\r\n"
    "To: placeholder\r\n"
    "Subject: Budget\r\n"
    "Message-ID: <budget-1@example.org>\r\n"
    "\r\n"
    "Please check the numbers.\r\n";
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(RpDraft) draft = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  RpStoreNewMessage msg = { 0 };
  RpComposeWindow *window;

  raw = g_bytes_new (text, strlen (text));
  msg.folder_id = rp_store_get_special_folder (f->store, f->account->id, RP_FOLDER_ROLE_INBOX);
  msg.raw = raw;
  g_assert_true (rp_store_add_messages_sync (f->store, f->account->id, &msg, 1, NULL, &error));
  g_assert_no_error (error);

  draft = rp_reply_build (f->store, msg.id, RP_REPLY_SENDER, &error);
  g_assert_no_error (error);
  window = open_window (f, draft);
  g_assert_cmpstr (gtk_editable_get_text (rp_compose_window_get_field (window, "subject")), ==,
                   "Re: Budget");
  g_assert_cmpstr (gtk_editable_get_text (rp_compose_window_get_field (window, "to")), ==,
                   "Anna <anna@example.org>");
  body = body_text (window);
  g_assert_true (g_str_has_prefix (body, "On "));
  g_assert_nonnull (strstr (body, "Anna wrote:\n> Please check the numbers.\n"));
  g_clear_pointer (&draft, rp_draft_free);

  /* The draft from the window keeps the thread. */
  draft = rp_compose_window_dup_draft (window, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (draft->in_reply_to, ==, "budget-1@example.org");
  g_assert_cmpstr (draft->from_address, ==, f->address);
  gtk_window_destroy (GTK_WINDOW (window));

  /* The main window's actions answer the selected message. */
  {
    RpWindow *main_window = rp_window_new (f->app);
    RpMessageList *list = _rp_window_get_message_list (main_window);
    RpComposeWindow *compose;

    gtk_window_present (GTK_WINDOW (main_window));
    WAIT_FOR (g_str_equal (_rp_window_get_page (main_window), "mail"));
    g_assert_true (rp_folder_sidebar_select (_rp_window_get_sidebar (main_window),
                                             msg.folder_id, RP_FOLDER_ROLE_NONE));
    WAIT_FOR (rp_message_list_get_model (list) != NULL
              && g_list_model_get_n_items (G_LIST_MODEL (rp_message_list_get_model (list))) == 1);
    rp_message_list_select (list, 0);

    gtk_widget_activate_action (GTK_WIDGET (main_window), "win.reply", NULL);
    compose = newest_compose_window (f);
    g_assert_nonnull (compose);
    g_assert_cmpstr (gtk_editable_get_text (rp_compose_window_get_field (compose, "subject")), ==,
                     "Re: Budget");
    gtk_window_destroy (GTK_WINDOW (compose));

    gtk_widget_activate_action (GTK_WIDGET (main_window), "win.forward", NULL);
    compose = newest_compose_window (f);
    g_assert_nonnull (compose);
    g_assert_cmpstr (gtk_editable_get_text (rp_compose_window_get_field (compose, "subject")), ==,
                     "Fwd: Budget");
    g_assert_cmpstr (gtk_editable_get_text (rp_compose_window_get_field (compose, "to")), ==, "");
    gtk_window_destroy (GTK_WINDOW (compose));
    gtk_window_destroy (GTK_WINDOW (main_window));
  }
}

/* A saved draft opens again from the Drafts folder, from the list and from
 * the reading pane; saving replaces it, sending removes it. The attachment
 * came in by drag and drop and goes out in the sent message. */
static void
test_draft_reopen (ComposeFixture *f)
{
  static const guchar file_bytes[] = { 'P', 'K', 0x03, 0x04, 0x00, 0xff, '\r', '\n', 0x80 };
  g_autofree char *to_user = new_user ("drafted");
  g_autofree char *to = address_of (to_user);
  g_autofree char *cc_user = new_user ("copied");
  g_autofree char *cc = address_of (cc_user);
  g_autofree char *bcc_user = new_user ("hidden");
  g_autofree char *bcc = address_of (bcc_user);
  g_autofree char *dir = rp_test_make_tmpdir ("draft-attachment");
  g_autofree char *path = g_build_filename (dir, "Plan März.zip", NULL);
  g_autofree char *cc_text = g_strdup_printf ("Carol Copy <%s>", cc);
  g_autofree char *alias = g_strconcat ("alias-", f->address, NULL);
  g_autoptr(RpDraft) start = NULL;
  g_autoptr(RpDraft) shown = NULL;
  g_autoptr(RpDraft) stored = NULL;
  g_autoptr(GPtrArray) delivered = NULL;
  g_autoptr(GBytes) sent_attachment = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *from_label = NULL;
  gint64 drafts = rp_store_get_special_folder (f->store, f->account->id, RP_FOLDER_ROLE_DRAFTS);
  guint sent_before = folder_total (f, RP_FOLDER_ROLE_SENT);
  RpComposeWindow *window;
  RpWindow *main_window;
  RpMessageList *list;
  RpMessageView *view;
  GtkButton *edit_button;
  const RpDraftAttachment *a;
  gint64 first_id, second_id;
  gpointer weak;

  g_assert_true (g_file_set_contents (path, (const char *) file_bytes, sizeof file_bytes, &error));
  g_assert_no_error (error);
  close_compose_windows (f);

  /* A second identity, sending through the account's server. */
  g_ptr_array_add (f->account->identities, rp_identity_new (alias));
  g_assert_true (rp_store_save_account (f->store, f->account, &error));
  g_assert_no_error (error);

  /* A reply in the making, with every kind of recipient. */
  start = rp_draft_new (alias, NULL);
  rp_draft_add_recipient (start, RP_RECIPIENT_TO, NULL, to);
  rp_draft_add_recipient (start, RP_RECIPIENT_CC, "Carol Copy", cc);
  rp_draft_add_recipient (start, RP_RECIPIENT_BCC, NULL, bcc);
  rp_draft_set_subject (start, "Re: Plans");
  rp_draft_set_body (start, "First version\n");
  start->in_reply_to = g_strdup ("parent@example.org");
  g_strfreev (start->references);
  start->references = g_strsplit ("root@example.org parent@example.org", " ", -1);
  window = open_window (f, start);
  drop_file (window, path);

  gtk_widget_activate_action (GTK_WIDGET (window), "compose.save-draft", NULL);
  first_id = rp_compose_window_get_saved_draft (window);
  g_assert_cmpint (first_id, >, 0);
  g_assert_cmpuint (folder_total (f, RP_FOLDER_ROLE_DRAFTS), ==, 1);
  weak = window;
  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_close (GTK_WINDOW (window));
  WAIT_FOR (weak == NULL);
  g_assert_cmpuint (folder_total (f, RP_FOLDER_ROLE_DRAFTS), ==, 1);

  /* Double click (row activation) in the Drafts folder. */
  main_window = rp_window_new (f->app);
  list = _rp_window_get_message_list (main_window);
  view = _rp_window_get_message_view (main_window);
  gtk_window_present (GTK_WINDOW (main_window));
  WAIT_FOR (g_str_equal (_rp_window_get_page (main_window), "mail"));
  g_assert_true (rp_folder_sidebar_select (_rp_window_get_sidebar (main_window), drafts,
                                           RP_FOLDER_ROLE_NONE));
  WAIT_FOR (rp_message_list_get_model (list) != NULL
            && g_list_model_get_n_items (G_LIST_MODEL (rp_message_list_get_model (list))) == 1);
  g_signal_emit_by_name (find_list_view (GTK_WIDGET (list)), "activate", 0);
  WAIT_FOR (count_compose_windows (f) == 1);
  window = newest_compose_window (f);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (window)));

  g_assert_cmpint (rp_compose_window_get_saved_draft (window), ==, first_id);
  g_assert_cmpstr (gtk_editable_get_text (rp_compose_window_get_field (window, "to")), ==, to);
  g_assert_cmpstr (gtk_editable_get_text (rp_compose_window_get_field (window, "cc")), ==,
                   cc_text);
  g_assert_cmpstr (gtk_editable_get_text (rp_compose_window_get_field (window, "bcc")), ==, bcc);
  g_assert_cmpstr (gtk_editable_get_text (rp_compose_window_get_field (window, "subject")), ==,
                   "Re: Plans");
  body = body_text (window);
  g_assert_cmpstr (body, ==, "First version\n");
  shown = rp_compose_window_dup_draft (window, &error);
  g_assert_no_error (error);
  /* The identity it was written from, not the default one. */
  g_assert_cmpstr (shown->from_address, ==, alias);
  g_assert_cmpstr (shown->in_reply_to, ==, "parent@example.org");
  g_assert_cmpuint (g_strv_length (shown->references), ==, 2);
  g_assert_cmpstr (shown->references[0], ==, "root@example.org");
  g_assert_cmpuint (shown->attachments->len, ==, 1);
  a = g_ptr_array_index (shown->attachments, 0);
  g_assert_cmpstr (a->name, ==, "Plan März.zip");
  g_assert_nonnull (a->data);
  g_assert_cmpmem (g_bytes_get_data (a->data, NULL), g_bytes_get_size (a->data),
                   file_bytes, sizeof file_bytes);
  rp_ui_test_spin (200);
  rp_ui_test_save_screenshot (GTK_WIDGET (window), "test-compose-draft.png");

  /* Edited and saved again: still one copy, the new one. */
  gtk_editable_set_text (rp_compose_window_get_field (window, "subject"), "Re: Plans, revised");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (rp_compose_window_get_body_view (window)),
                            "Second version\n", -1);
  gtk_widget_activate_action (GTK_WIDGET (window), "compose.save-draft", NULL);
  second_id = rp_compose_window_get_saved_draft (window);
  g_assert_cmpint (second_id, >, 0);
  g_assert_cmpint (second_id, !=, first_id);
  g_assert_cmpuint (folder_total (f, RP_FOLDER_ROLE_DRAFTS), ==, 1);
  g_assert_null (rp_store_get_raw (f->store, first_id, NULL));
  stored = load_stored_draft (f, second_id);
  g_assert_cmpstr (stored->subject, ==, "Re: Plans, revised");
  g_assert_cmpstr (stored->body, ==, "Second version\n");
  g_assert_cmpuint (stored->bcc->len, ==, 1);
  g_assert_cmpuint (stored->attachments->len, ==, 1);

  /* The reading pane offers "Edit Draft"; it brings back the window that
   * already edits it rather than a second one. */
  WAIT_FOR (first_item_id (list) == second_id
            && g_list_model_get_n_items (G_LIST_MODEL (rp_message_list_get_model (list))) == 1);
  rp_message_list_select (list, 0);
  edit_button = _rp_message_view_get_edit_draft_button (view);
  WAIT_FOR (rp_message_view_get_message (view) == second_id
            && gtk_widget_get_visible (GTK_WIDGET (edit_button)));
  rp_ui_test_spin (200);
  rp_ui_test_save_screenshot (GTK_WIDGET (main_window), "test-compose-draft-pane.png");
  g_assert_true (gtk_widget_activate (GTK_WIDGET (edit_button)));
  rp_ui_test_spin (200);
  g_assert_cmpuint (count_compose_windows (f), ==, 1);
  g_assert_true (newest_compose_window (f) == window);

  /* Sending removes the draft; the attachment goes out byte for byte. */
  weak = window;
  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_widget_activate_action (GTK_WIDGET (window), "compose.send", NULL);
  WAIT_FOR (weak == NULL);
  WAIT_FOR (folder_total (f, RP_FOLDER_ROLE_SENT) == sent_before + 1 && outbox_rows (f) == 0);
  g_assert_cmpuint (folder_total (f, RP_FOLDER_ROLE_DRAFTS), ==, 0);
  delivered = expect_deliveries (to_user, 1);
  g_assert_true (has_header (g_ptr_array_index (delivered, 0), "Subject: Re: Plans, revised"));
  g_assert_true (has_header (g_ptr_array_index (delivered, 0), "In-Reply-To: <parent@example.org>"));
  g_assert_false (has_header (g_ptr_array_index (delivered, 0), "Bcc:"));
  g_assert_nonnull (strstr (g_ptr_array_index (delivered, 0), "Second version"));
  sent_attachment = attachment_in (g_ptr_array_index (delivered, 0), "Plan März.zip");
  g_assert_nonnull (sent_attachment);
  g_assert_cmpmem (g_bytes_get_data (sent_attachment, NULL), g_bytes_get_size (sent_attachment),
                   file_bytes, sizeof file_bytes);

  gtk_window_destroy (GTK_WINDOW (main_window));
  rp_test_rm_rf (dir);
}

/* Without Ctrl+S: the timer saves changes, one copy at a time; closing
 * keeps unsaved changes; Discard leaves nothing in Drafts. */
static void
test_autosave (ComposeFixture *f)
{
  g_autoptr(RpDraft) stored = NULL;
  RpComposeWindow *window;
  guint trash_before = folder_total (f, RP_FOLDER_ROLE_TRASH);
  gint64 first_id, id;
  gpointer weak;

  window = open_window (f, NULL);
  g_assert_cmpuint (rp_compose_window_get_autosave_interval (window), ==, 30);
  g_object_set (window, "autosave-interval", 1, NULL);
  gtk_editable_set_text (rp_compose_window_get_field (window, "subject"), "Autosaved");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (rp_compose_window_get_body_view (window)),
                            "Typed, never saved by hand.\n", -1);
  WAIT_FOR (rp_compose_window_get_saved_draft (window) != 0);
  first_id = rp_compose_window_get_saved_draft (window);
  g_assert_cmpuint (folder_total (f, RP_FOLDER_ROLE_DRAFTS), ==, 1);
  stored = load_stored_draft (f, first_id);
  g_assert_cmpstr (stored->subject, ==, "Autosaved");
  g_clear_pointer (&stored, rp_draft_free);

  /* Nothing changed: no new copy. */
  rp_ui_test_spin (1500);
  g_assert_cmpint (rp_compose_window_get_saved_draft (window), ==, first_id);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (rp_compose_window_get_body_view (window)),
                            "Typed more.\n", -1);
  WAIT_FOR (rp_compose_window_get_saved_draft (window) != first_id);
  g_assert_cmpuint (folder_total (f, RP_FOLDER_ROLE_DRAFTS), ==, 1);
  stored = load_stored_draft (f, rp_compose_window_get_saved_draft (window));
  g_assert_cmpstr (stored->body, ==, "Typed more.\n");
  g_clear_pointer (&stored, rp_draft_free);

  /* Closing with unsaved changes saves them first. */
  g_object_set (window, "autosave-interval", 0, NULL);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (rp_compose_window_get_body_view (window)),
                            "Closed in a hurry.\n", -1);
  id = rp_compose_window_get_saved_draft (window);
  weak = window;
  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_close (GTK_WINDOW (window));
  WAIT_FOR (weak == NULL);
  g_assert_cmpuint (folder_total (f, RP_FOLDER_ROLE_DRAFTS), ==, 1);
  g_assert_null (rp_store_get_raw (f->store, id, NULL));

  /* Reopened and discarded: out of Drafts, into the Trash. */
  {
    RpWindow *main_window = rp_window_new (f->app);

    gtk_window_present (GTK_WINDOW (main_window));
    WAIT_FOR (g_str_equal (_rp_window_get_page (main_window), "mail"));
    id = 0;
    {
      g_autoptr(RpFolderModel) model =
        rp_folder_model_new_for_folder (f->store,
                                        rp_store_get_special_folder (f->store, f->account->id,
                                                                     RP_FOLDER_ROLE_DRAFTS));
      g_autoptr(RpMessageItem) item = NULL;

      WAIT_FOR (g_list_model_get_n_items (G_LIST_MODEL (model)) == 1);
      item = g_list_model_get_item (G_LIST_MODEL (model), 0);
      id = rp_message_item_get_id (item);
    }
    gtk_widget_activate_action (GTK_WIDGET (main_window), "win.edit-draft", "x", id);
    WAIT_FOR (count_compose_windows (f) == 1);
    window = newest_compose_window (f);
    stored = rp_compose_window_dup_draft (window, NULL);
    g_assert_nonnull (stored);
    g_assert_cmpstr (stored->body, ==, "Closed in a hurry.\n");
    weak = window;
    g_object_add_weak_pointer (G_OBJECT (window), &weak);
    gtk_widget_activate_action (GTK_WIDGET (window), "compose.discard", NULL);
    WAIT_FOR (weak == NULL);
    g_assert_cmpuint (folder_total (f, RP_FOLDER_ROLE_DRAFTS), ==, 0);
    g_assert_cmpuint (folder_total (f, RP_FOLDER_ROLE_TRASH), ==, trash_before + 1);
    gtk_window_destroy (GTK_WINDOW (main_window));
  }
}

static void
test_mailto (ComposeFixture *f)
{
  g_autoptr(GFile) file = g_file_new_for_uri ("mailto:bob@example.net?cc=carol@example.com"
                                              "&subject=Tickets%20for%20M%C3%BCnchen"
                                              "&body=Two%20please");
  RpComposeWindow *window = NULL;
  g_autofree char *body = NULL;

  g_application_open (G_APPLICATION (f->app), &file, 1, "");
  window = newest_compose_window (f);
  g_assert_nonnull (window);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (window)));

  g_assert_cmpstr (gtk_editable_get_text (rp_compose_window_get_field (window, "to")), ==,
                   "bob@example.net");
  g_assert_cmpstr (gtk_editable_get_text (rp_compose_window_get_field (window, "cc")), ==,
                   "carol@example.com");
  g_assert_cmpstr (gtk_editable_get_text (rp_compose_window_get_field (window, "subject")), ==,
                   "Tickets for München");
  body = body_text (window);
  g_assert_cmpstr (body, ==, "Two please");

  /* The last address of a field completes from the mail in the store
   * (Anna wrote the message answered above). */
  gtk_editable_set_text (rp_compose_window_get_field (window, "to"), "bob@example.net, ann");
  {
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
    GtkEntryCompletion *completion =
      gtk_entry_get_completion (GTK_ENTRY (rp_compose_window_get_field (window, "to")));
    GtkTreeModel *model = gtk_entry_completion_get_model (completion);
G_GNUC_END_IGNORE_DEPRECATIONS
    GtkTreeIter iter;
    g_autofree char *first = NULL;

    g_assert_true (gtk_tree_model_get_iter_first (model, &iter));
    gtk_tree_model_get (model, &iter, 0, &first, -1);
    g_assert_cmpstr (first, ==, "Anna <anna@example.org>");
    g_assert_cmpint (gtk_tree_model_iter_n_children (model, NULL), ==, 1);
  }

}

/* One test for all the scenarios: a GtkApplication registered on the bus
 * cannot be replaced by another within one process while the first is
 * alive, and the mail store lives in this test's own data folder. */
static void
test_compose (void)
{
  ComposeFixture f = { 0 };

  compose_setup (&f);
  g_test_message ("sending a new message");
  test_send (&f);
  g_test_message ("an invalid address");
  test_invalid_address (&f);
  g_test_message ("a reply");
  test_reply (&f);
  g_test_message ("a mailto: link");
  test_mailto (&f);
  g_test_message ("a draft opened again");
  test_draft_reopen (&f);
  g_test_message ("autosave, close and discard");
  test_autosave (&f);
  compose_teardown (&f);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  rp_ui_test_init (&argc, &argv);

  g_test_add_func ("/ui/compose/window", test_compose);

  send_fixture_start_servers ();
  status = g_test_run ();
  send_fixture_stop_servers ();

  return status;
}
