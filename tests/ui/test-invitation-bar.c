/* test-invitation-bar.c: the invitation bar in the reading pane,
 * in-process under Xvfb, answering through a real Postfix
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "rp-crm.h"
#include "rp-invitation-bar.h"
#include "rp-message-view-private.h"
#include "rp-paths.h"
#include "send-fixture.h"
#include "ui-test-util.h"

#define UID "ui-bar-1@organiser.example"

typedef struct
{
  RpStore         *store;
  RpSecrets       *secrets;
  RpAccount       *account;
  char            *user;
  char            *address;
  char            *organiser_user;
  char            *organiser;
  GtkWindow       *window;
  RpMessageView   *view;
  RpInvitationBar *bar;
} BarFixture;

/* Auxiliary methods */

/* Runs the main loop until @cond holds; fails after 30 s. */
#define WAIT_FOR(cond) RP_UI_TEST_WAIT_FOR (cond, 30)

static GtkWidget *
find_descendant (GtkWidget  *widget,
                 GType       type,
                 const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type)
          && (label == NULL || g_strcmp0 (gtk_button_get_label (GTK_BUTTON (child)), label) == 0))
        return child;
      found = find_descendant (child, type, label);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static gint64
add_invitation (BarFixture *f,
                const char *method,
                int         sequence)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf (
    "From: Olga Organiser <%s>\r\n"
    "To: <%s>\r\n"
    "Subject: Einladung: Jahresplanung\r\n"
    "Date: Fri, 20 Nov 2026 08:00:00 +0000\r\n"
    "Message-ID: <%s-%d@organiser.example>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/alternative; boundary=\"alt\"\r\n"
    "\r\n"
    "--alt\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "Please come to the planning meeting.\r\n"
    "--alt\r\n"
    "Content-Type: text/calendar; charset=utf-8; method=%s\r\n"
    "\r\n"
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    "METHOD:%s\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:" UID "\r\n"
    "SEQUENCE:%d\r\n"
    "DTSTAMP:20261120T080000Z\r\n"
    "DTSTART;TZID=Europe/Berlin:20261210T140000\r\n"
    "DTEND;TZID=Europe/Berlin:20261210T153000\r\n"
    "SUMMARY:Jahresplanung 2027\r\n"
    "LOCATION:Besprechungsraum Süd\\, 3. Stock\r\n"
    "ORGANIZER;CN=Olga Organiser:mailto:%s\r\n"
    "ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Ulla User:mailto:%s\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n"
    "--alt--\r\n",
    f->organiser, f->address, method, sequence, method, method, sequence, f->organiser,
    f->address);
  g_autoptr(GBytes) raw = g_bytes_new (text, strlen (text));
  RpStoreNewMessage msg = { 0 };

  msg.folder_id = rp_store_get_special_folder (f->store, f->account->id, RP_FOLDER_ROLE_INBOX);
  msg.raw = raw;
  g_assert_true (rp_store_add_messages_sync (f->store, f->account->id, &msg, 1, NULL, &error));
  g_assert_no_error (error);

  return msg.id;
}

/* A loopback port nobody listens on. */
static guint16
closed_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return port;
}

static void
bar_setup (BarFixture *f,
           guint16     smtp_port)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_autofree char *key = NULL;
  RpIdentity *identity;

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_runtime_dir (), 0700), ==, 0);
  g_assert_true (rp_paths_ensure (&error));
  g_assert_no_error (error);
  f->store = rp_store_open_sync (NULL, NULL, &error);
  g_assert_no_error (error);
  f->secrets = rp_secrets_new (RP_SECRETS_BACKEND_FILE);

  f->user = new_user ("ulla");
  f->address = address_of (f->user);
  f->organiser_user = new_user ("olga");
  f->organiser = address_of (f->organiser_user);
  password = g_strconcat (f->user, "-secret", NULL);

  f->account = rp_account_new ("work");
  g_free (f->account->email);
  f->account->email = g_strdup (f->address);
  g_free (f->account->pop_host);
  f->account->pop_host = g_strdup ("pop.invalid");
  f->account->enabled = FALSE;
  g_free (f->account->smtp_host);
  f->account->smtp_host = g_strdup ("localhost");
  f->account->smtp_port = smtp_port;
  f->account->smtp_security = RP_SECURITY_STARTTLS;
  g_free (f->account->smtp_user);
  f->account->smtp_user = g_strdup (f->address);
  f->account->ca_file = g_strdup (rp_test_ca_get_ca_file (ca));
  identity = rp_identity_new (f->address);
  identity->is_default = TRUE;
  g_free (identity->display_name);
  identity->display_name = g_strdup ("Ulla User");
  g_ptr_array_add (f->account->identities, identity);
  g_assert_true (rp_store_save_account (f->store, f->account, &error));
  g_assert_no_error (error);
  key = rp_account_dup_secret_key (f->account, NULL);
  g_assert_true (rp_secrets_store_sync (f->secrets, "smtp", key, password, NULL, &error));
  g_assert_no_error (error);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 760, 560);
  f->view = RP_MESSAGE_VIEW (rp_message_view_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  rp_message_view_set_store (f->view, f->store);
  f->bar = RP_INVITATION_BAR (find_descendant (GTK_WIDGET (f->view), RP_TYPE_INVITATION_BAR, NULL));
  g_assert_nonnull (f->bar);
  rp_invitation_bar_set_secrets (f->bar, f->secrets);
  gtk_window_present (f->window);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (f->window))
            && gtk_widget_get_width (GTK_WIDGET (f->window)) > 0);
}

static void
bar_teardown (BarFixture *f)
{
  gtk_window_destroy (f->window);
  rp_ui_test_spin (100);
  g_clear_object (&f->secrets);
  g_assert_finalize_object (f->store);
  rp_account_free (f->account);
  g_free (f->user);
  g_free (f->address);
  g_free (f->organiser_user);
  g_free (f->organiser);
}

static gboolean
bar_loaded (BarFixture *f)
{
  return gtk_widget_get_visible (GTK_WIDGET (f->bar)) && !_rp_invitation_bar_get_busy (f->bar)
         && _rp_invitation_bar_get_invitation (f->bar) != NULL;
}

/* Tests */

static void
test_accept (void)
{
  BarFixture fixture = { 0 };
  BarFixture *f = &fixture;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GBytes) reply_bytes = NULL;
  g_autoptr(RpInvitation) reply = NULL;
  g_autoptr(RpCrmEvent) event = NULL;
  g_autoptr(RpCrmRecord) record = rp_crm_record_new ();
  GtkWidget *accept;
  const char *reply_text;
  gint64 request_id;
  gint64 cancel_id;
  gint64 plain_id;

  bar_setup (f, rp_test_smtpd_get_submission_port (smtpd));
  record->name = g_strdup ("Olga Organiser");
  g_strfreev (record->emails);
  record->emails = g_new0 (char *, 2);
  record->emails[0] = g_strdup (f->organiser);
  g_assert_cmpint (rp_crm_add_record (f->store, record, &error), >, 0);
  g_assert_no_error (error);

  /* A message without a calendar shows no bar. */
  {
    static const char plain[] = "From: a@example.org\r\nSubject: Plain\r\n\r\nHello\r\n";
    g_autoptr(GBytes) raw = g_bytes_new_static (plain, sizeof plain - 1);
    RpStoreNewMessage msg = { 0 };

    msg.folder_id = rp_store_get_special_folder (f->store, f->account->id, RP_FOLDER_ROLE_INBOX);
    msg.raw = raw;
    g_assert_true (rp_store_add_messages_sync (f->store, f->account->id, &msg, 1, NULL, &error));
    plain_id = msg.id;
  }
  rp_message_view_set_message (f->view, plain_id);
  WAIT_FOR (*gtk_label_get_text (_rp_message_view_get_subject_label (f->view)) != '\0');
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->bar)));

  /* The invitation: title, time, place, organiser, our answer. */
  request_id = add_invitation (f, "REQUEST", 0);
  rp_message_view_set_message (f->view, request_id);
  WAIT_FOR (bar_loaded (f));
  g_assert_cmpstr (_rp_invitation_bar_get_invitation (f->bar)->summary, ==, "Jahresplanung 2027");
  g_assert_cmpstr (_rp_invitation_bar_get_status_text (f->bar), ==, "You have not answered yet.");
  g_assert_true (_rp_invitation_bar_get_can_respond (f->bar));
  g_assert_nonnull (find_descendant (GTK_WIDGET (f->bar), GTK_TYPE_LABEL, NULL));
  rp_ui_test_spin (300);
  rp_ui_test_save_screenshot (GTK_WIDGET (f->window), "invitation-bar.png");

  /* Pressing Accept sends the REPLY through Postfix to the organiser. */
  accept = find_descendant (GTK_WIDGET (f->bar), GTK_TYPE_BUTTON, "_Accept");
  g_assert_nonnull (accept);
  g_assert_true (gtk_widget_get_sensitive (accept));
  g_signal_emit_by_name (accept, "clicked");
  g_assert_true (_rp_invitation_bar_get_busy (f->bar));
  WAIT_FOR (!_rp_invitation_bar_get_busy (f->bar));
  g_test_message ("status: %s", _rp_invitation_bar_get_status_text (f->bar));
  g_assert_cmpstr (_rp_invitation_bar_get_status_text (f->bar), ==,
                   "You have accepted. Your answer was sent to Olga Organiser.");
  rp_ui_test_spin (300);
  rp_ui_test_save_screenshot (GTK_WIDGET (f->window), "invitation-bar-accepted.png");

  replies = expect_deliveries (f->organiser_user, 1);
  reply_text = g_ptr_array_index (replies, 0);
  reply_bytes = g_bytes_new (reply_text, strlen (reply_text));
  reply = rp_invitation_parse_message (reply_bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpint (reply->method, ==, RP_ITIP_METHOD_REPLY);
  g_assert_cmpstr (reply->uid, ==, UID);
  g_assert_cmpuint (reply->attendees->len, ==, 1);
  g_assert_cmpint (((RpInvitationPerson *) g_ptr_array_index (reply->attendees, 0))->partstat, ==,
                   RP_PARTSTAT_ACCEPTED);

  event = rp_crm_find_event_by_uid (f->store, UID, &error);
  g_assert_no_error (error);
  g_assert_nonnull (event);
  g_assert_cmpstr (event->partstat, ==, "ACCEPTED");
  g_assert_cmpuint (event->record_ids->len, ==, 1);
  g_assert_cmpint (g_array_index (event->record_ids, gint64, 0), ==, record->id);

  /* Shown again later, the bar remembers the answer. */
  rp_message_view_set_message (f->view, plain_id);
  WAIT_FOR (!gtk_widget_get_visible (GTK_WIDGET (f->bar)));
  rp_message_view_set_message (f->view, request_id);
  WAIT_FOR (bar_loaded (f));
  g_assert_cmpstr (_rp_invitation_bar_get_status_text (f->bar), ==, "You have accepted.");

  /* The organiser's CANCEL, shown: the event is cancelled, no buttons. */
  cancel_id = add_invitation (f, "CANCEL", 1);
  rp_message_view_set_message (f->view, cancel_id);
  WAIT_FOR (bar_loaded (f));
  g_assert_cmpint (_rp_invitation_bar_get_status (f->bar), ==, RP_INVITATION_STATUS_CANCELLED);
  g_assert_cmpstr (_rp_invitation_bar_get_status_text (f->bar), ==,
                   "This event was cancelled by its organizer.");
  g_assert_false (_rp_invitation_bar_get_can_respond (f->bar));
  g_clear_pointer (&event, rp_crm_event_free);
  event = rp_crm_find_event_by_uid (f->store, UID, &error);
  g_assert_true (event->cancelled);
  rp_ui_test_spin (300);
  rp_ui_test_save_screenshot (GTK_WIDGET (f->window), "invitation-bar-cancelled.png");

  /* The original invitation now says so too. */
  rp_message_view_set_message (f->view, request_id);
  WAIT_FOR (bar_loaded (f) && _rp_invitation_bar_get_status (f->bar) != RP_INVITATION_STATUS_NEW);
  g_assert_cmpint (_rp_invitation_bar_get_status (f->bar), ==, RP_INVITATION_STATUS_CANCELLED);
  g_assert_cmpstr (_rp_invitation_bar_get_status_text (f->bar), ==,
                   "This event was cancelled by its organizer.");
  g_assert_false (_rp_invitation_bar_get_can_respond (f->bar));

  bar_teardown (f);
}

/* The SMTP server cannot be reached: the answer is saved, the REPLY waits
 * in the Outbox, and the bar says so with what to expect. */
static void
test_send_failure (void)
{
  BarFixture fixture = { 0 };
  BarFixture *f = &fixture;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(RpCrmEvent) event = NULL;
  GtkWidget *decline;
  GtkWidget *status_label;
  const char *text;
  gint64 request_id;

  bar_setup (f, closed_port ());
  request_id = add_invitation (f, "REQUEST", 0);
  rp_message_view_set_message (f->view, request_id);
  WAIT_FOR (bar_loaded (f));

  decline = find_descendant (GTK_WIDGET (f->bar), GTK_TYPE_BUTTON, "_Decline");
  g_assert_nonnull (decline);
  g_signal_emit_by_name (decline, "clicked");
  WAIT_FOR (!_rp_invitation_bar_get_busy (f->bar));

  text = _rp_invitation_bar_get_status_text (f->bar);
  g_test_message ("status: %s", text);
  g_assert_true (g_str_has_prefix (text, "Your answer is saved, but the reply to the organizer "
                                         "waits in the Outbox: "));
  g_assert_nonnull (strstr (text, "\nThe Outbox tries again later; you need not answer again."));
  status_label = find_descendant (GTK_WIDGET (f->bar), GTK_TYPE_LABEL, NULL);
  g_assert_nonnull (status_label);
  rp_ui_test_spin (300);
  rp_ui_test_save_screenshot (GTK_WIDGET (f->window), "invitation-bar-send-failure.png");

  event = rp_crm_find_event_by_uid (f->store, UID, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (event->partstat, ==, "DECLINED");
  outbox = rp_outbox_list (f->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 1);
  g_assert_true (g_str_has_prefix (((RpOutboxEntry *) g_ptr_array_index (outbox, 0))->subject,
                                   "Declined: Jahresplanung 2027"));

  bar_teardown (f);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  rp_ui_test_init (&argc, &argv);
  /* The isolated XDG_DATA_DIRS are empty, but GTK needs the MIME database
   * and the icon themes for the bar's calendar icon. */
  send_fixture_start_servers ();

  g_test_add_func ("/ui/invitation-bar/accept", test_accept);
  g_test_add_func ("/ui/invitation-bar/send-failure", test_send_failure);

  status = g_test_run ();

  send_fixture_stop_servers ();
  return status;
}
