/* test-invitation.c: a calendar invitation's round trip through a real
 * Postfix and a real Dovecot
 *
 * The organiser (a second store, as another person's client would be)
 * sends an iMIP REQUEST through Postfix; we fetch it from Dovecot over
 * POP3 and accept it; the REPLY arrives in the organiser's maildir and is
 * a valid iTIP REPLY. The event is in our calendar, on the organiser's
 * CRM record; a later REQUEST with a higher SEQUENCE moves it and a
 * CANCEL marks it cancelled, both applied as they are fetched.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libical/ical.h>

#include "rp-crm.h"
#include "rp-invitation.h"
#include "send-fixture.h"

#define UID "round-trip-7f3a@organiser.example"

typedef struct
{
  RpStore   *store;
  RpAccount *account;
  char      *user;
  char      *address;
} Organiser;

/* Auxiliary methods */

static gint64
utc (int year, int month, int day, int hour, int minute)
{
  g_autoptr(GDateTime) time = g_date_time_new_utc (year, month, day, hour, minute, 0);

  return g_date_time_to_unix (time);
}

static void
organiser_setup (Organiser *o,
                 Fixture   *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = rp_test_make_tmpdir ("organiser");
  g_autofree char *path = g_build_filename (dir, "organiser.db", NULL);
  g_autofree char *password = NULL;
  g_autofree char *key = NULL;
  RpIdentity *identity;

  o->user = new_user ("olga");
  o->address = address_of (o->user);
  password = g_strconcat (o->user, "-secret", NULL);

  /* Another person's client: its own database. */
  o->store = rp_store_open_sync (path, NULL, &error);
  g_assert_no_error (error);
  o->account = rp_account_new ("organiser");
  g_free (o->account->email);
  o->account->email = g_strdup (o->address);
  g_free (o->account->smtp_host);
  o->account->smtp_host = g_strdup ("localhost");
  o->account->smtp_port = rp_test_smtpd_get_submission_port (smtpd);
  o->account->smtp_security = RP_SECURITY_STARTTLS;
  g_free (o->account->smtp_user);
  o->account->smtp_user = g_strdup (o->address);
  o->account->ca_file = g_strdup (rp_test_ca_get_ca_file (ca));
  identity = rp_identity_new (o->address);
  identity->is_default = TRUE;
  g_ptr_array_add (o->account->identities, identity);
  g_assert_true (rp_store_save_account (o->store, o->account, &error));
  g_assert_no_error (error);

  key = rp_account_dup_secret_key (o->account, NULL);
  g_assert_true (rp_secrets_store_sync (f->secrets, "smtp", key, password, NULL, &error));
  g_assert_no_error (error);
}

static void
organiser_teardown (Organiser *o)
{
  /* The store's change notifications hold it until they are dispatched. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (o->store);
  rp_account_free (o->account);
  g_free (o->user);
  g_free (o->address);
}

/* The organiser's client sends an iMIP REQUEST or CANCEL (RFC 6047:
 * text and calendar as alternatives) through Postfix. */
static void
organiser_send (Organiser  *o,
                Fixture    *f,
                const char *method,
                int         sequence,
                const char *dtstart,
                const char *dtend)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) ics = g_string_new (NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) bcc = g_ptr_array_new ();
  g_autofree char *message = NULL;
  g_autofree char *message_id = g_strdup_printf ("<%s-%d@organiser.example>", method, sequence);
  const char *recipients[] = { f->address, NULL };
  RpOutboxFlushStats stats;
  gint64 id;

  g_string_append_printf (ics,
                          "BEGIN:VCALENDAR\r\n"
                          "PRODID:-//Organiser//Test//EN\r\n"
                          "VERSION:2.0\r\n"
                          "METHOD:%s\r\n"
                          "BEGIN:VEVENT\r\n"
                          "UID:" UID "\r\n"
                          "SEQUENCE:%d\r\n"
                          "DTSTAMP:20261120T080000Z\r\n"
                          "DTSTART;TZID=Europe/Berlin:%s\r\n"
                          "DTEND;TZID=Europe/Berlin:%s\r\n"
                          "SUMMARY:Vertragsgespräch\r\n"
                          "LOCATION:Room 4\r\n"
                          "ORGANIZER;CN=Olga Organiser:mailto:%s\r\n"
                          "ATTENDEE;PARTSTAT=ACCEPTED;CN=Olga Organiser:mailto:%s\r\n"
                          "ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Sender Person:mailto:%s\r\n"
                          "ATTENDEE;PARTSTAT=NEEDS-ACTION;CN=Bob:mailto:bob@example.net\r\n"
                          "%s"
                          "END:VEVENT\r\n"
                          "END:VCALENDAR\r\n",
                          method, sequence, dtstart, dtend, o->address, o->address, f->address,
                          g_str_equal (method, "CANCEL") ? "STATUS:CANCELLED\r\n" : "");

  message = g_strdup_printf ("From: Olga Organiser <%s>\r\n"
                             "To: <%s>\r\n"
                             "Subject: Invitation: Vertragsgespräch\r\n"
                             "Date: Fri, 20 Nov 2026 08:00:00 +0000\r\n"
                             "Message-ID: %s\r\n"
                             "MIME-Version: 1.0\r\n"
                             "Content-Type: multipart/alternative; boundary=\"alt\"\r\n"
                             "\r\n"
                             "--alt\r\n"
                             "Content-Type: text/plain; charset=utf-8\r\n"
                             "Content-Transfer-Encoding: 8bit\r\n"
                             "\r\n"
                             "You are invited.\r\n"
                             "--alt\r\n"
                             "Content-Type: text/calendar; charset=utf-8; method=%s\r\n"
                             "Content-Transfer-Encoding: 8bit\r\n"
                             "\r\n"
                             "%s"
                             "--alt--\r\n",
                             o->address, f->address, message_id, method, ics->str);
  bytes = g_bytes_new (message, strlen (message));

  id = rp_outbox_queue_bytes_sync (o->store, o->account,
                                   rp_account_get_default_identity (o->account), bytes,
                                   o->address, recipients, bcc, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (rp_outbox_flush_sync (o->store, f->secrets, id, RP_OUTBOX_FLUSH_NOW, &stats,
                                       NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.sent, ==, 1);
}

/* Fetches our account; returns the id of the one new message. */
static gint64
fetch_one (Fixture *f,
           guint    expected_total)
{
  g_autoptr(RpFetcher) fetcher = rp_fetcher_new (f->store, f->secrets);
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  RpFetchStats stats;

  g_assert_true (rp_test_smtpd_wait_for_delivery (smtpd, f->user, expected_total,
                                                  DELIVERY_TIMEOUT_MS));
  rp_fetcher_set_timeout (fetcher, 10);
  g_assert_true (rp_fetcher_fetch_sync (fetcher, "work", &stats, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.new_messages, ==, 1);

  sql = g_strdup_printf ("SELECT max(id) FROM message WHERE account_id = %" G_GINT64_FORMAT
                         " AND folder_id = %" G_GINT64_FORMAT,
                         f->account->id,
                         rp_store_get_special_folder (f->store, f->account->id, RP_FOLDER_ROLE_INBOX));
  return query_int (f, sql);
}

static RpCrmEvent *
find_event (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  RpCrmEvent *event = rp_crm_find_event_by_uid (f->store, UID, &error);

  g_assert_no_error (error);
  return event;
}

static gint64
add_record (Fixture    *f,
            const char *name,
            const char *address)
{
  g_autoptr(RpCrmRecord) record = rp_crm_record_new ();
  g_autoptr(GError) error = NULL;
  gint64 id;

  record->name = g_strdup (name);
  g_strfreev (record->emails);
  record->emails = g_new0 (char *, 2);
  record->emails[0] = g_strdup (address);
  id = rp_crm_add_record (f->store, record, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

static gboolean
has_record (const RpCrmEvent *event,
            gint64            record_id)
{
  for (guint i = 0; event->record_ids != NULL && i < event->record_ids->len; i++)
    if (g_array_index (event->record_ids, gint64, i) == record_id)
      return TRUE;

  return FALSE;
}

/* The REPLY in the organiser's maildir, checked with libical itself. */
static void
check_reply (const char *raw,
             const char *attendee)
{
  g_autoptr(GBytes) bytes = g_bytes_new (raw, strlen (raw));
  g_autoptr(GError) error = NULL;
  g_autoptr(RpInvitation) reply = rp_invitation_parse_message (bytes, &error);
  g_autofree char *mailto = g_strconcat ("mailto:", attendee, NULL);
  icalcomponent *calendar;
  icalcomponent *event;
  icalproperty *prop;
  guint attendees = 0;
  g_autoptr(RpMessageSummary) summary = rp_message_summary_parse (bytes, 0);

  g_assert_no_error (error);
  g_assert_cmpstr (summary->subject, ==, "Accepted: Vertragsgespräch");
  g_assert_cmpstr (summary->in_reply_to, ==, "REQUEST-0@organiser.example");
  g_assert_cmpstr (summary->from->address, ==, attendee);
  g_assert_nonnull (strstr (raw, "Content-Type: text/calendar; method=REPLY; charset=UTF-8"));

  calendar = icalparser_parse_string (reply->ics);
  g_assert_nonnull (calendar);
  g_assert_cmpint (icalcomponent_get_method (calendar), ==, ICAL_METHOD_REPLY);
  g_assert_cmpint (icalcomponent_count_errors (calendar), ==, 0);
  event = icalcomponent_get_first_component (calendar, ICAL_VEVENT_COMPONENT);
  g_assert_nonnull (event);
  g_assert_cmpstr (icalcomponent_get_uid (event), ==, UID);
  g_assert_cmpint (icalcomponent_get_sequence (event), ==, 0);
  g_assert_nonnull (icalcomponent_get_first_property (event, ICAL_DTSTAMP_PROPERTY));
  g_assert_nonnull (icalcomponent_get_first_property (event, ICAL_ORGANIZER_PROPERTY));
  for (prop = icalcomponent_get_first_property (event, ICAL_ATTENDEE_PROPERTY);
       prop != NULL;
       prop = icalcomponent_get_next_property (event, ICAL_ATTENDEE_PROPERTY))
    {
      icalparameter *param = icalproperty_get_first_parameter (prop, ICAL_PARTSTAT_PARAMETER);

      attendees++;
      g_assert_cmpstr (icalproperty_get_attendee (prop), ==, mailto);
      g_assert_nonnull (param);
      g_assert_cmpint (icalparameter_get_partstat (param), ==, ICAL_PARTSTAT_ACCEPTED);
    }
  g_assert_cmpuint (attendees, ==, 1);
  icalcomponent_free (calendar);

  g_assert_cmpint (reply->method, ==, RP_ITIP_METHOD_REPLY);
  g_assert_cmpint (reply->start, ==, utc (2026, 12, 4, 9, 0));
}

/* Tests */

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  Organiser o = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(RpInvitation) invitation = NULL;
  g_autoptr(RpCrmEvent) event = NULL;
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GPtrArray) organiser_events = NULL;
  gint64 request_id;
  gint64 olga_record;
  gint64 bob_record;
  RpInvitationStatus status;
  RpPartstat partstat;

  organiser_setup (&o, f);
  olga_record = add_record (f, "Olga Organiser", o.address);
  bob_record = add_record (f, "Bob", "bob@example.net");

  /* The REQUEST, through Postfix into our Dovecot mailbox, fetched. */
  organiser_send (&o, f, "REQUEST", 0, "20261204T100000", "20261204T113000");
  request_id = fetch_one (f, 1);
  g_assert_cmpint (request_id, >, 0);
  raw = rp_store_get_raw (f->store, request_id, &error);
  g_assert_no_error (error);
  invitation = rp_invitation_parse_message (raw, &error);
  g_assert_no_error (error);
  invitation->stored_id = request_id;
  g_assert_cmpint (invitation->method, ==, RP_ITIP_METHOD_REQUEST);
  g_assert_cmpstr (invitation->summary, ==, "Vertragsgespräch");
  g_assert_cmpint (invitation->start, ==, utc (2026, 12, 4, 9, 0));
  g_assert_nonnull (rp_invitation_find_own_attendee (invitation, f->account));

  /* Not answered yet: not in the calendar. */
  g_assert_null (find_event (f));
  g_assert_true (rp_invitation_apply_sync (f->store, invitation, &status, &partstat, NULL, &error));
  g_assert_cmpint (status, ==, RP_INVITATION_STATUS_NEW);

  /* Accept: the REPLY goes through Postfix to the organiser. */
  g_assert_true (rp_invitation_respond_sync (f->store, f->secrets, f->account, NULL, invitation,
                                             RP_PARTSTAT_ACCEPTED, NULL, &error));
  g_assert_no_error (error);
  replies = expect_deliveries (o.user, 1);
  check_reply (g_ptr_array_index (replies, 0), f->address);
  g_assert_cmpuint (count_outbox_rows (f), ==, 0);
  g_assert_cmpuint (count_folder (f, RP_FOLDER_ROLE_SENT), ==, 1);

  /* The event is in the calendar, on the organiser's record and Bob's. */
  event = find_event (f);
  g_assert_nonnull (event);
  g_assert_cmpstr (event->title, ==, "Vertragsgespräch");
  g_assert_cmpstr (event->partstat, ==, "ACCEPTED");
  g_assert_cmpint (event->start, ==, utc (2026, 12, 4, 9, 0));
  g_assert_cmpint (event->end, ==, utc (2026, 12, 4, 10, 30));
  g_assert_cmpstr (event->location, ==, "Room 4");
  g_assert_cmpint (event->sequence, ==, 0);
  g_assert_cmpint (event->message_id, ==, request_id);
  g_assert_false (event->cancelled);
  g_assert_true (has_record (event, olga_record));
  g_assert_true (has_record (event, bob_record));
  g_assert_true (g_strv_contains ((const char * const *) event->attendees, f->address));
  organiser_events = rp_crm_list_events (f->store, olga_record, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (organiser_events->len, ==, 1);
  g_assert_cmpstr (((RpCrmEvent *) g_ptr_array_index (organiser_events, 0))->uid, ==, UID);
  g_assert_true (rp_invitation_apply_sync (f->store, invitation, &status, &partstat, NULL, &error));
  g_assert_cmpint (status, ==, RP_INVITATION_STATUS_CURRENT);
  g_assert_cmpint (partstat, ==, RP_PARTSTAT_ACCEPTED);

  /* A new time (SEQUENCE 1), applied as it is fetched. */
  organiser_send (&o, f, "REQUEST", 1, "20261207T150000", "20261207T160000");
  fetch_one (f, 2);
  g_clear_pointer (&event, rp_crm_event_free);
  event = find_event (f);
  g_assert_cmpint (event->sequence, ==, 1);
  g_assert_cmpint (event->start, ==, utc (2026, 12, 7, 14, 0));
  g_assert_cmpint (event->end, ==, utc (2026, 12, 7, 15, 0));
  g_assert_cmpstr (event->partstat, ==, "NEEDS-ACTION");
  g_assert_false (event->cancelled);
  /* The first invitation is out of date now. */
  g_assert_true (rp_invitation_apply_sync (f->store, invitation, &status, NULL, NULL, &error));
  g_assert_cmpint (status, ==, RP_INVITATION_STATUS_OUTDATED);

  /* The CANCEL, fetched later, marks it cancelled. */
  organiser_send (&o, f, "CANCEL", 2, "20261207T150000", "20261207T160000");
  fetch_one (f, 3);
  g_clear_pointer (&event, rp_crm_event_free);
  event = find_event (f);
  g_assert_true (event->cancelled);
  g_assert_cmpint (event->sequence, ==, 2);
  g_assert_cmpint (event->start, ==, utc (2026, 12, 7, 14, 0));

  /* Nothing more reached the organiser. */
  g_clear_pointer (&replies, g_ptr_array_unref);
  replies = expect_deliveries (o.user, 1);

  organiser_teardown (&o);
}

int
main (int    argc,
      char **argv)
{
  int status;

  rp_test_init (&argc, &argv);
  send_fixture_start_servers ();

  g_test_add ("/integration/invitation/round-trip", Fixture, NULL, fixture_setup, test_round_trip,
              fixture_teardown);

  status = g_test_run ();

  send_fixture_stop_servers ();
  return status;
}
