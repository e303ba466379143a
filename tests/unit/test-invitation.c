/* test-invitation.c: reading iTIP invitations, writing REPLYs, and what
 * CANCELs and new versions do to the calendar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gmime/gmime.h>
#include <libical/ical.h>
#include <string.h>

#include "rp-core.h"
#include "rp-crm.h"
#include "rp-error.h"
#include "rp-invitation.h"
#include "rp-test-util.h"

/* Google Calendar's shape: a TZID that names an IANA zone, no VTIMEZONE. */
#define GOOGLE_REQUEST \
  "BEGIN:VCALENDAR\r\n" \
  "PRODID:-//Google Inc//Google Calendar 70.9054//EN\r\n" \
  "VERSION:2.0\r\n" \
  "CALSCALE:GREGORIAN\r\n" \
  "METHOD:REQUEST\r\n" \
  "BEGIN:VEVENT\r\n" \
  "DTSTART;TZID=Europe/Berlin:20261204T100000\r\n" \
  "DTEND;TZID=Europe/Berlin:20261204T113000\r\n" \
  "DTSTAMP:20261120T080000Z\r\n" \
  "ORGANIZER;CN=Olga Organiser:mailto:olga@example.org\r\n" \
  "UID:4b1c2a7e-0001@google.com\r\n" \
  "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=\r\n" \
  " TRUE;CN=Me Myself;X-NUM-GUESTS=0:mailto:ME@Work.Example\r\n" \
  "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=TRUE\r\n" \
  " ;CN=Olga Organiser;X-NUM-GUESTS=0:mailto:olga@example.org\r\n" \
  "ATTENDEE;PARTSTAT=TENTATIVE;CN=\"Bob, the Builder\":mailto:bob@example.net\r\n" \
  "SEQUENCE:2\r\n" \
  "SUMMARY:Quarterly review – Q4\r\n" \
  "LOCATION:Room 4.2\\, Berlin\r\n" \
  "DESCRIPTION:Numbers\\nand plans\r\n" \
  "STATUS:CONFIRMED\r\n" \
  "END:VEVENT\r\n" \
  "END:VCALENDAR\r\n"

/* Outlook's shape: a Windows zone name, defined by a VTIMEZONE. */
#define OUTLOOK_REQUEST \
  "BEGIN:VCALENDAR\r\n" \
  "METHOD:REQUEST\r\n" \
  "PRODID:Microsoft Exchange Server 2010\r\n" \
  "VERSION:2.0\r\n" \
  "BEGIN:VTIMEZONE\r\n" \
  "TZID:W. Europe Standard Time\r\n" \
  "BEGIN:STANDARD\r\n" \
  "DTSTART:16010101T030000\r\n" \
  "TZOFFSETFROM:+0200\r\n" \
  "TZOFFSETTO:+0100\r\n" \
  "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\r\n" \
  "END:STANDARD\r\n" \
  "BEGIN:DAYLIGHT\r\n" \
  "DTSTART:16010101T020000\r\n" \
  "TZOFFSETFROM:+0100\r\n" \
  "TZOFFSETTO:+0200\r\n" \
  "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\r\n" \
  "END:DAYLIGHT\r\n" \
  "END:VTIMEZONE\r\n" \
  "BEGIN:VTIMEZONE\r\n" \
  "TZID:Unused Zone\r\n" \
  "BEGIN:STANDARD\r\n" \
  "DTSTART:16010101T000000\r\n" \
  "TZOFFSETFROM:+0500\r\n" \
  "TZOFFSETTO:+0500\r\n" \
  "END:STANDARD\r\n" \
  "END:VTIMEZONE\r\n" \
  "BEGIN:VEVENT\r\n" \
  "ORGANIZER;CN=Olga Organiser:mailto:olga@example.org\r\n" \
  "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Me:mailto:m\r\n" \
  " e@work.example\r\n" \
  "SUMMARY;LANGUAGE=de-DE:Sommerfest\r\n" \
  "DTSTART;TZID=W. Europe Standard Time:20260701T100000\r\n" \
  "DTEND;TZID=W. Europe Standard Time:20260701T120000\r\n" \
  "UID:040000008200E00074C5B7101A82E00800000000\r\n" \
  "DTSTAMP:20260601T120000Z\r\n" \
  "SEQUENCE:0\r\n" \
  "LOCATION;LANGUAGE=de-DE:Garten\r\n" \
  "END:VEVENT\r\n" \
  "END:VCALENDAR\r\n"

#define ALL_DAY_REQUEST \
  "BEGIN:VCALENDAR\r\n" \
  "VERSION:2.0\r\n" \
  "METHOD:REQUEST\r\n" \
  "BEGIN:VEVENT\r\n" \
  "UID:all-day-1@example.org\r\n" \
  "DTSTAMP:20261101T000000Z\r\n" \
  "DTSTART;VALUE=DATE:20261224\r\n" \
  "SUMMARY:Holiday\r\n" \
  "ORGANIZER:mailto:olga@example.org\r\n" \
  "ATTENDEE:mailto:me@work.example\r\n" \
  "END:VEVENT\r\n" \
  "END:VCALENDAR\r\n"

#define CANCEL_TEXT \
  "BEGIN:VCALENDAR\r\n" \
  "VERSION:2.0\r\n" \
  "METHOD:CANCEL\r\n" \
  "BEGIN:VEVENT\r\n" \
  "UID:4b1c2a7e-0001@google.com\r\n" \
  "DTSTAMP:20261121T080000Z\r\n" \
  "DTSTART:20261204T090000Z\r\n" \
  "SEQUENCE:3\r\n" \
  "STATUS:CANCELLED\r\n" \
  "SUMMARY:Quarterly review – Q4\r\n" \
  "ORGANIZER:mailto:olga@example.org\r\n" \
  "ATTENDEE:mailto:me@work.example\r\n" \
  "END:VEVENT\r\n" \
  "END:VCALENDAR\r\n"

#define REPLY_TEXT \
  "BEGIN:VCALENDAR\r\n" \
  "VERSION:2.0\r\n" \
  "METHOD:REPLY\r\n" \
  "BEGIN:VEVENT\r\n" \
  "UID:ours-1@work.example\r\n" \
  "DTSTAMP:20261121T080000Z\r\n" \
  "DTSTART:20261204T090000Z\r\n" \
  "DURATION:PT45M\r\n" \
  "SEQUENCE:0\r\n" \
  "ORGANIZER:mailto:me@work.example\r\n" \
  "ATTENDEE;PARTSTAT=DECLINED:mailto:carol@example.com\r\n" \
  "END:VEVENT\r\n" \
  "END:VCALENDAR\r\n"

/* Auxiliary methods */

static gint64
utc (int year, int month, int day, int hour, int minute)
{
  g_autoptr(GDateTime) time = g_date_time_new_utc (year, month, day, hour, minute, 0);

  return g_date_time_to_unix (time);
}

static char *
replace (const char *text,
         const char *from,
         const char *to)
{
  g_auto(GStrv) parts = g_strsplit (text, from, -1);

  g_assert_cmpuint (g_strv_length (parts), >, 1);
  return g_strjoinv (to, parts);
}

static RpAccount *
make_account (void)
{
  RpAccount *account = rp_account_new ("work");
  RpIdentity *identity = rp_identity_new ("me@work.example");

  g_free (account->email);
  account->email = g_strdup ("me@work.example");
  g_free (account->display_name);
  account->display_name = g_strdup ("Me Myself");
  g_free (identity->display_name);
  identity->display_name = g_strdup ("Me Myself");
  identity->is_default = TRUE;
  g_ptr_array_add (account->identities, identity);

  return account;
}

static RpInvitation *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  RpInvitation *invitation = rp_invitation_parse (text, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (invitation);
  return invitation;
}

static GBytes *
wrap_in_message (const char *content_type,
                 const char *extra_headers,
                 const char *body)
{
  g_autofree char *text = g_strdup_printf (
    "From: Olga Organiser <olga@example.org>\r\n"
    "To: me@work.example\r\n"
    "Subject: Invitation\r\n"
    "Message-ID: <invite-1@example.org>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: %s\r\n"
    "%s"
    "\r\n"
    "%s", content_type, extra_headers, body);

  return g_bytes_new (text, strlen (text));
}

/* Tests */

static void
test_parse_google (void)
{
  g_autoptr(RpInvitation) invitation = parse_ok (GOOGLE_REQUEST);
  g_autoptr(RpAccount) account = make_account ();
  RpInvitationPerson *own;
  RpInvitationPerson *bob;

  g_assert_cmpint (invitation->method, ==, RP_ITIP_METHOD_REQUEST);
  g_assert_cmpstr (invitation->uid, ==, "4b1c2a7e-0001@google.com");
  g_assert_cmpint (invitation->sequence, ==, 2);
  g_assert_cmpstr (invitation->summary, ==, "Quarterly review – Q4");
  g_assert_cmpstr (invitation->location, ==, "Room 4.2, Berlin");
  g_assert_cmpstr (invitation->description, ==, "Numbers\nand plans");
  g_assert_cmpstr (invitation->tzid, ==, "Europe/Berlin");
  g_assert_false (invitation->all_day);
  /* December: Berlin is UTC+1. */
  g_assert_cmpint (invitation->start, ==, utc (2026, 12, 4, 9, 0));
  g_assert_cmpint (invitation->end, ==, utc (2026, 12, 4, 10, 30));

  g_assert_nonnull (invitation->organizer);
  g_assert_cmpstr (invitation->organizer->address, ==, "olga@example.org");
  g_assert_cmpstr (invitation->organizer->name, ==, "Olga Organiser");
  g_assert_cmpuint (invitation->attendees->len, ==, 3);
  bob = g_ptr_array_index (invitation->attendees, 2);
  g_assert_cmpstr (bob->name, ==, "Bob, the Builder");
  g_assert_cmpint (bob->partstat, ==, RP_PARTSTAT_TENTATIVE);

  /* The attendee is us whatever the case of the domain. */
  g_assert_null (rp_invitation_get_own_attendee (invitation));
  own = rp_invitation_find_own_attendee (invitation, account);
  g_assert_nonnull (own);
  g_assert_cmpint (invitation->own_attendee, ==, 0);
  g_assert_cmpstr (own->address, ==, "ME@work.example");
  g_assert_cmpint (own->partstat, ==, RP_PARTSTAT_NEEDS_ACTION);
  g_assert_true (own->rsvp);
  g_assert_true (rp_invitation_get_own_attendee (invitation) == own);

  /* A copy is deep and equal. */
  {
    g_autoptr(RpInvitation) copy = rp_invitation_copy (invitation);

    g_assert_cmpstr (copy->uid, ==, invitation->uid);
    g_assert_cmpint (copy->own_attendee, ==, 0);
    g_assert_true (copy->attendees != invitation->attendees);
    g_assert_cmpstr (((RpInvitationPerson *) g_ptr_array_index (copy->attendees, 2))->name, ==,
                     "Bob, the Builder");
  }
}

static void
test_parse_vtimezone (void)
{
  g_autoptr(RpInvitation) invitation = parse_ok (OUTLOOK_REQUEST);

  g_assert_cmpint (invitation->method, ==, RP_ITIP_METHOD_REQUEST);
  g_assert_cmpstr (invitation->tzid, ==, "W. Europe Standard Time");
  /* July: the VTIMEZONE's daylight rule, UTC+2. */
  g_assert_cmpint (invitation->start, ==, utc (2026, 7, 1, 8, 0));
  g_assert_cmpint (invitation->end, ==, utc (2026, 7, 1, 10, 0));
  g_assert_cmpstr (invitation->summary, ==, "Sommerfest");
  g_assert_cmpint (invitation->sequence, ==, 0);
  g_assert_cmpstr (((RpInvitationPerson *) g_ptr_array_index (invitation->attendees, 0))->address,
                   ==, "me@work.example");
}

static void
test_parse_all_day (void)
{
  g_autoptr(RpInvitation) invitation = parse_ok (ALL_DAY_REQUEST);

  /* The tests run with TZ=UTC: local midnight is UTC midnight. */
  g_assert_true (invitation->all_day);
  g_assert_cmpint (invitation->start, ==, utc (2026, 12, 24, 0, 0));
  g_assert_cmpint (invitation->end, ==, utc (2026, 12, 25, 0, 0));
  g_assert_null (invitation->tzid);
  g_assert_null (invitation->location);
  g_assert_null (invitation->organizer->name);
}

static void
test_parse_methods (void)
{
  g_autoptr(RpInvitation) cancel = parse_ok (CANCEL_TEXT);
  g_autoptr(RpInvitation) reply = parse_ok (REPLY_TEXT);

  g_assert_cmpint (cancel->method, ==, RP_ITIP_METHOD_CANCEL);
  g_assert_cmpint (cancel->sequence, ==, 3);
  g_assert_cmpint (cancel->start, ==, utc (2026, 12, 4, 9, 0));
  g_assert_cmpint (cancel->end, ==, cancel->start);

  g_assert_cmpint (reply->method, ==, RP_ITIP_METHOD_REPLY);
  g_assert_cmpint (reply->end - reply->start, ==, 45 * 60);
  g_assert_cmpint (((RpInvitationPerson *) g_ptr_array_index (reply->attendees, 0))->partstat, ==,
                   RP_PARTSTAT_DECLINED);

  g_assert_cmpstr (rp_itip_method_to_string (RP_ITIP_METHOD_DECLINECOUNTER), ==, "DECLINECOUNTER");
  g_assert_cmpint (rp_partstat_from_string ("tentative"), ==, RP_PARTSTAT_TENTATIVE);
  g_assert_cmpstr (rp_partstat_to_string (RP_PARTSTAT_NEEDS_ACTION), ==, "NEEDS-ACTION");
  g_assert_null (rp_partstat_to_string (RP_PARTSTAT_NONE));
}

static void
test_parse_message (void)
{
  g_autofree char *base64 = g_base64_encode ((const guchar *) GOOGLE_REQUEST,
                                             strlen (GOOGLE_REQUEST));
  g_autofree char *alternative = g_strdup_printf (
    "--b1\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "You are invited.\r\n"
    "--b1\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "\r\n"
    "<p>You are invited.</p>\r\n"
    "--b1\r\n"
    "Content-Type: text/calendar; charset=\"UTF-8\"; method=REQUEST\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "%s\r\n"
    "--b1--\r\n", base64);
  g_autofree char *mixed = g_strdup_printf (
    "--m1\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "See the attached file.\r\n"
    "--m1\r\n"
    "Content-Type: application/octet-stream; name=\"Invite.ICS\"\r\n"
    "Content-Disposition: attachment; filename=\"Invite.ICS\"\r\n"
    "\r\n"
    "%s"
    "--m1--\r\n", OUTLOOK_REQUEST);
  g_autofree char *forwarded = g_strdup_printf (
    "--f1\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "Forwarded.\r\n"
    "--f1\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "Subject: inner\r\n"
    "Content-Type: text/calendar; method=REQUEST\r\n"
    "\r\n"
    "%s"
    "--f1--\r\n", GOOGLE_REQUEST);
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(RpInvitation) invitation = NULL;
  g_autoptr(GError) error = NULL;

  /* One side of a multipart/alternative, base64. */
  raw = wrap_in_message ("multipart/alternative; boundary=\"b1\"", "", alternative);
  invitation = rp_invitation_parse_message (raw, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (invitation->uid, ==, "4b1c2a7e-0001@google.com");
  g_assert_cmpstr (invitation->message_id, ==, "invite-1@example.org");
  g_assert_cmpstr (invitation->summary, ==, "Quarterly review – Q4");
  g_clear_pointer (&invitation, rp_invitation_free);
  g_clear_pointer (&raw, g_bytes_unref);

  /* An attached .ics file, whatever its MIME type says. */
  raw = wrap_in_message ("multipart/mixed; boundary=\"m1\"", "", mixed);
  invitation = rp_invitation_parse_message (raw, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (invitation->summary, ==, "Sommerfest");
  g_clear_pointer (&invitation, rp_invitation_free);
  g_clear_pointer (&raw, g_bytes_unref);

  /* The body itself, quoted-printable. */
  raw = wrap_in_message ("text/calendar; method=CANCEL; charset=utf-8",
                         "Content-Transfer-Encoding: quoted-printable\r\n",
                         "BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nBEGIN:VEVENT\r\nUID:q=\r\np@x\r\n"
                         "DTSTART:20261204T090000Z\r\nSUMMARY:Gr=C3=BC=C3=9Fe\r\n"
                         "END:VEVENT\r\nEND:VCALENDAR\r\n");
  invitation = rp_invitation_parse_message (raw, &error);
  g_assert_no_error (error);
  g_assert_cmpint (invitation->method, ==, RP_ITIP_METHOD_CANCEL);
  g_assert_cmpstr (invitation->uid, ==, "qp@x");
  g_assert_cmpstr (invitation->summary, ==, "Grüße");
  g_clear_pointer (&invitation, rp_invitation_free);
  g_clear_pointer (&raw, g_bytes_unref);

  /* A forwarded message's invitation is not ours; no calendar at all is a
   * clear error. */
  raw = wrap_in_message ("multipart/mixed; boundary=\"f1\"", "", forwarded);
  invitation = rp_invitation_parse_message (raw, &error);
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  g_assert_null (invitation);
  g_assert_nonnull (strstr (error->message, "no calendar part"));
  g_clear_error (&error);
  g_clear_pointer (&raw, g_bytes_unref);

  /* A broken calendar part says why. */
  raw = wrap_in_message ("text/calendar", "", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
  invitation = rp_invitation_parse_message (raw, &error);
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "no event"));
}

static void
test_malformed (void)
{
  static const char *inputs[] = {
    "",
    "garbage",
    "BEGIN:",
    "BEGIN:VCALENDAR",
    "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
    "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20260101T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20261345T250000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:nonsense\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART;VALUE=DATE:00000000\r\nEND:VEVENT\r\n",
    "BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nUID:x\r\nEND:VTODO\r\nEND:VCALENDAR\r\n",
    "BEGIN:VEVENT\r\nUID:\r\nDTSTART:20260101T100000Z\r\nEND:VEVENT\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RpInvitation) invitation = rp_invitation_parse (inputs[i], -1, &error);

      g_test_message ("input %u: %s", i, error != NULL ? error->message : "(parsed)");
      g_assert_null (invitation);
      g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
      g_assert_true (g_str_has_prefix (error->message, "The invitation cannot be read: "));
    }

  /* Bytes that are not UTF-8, a NUL in the middle, a huge input. */
  {
    static const char binary[] = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:\xff\xfe\r\n"
                                 "DTSTART:20260101T100000Z\r\nSUMMARY:\xc3\x28\r\n"
                                 "END:VEVENT\r\nEND:VCALENDAR\r\n\0BEGIN:VEVENT\r\n";
    g_autoptr(GError) error = NULL;
    g_autoptr(RpInvitation) invitation = rp_invitation_parse (binary, sizeof binary - 1, &error);
    g_autofree char *huge = g_malloc0 (2 * 1024 * 1024);

    g_assert_no_error (error);
    g_assert_true (g_utf8_validate (invitation->uid, -1, NULL));
    g_assert_true (g_utf8_validate (invitation->summary, -1, NULL));

    memset (huge, 'A', 2 * 1024 * 1024 - 1);
    g_assert_null (rp_invitation_parse (huge, -1, &error));
    g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  }

  /* An unknown zone reads as local time rather than failing; a file path
   * as a TZID reaches neither the zone files nor an error. */
  {
    g_autoptr(RpInvitation) invitation = parse_ok (
      "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART;TZID=Mars/Olympus:20260101T100000\r\n"
      "END:VEVENT\r\nEND:VCALENDAR\r\n");

    g_assert_cmpint (invitation->start, ==, utc (2026, 1, 1, 10, 0));
    g_assert_cmpstr (invitation->tzid, ==, "Mars/Olympus");
    g_assert_cmpint (invitation->method, ==, RP_ITIP_METHOD_UNKNOWN);
  }
  {
    /* libical drops the unreadable DTEND: the event ends when it starts. */
    g_autoptr(RpInvitation) invitation = parse_ok (
      "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART;TZID=../../../etc/passwd:20260101T100000\r\n"
      "DTEND:xyz\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");

    g_assert_cmpint (invitation->start, ==, utc (2026, 1, 1, 10, 0));
    g_assert_cmpint (invitation->end, ==, invitation->start);
  }
}

/* The REPLY, parsed back with libical itself. */
static void
test_build_reply (void)
{
  g_autoptr(RpInvitation) invitation = parse_ok (OUTLOOK_REQUEST);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  icalcomponent *calendar;
  icalcomponent *event;
  icalcomponent *zone;
  icalproperty *prop;
  icalparameter *param;
  gint64 now = utc (2026, 6, 2, 7, 30);
  guint attendees = 0;

  text = rp_invitation_build_reply (invitation, "me@work.example", "Me \"Quoted\" Myself",
                                    RP_PARTSTAT_ACCEPTED, now, &error);
  g_assert_no_error (error);

  /* CRLF only. */
  for (const char *p = text; *p != '\0'; p++)
    if (*p == '\n')
      g_assert_true (p > text && p[-1] == '\r');

  calendar = icalparser_parse_string (text);
  g_assert_nonnull (calendar);
  g_assert_cmpint (icalcomponent_isa (calendar), ==, ICAL_VCALENDAR_COMPONENT);
  g_assert_cmpint (icalcomponent_get_method (calendar), ==, ICAL_METHOD_REPLY);
  g_assert_cmpint (icalcomponent_count_components (calendar, ICAL_VEVENT_COMPONENT), ==, 1);
  g_assert_cmpint (icalcomponent_count_errors (calendar), ==, 0);

  /* Only the zone the event uses travels back. */
  g_assert_cmpint (icalcomponent_count_components (calendar, ICAL_VTIMEZONE_COMPONENT), ==, 1);
  zone = icalcomponent_get_first_component (calendar, ICAL_VTIMEZONE_COMPONENT);
  g_assert_cmpstr (icalproperty_get_tzid (icalcomponent_get_first_property (zone, ICAL_TZID_PROPERTY)),
                   ==, "W. Europe Standard Time");

  event = icalcomponent_get_first_component (calendar, ICAL_VEVENT_COMPONENT);
  g_assert_cmpstr (icalcomponent_get_uid (event), ==, "040000008200E00074C5B7101A82E00800000000");
  g_assert_nonnull (icalcomponent_get_first_property (event, ICAL_SEQUENCE_PROPERTY));
  g_assert_cmpint (icalcomponent_get_sequence (event), ==, 0);
  g_assert_cmpstr (icalproperty_get_organizer (icalcomponent_get_first_property (event, ICAL_ORGANIZER_PROPERTY)),
                   ==, "mailto:olga@example.org");
  prop = icalcomponent_get_first_property (event, ICAL_DTSTAMP_PROPERTY);
  g_assert_nonnull (prop);
  g_assert_cmpint (icaltime_as_timet (icalproperty_get_dtstamp (prop)), ==, now);
  g_assert_true (icaltime_is_utc (icalproperty_get_dtstamp (prop)));
  prop = icalcomponent_get_first_property (event, ICAL_DTSTART_PROPERTY);
  g_assert_nonnull (icalproperty_get_first_parameter (prop, ICAL_TZID_PARAMETER));

  for (prop = icalcomponent_get_first_property (event, ICAL_ATTENDEE_PROPERTY);
       prop != NULL;
       prop = icalcomponent_get_next_property (event, ICAL_ATTENDEE_PROPERTY))
    {
      attendees++;
      g_assert_cmpstr (icalproperty_get_attendee (prop), ==, "mailto:me@work.example");
      param = icalproperty_get_first_parameter (prop, ICAL_PARTSTAT_PARAMETER);
      g_assert_nonnull (param);
      g_assert_cmpint (icalparameter_get_partstat (param), ==, ICAL_PARTSTAT_ACCEPTED);
      param = icalproperty_get_first_parameter (prop, ICAL_CN_PARAMETER);
      g_assert_cmpstr (icalparameter_get_cn (param), ==, "Me  Quoted  Myself");
    }
  g_assert_cmpuint (attendees, ==, 1);
  icalcomponent_free (calendar);

  /* Our own parser reads it as the same event. */
  {
    g_autoptr(RpInvitation) back = parse_ok (text);

    g_assert_cmpint (back->method, ==, RP_ITIP_METHOD_REPLY);
    g_assert_cmpint (back->start, ==, invitation->start);
    g_assert_cmpint (back->end, ==, invitation->end);
    g_assert_cmpstr (back->summary, ==, "Sommerfest");
  }

  /* Only real answers, and only to an organiser. */
  g_assert_null (rp_invitation_build_reply (invitation, "me@work.example", NULL,
                                            RP_PARTSTAT_NEEDS_ACTION, now, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_clear_pointer (&invitation->organizer, rp_invitation_person_free);
  g_assert_null (rp_invitation_build_reply (invitation, "me@work.example", NULL,
                                            RP_PARTSTAT_DECLINED, now, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
}

/* The iMIP message: multipart/alternative, method=REPLY, the subject. */
static void
test_reply_message (void)
{
  g_autoptr(RpInvitation) invitation = NULL;
  g_autoptr(RpInvitation) back = NULL;
  g_autoptr(RpAccount) account = make_account ();
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GBytes) message_bytes = NULL;
  g_autoptr(RpMessageSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GMimeStream *stream;
  GMimeParser *parser;
  GMimeMessage *message;
  GMimeObject *body;
  GMimeObject *calendar_part;
  GMimeContentType *type;

  raw = wrap_in_message ("text/calendar; method=REQUEST", "", GOOGLE_REQUEST);
  invitation = rp_invitation_parse_message (raw, &error);
  g_assert_no_error (error);
  rp_invitation_find_own_attendee (invitation, account);

  message_bytes = rp_invitation_build_reply_message (invitation, account, NULL,
                                                     RP_PARTSTAT_TENTATIVE, &error);
  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (message_bytes, NULL), g_bytes_get_size (message_bytes));
  g_test_message ("%s", text);

  summary = rp_message_summary_parse (message_bytes, 0);
  g_assert_cmpstr (summary->subject, ==, "Tentative: Quarterly review – Q4");
  g_assert_cmpstr (((RpAddress *) g_ptr_array_index (summary->to, 0))->address, ==,
                   "olga@example.org");
  g_assert_cmpstr (summary->from->address, ==, "me@work.example");
  g_assert_cmpstr (summary->in_reply_to, ==, "invite-1@example.org");
  g_assert_true (summary->has_calendar);
  g_assert_nonnull (strstr (summary->body_text,
                            "Me Myself has tentatively accepted the invitation to “Quarterly review – Q4”."));
  g_assert_cmpuint (summary->attachments->len, ==, 0);

  g_mime_init ();
  stream = g_mime_stream_mem_new_with_buffer (g_bytes_get_data (message_bytes, NULL),
                                              g_bytes_get_size (message_bytes));
  parser = g_mime_parser_new_with_stream (stream);
  message = g_mime_parser_construct_message (parser, NULL);
  g_assert_nonnull (message);
  body = g_mime_message_get_mime_part (message);
  g_assert_true (GMIME_IS_MULTIPART (body));
  g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (body),
                                              "multipart", "alternative"));
  g_assert_cmpint (g_mime_multipart_get_count (GMIME_MULTIPART (body)), ==, 2);
  g_assert_true (g_mime_content_type_is_type (
    g_mime_object_get_content_type (g_mime_multipart_get_part (GMIME_MULTIPART (body), 0)),
    "text", "plain"));
  calendar_part = g_mime_multipart_get_part (GMIME_MULTIPART (body), 1);
  type = g_mime_object_get_content_type (calendar_part);
  g_assert_true (g_mime_content_type_is_type (type, "text", "calendar"));
  g_assert_cmpstr (g_mime_content_type_get_parameter (type, "method"), ==, "REPLY");
  g_assert_cmpstr (g_mime_content_type_get_parameter (type, "charset"), ==, "UTF-8");
  g_assert_null (g_mime_object_get_content_disposition (calendar_part));
  g_object_unref (message);
  g_object_unref (parser);
  g_object_unref (stream);

  back = rp_invitation_parse_message (message_bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpint (back->method, ==, RP_ITIP_METHOD_REPLY);
  g_assert_cmpint (back->sequence, ==, 2);
  g_assert_cmpuint (back->attendees->len, ==, 1);
  g_assert_cmpstr (((RpInvitationPerson *) g_ptr_array_index (back->attendees, 0))->address, ==,
                   "ME@work.example");
  g_assert_cmpint (((RpInvitationPerson *) g_ptr_array_index (back->attendees, 0))->partstat, ==,
                   RP_PARTSTAT_TENTATIVE);
  g_assert_cmpstr (((RpInvitationPerson *) g_ptr_array_index (back->attendees, 0))->name, ==,
                   "Me Myself");
}

/* CANCEL and new versions against the calendar, without a network. */
static void
test_apply (void)
{
  g_autoptr(RpStore) store = NULL;
  g_autoptr(RpAccount) account = make_account ();
  g_autoptr(RpInvitation) request = parse_ok (GOOGLE_REQUEST);
  g_autoptr(RpCrmEvent) event = rp_crm_event_new ();
  g_autoptr(RpCrmEvent) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *older_text = NULL;
  g_autofree char *newer_text = NULL;
  g_autofree char *forged_text = NULL;
  RpInvitationStatus status;
  RpPartstat partstat;
  const char *attendees[] = { "olga@example.org", "ME@Work.Example", NULL };

  store = rp_store_open_sync (NULL, NULL, &error);
  g_assert_no_error (error);

  /* Not in the calendar: nothing happens. */
  g_assert_true (rp_invitation_apply_sync (store, request, &status, &partstat, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, RP_INVITATION_STATUS_NEW);
  g_assert_cmpint (partstat, ==, RP_PARTSTAT_NONE);
  stored = rp_crm_find_event_by_uid (store, request->uid, &error);
  g_assert_no_error (error);
  g_assert_null (stored);

  /* As answered: sequence 2, accepted. */
  event->title = g_strdup (request->summary);
  event->start = request->start;
  event->end = request->end;
  event->uid = g_strdup (request->uid);
  event->sequence = 2;
  event->partstat = g_strdup ("ACCEPTED");
  event->attendees = g_strdupv ((char **) attendees);
  g_assert_cmpint (rp_crm_save_event (store, event, &error), >, 0);
  g_assert_no_error (error);

  g_assert_true (rp_invitation_apply_sync (store, request, &status, &partstat, NULL, &error));
  g_assert_cmpint (status, ==, RP_INVITATION_STATUS_CURRENT);
  g_assert_cmpint (partstat, ==, RP_PARTSTAT_ACCEPTED);

  /* An older version changes nothing and says so. */
  older_text = replace (GOOGLE_REQUEST, "SEQUENCE:2", "SEQUENCE:1");
  {
    g_autoptr(RpInvitation) older = parse_ok (older_text);

    g_assert_true (rp_invitation_apply_sync (store, older, &status, NULL, NULL, &error));
    g_assert_cmpint (status, ==, RP_INVITATION_STATUS_OUTDATED);
  }

  /* A newer one moves the event, and asks us again. */
  {
    g_autoptr(RpInvitation) newer = NULL;

    g_autofree char *sequence3 = replace (GOOGLE_REQUEST, "SEQUENCE:2", "SEQUENCE:3");

    newer_text = replace (sequence3, "20261204T1", "20261205T1");
    newer = parse_ok (newer_text);
    rp_invitation_find_own_attendee (newer, account);
    g_assert_true (rp_invitation_apply_sync (store, newer, &status, &partstat, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (status, ==, RP_INVITATION_STATUS_CURRENT);
    g_assert_cmpint (partstat, ==, RP_PARTSTAT_NEEDS_ACTION);
    g_clear_pointer (&stored, rp_crm_event_free);
    stored = rp_crm_find_event_by_uid (store, request->uid, &error);
    g_assert_cmpint (stored->sequence, ==, 3);
    g_assert_cmpint (stored->start, ==, utc (2026, 12, 5, 9, 0));
    g_assert_cmpint (stored->end, ==, utc (2026, 12, 5, 10, 30));
    g_assert_cmpstr (stored->attendees[0], ==, "olga@example.org");
    g_assert_false (stored->cancelled);
  }

  /* The original is outdated now. */
  g_assert_true (rp_invitation_apply_sync (store, request, &status, NULL, NULL, &error));
  g_assert_cmpint (status, ==, RP_INVITATION_STATUS_OUTDATED);
  {
    g_autoptr(RpSecrets) secrets = rp_secrets_new (RP_SECRETS_BACKEND_FILE);

    /* Answering it is refused before anything is queued. */
    g_assert_false (rp_invitation_respond_sync (store, secrets, account, NULL, request,
                                                RP_PARTSTAT_ACCEPTED, NULL, &error));
    g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
    g_assert_nonnull (strstr (error->message, "out of date"));
    g_clear_error (&error);
  }

  /* A CANCEL from someone else is not the organiser's. */
  forged_text = replace (CANCEL_TEXT, "ORGANIZER:mailto:olga@example.org",
                         "ORGANIZER:mailto:mallory@example.net");
  {
    g_autoptr(RpInvitation) forged = parse_ok (forged_text);

    g_assert_true (rp_invitation_apply_sync (store, forged, &status, NULL, NULL, &error));
    g_clear_pointer (&stored, rp_crm_event_free);
    stored = rp_crm_find_event_by_uid (store, request->uid, &error);
    g_assert_false (stored->cancelled);
  }

  /* The organiser's CANCEL does. */
  {
    g_autoptr(RpInvitation) cancel = parse_ok (CANCEL_TEXT);

    g_assert_true (rp_invitation_apply_sync (store, cancel, &status, NULL, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (status, ==, RP_INVITATION_STATUS_CANCELLED);
    g_clear_pointer (&stored, rp_crm_event_free);
    stored = rp_crm_find_event_by_uid (store, request->uid, &error);
    g_assert_true (stored->cancelled);
    g_assert_cmpint (stored->sequence, ==, 3);
    /* The time stays what it was. */
    g_assert_cmpint (stored->start, ==, utc (2026, 12, 5, 9, 0));
  }

  /* An older invitation of the cancelled event says it is cancelled. */
  g_assert_true (rp_invitation_apply_sync (store, request, &status, NULL, NULL, &error));
  g_assert_cmpint (status, ==, RP_INVITATION_STATUS_CANCELLED);

  /* Answering a cancelled event is refused before anything is sent. */
  {
    g_autoptr(RpSecrets) secrets = rp_secrets_new (RP_SECRETS_BACKEND_FILE);
    g_autoptr(RpInvitation) same = parse_ok (newer_text);

    g_assert_false (rp_invitation_respond_sync (store, secrets, account, NULL, same,
                                                RP_PARTSTAT_ACCEPTED, NULL, &error));
    g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
    g_assert_nonnull (strstr (error->message, "cancelled"));
  }
}

int
main (int   argc,
      char *argv[])
{
  rp_test_init (&argc, &argv);

  g_test_add_func ("/core/invitation/parse-google", test_parse_google);
  g_test_add_func ("/core/invitation/parse-vtimezone", test_parse_vtimezone);
  g_test_add_func ("/core/invitation/parse-all-day", test_parse_all_day);
  g_test_add_func ("/core/invitation/parse-methods", test_parse_methods);
  g_test_add_func ("/core/invitation/parse-message", test_parse_message);
  g_test_add_func ("/core/invitation/malformed", test_malformed);
  g_test_add_func ("/core/invitation/build-reply", test_build_reply);
  g_test_add_func ("/core/invitation/reply-message", test_reply_message);
  g_test_add_func ("/core/invitation/apply", test_apply);

  return g_test_run ();
}
