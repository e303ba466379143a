/* test-message-view.c: the reading pane, in-process under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-message-view"

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include "rp-attachment-row.h"
#include "rp-message-view-private.h"
#include "rp-paths.h"
#include "rp-store.h"
#include "ui-test-util.h"

#define PNG_BASE64 "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="

typedef struct
{
  RpStore       *store;
  gint64         account;
  gint64         inbox;
  GtkWindow     *window;
  RpMessageView *view;
  guint          loads_finished;
} Fixture;

/* The tiny HTTP server: counts requests, answers each with a PNG. */
static gint http_requests;

/* Auxiliary methods */

static gint64
add_message (Fixture    *f,
             const char *raw)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new (raw, strlen (raw));
  RpStoreNewMessage msg = { .folder_id = f->inbox, .raw = bytes };

  g_assert_true (rp_store_add_messages_sync (f->store, f->account, &msg, 1, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (msg.id, >, 0);

  return msg.id;
}

static void
fixture_setup (Fixture *f)
{
  g_autoptr(GError) error = NULL;


  /* The isolated runtime dir is not created for us; WebKit's sandbox
   * binds its D-Bus proxy socket from there. */
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_runtime_dir (), 0700), ==, 0);
  g_assert_true (rp_paths_ensure (&error));
  g_assert_no_error (error);
  f->store = rp_store_open_sync (NULL, NULL, &error);
  g_assert_no_error (error);
  f->account = rp_store_ensure_account (f->store, "test", &error);
  g_assert_no_error (error);
  f->inbox = rp_store_get_special_folder (f->store, f->account, RP_FOLDER_ROLE_INBOX);
  g_assert_cmpint (f->inbox, >, 0);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 800, 600);
  f->view = RP_MESSAGE_VIEW (rp_message_view_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  rp_message_view_set_store (f->view, f->store);
  gtk_window_present (f->window);
}

static void
fixture_teardown (Fixture *f)
{
  gtk_window_destroy (f->window);
  rp_ui_test_spin (50);
  g_clear_object (&f->store);
}

static gboolean
subject_shown (gpointer data)
{
  Fixture *f = data;

  return *gtk_label_get_text (_rp_message_view_get_subject_label (f->view)) != '\0';
}

static gboolean
has_web_view (gpointer data)
{
  Fixture *f = data;

  return _rp_message_view_get_web_view (f->view) != NULL;
}

static gboolean
one_load_finished (gpointer data)
{
  Fixture *f = data;

  return f->loads_finished > 0;
}

static gboolean
one_http_request (gpointer data)
{
  return g_atomic_int_get (&http_requests) >= 1;
}

static void
load_changed_cb (WebKitWebView   *web_view,
                 WebKitLoadEvent  event,
                 Fixture         *f)
{
  if (event == WEBKIT_LOAD_FINISHED)
    f->loads_finished++;
}

static void
wait_for_html (Fixture *f)
{
  rp_ui_test_wait_until (has_web_view, f, 10000);
  if (f->loads_finished == 0)
    g_signal_connect (_rp_message_view_get_web_view (f->view), "load-changed",
                      G_CALLBACK (load_changed_cb), f);
  rp_ui_test_wait_until (one_load_finished, f, 20000);
}

static gboolean
http_run_cb (GThreadedSocketService *service,
             GSocketConnection      *connection,
             GObject                *source_object,
             gpointer                user_data)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GString) request = g_string_new (NULL);
  g_autofree guchar *png = NULL;
  g_autofree char *header = NULL;
  gsize png_length;
  char buffer[1024];

  while (strstr (request->str, "\r\n\r\n") == NULL)
    {
      gssize n = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL);

      if (n <= 0)
        return TRUE;
      g_string_append_len (request, buffer, n);
    }

  g_atomic_int_inc (&http_requests);
  png = g_base64_decode (PNG_BASE64, &png_length);
  header = g_strdup_printf ("HTTP/1.0 200 OK\r\nContent-Type: image/png\r\n"
                            "Content-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n",
                            png_length);
  g_output_stream_write_all (out, header, strlen (header), NULL, NULL, NULL);
  g_output_stream_write_all (out, png, png_length, NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);

  return TRUE;
}

static GSocketService *
start_http_server (guint16 *port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  GSocketService *service = g_threaded_socket_service_new (4);

  g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER (service), address,
                                                G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                                NULL, &effective, &error));
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (service, "run", G_CALLBACK (http_run_cb), NULL);
  g_socket_service_start (service);

  return service;
}

/* Tests */

static void
test_plain (void)
{
  Fixture f = { 0 };
  GtkTextBuffer *buffer;
  GtkTextIter start, end, iter;
  g_autofree char *text = NULL;
  GtkTextTag *quote1, *quote2, *link;
  const char *uri = NULL;
  g_autoptr(GSList) tags = NULL;
  gint64 id;

  fixture_setup (&f);
  id = add_message (&f,
                    "From: Alice Example <alice@example.org>\r\n"
                    "To: Bob <bob@example.net>\r\n"
                    "Cc: carol@example.com\r\n"
                    "Subject: Plain reading test\r\n"
                    "Date: Sat, 28 Nov 2026 10:00:00 +0000\r\n"
                    "Message-ID: <plain@example.org>\r\n"
                    "MIME-Version: 1.0\r\n"
                    "Content-Type: text/plain; charset=utf-8\r\n"
                    "\r\n"
                    "Hello Bob,\r\n"
                    "> quoted once\r\n"
                    ">> quoted twice\r\n"
                    "See https://example.org/docs/page.html.\r\n");

  rp_message_view_set_message (f.view, id);
  g_assert_cmpint (rp_message_view_get_message (f.view), ==, id);
  rp_ui_test_wait_until (subject_shown, &f, 10000);
  g_assert_cmpstr (gtk_label_get_text (_rp_message_view_get_subject_label (f.view)), ==,
                   "Plain reading test");

  buffer = gtk_text_view_get_buffer (_rp_message_view_get_text_view (f.view));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_nonnull (strstr (text, "Hello Bob,\n> quoted once\n>> quoted twice\nSee https://example.org/docs/page.html."));

  /* Quote levels are tagged per line. */
  quote1 = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "quote-1");
  quote2 = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "quote-2");
  gtk_text_buffer_get_iter_at_line (buffer, &iter, 1);
  g_assert_true (gtk_text_iter_has_tag (&iter, quote1));
  gtk_text_buffer_get_iter_at_line (buffer, &iter, 2);
  g_assert_true (gtk_text_iter_has_tag (&iter, quote2));
  gtk_text_buffer_get_iter_at_line (buffer, &iter, 0);
  g_assert_false (gtk_text_iter_has_tag (&iter, quote1));

  /* The URL is a link to itself, without the sentence's full stop. */
  link = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "link");
  gtk_text_buffer_get_iter_at_line_offset (buffer, &iter, 3, 6);
  g_assert_true (gtk_text_iter_has_tag (&iter, link));
  tags = gtk_text_iter_get_tags (&iter);
  for (GSList *l = tags; l != NULL; l = l->next)
    if (g_object_get_data (l->data, "rp-uri") != NULL)
      uri = g_object_get_data (l->data, "rp-uri");
  g_assert_cmpstr (uri, ==, "https://example.org/docs/page.html");
  gtk_text_buffer_get_iter_at_line_offset (buffer, &iter, 3, 38);
  g_assert_cmpint (gtk_text_iter_get_char (&iter), ==, '.');
  g_assert_false (gtk_text_iter_has_tag (&iter, link));

  rp_ui_test_spin (500);
  rp_ui_test_save_screenshot (GTK_WIDGET (f.window), "message-view.png");

  /* 0 goes back to the empty page. */
  rp_message_view_set_message (f.view, 0);
  g_assert_cmpstr (gtk_label_get_text (_rp_message_view_get_subject_label (f.view)), !=, "");
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  g_assert_true (gtk_text_iter_equal (&start, &end));

  fixture_teardown (&f);
}

static void
test_remote_blocked (void)
{
  Fixture f = { 0 };
  g_autoptr(GSocketService) server = NULL;
  g_autofree char *raw = NULL;
  guint16 port;
  gint64 id;

  server = start_http_server (&port);
  g_atomic_int_set (&http_requests, 0);
  fixture_setup (&f);
  raw = g_strdup_printf ("From: Shop <news@shop.example>\r\n"
                         "To: bob@example.net\r\n"
                         "Subject: Tracking pixel\r\n"
                         "Date: Sat, 28 Nov 2026 11:00:00 +0000\r\n"
                         "MIME-Version: 1.0\r\n"
                         "Content-Type: text/html; charset=utf-8\r\n"
                         "\r\n"
                         "<html><body><p>Big sale!</p>"
                         "<img src=\"http://127.0.0.1:%u/pixel.png\" width=\"1\" height=\"1\">"
                         "</body></html>\r\n", port);
  id = add_message (&f, raw);

  rp_message_view_set_message (f.view, id);
  wait_for_html (&f);
  rp_ui_test_spin (1000);
  g_assert_cmpint (g_atomic_int_get (&http_requests), ==, 0);
  g_assert_true (_rp_message_view_get_remote_bar_shown (f.view));
  rp_ui_test_save_screenshot (GTK_WIDGET (f.window), "message-view-html.png");

  /* The user asks for it: exactly the one image is fetched. */
  f.loads_finished = 0;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.view), "message-view.show-remote", NULL));
  rp_ui_test_wait_until (one_load_finished, &f, 20000);
  rp_ui_test_wait_until (one_http_request, &f, 5000);
  rp_ui_test_spin (1000);
  g_assert_cmpint (g_atomic_int_get (&http_requests), ==, 1);
  g_assert_false (_rp_message_view_get_remote_bar_shown (f.view));

  /* That was for this message only: the sender's next one is blocked… */
  for (guint n = 2; n <= 3; n++)
    {
      g_autofree char *next = g_strdup_printf ("From: Shop <News@Shop.example>\r\n"
                                               "To: bob@example.net\r\n"
                                               "Subject: Tracking pixel %u\r\n"
                                               "Date: Sat, 28 Nov 2026 1%u:00:00 +0000\r\n"
                                               "MIME-Version: 1.0\r\n"
                                               "Content-Type: text/html; charset=utf-8\r\n"
                                               "\r\n"
                                               "<html><body><p>Sale %u</p>"
                                               "<img src=\"http://127.0.0.1:%u/pixel-%u.png\">"
                                               "</body></html>\r\n", n, n, n, port, n);

      f.loads_finished = 0;
      rp_message_view_set_message (f.view, add_message (&f, next));
      wait_for_html (&f);
      rp_ui_test_spin (1000);
      if (n == 2)
        {
          g_assert_cmpint (g_atomic_int_get (&http_requests), ==, 1);
          g_assert_true (_rp_message_view_get_remote_bar_shown (f.view));

          /* …until the user trusts the sender for good. */
          f.loads_finished = 0;
          g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.view),
                                                     "message-view.always-remote", NULL));
          rp_ui_test_wait_until (one_load_finished, &f, 20000);
          rp_ui_test_spin (1000);
          g_assert_cmpint (g_atomic_int_get (&http_requests), ==, 2);
        }
      else
        {
          /* The third message from that address loads at once, no bar;
           * the address matched without regard to case. */
          g_assert_cmpint (g_atomic_int_get (&http_requests), ==, 3);
          g_assert_false (_rp_message_view_get_remote_bar_shown (f.view));
        }
    }

  g_socket_service_stop (server);
  fixture_teardown (&f);
}

static void
test_cid_image (void)
{
  Fixture f = { 0 };
  const char *last_cid = NULL;
  GtkListBoxRow *row;
  gint64 id;

  fixture_setup (&f);
  id = add_message (&f,
                    "From: Alice <alice@example.org>\r\n"
                    "To: bob@example.net\r\n"
                    "Subject: Inline logo\r\n"
                    "Date: Sat, 28 Nov 2026 12:00:00 +0000\r\n"
                    "MIME-Version: 1.0\r\n"
                    "Content-Type: multipart/related; boundary=\"b1\"\r\n"
                    "\r\n"
                    "--b1\r\n"
                    "Content-Type: text/html; charset=utf-8\r\n"
                    "\r\n"
                    "<html><body><p>Our logo:</p><img src=\"cid:logo@rapport.test\"></body></html>\r\n"
                    "--b1\r\n"
                    "Content-Type: image/png\r\n"
                    "Content-Transfer-Encoding: base64\r\n"
                    "Content-ID: <logo@rapport.test>\r\n"
                    "\r\n"
                    PNG_BASE64 "\r\n"
                    "--b1\r\n"
                    "Content-Type: application/pdf; name=\"report.pdf\"\r\n"
                    "Content-Disposition: attachment; filename=\"report.pdf\"\r\n"
                    "Content-Transfer-Encoding: base64\r\n"
                    "\r\n"
                    "JVBERi0xLjQKJeLjz9MK\r\n"
                    "--b1--\r\n");

  rp_message_view_set_message (f.view, id);
  wait_for_html (&f);
  rp_ui_test_spin (300);
  g_assert_cmpuint (_rp_message_view_get_cid_requests (f.view, &last_cid), >=, 1);
  g_assert_cmpstr (last_cid, ==, "logo@rapport.test");
  /* Nothing to unblock: the image came from the message. */
  g_assert_false (_rp_message_view_get_remote_bar_shown (f.view));

  /* The PDF is listed; the inline logo is not. */
  row = gtk_list_box_get_row_at_index (_rp_message_view_get_attachment_list (f.view), 0);
  g_assert_true (ADW_IS_ACTION_ROW (row));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "report.pdf");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "15 bytes"));
  g_assert_null (gtk_list_box_get_row_at_index (_rp_message_view_get_attachment_list (f.view), 1));

  fixture_teardown (&f);
}

/* What Open handed to the launcher instead of a viewer. */
static void
record_launch (GtkWindow *parent,
               GFile     *file,
               gpointer   user_data)
{
  GFile **launched = user_data;

  g_assert_null (*launched);
  *launched = g_object_ref (file);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GError **error = user_data;

  if (!_rp_attachment_row_save_finish (result, error))
    g_assert_nonnull (*error);
  else
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "saved");
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
assert_file_bytes (GFile        *file,
                   const guchar *expected,
                   gsize         length)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize size = 0;

  g_assert_true (g_file_load_contents (file, NULL, &contents, &size, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (contents, size, expected, length);
}

static gboolean
attachment_listed (gpointer data)
{
  Fixture *f = data;

  return gtk_list_box_get_row_at_index (_rp_message_view_get_attachment_list (f->view), 0) != NULL;
}

static void
test_attachment_save_open (void)
{
  /* Bytes no text conversion may touch: NUL, CR LF, a lone CR, 8-bit. */
  static const guchar blob[] = { 0x00, 0xff, '\r', '\n', 'a', '\r', 0x80, '\n', 0x00, 0x7f };
  Fixture f = { 0 };
  g_autofree char *encoded = g_base64_encode (blob, sizeof blob);
  g_autofree char *raw = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *cache = NULL;
  g_autofree char *expected_dir = NULL;
  g_autoptr(GFile) target = NULL;
  g_autoptr(GFile) launched = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *row, *open;
  struct stat st;
  gint64 id;

  fixture_setup (&f);
  raw = g_strdup_printf ("From: Alice <alice@example.org>\r\n"
                         "To: bob@example.net\r\n"
                         "Subject: The data\r\n"
                         "Date: Sat, 28 Nov 2026 12:00:00 +0000\r\n"
                         "MIME-Version: 1.0\r\n"
                         "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
                         "\r\n"
                         "--b1\r\n"
                         "Content-Type: text/plain; charset=utf-8\r\n"
                         "\r\n"
                         "Here it is.\r\n"
                         "--b1\r\n"
                         "Content-Type: application/octet-stream\r\n"
                         "Content-Disposition: attachment; filename=\"../../data.bin\"\r\n"
                         "Content-Transfer-Encoding: base64\r\n"
                         "\r\n"
                         "%s\r\n"
                         "--b1--\r\n", encoded);
  id = add_message (&f, raw);
  rp_message_view_set_message (f.view, id);
  rp_ui_test_wait_until (attachment_listed, &f, 10000);
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (_rp_message_view_get_attachment_list (f.view),
                                                   0));

  /* Save: what the dialog does with the file the user chose. */
  dir = rp_test_make_tmpdir ("attachment-save");
  path = g_build_filename (dir, "chosen name.bin", NULL);
  target = g_file_new_for_path (path);
  _rp_attachment_row_save_async (row, target, saved_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  assert_file_bytes (target, blob, sizeof blob);

  /* Open: a private copy in the cache, with the sender's folders cut off
   * the name, handed to the launcher; no viewer is started. */
  _rp_attachment_row_set_launcher (record_launch, &launched);
  open = find_button (row, "_Open");
  g_assert_nonnull (open);
  g_signal_emit_by_name (open, "clicked");
  g_assert_nonnull (launched);
  cache = rp_paths_get_cache_dir ();
  {
    g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
    g_autofree char *launched_path = g_file_get_path (launched);
    g_autofree char *launched_dir = g_path_get_dirname (launched_path);

    expected_dir = g_build_filename (cache, "attachments", id_text, NULL);
    g_assert_cmpstr (launched_dir, ==, expected_dir);
    g_assert_true (g_str_has_suffix (launched_path, "/data.bin"));
    g_assert_cmpint (stat (launched_path, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
    g_assert_cmpint (stat (launched_dir, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  }
  assert_file_bytes (launched, blob, sizeof blob);
  _rp_attachment_row_set_launcher (NULL, NULL);

  rp_test_rm_rf (dir);
  fixture_teardown (&f);
}

/* An invitation's calendar data is for the invitation bar, not a file;
 * an .ics sent as a named attachment stays a file. */
static void
test_calendar_not_attachment (void)
{
  static const char raw[] =
    "From: Org <org@example.org>\r\n"
    "To: me@example.org\r\n"
    "Subject: Invitation: Review\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"outer\"\r\n"
    "\r\n"
    "--outer\r\n"
    "Content-Type: multipart/alternative; boundary=\"alt\"\r\n"
    "\r\n"
    "--alt\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "You are invited.\r\n"
    "--alt\r\n"
    "Content-Type: text/calendar; charset=utf-8; method=REQUEST\r\n"
    "\r\n"
    "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
    "--alt--\r\n"
    "--outer\r\n"
    "Content-Type: text/calendar; charset=utf-8; name=\"invite.ics\"\r\n"
    "Content-Disposition: attachment; filename=\"invite.ics\"\r\n"
    "\r\n"
    "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
    "--outer--\r\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (raw, sizeof raw - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(RpParsedMessage) parsed = NULL;
  guint files = 0;

  parsed = _rp_parsed_message_new_from_bytes (bytes, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (parsed->text, "You are invited."));
  for (guint i = 0; i < parsed->parts->len; i++)
    {
      RpMessagePart *part = g_ptr_array_index (parsed->parts, i);

      if (part->is_attachment)
        {
          files++;
          g_assert_cmpstr (part->filename, ==, "invite.ics");
        }
    }
  g_assert_cmpuint (files, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  rp_ui_test_init (&argc, &argv);
  /* In the build container (root, no user namespaces for the D-Bus proxy)
   * WebKit's bubblewrap sandbox cannot start the web process:
   *   bwrap: Can't find source path …/runtime/webkitgtk/bus-proxy-XXXXXX:
   *   No such file or directory
   *   readPIDFromPeer: Unexpected short read from PID socket.
   * So this test, and only this test, runs WebKit unsandboxed. The app
   * never sets this. */
  g_setenv ("WEBKIT_DISABLE_SANDBOX_THIS_IS_DANGEROUS", "1", TRUE);
  /* The isolated XDG_DATA_DIRS hide the GNOME proxy schema, which WebKit's
   * network process would abort on; the test server is local anyway. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  /* This process keeps fatal warnings (GLib read G_DEBUG at start-up, and
   * g_test_init() makes warnings fatal anyway), but WebKit's child
   * processes must not die of their own harmless ones, such as "Can't
   * connect to a11y bus" once an earlier test's isolated runtime dir, where
   * the a11y bus socket lives, is gone. */
  g_unsetenv ("G_DEBUG");

  g_test_add_func ("/ui/message-view/plain", test_plain);
  g_test_add_func ("/ui/message-view/html-remote-blocked", test_remote_blocked);
  g_test_add_func ("/ui/message-view/html-cid-image", test_cid_image);
  g_test_add_func ("/ui/message-view/attachment-save-open", test_attachment_save_open);
  g_test_add_func ("/ui/message-view/calendar-not-attachment", test_calendar_not_attachment);

  return g_test_run ();
}
