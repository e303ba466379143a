/* rp-invitation.h: calendar invitations in mail (iTIP, RFC 5546, over
 * iMIP, RFC 6047), read and answered with libical
 *
 * A message carries an invitation in a text/calendar part: the body
 * itself, one side of a multipart/alternative, or an attached .ics file.
 * Parsing is pure and never trusts the calendar; answering builds an iTIP
 * REPLY, sends it through the identity's SMTP server via the Outbox and
 * keeps the event in the CRM calendar.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rp-account.h"
#include "rp-secrets.h"
#include "rp-store.h"

G_BEGIN_DECLS

/**
 * RpItipMethod:
 *
 * The METHOD of an iTIP object (RFC 5546 §1.4).
 */
typedef enum
{
  RP_ITIP_METHOD_UNKNOWN = 0,
  RP_ITIP_METHOD_PUBLISH,
  RP_ITIP_METHOD_REQUEST,
  RP_ITIP_METHOD_REPLY,
  RP_ITIP_METHOD_ADD,
  RP_ITIP_METHOD_CANCEL,
  RP_ITIP_METHOD_REFRESH,
  RP_ITIP_METHOD_COUNTER,
  RP_ITIP_METHOD_DECLINECOUNTER,
} RpItipMethod;

/**
 * RpPartstat:
 *
 * An attendee's participation status (RFC 5545 §3.2.12).
 */
typedef enum
{
  RP_PARTSTAT_NONE = 0,
  RP_PARTSTAT_NEEDS_ACTION,
  RP_PARTSTAT_ACCEPTED,
  RP_PARTSTAT_DECLINED,
  RP_PARTSTAT_TENTATIVE,
  RP_PARTSTAT_DELEGATED,
} RpPartstat;

/**
 * RpInvitationStatus:
 * @RP_INVITATION_STATUS_NEW: the event is not in the calendar yet
 * @RP_INVITATION_STATUS_CURRENT: the calendar holds this version
 * @RP_INVITATION_STATUS_OUTDATED: the calendar holds a newer version
 *   (a higher SEQUENCE); answering this one makes no sense
 * @RP_INVITATION_STATUS_CANCELLED: the organiser cancelled the event
 *
 * How a shown invitation relates to the calendar.
 */
typedef enum
{
  RP_INVITATION_STATUS_NEW = 0,
  RP_INVITATION_STATUS_CURRENT,
  RP_INVITATION_STATUS_OUTDATED,
  RP_INVITATION_STATUS_CANCELLED,
} RpInvitationStatus;

/* The organiser or an attendee. @address is the mailto: address (without
 * the scheme), @name the CN or NULL. */
typedef struct
{
  char       *address;
  char       *name;
  RpPartstat  partstat;
  gboolean    rsvp;
} RpInvitationPerson;

/**
 * RpInvitation:
 *
 * The first event of an iTIP object, as plain data (safe to hand between
 * threads). Times are Unix seconds; an all-day event (DATE values) and a
 * floating time start at local midnight and local time. Strings are valid
 * UTF-8; @summary and @uid are never NULL.
 */
typedef struct
{
  RpItipMethod         method;
  char                *uid;
  int                  sequence;
  char                *summary;
  char                *description;  /* nullable */
  char                *location;     /* nullable */
  gint64               start;
  gint64               end;
  gboolean             all_day;
  char                *tzid;         /* DTSTART's TZID, nullable */
  RpInvitationPerson  *organizer;    /* nullable */
  GPtrArray           *attendees;    /* (element-type RpInvitationPerson) */
  int                  own_attendee; /* index into @attendees, or -1 */
  char                *message_id;   /* the carrying message's, without <>; nullable */
  gint64               stored_id;    /* the carrying message in the store, 0 if unknown */
  char                *ics;          /* the whole calendar object as received */
} RpInvitation;

#define RP_TYPE_INVITATION (rp_invitation_get_type ())

GType               rp_invitation_get_type          (void) G_GNUC_CONST;
RpInvitation       *rp_invitation_copy              (const RpInvitation  *invitation) G_GNUC_WARN_UNUSED_RESULT;
void                rp_invitation_free              (RpInvitation        *invitation);
void                rp_invitation_person_free       (RpInvitationPerson  *person);

/* Parses one iCalendar object (the text of a text/calendar part). A
 * calendar without a VEVENT, or whose VEVENT lacks UID or DTSTART, or
 * with unparsable times, fails with RP_ERROR_INVALID_ARGUMENT and a
 * translated sentence. */
RpInvitation       *rp_invitation_parse             (const char          *ics,
                                                     gssize               length,
                                                     GError             **error) G_GNUC_WARN_UNUSED_RESULT;
/* Finds the first text/calendar (or application/ics, or *.ics) part of
 * @raw that parses, in the body, a multipart/alternative or as an
 * attachment. Sets the invitation's @message_id. */
RpInvitation       *rp_invitation_parse_message     (GBytes              *raw,
                                                     GError             **error) G_GNUC_WARN_UNUSED_RESULT;
/* Sets @invitation->own_attendee to the attendee that is one of
 * @account's identities (or its address); returns that attendee or NULL. */
RpInvitationPerson *rp_invitation_find_own_attendee (RpInvitation        *invitation,
                                                     const RpAccount     *account);
RpInvitationPerson *rp_invitation_get_own_attendee  (const RpInvitation  *invitation);

/* "ACCEPTED", "NEEDS-ACTION", … (never translated), and back. */
const char         *rp_partstat_to_string           (RpPartstat           partstat);
RpPartstat          rp_partstat_from_string         (const char          *text);
const char         *rp_itip_method_to_string        (RpItipMethod         method);

/* The iTIP REPLY (RFC 5546 §3.2.3) of @attendee_address to @invitation:
 * METHOD:REPLY, the same UID, SEQUENCE, DTSTART and DTEND, the ORGANIZER,
 * only that ATTENDEE with @partstat, and DTSTAMP @now. CRLF line ends. */
char               *rp_invitation_build_reply       (const RpInvitation  *invitation,
                                                     const char          *attendee_address,
                                                     const char          *attendee_name,
                                                     RpPartstat           partstat,
                                                     gint64               now,
                                                     GError             **error) G_GNUC_WARN_UNUSED_RESULT;
/* The iMIP message carrying that REPLY to the organiser (RFC 6047): a
 * multipart/alternative of a readable text and text/calendar;
 * method=REPLY; charset=UTF-8, Subject "Accepted: …" (translated), in
 * reply to the invitation's message. CRLF line ends, ready to queue. */
GBytes             *rp_invitation_build_reply_message (const RpInvitation *invitation,
                                                     const RpAccount     *account,
                                                     const RpIdentity    *identity,
                                                     RpPartstat           partstat,
                                                     GError             **error) G_GNUC_WARN_UNUSED_RESULT;

/* Answers @invitation as @identity (NULL: the identity the invitation was
 * addressed to, else the default): queues the REPLY in the Outbox, keeps
 * the event in the CRM calendar with @partstat (ACCEPTED, TENTATIVE or
 * DECLINED) linked to the organiser's and attendees' records, then sends
 * the REPLY. When sending fails the answer stays saved and the REPLY waits
 * in the Outbox; @error says so. Blocking: call from a worker. */
gboolean            rp_invitation_respond_sync      (RpStore             *store,
                                                     RpSecrets           *secrets,
                                                     const RpAccount     *account,
                                                     const RpIdentity    *identity,
                                                     const RpInvitation  *invitation,
                                                     RpPartstat           partstat,
                                                     GCancellable        *cancellable,
                                                     GError             **error);
/* What a received iTIP object does to the calendar: a CANCEL marks the
 * stored event with the same UID cancelled; a REQUEST with a higher
 * SEQUENCE than the stored event's updates it (title, times, location,
 * attendees, our status as the organiser sees it); anything else, or an
 * event not in the calendar, changes nothing. Only the organiser the
 * calendar knows for the event may change it. Sets @status (nullable)
 * to how @invitation relates to the calendar afterwards, and
 * @stored_partstat (nullable) to our answer as stored (NONE when the
 * event is not in the calendar). */
gboolean            rp_invitation_apply_sync        (RpStore             *store,
                                                     const RpInvitation  *invitation,
                                                     RpInvitationStatus  *status,
                                                     RpPartstat          *stored_partstat,
                                                     GCancellable        *cancellable,
                                                     GError             **error);
/* The hook of the fetcher: for each new message in @messages with a
 * calendar part, parses it and applies it. Failures are logged, never
 * fatal: a broken invitation must not stop a fetch. */
void                rp_invitation_apply_fetched     (RpStore             *store,
                                                     const RpAccount     *account,
                                                     const RpStoreNewMessage *messages,
                                                     guint                n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpInvitation, rp_invitation_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpInvitationPerson, rp_invitation_person_free)

G_END_DECLS
