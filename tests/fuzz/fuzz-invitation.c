/* fuzz-invitation.c: libFuzzer target for calendar invitations
 *
 * The input is read twice: as the text of an iCalendar object, and as a
 * message whose calendar part is found and parsed. Besides crashes and
 * sanitizer reports, the target checks what rp-invitation.h promises for
 * any input:
 *
 * - either an invitation or an RP_ERROR_INVALID_ARGUMENT, never both,
 *   never neither;
 * - every string is valid UTF-8, @summary and @uid are never NULL, the
 *   end never comes before the start, the sequence is never negative;
 * - a REPLY can be built from any invitation with an organiser, and it
 *   parses back as a REPLY for the same UID with exactly one attendee.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rp-error.h"
#include "rp-invitation.h"

#define CHECK(condition) G_STMT_START { if (!(condition)) abort (); } G_STMT_END

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_utf8 (const char *text)
{
  CHECK (text == NULL || g_utf8_validate (text, -1, NULL));
}

static void
check_person (const RpInvitationPerson *person)
{
  CHECK (person->address != NULL && *person->address != '\0');
  check_utf8 (person->address);
  check_utf8 (person->name);
}

static void
check_invitation (RpInvitation *invitation,
                  GError       *error)
{
  g_autoptr(RpInvitation) copy = NULL;

  CHECK ((invitation == NULL) != (error == NULL));
  if (invitation == NULL)
    {
      CHECK (g_error_matches (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT));
      check_utf8 (error->message);
      return;
    }

  CHECK (invitation->uid != NULL && *invitation->uid != '\0');
  CHECK (invitation->summary != NULL);
  check_utf8 (invitation->uid);
  check_utf8 (invitation->summary);
  check_utf8 (invitation->description);
  check_utf8 (invitation->location);
  check_utf8 (invitation->tzid);
  check_utf8 (invitation->message_id);
  CHECK (invitation->sequence >= 0);
  CHECK (invitation->end >= invitation->start);
  CHECK (invitation->attendees != NULL);
  if (invitation->organizer != NULL)
    check_person (invitation->organizer);
  for (guint i = 0; i < invitation->attendees->len; i++)
    check_person (g_ptr_array_index (invitation->attendees, i));

  copy = rp_invitation_copy (invitation);
  CHECK (g_strcmp0 (copy->uid, invitation->uid) == 0);

  if (invitation->organizer != NULL)
    {
      g_autoptr(GError) reply_error = NULL;
      g_autofree char *reply = rp_invitation_build_reply (invitation, "me@example.test", "Me",
                                                          RP_PARTSTAT_ACCEPTED, 1700000000,
                                                          &reply_error);
      g_autoptr(RpInvitation) back = NULL;

      /* The original parsed once, so its event is there again. */
      CHECK (reply != NULL);
      back = rp_invitation_parse (reply, -1, &reply_error);
      CHECK (back != NULL);
      CHECK (back->method == RP_ITIP_METHOD_REPLY);
      CHECK (back->attendees->len == 1);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) raw = g_bytes_new_static (data, size);
  g_autoptr(RpInvitation) from_text = NULL;
  g_autoptr(RpInvitation) from_message = NULL;
  g_autoptr(GError) text_error = NULL;
  g_autoptr(GError) message_error = NULL;

  from_text = rp_invitation_parse ((const char *) data, (gssize) size, &text_error);
  check_invitation (from_text, text_error);

  from_message = rp_invitation_parse_message (raw, &message_error);
  check_invitation (from_message, message_error);

  return 0;
}
