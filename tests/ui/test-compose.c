/* test-compose.c: the compose window, in-process under Xvfb, sending
 * through a real Postfix to a real Dovecot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "rp-application.h"
#include "rp-compose-window.h"
#include "rp-reply.h"
#include "rp-window-private.h"
#include "send-fixture.h"

typedef struct
{
  RpApplication *app;
  RpStore       *store;
  RpAccount     *account;
  char          *user;
  char          *address;
} ComposeFixture;

/* Auxiliary methods */

static gboolean
on_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @cond holds; fails after 30 s. */
#define WAIT_FOR(cond) \
  G_STMT_START { \
    gboolean timed_out_ = FALSE; \
    guint id_ = g_timeout_add_seconds (30, on_timeout, &timed_out_); \
    while (!(cond) && !timed_out_) \
      g_main_context_iteration (NULL, TRUE); \
    if (!timed_out_) \
      g_source_remove (id_); \
    g_assert_true (cond); \
  } G_STMT_END

static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_timeout, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

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

  f->app = rp_application_new ();
  g_application_set_flags (G_APPLICATION (f->app),
                           G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN);
  g_application_register (G_APPLICATION (f->app), NULL, &error);
  g_assert_no_error (error);
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
  spin (50);
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

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  const char *dir = g_getenv ("RP_TEST_ARTIFACT_DIR");
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (dir == NULL)
    return;

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot saved in %s", path);
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
  spin (100);
  save_screenshot (GTK_WIDGET (window), "test-compose.png");

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
  spin (100);
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
  compose_teardown (&f);
}

int
main (int   argc,
      char *argv[])
{
  const char *mime_dirs[] = { "/usr/share/mime", NULL };
  int status;

  rp_test_init (&argc, &argv);
  g_content_type_set_mime_dirs (mime_dirs);
  gtk_init ();
  adw_init ();
  gtk_icon_theme_add_search_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                  "/usr/share/icons");

  g_test_add_func ("/ui/compose/window", test_compose);

  send_fixture_start_servers ();
  status = g_test_run ();
  send_fixture_stop_servers ();

  return status;
}
