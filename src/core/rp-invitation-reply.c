/* rp-invitation-reply.c: the iTIP REPLY (RFC 5546 §3.2.3) and the iMIP
 * message that carries it (RFC 6047)
 *
 * The REPLY is cut from the invitation as received: the organiser's own
 * UID, SEQUENCE, RECURRENCE-ID and times, with their VTIMEZONEs, so that
 * the organiser's calendar matches it to the event without guessing. Of
 * the attendees only we appear, with our answer. The message around it is
 * an ordinary reply built by the composer (From, Sender, Message-ID,
 * threading headers), whose text body becomes one side of a
 * multipart/alternative beside the text/calendar part.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-invitation"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libical/ical.h>

#include "rp-composer.h"
#include "rp-error.h"
#include "rp-invitation-private.h"
#include "rp-message-private.h"

/* The properties of the invitation's VEVENT that go back to the organiser
 * unchanged. */
static const icalproperty_kind kept_properties[] = {
  ICAL_UID_PROPERTY,
  ICAL_SEQUENCE_PROPERTY,
  ICAL_RECURRENCEID_PROPERTY,
  ICAL_DTSTART_PROPERTY,
  ICAL_DTEND_PROPERTY,
  ICAL_DURATION_PROPERTY,
  ICAL_SUMMARY_PROPERTY,
  ICAL_LOCATION_PROPERTY,
  ICAL_ORGANIZER_PROPERTY,
};

/* Auxiliary methods */

static icalparameter_partstat
partstat_to_ical (RpPartstat partstat)
{
  switch (partstat)
    {
    case RP_PARTSTAT_ACCEPTED:
      return ICAL_PARTSTAT_ACCEPTED;
    case RP_PARTSTAT_DECLINED:
      return ICAL_PARTSTAT_DECLINED;
    case RP_PARTSTAT_TENTATIVE:
      return ICAL_PARTSTAT_TENTATIVE;
    case RP_PARTSTAT_DELEGATED:
      return ICAL_PARTSTAT_DELEGATED;
    case RP_PARTSTAT_NEEDS_ACTION:
    case RP_PARTSTAT_NONE:
    default:
      return ICAL_PARTSTAT_NEEDSACTION;
    }
}

static gboolean
is_answer (RpPartstat partstat)
{
  return partstat == RP_PARTSTAT_ACCEPTED || partstat == RP_PARTSTAT_TENTATIVE ||
         partstat == RP_PARTSTAT_DECLINED;
}

/* A parameter value cannot hold a double quote, even quoted (RFC 5545
 * §3.1); line breaks would end the property. */
static char *
param_safe (const char *text)
{
  char *copy = _rp_invitation_clean_text (text);

  if (copy == NULL)
    return NULL;
  for (char *p = copy; *p != '\0'; p++)
    if (*p == '"' || *p == '\n' || *p == '\t')
      *p = ' ';

  return g_strstrip (copy);
}

static icalcomponent *
find_event (icalcomponent *root,
            icalcomponent **calendar)
{
  *calendar = NULL;
  if (icalcomponent_isa (root) == ICAL_VEVENT_COMPONENT)
    return root;
  if (icalcomponent_isa (root) == ICAL_XROOT_COMPONENT)
    root = icalcomponent_get_first_component (root, ICAL_VCALENDAR_COMPONENT);
  if (root == NULL || icalcomponent_isa (root) != ICAL_VCALENDAR_COMPONENT)
    return NULL;

  *calendar = root;
  return icalcomponent_get_first_component (root, ICAL_VEVENT_COMPONENT);
}

/* Whether @calendar's VEVENT refers to the VTIMEZONE @zone. */
static gboolean
zone_is_used (icalcomponent *event,
              icalcomponent *zone)
{
  icalproperty *tzid_prop = icalcomponent_get_first_property (zone, ICAL_TZID_PROPERTY);
  const char *tzid = tzid_prop != NULL ? icalproperty_get_tzid (tzid_prop) : NULL;

  if (tzid == NULL)
    return FALSE;

  for (icalproperty *prop = icalcomponent_get_first_property (event, ICAL_ANY_PROPERTY);
       prop != NULL;
       prop = icalcomponent_get_next_property (event, ICAL_ANY_PROPERTY))
    {
      icalparameter *param = icalproperty_get_first_parameter (prop, ICAL_TZID_PARAMETER);

      if (param != NULL && g_strcmp0 (icalparameter_get_tzid (param), tzid) == 0)
        return TRUE;
    }

  return FALSE;
}

/* libical ends lines with CRLF already; this makes sure of it, as RFC
 * 5545 §3.1 requires, whatever a future version does. */
static char *
to_crlf (const char *text)
{
  GString *out = g_string_sized_new (strlen (text) + 64);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\n' && (p == text || p[-1] != '\r'))
        g_string_append_c (out, '\r');
      g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

static char *
format_when (const RpInvitation *invitation)
{
  g_autoptr(GDateTime) start = g_date_time_new_from_unix_local (invitation->start);

  if (start == NULL)
    return g_strdup ("");

  /* %x and %X are the locale's own date and time formats. */
  return g_date_time_format (start, invitation->all_day ? "%x" : "%x %X");
}

static char *
make_subject (RpPartstat  partstat,
              const char *summary)
{
  switch (partstat)
    {
    case RP_PARTSTAT_ACCEPTED:
      /* TRANSLATORS: the subject of the answer to an invitation;
       * %s is the event's title. */
      return g_strdup_printf (_("Accepted: %s"), summary);
    case RP_PARTSTAT_TENTATIVE:
      /* TRANSLATORS: the subject of the answer to an invitation;
       * %s is the event's title. */
      return g_strdup_printf (_("Tentative: %s"), summary);
    case RP_PARTSTAT_DECLINED:
    default:
      /* TRANSLATORS: the subject of the answer to an invitation;
       * %s is the event's title. */
      return g_strdup_printf (_("Declined: %s"), summary);
    }
}

static char *
make_body (const RpInvitation *invitation,
           const char         *who,
           RpPartstat          partstat)
{
  g_autofree char *when = format_when (invitation);
  g_autofree char *sentence = NULL;
  GString *body = g_string_new (NULL);

  switch (partstat)
    {
    case RP_PARTSTAT_ACCEPTED:
      /* TRANSLATORS: the text of an answer to an invitation: the person,
       * then the event's title. */
      sentence = g_strdup_printf (_("%s has accepted the invitation to “%s”."), who,
                                  invitation->summary);
      break;
    case RP_PARTSTAT_TENTATIVE:
      /* TRANSLATORS: the text of an answer to an invitation: the person,
       * then the event's title. */
      sentence = g_strdup_printf (_("%s has tentatively accepted the invitation to “%s”."), who,
                                  invitation->summary);
      break;
    case RP_PARTSTAT_DECLINED:
    default:
      /* TRANSLATORS: the text of an answer to an invitation: the person,
       * then the event's title. */
      sentence = g_strdup_printf (_("%s has declined the invitation to “%s”."), who,
                                  invitation->summary);
      break;
    }

  g_string_append (body, sentence);
  g_string_append (body, "\n\n");
  /* TRANSLATORS: a line in the answer to an invitation: its date and time. */
  g_string_append_printf (body, _("When: %s"), when);
  g_string_append_c (body, '\n');
  if (invitation->location != NULL)
    {
      /* TRANSLATORS: a line in the answer to an invitation: its place. */
      g_string_append_printf (body, _("Where: %s"), invitation->location);
      g_string_append_c (body, '\n');
    }

  return g_string_free (body, FALSE);
}

static GMimeObject *
make_calendar_part (const char *ics)
{
  GMimePart *part = g_mime_part_new_with_type ("text", "calendar");
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer (ics, strlen (ics));
  GMimeDataWrapper *wrapper = g_mime_data_wrapper_new_with_stream (stream,
                                                                   GMIME_CONTENT_ENCODING_DEFAULT);
  GMimeContentType *type = g_mime_object_get_content_type (GMIME_OBJECT (part));
  GMimeContentEncoding encoding;

  g_mime_content_type_set_parameter (type, "method", "REPLY");
  g_mime_content_type_set_parameter (type, "charset", "UTF-8");
  g_mime_part_set_content (part, wrapper);

  /* ASCII goes as it is; a name or title beyond it as quoted-printable,
   * which servers without 8BITMIME pass unharmed. */
  encoding = g_mime_part_get_best_content_encoding (part, GMIME_ENCODING_CONSTRAINT_7BIT);
  if (encoding == GMIME_CONTENT_ENCODING_DEFAULT || encoding == GMIME_CONTENT_ENCODING_7BIT)
    encoding = GMIME_CONTENT_ENCODING_7BIT;
  else
    encoding = GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE;
  g_mime_part_set_content_encoding (part, encoding);

  g_object_unref (wrapper);
  g_object_unref (stream);

  return GMIME_OBJECT (part);
}

static GBytes *
write_message (GMimeMessage *message)
{
  GMimeFormatOptions *options = g_mime_format_options_clone (NULL);
  GMimeStream *stream = g_mime_stream_mem_new ();
  GByteArray *array;

  g_mime_format_options_set_newline_format (options, GMIME_NEWLINE_FORMAT_DOS);
  g_mime_object_write_to_stream (GMIME_OBJECT (message), options, stream);
  g_mime_stream_flush (stream);

  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));
  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (stream), FALSE);
  g_object_unref (stream);
  g_mime_format_options_free (options);

  return g_byte_array_free_to_bytes (array);
}

/* Internal API */

/*
 * _rp_invitation_make_draft:
 *
 * The reply as a draft: From the identity, To the organiser, the subject
 * and readable text, threaded to the invitation's message.
 */
RpDraft *
_rp_invitation_make_draft (const RpInvitation  *invitation,
                           const RpAccount     *account,
                           const RpIdentity    *identity,
                           RpPartstat           partstat,
                           GError             **error)
{
  const char *from_name;
  g_autofree char *subject = NULL;
  g_autofree char *body = NULL;
  RpDraft *draft;

  if (invitation->organizer == NULL)
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                           _("The invitation names no organizer to answer."));
      return NULL;
    }
  if (!is_answer (partstat))
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                           _("An invitation can only be accepted, tentatively accepted or declined."));
      return NULL;
    }

  from_name = identity->display_name != NULL && *identity->display_name != '\0'
              ? identity->display_name : account->display_name;
  draft = rp_draft_new (identity->address, from_name);
  rp_draft_add_recipient (draft, RP_RECIPIENT_TO, invitation->organizer->name,
                          invitation->organizer->address);
  subject = make_subject (partstat, invitation->summary);
  rp_draft_set_subject (draft, subject);
  body = make_body (invitation,
                    from_name != NULL && *from_name != '\0' ? from_name : identity->address,
                    partstat);
  rp_draft_set_body (draft, body);
  if (invitation->message_id != NULL)
    {
      draft->in_reply_to = g_strdup (invitation->message_id);
      g_strfreev (draft->references);
      draft->references = g_new0 (char *, 2);
      draft->references[0] = g_strdup (invitation->message_id);
    }

  return draft;
}

/*
 * _rp_invitation_build_message:
 *
 * The iMIP message for @draft, with the REPLY of @attendee_address.
 */
GBytes *
_rp_invitation_build_message (const RpInvitation  *invitation,
                              const RpDraft       *draft,
                              const RpAccount     *account,
                              const RpIdentity    *identity,
                              const char          *attendee_address,
                              RpPartstat           partstat,
                              GError             **error)
{
  g_autoptr(GBytes) plain = NULL;
  g_autofree char *ics = NULL;
  GMimeStream *stream;
  GMimeParser *parser;
  GMimeMessage *message;
  GMimeMultipart *alternative;
  GMimeObject *calendar;
  GBytes *bytes;

  ics = rp_invitation_build_reply (invitation, attendee_address, draft->from_name, partstat,
                                   g_get_real_time () / G_USEC_PER_SEC, error);
  if (ics == NULL)
    return NULL;

  /* The composer owns the rules for the headers; its text/plain body
   * becomes the first alternative. */
  plain = rp_composer_build (draft, account, identity, error);
  if (plain == NULL)
    return NULL;

  stream = _rp_bytes_stream_new (plain);
  parser = g_mime_parser_new_with_stream (stream);
  g_mime_parser_set_format (parser, GMIME_FORMAT_MESSAGE);
  message = g_mime_parser_construct_message (parser, _rp_message_parser_options ());
  g_object_unref (parser);
  g_object_unref (stream);
  if (message == NULL || g_mime_message_get_mime_part (message) == NULL)
    {
      g_clear_object (&message);
      g_set_error_literal (error, RP_ERROR, RP_ERROR_FAILED,
                           _("The answer to the invitation could not be composed."));
      return NULL;
    }

  alternative = g_mime_multipart_new_with_subtype ("alternative");
  g_mime_multipart_add (alternative, g_mime_message_get_mime_part (message));
  calendar = make_calendar_part (ics);
  g_mime_multipart_add (alternative, calendar);
  g_object_unref (calendar);
  g_mime_message_set_mime_part (message, GMIME_OBJECT (alternative));
  g_object_unref (alternative);

  bytes = write_message (message);
  g_object_unref (message);

  return bytes;
}

/* Public API */

/**
 * rp_invitation_build_reply:
 * @invitation: a parsed invitation (with its @ics)
 * @attendee_address: our address as the invitation lists it
 * @attendee_name: (nullable): our name, for CN
 * @partstat: our answer
 * @now: the DTSTAMP, Unix time
 * @error: a #GError
 *
 * Returns: (transfer full): the iCalendar text of the REPLY, or %NULL
 */
char *
rp_invitation_build_reply (const RpInvitation  *invitation,
                           const char          *attendee_address,
                           const char          *attendee_name,
                           RpPartstat           partstat,
                           gint64               now,
                           GError             **error)
{
  g_autofree char *mailto = NULL;
  g_autofree char *name = NULL;
  icalcomponent *root;
  icalcomponent *original_calendar;
  icalcomponent *original_event;
  icalcomponent *calendar;
  icalcomponent *event;
  icalproperty *attendee;
  char *text;
  char *result;

  g_return_val_if_fail (invitation != NULL, NULL);
  g_return_val_if_fail (invitation->ics != NULL, NULL);
  g_return_val_if_fail (attendee_address != NULL, NULL);

  _rp_invitation_init_libical ();

  if (invitation->organizer == NULL)
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                           _("The invitation names no organizer to answer."));
      return NULL;
    }
  if (!is_answer (partstat))
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                           _("An invitation can only be accepted, tentatively accepted or declined."));
      return NULL;
    }

  root = icalparser_parse_string (invitation->ics);
  original_event = root != NULL ? find_event (root, &original_calendar) : NULL;
  if (original_event == NULL)
    {
      if (root != NULL)
        icalcomponent_free (root);
      g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                           _("The invitation cannot be read: it holds no event."));
      return NULL;
    }

  calendar = icalcomponent_new (ICAL_VCALENDAR_COMPONENT);
  icalcomponent_add_property (calendar, icalproperty_new_prodid ("-//Rapport//Rapport " PACKAGE_VERSION "//EN"));
  icalcomponent_add_property (calendar, icalproperty_new_version ("2.0"));
  icalcomponent_add_property (calendar, icalproperty_new_method (ICAL_METHOD_REPLY));

  if (original_calendar != NULL)
    {
      for (icalcomponent *zone = icalcomponent_get_first_component (original_calendar,
                                                                     ICAL_VTIMEZONE_COMPONENT);
           zone != NULL;
           zone = icalcomponent_get_next_component (original_calendar, ICAL_VTIMEZONE_COMPONENT))
        if (zone_is_used (original_event, zone))
          icalcomponent_add_component (calendar, icalcomponent_new_clone (zone));
    }

  event = icalcomponent_new (ICAL_VEVENT_COMPONENT);
  for (guint i = 0; i < G_N_ELEMENTS (kept_properties); i++)
    {
      icalproperty *prop = icalcomponent_get_first_property (original_event, kept_properties[i]);

      if (prop != NULL)
        icalcomponent_add_property (event, icalproperty_new_clone (prop));
    }
  /* RFC 5546 §2.1.4: the SEQUENCE of the version answered, also 0. */
  if (icalcomponent_get_first_property (event, ICAL_SEQUENCE_PROPERTY) == NULL)
    icalcomponent_add_property (event, icalproperty_new_sequence (invitation->sequence));
  icalcomponent_add_property (event,
                              icalproperty_new_dtstamp (icaltime_from_timet_with_zone ((time_t) now, 0,
                                                                                      icaltimezone_get_utc_timezone ())));

  mailto = g_strconcat ("mailto:", attendee_address, NULL);
  attendee = icalproperty_new_attendee (mailto);
  icalproperty_add_parameter (attendee, icalparameter_new_partstat (partstat_to_ical (partstat)));
  name = param_safe (attendee_name);
  if (name != NULL && *name != '\0')
    icalproperty_add_parameter (attendee, icalparameter_new_cn (name));
  icalcomponent_add_property (event, attendee);
  icalcomponent_add_component (calendar, event);

  text = icalcomponent_as_ical_string_r (calendar);
  result = to_crlf (text != NULL ? text : "");
  free (text);
  icalcomponent_free (calendar);
  icalcomponent_free (root);

  return result;
}

/**
 * rp_invitation_build_reply_message:
 * @invitation: a parsed invitation
 * @account: the account answering
 * @identity: (nullable): the identity answering (NULL: the default)
 * @partstat: ACCEPTED, TENTATIVE or DECLINED
 * @error: a #GError
 *
 * Returns: (transfer full): the iMIP message, or %NULL
 */
GBytes *
rp_invitation_build_reply_message (const RpInvitation  *invitation,
                                   const RpAccount     *account,
                                   const RpIdentity    *identity,
                                   RpPartstat           partstat,
                                   GError             **error)
{
  g_autoptr(RpDraft) draft = NULL;
  const RpInvitationPerson *own;

  g_return_val_if_fail (invitation != NULL, NULL);
  g_return_val_if_fail (account != NULL, NULL);

  if (identity == NULL)
    identity = rp_account_get_default_identity (account);
  if (identity == NULL)
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                           _("The account has no address to answer from."));
      return NULL;
    }

  draft = _rp_invitation_make_draft (invitation, account, identity, partstat, error);
  if (draft == NULL)
    return NULL;

  own = rp_invitation_get_own_attendee (invitation);
  return _rp_invitation_build_message (invitation, draft, account, identity,
                                       own != NULL ? own->address : identity->address,
                                       partstat, error);
}
