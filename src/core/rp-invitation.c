/* rp-invitation.c: reading calendar invitations out of mail with libical
 *
 * The calendar comes from whoever sent the mail, so nothing in it is
 * trusted: sizes are bounded, times are checked before libical converts
 * them, and an invitation without the few things iTIP cannot do without
 * (a VEVENT with UID and DTSTART) is a clear error rather than half an
 * event. Time zones: an IANA name resolves against libical's built-in
 * zones first (they follow the system's tzdata and cannot be spoofed by
 * the sender), then against the VTIMEZONE the calendar carries (Outlook's
 * "W. Europe Standard Time" and the like).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-invitation"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libical/ical.h>

#include "rp-error.h"
#include "rp-invitation-private.h"
#include "rp-macros.h"
#include "rp-message-private.h"

/* A real invitation is a few kilobytes; Outlook's with every time zone
 * definition stays far below this. */
#define MAX_CALENDAR_SIZE (1024 * 1024)
/* Deeper MIME nesting than this is not a mail client's invitation. */
#define MAX_MIME_DEPTH 16
/* Meetings happen within these years. Beyond them libical would expand a
 * zone's transitions for millennia, a cost the sender could choose. */
#define MIN_YEAR 1900
#define MAX_YEAR 2200

G_DEFINE_BOXED_TYPE (RpInvitation, rp_invitation, rp_invitation_copy, rp_invitation_free)

static const struct
{
  RpItipMethod  method;
  const char   *name;
} method_names[] = {
  { RP_ITIP_METHOD_PUBLISH, "PUBLISH" },
  { RP_ITIP_METHOD_REQUEST, "REQUEST" },
  { RP_ITIP_METHOD_REPLY, "REPLY" },
  { RP_ITIP_METHOD_ADD, "ADD" },
  { RP_ITIP_METHOD_CANCEL, "CANCEL" },
  { RP_ITIP_METHOD_REFRESH, "REFRESH" },
  { RP_ITIP_METHOD_COUNTER, "COUNTER" },
  { RP_ITIP_METHOD_DECLINECOUNTER, "DECLINECOUNTER" },
};

static const struct
{
  RpPartstat  partstat;
  const char *name;
} partstat_names[] = {
  { RP_PARTSTAT_NEEDS_ACTION, "NEEDS-ACTION" },
  { RP_PARTSTAT_ACCEPTED, "ACCEPTED" },
  { RP_PARTSTAT_DECLINED, "DECLINED" },
  { RP_PARTSTAT_TENTATIVE, "TENTATIVE" },
  { RP_PARTSTAT_DELEGATED, "DELEGATED" },
};

/* Auxiliary methods */

static gpointer
init_libical_once (gpointer data)
{
  /* libical can be built to abort on any error it records; a malformed
   * invitation must never take the program down. */
  icalerror_set_errors_are_fatal (0);
  return NULL;
}

static void
set_invalid (GError    **error,
             const char *detail)
{
  g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
               _("The invitation cannot be read: %s"), detail);
}

/* A string from the calendar as valid UTF-8 without control characters
 * other than line breaks and tabs, or NULL for NULL or "". */
static char *
clean_text (const char *text)
{
  char *copy;

  if (text == NULL || *text == '\0')
    return NULL;

  copy = _rp_message_ensure_utf8 (g_strdup (text));
  for (char *p = copy; *p != '\0'; p++)
    if ((guchar) *p < 0x20 && *p != '\n' && *p != '\t')
      *p = ' ';

  return copy;
}

/* "mailto:Someone@Example.ORG" → "Someone@example.org" (the domain is
 * case-insensitive, the local part is the owner's business). */
static char *
address_from_cal_address (const char *value)
{
  g_autofree char *copy = NULL;
  char *at;

  if (value == NULL)
    return NULL;
  if (g_ascii_strncasecmp (value, "mailto:", 7) == 0)
    value += 7;
  copy = clean_text (value);
  if (copy == NULL)
    return NULL;
  g_strstrip (copy);
  at = strrchr (copy, '@');
  if (at == NULL || at == copy || at[1] == '\0' || strchr (copy, ' ') != NULL)
    return NULL;
  for (char *p = at; *p != '\0'; p++)
    *p = g_ascii_tolower (*p);

  return g_steal_pointer (&copy);
}

static RpPartstat
partstat_from_ical (icalparameter_partstat value)
{
  switch (value)
    {
    case ICAL_PARTSTAT_NEEDSACTION:
      return RP_PARTSTAT_NEEDS_ACTION;
    case ICAL_PARTSTAT_ACCEPTED:
      return RP_PARTSTAT_ACCEPTED;
    case ICAL_PARTSTAT_DECLINED:
      return RP_PARTSTAT_DECLINED;
    case ICAL_PARTSTAT_TENTATIVE:
      return RP_PARTSTAT_TENTATIVE;
    case ICAL_PARTSTAT_DELEGATED:
      return RP_PARTSTAT_DELEGATED;
    default:
      return RP_PARTSTAT_NONE;
    }
}

static RpInvitationPerson *
person_from_property (icalproperty *prop,
                      const char   *value)
{
  g_autofree char *address = address_from_cal_address (value);
  RpInvitationPerson *person;
  icalparameter *param;

  if (address == NULL)
    return NULL;

  person = g_new0 (RpInvitationPerson, 1);
  person->address = g_steal_pointer (&address);
  param = icalproperty_get_first_parameter (prop, ICAL_CN_PARAMETER);
  if (param != NULL)
    person->name = clean_text (icalparameter_get_cn (param));
  param = icalproperty_get_first_parameter (prop, ICAL_PARTSTAT_PARAMETER);
  /* RFC 5545 §3.2.12: NEEDS-ACTION is the default. */
  person->partstat = param != NULL ? partstat_from_ical (icalparameter_get_partstat (param))
                                   : RP_PARTSTAT_NEEDS_ACTION;
  param = icalproperty_get_first_parameter (prop, ICAL_RSVP_PARAMETER);
  person->rsvp = param != NULL && icalparameter_get_rsvp (param) == ICAL_RSVP_TRUE;

  return person;
}

static RpInvitationPerson *
person_copy (const RpInvitationPerson *person)
{
  RpInvitationPerson *copy;

  if (person == NULL)
    return NULL;

  copy = g_new0 (RpInvitationPerson, 1);
  copy->address = g_strdup (person->address);
  copy->name = g_strdup (person->name);
  copy->partstat = person->partstat;
  copy->rsvp = person->rsvp;

  return copy;
}

static icaltimezone *
resolve_zone (icalcomponent *calendar,
              const char    *tzid)
{
  icaltimezone *zone = NULL;

  /* Only names that look like IANA locations reach the built-in table:
   * it reads files named after them from the system's zoneinfo. */
  if (strstr (tzid, "..") == NULL && tzid[0] != '/')
    zone = icaltimezone_get_builtin_timezone (tzid);
  if (zone == NULL && calendar != NULL)
    zone = icalcomponent_get_timezone (calendar, tzid);
  if (zone == NULL && g_str_has_prefix (tzid, "/"))
    zone = icaltimezone_get_builtin_timezone_from_tzid (tzid);

  return zone;
}

/* Converts one DTSTART/DTEND value to Unix time. */
static gboolean
time_to_unix (icalcomponent       *calendar,
              icalproperty        *prop,
              struct icaltimetype  value,
              gint64              *out,
              char               **tzid_out,
              GError             **error)
{
  g_autoptr(GDateTime) check = NULL;
  icalparameter *param;
  icaltimezone *zone = NULL;
  int second = MIN (value.second, 59);

  if (icaltime_is_null_time (value) || value.year < MIN_YEAR || value.year > MAX_YEAR)
    {
      set_invalid (error, _("the event has no valid time."));
      return FALSE;
    }

  /* GDateTime checks the fields (month 13, day 32 …) before libical does
   * arithmetic with them. */
  if (value.is_date)
    {
      check = g_date_time_new_local (value.year, value.month, value.day, 0, 0, 0);
      if (check == NULL)
        {
          set_invalid (error, _("the event has no valid time."));
          return FALSE;
        }
      *out = g_date_time_to_unix (check);
      return TRUE;
    }

  check = g_date_time_new_utc (value.year, value.month, value.day, value.hour, value.minute,
                               second);
  if (check == NULL)
    {
      set_invalid (error, _("the event has no valid time."));
      return FALSE;
    }

  if (icaltime_is_utc (value))
    {
      *out = g_date_time_to_unix (check);
      return TRUE;
    }

  param = icalproperty_get_first_parameter (prop, ICAL_TZID_PARAMETER);
  if (param != NULL && icalparameter_get_tzid (param) != NULL)
    {
      const char *tzid = icalparameter_get_tzid (param);

      zone = resolve_zone (calendar, tzid);
      if (zone == NULL)
        g_debug ("Unknown time zone “%s”; reading the time as local time", tzid);
      if (tzid_out != NULL && *tzid_out == NULL)
        *tzid_out = clean_text (tzid);
    }

  if (zone != NULL)
    {
      value.second = second;
      value.zone = NULL;
      *out = (gint64) icaltime_as_timet_with_zone (value, zone);
      return TRUE;
    }

  /* A floating time (or an unknown zone) is the reader's local time. */
  g_clear_pointer (&check, g_date_time_unref);
  check = g_date_time_new_local (value.year, value.month, value.day, value.hour, value.minute,
                                 second);
  if (check == NULL)
    {
      set_invalid (error, _("the event has no valid time."));
      return FALSE;
    }
  *out = g_date_time_to_unix (check);
  return TRUE;
}

static gboolean
read_times (RpInvitation  *invitation,
            icalcomponent *calendar,
            icalcomponent *event,
            GError       **error)
{
  icalproperty *start_prop = icalcomponent_get_first_property (event, ICAL_DTSTART_PROPERTY);
  icalproperty *end_prop = icalcomponent_get_first_property (event, ICAL_DTEND_PROPERTY);
  icalproperty *duration_prop = icalcomponent_get_first_property (event, ICAL_DURATION_PROPERTY);
  struct icaltimetype start;

  if (start_prop == NULL)
    {
      set_invalid (error, _("the event has no start time."));
      return FALSE;
    }

  start = icalproperty_get_dtstart (start_prop);
  if (!time_to_unix (calendar, start_prop, start, &invitation->start, &invitation->tzid, error))
    return FALSE;
  invitation->all_day = start.is_date;

  if (end_prop != NULL)
    {
      struct icaltimetype end = icalproperty_get_dtend (end_prop);

      if (!time_to_unix (calendar, end_prop, end, &invitation->end, NULL, error))
        return FALSE;
    }
  else if (duration_prop != NULL)
    {
      struct icaldurationtype duration = icalproperty_get_duration (duration_prop);
      gint64 seconds = icaldurationtype_as_int (duration);

      invitation->end = invitation->start + CLAMP (seconds, 0, 366 * 24 * 3600);
    }
  else
    {
      /* RFC 5545 §3.6.1: a DATE start without an end lasts one day, a
       * DATE-TIME start without one ends when it starts. */
      invitation->end = invitation->start + (invitation->all_day ? 24 * 3600 : 0);
    }

  if (invitation->end < invitation->start)
    invitation->end = invitation->start;

  return TRUE;
}

static RpItipMethod
method_from_ical (icalproperty_method method)
{
  switch (method)
    {
    case ICAL_METHOD_PUBLISH:
      return RP_ITIP_METHOD_PUBLISH;
    case ICAL_METHOD_REQUEST:
      return RP_ITIP_METHOD_REQUEST;
    case ICAL_METHOD_REPLY:
      return RP_ITIP_METHOD_REPLY;
    case ICAL_METHOD_ADD:
      return RP_ITIP_METHOD_ADD;
    case ICAL_METHOD_CANCEL:
      return RP_ITIP_METHOD_CANCEL;
    case ICAL_METHOD_REFRESH:
      return RP_ITIP_METHOD_REFRESH;
    case ICAL_METHOD_COUNTER:
      return RP_ITIP_METHOD_COUNTER;
    case ICAL_METHOD_DECLINECOUNTER:
      return RP_ITIP_METHOD_DECLINECOUNTER;
    default:
      return RP_ITIP_METHOD_UNKNOWN;
    }
}

/* The VCALENDAR in what the parser returned: it wraps several top-level
 * components in an XROOT. */
static icalcomponent *
find_calendar (icalcomponent *root)
{
  if (icalcomponent_isa (root) == ICAL_VCALENDAR_COMPONENT)
    return root;
  if (icalcomponent_isa (root) == ICAL_XROOT_COMPONENT)
    return icalcomponent_get_first_component (root, ICAL_VCALENDAR_COMPONENT);

  return NULL;
}

static RpInvitation *
invitation_from_calendar (icalcomponent  *root,
                          GError        **error)
{
  g_autoptr(RpInvitation) invitation = NULL;
  icalcomponent *calendar = find_calendar (root);
  icalcomponent *event = NULL;
  icalproperty *prop;

  if (calendar != NULL)
    event = icalcomponent_get_first_component (calendar, ICAL_VEVENT_COMPONENT);
  else if (icalcomponent_isa (root) == ICAL_VEVENT_COMPONENT)
    event = root;
  if (event == NULL)
    {
      set_invalid (error, _("it holds no event."));
      return NULL;
    }

  invitation = g_new0 (RpInvitation, 1);
  invitation->attendees = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_invitation_person_free);
  invitation->own_attendee = -1;

  prop = calendar != NULL ? icalcomponent_get_first_property (calendar, ICAL_METHOD_PROPERTY) : NULL;
  invitation->method = prop != NULL ? method_from_ical (icalproperty_get_method (prop))
                                    : RP_ITIP_METHOD_UNKNOWN;

  prop = icalcomponent_get_first_property (event, ICAL_UID_PROPERTY);
  invitation->uid = prop != NULL ? clean_text (icalproperty_get_uid (prop)) : NULL;
  if (invitation->uid == NULL)
    {
      set_invalid (error, _("the event has no identifier (UID)."));
      return NULL;
    }
  g_strstrip (invitation->uid);

  prop = icalcomponent_get_first_property (event, ICAL_SEQUENCE_PROPERTY);
  invitation->sequence = prop != NULL ? MAX (icalproperty_get_sequence (prop), 0) : 0;

  prop = icalcomponent_get_first_property (event, ICAL_SUMMARY_PROPERTY);
  invitation->summary = prop != NULL ? clean_text (icalproperty_get_summary (prop)) : NULL;
  if (invitation->summary == NULL)
    invitation->summary = g_strdup ("");
  prop = icalcomponent_get_first_property (event, ICAL_DESCRIPTION_PROPERTY);
  invitation->description = prop != NULL ? clean_text (icalproperty_get_description (prop)) : NULL;
  prop = icalcomponent_get_first_property (event, ICAL_LOCATION_PROPERTY);
  invitation->location = prop != NULL ? clean_text (icalproperty_get_location (prop)) : NULL;

  if (!read_times (invitation, calendar, event, error))
    return NULL;

  prop = icalcomponent_get_first_property (event, ICAL_ORGANIZER_PROPERTY);
  if (prop != NULL)
    invitation->organizer = person_from_property (prop, icalproperty_get_organizer (prop));

  for (prop = icalcomponent_get_first_property (event, ICAL_ATTENDEE_PROPERTY);
       prop != NULL;
       prop = icalcomponent_get_next_property (event, ICAL_ATTENDEE_PROPERTY))
    {
      RpInvitationPerson *person = person_from_property (prop, icalproperty_get_attendee (prop));

      if (person != NULL)
        g_ptr_array_add (invitation->attendees, person);
    }

  return g_steal_pointer (&invitation);
}

static gboolean
is_calendar_part (GMimeObject *object)
{
  GMimeContentType *type = g_mime_object_get_content_type (object);
  const char *filename;

  if (type != NULL && (g_mime_content_type_is_type (type, "text", "calendar") ||
                       g_mime_content_type_is_type (type, "application", "ics")))
    return TRUE;

  filename = GMIME_IS_PART (object) ? g_mime_part_get_filename (GMIME_PART (object)) : NULL;
  if (filename == NULL || strlen (filename) < 4)
    return FALSE;

  return g_ascii_strcasecmp (filename + strlen (filename) - 4, ".ics") == 0;
}

static RpInvitation *
parse_part (GMimePart  *part,
            GError    **error)
{
  GMimeDataWrapper *content = g_mime_part_get_content (part);
  GMimeContentType *type = g_mime_object_get_content_type (GMIME_OBJECT (part));
  const char *charset = type != NULL ? g_mime_content_type_get_parameter (type, "charset") : NULL;
  g_autofree char *text = NULL;
  GMimeStream *stream;
  GByteArray *array;
  gsize length = 0;

  if (content == NULL)
    {
      set_invalid (error, _("the calendar part is empty."));
      return NULL;
    }

  stream = g_mime_stream_mem_new ();
  if (g_mime_data_wrapper_write_to_stream (content, stream) < 0)
    {
      g_object_unref (stream);
      set_invalid (error, _("the calendar part cannot be decoded."));
      return NULL;
    }
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));
  if (array->len == 0)
    {
      g_object_unref (stream);
      set_invalid (error, _("the calendar part is empty."));
      return NULL;
    }
  if (array->len > MAX_CALENDAR_SIZE)
    {
      g_object_unref (stream);
      set_invalid (error, _("the calendar part is too large."));
      return NULL;
    }

  /* iCalendar is UTF-8 (RFC 5545 §3.1.4); a label says otherwise only
   * when a client got it wrong, and then the label is the better guess. */
  text = _rp_message_text_to_utf8 ((const char *) array->data, array->len,
                                   charset != NULL ? charset : "UTF-8", NULL, &length);
  g_object_unref (stream);

  return rp_invitation_parse (text, length, error);
}

/* Depth-first, so the calendar in the body comes before an attached
 * copy. A forwarded message (message/rfc822) is not entered: its
 * invitation was for someone else. */
static RpInvitation *
find_in_object (GMimeObject  *object,
                guint         depth,
                GError      **error)
{
  if (object == NULL || depth > MAX_MIME_DEPTH)
    return NULL;

  if (GMIME_IS_MULTIPART (object))
    {
      GMimeMultipart *multipart = GMIME_MULTIPART (object);
      int n = g_mime_multipart_get_count (multipart);

      for (int i = 0; i < n; i++)
        {
          RpInvitation *found = find_in_object (g_mime_multipart_get_part (multipart, i),
                                                depth + 1, error);

          if (found != NULL)
            return found;
        }
      return NULL;
    }

  if (GMIME_IS_PART (object) && is_calendar_part (object))
    {
      g_autoptr(GError) local_error = NULL;
      RpInvitation *found = parse_part (GMIME_PART (object), &local_error);

      /* Keep the first failure to explain why nothing was found. */
      if (found == NULL && error != NULL && *error == NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return found;
    }

  return NULL;
}

/* Internal API */

void
_rp_invitation_init_libical (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, init_libical_once, NULL);
}

char *
_rp_invitation_clean_text (const char *text)
{
  return clean_text (text);
}

/* Public API */

RpInvitation *
rp_invitation_copy (const RpInvitation *invitation)
{
  RpInvitation *copy;

  g_return_val_if_fail (invitation != NULL, NULL);

  copy = g_new0 (RpInvitation, 1);
  copy->method = invitation->method;
  copy->uid = g_strdup (invitation->uid);
  copy->sequence = invitation->sequence;
  copy->summary = g_strdup (invitation->summary);
  copy->description = g_strdup (invitation->description);
  copy->location = g_strdup (invitation->location);
  copy->start = invitation->start;
  copy->end = invitation->end;
  copy->all_day = invitation->all_day;
  copy->tzid = g_strdup (invitation->tzid);
  copy->organizer = person_copy (invitation->organizer);
  copy->attendees = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_invitation_person_free);
  for (guint i = 0; i < invitation->attendees->len; i++)
    g_ptr_array_add (copy->attendees, person_copy (g_ptr_array_index (invitation->attendees, i)));
  copy->own_attendee = invitation->own_attendee;
  copy->message_id = g_strdup (invitation->message_id);
  copy->stored_id = invitation->stored_id;
  copy->ics = g_strdup (invitation->ics);

  return copy;
}

void
rp_invitation_free (RpInvitation *invitation)
{
  if (invitation == NULL)
    return;

  g_free (invitation->uid);
  g_free (invitation->summary);
  g_free (invitation->description);
  g_free (invitation->location);
  g_free (invitation->tzid);
  rp_invitation_person_free (invitation->organizer);
  g_clear_pointer (&invitation->attendees, g_ptr_array_unref);
  g_free (invitation->message_id);
  g_free (invitation->ics);
  g_free (invitation);
}

void
rp_invitation_person_free (RpInvitationPerson *person)
{
  if (person == NULL)
    return;

  g_free (person->address);
  g_free (person->name);
  g_free (person);
}

/**
 * rp_invitation_parse:
 * @ics: the text of an iCalendar object
 * @length: its length, or -1 when NUL-terminated
 * @error: a #GError
 *
 * Reads the first VEVENT of an iTIP object. Safe on any input.
 *
 * Returns: (transfer full): the invitation, or %NULL with
 *   %RP_ERROR_INVALID_ARGUMENT
 */
RpInvitation *
rp_invitation_parse (const char  *ics,
                     gssize       length,
                     GError     **error)
{
  g_autofree char *text = NULL;
  icalcomponent *root;
  RpInvitation *invitation;

  g_return_val_if_fail (ics != NULL || length == 0, NULL);

  if (length < 0)
    length = strlen (ics);
  if (length > MAX_CALENDAR_SIZE)
    {
      set_invalid (error, _("the calendar part is too large."));
      return NULL;
    }

  _rp_invitation_init_libical ();

  /* NUL bytes end the text for libical anyway; the rest must be UTF-8. */
  text = _rp_message_ensure_utf8 (g_strndup (ics, length));
  if (strstr (text, "BEGIN:") == NULL && strstr (text, "begin:") == NULL)
    {
      set_invalid (error, _("it is not iCalendar data."));
      return NULL;
    }

  root = icalparser_parse_string (text);
  if (root == NULL)
    {
      set_invalid (error, _("it is not iCalendar data."));
      return NULL;
    }

  invitation = invitation_from_calendar (root, error);
  icalcomponent_free (root);
  if (invitation != NULL)
    invitation->ics = g_steal_pointer (&text);

  return invitation;
}

/**
 * rp_invitation_parse_message:
 * @raw: a stored message
 * @error: a #GError
 *
 * Returns: (transfer full): the invitation of the first calendar part
 *   that parses, or %NULL with %RP_ERROR_INVALID_ARGUMENT (why the
 *   first calendar part failed, or that there is none)
 */
RpInvitation *
rp_invitation_parse_message (GBytes  *raw,
                             GError **error)
{
  g_autoptr(GError) local_error = NULL;
  GMimeStream *stream;
  GMimeParser *parser;
  GMimeMessage *message;
  RpInvitation *invitation;

  g_return_val_if_fail (raw != NULL, NULL);

  _rp_message_init_gmime ();
  stream = _rp_bytes_stream_new (raw);
  parser = g_mime_parser_new_with_stream (stream);
  g_mime_parser_set_format (parser, GMIME_FORMAT_MESSAGE);
  message = g_mime_parser_construct_message (parser, _rp_message_parser_options ());
  g_object_unref (parser);
  g_object_unref (stream);
  if (message == NULL)
    {
      set_invalid (error, _("the message has no calendar part."));
      return NULL;
    }

  invitation = find_in_object (g_mime_message_get_mime_part (message), 0, &local_error);
  if (invitation != NULL && g_mime_message_get_message_id (message) != NULL)
    invitation->message_id = clean_text (g_mime_message_get_message_id (message));
  g_object_unref (message);

  if (invitation == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        set_invalid (error, _("the message has no calendar part."));
    }

  return invitation;
}

/**
 * rp_invitation_find_own_attendee:
 * @invitation: an invitation
 * @account: the account that received it
 *
 * Returns: (transfer none) (nullable): the attendee that is us
 */
RpInvitationPerson *
rp_invitation_find_own_attendee (RpInvitation    *invitation,
                                 const RpAccount *account)
{
  g_return_val_if_fail (invitation != NULL, NULL);
  g_return_val_if_fail (account != NULL, NULL);

  invitation->own_attendee = -1;
  for (guint i = 0; i < invitation->attendees->len; i++)
    {
      RpInvitationPerson *person = g_ptr_array_index (invitation->attendees, i);

      if (rp_account_is_own_address (account, person->address))
        {
          invitation->own_attendee = (int) i;
          return person;
        }
    }

  return NULL;
}

RpInvitationPerson *
rp_invitation_get_own_attendee (const RpInvitation *invitation)
{
  g_return_val_if_fail (invitation != NULL, NULL);

  if (invitation->own_attendee < 0 || (guint) invitation->own_attendee >= invitation->attendees->len)
    return NULL;

  return g_ptr_array_index (invitation->attendees, invitation->own_attendee);
}

const char *
rp_partstat_to_string (RpPartstat partstat)
{
  for (guint i = 0; i < G_N_ELEMENTS (partstat_names); i++)
    if (partstat_names[i].partstat == partstat)
      return partstat_names[i].name;

  return NULL;
}

RpPartstat
rp_partstat_from_string (const char *text)
{
  if (text == NULL)
    return RP_PARTSTAT_NONE;

  for (guint i = 0; i < G_N_ELEMENTS (partstat_names); i++)
    if (g_ascii_strcasecmp (partstat_names[i].name, text) == 0)
      return partstat_names[i].partstat;

  return RP_PARTSTAT_NONE;
}

const char *
rp_itip_method_to_string (RpItipMethod method)
{
  for (guint i = 0; i < G_N_ELEMENTS (method_names); i++)
    if (method_names[i].method == method)
      return method_names[i].name;

  return "UNKNOWN";
}
