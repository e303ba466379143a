/* rp-crm-util.h: small helpers shared by the CRM sidebar, its forms and
 * the CRM page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rp-core.h"
#include "rp-crm.h"

G_BEGIN_DECLS

/* What a plain signature said, for prefilling a new record. */
typedef struct
{
  char *company;  /* or NULL */
  char *phone;    /* or NULL */
} RpCrmSignature;

/* Looks for a company and a phone number in the signature of a plain-text
 * body: the block after a "-- " line, or else the last lines before any
 * quoted text. Only plain lines are taken ("Phone: +49 …", "ACME GmbH");
 * guesses are left out. Pure: no GTK, no store. */
void        rp_crm_signature_parse       (const char       *body,
                                          RpCrmSignature   *signature);
void        rp_crm_signature_clear       (RpCrmSignature   *signature);

/* "Lead · Qualified" or "Contact", translated. */
char       *rp_crm_format_kind           (const RpCrmRecord *record) G_GNUC_WARN_UNUSED_RESULT;
/* "Job title, Company", either alone, or NULL when neither is known. */
char       *rp_crm_format_position       (const RpCrmRecord *record) G_GNUC_WARN_UNUSED_RESULT;
/* A date relative to @now: "Today", "Yesterday", "Mon", "3 Nov" or
 * "3 Nov 2024"; @utc_day formats a task's due day (UTC midnight). */
char       *rp_crm_format_day            (gint64            time,
                                          gboolean          utc_day) G_GNUC_WARN_UNUSED_RESULT;
/* "Mon 3 Nov, 09:30–10:00" in local time. */
char       *rp_crm_format_event_time     (const RpCrmEvent *event) G_GNUC_WARN_UNUSED_RESULT;
/* The display name of @address for the reading pane: the CRM name when
 * the address belongs to a record, else the name in the message. Formats
 * as "Name <address>". @store may be NULL. */
char       *rp_crm_format_address        (RpStore          *store,
                                          const RpAddress  *address) G_GNUC_WARN_UNUSED_RESULT;

/* Keeps a CRM view current: after #RpStore::crm-changed with any of the
 * @what flags, calls @refresh on @widget once the burst is over (a short
 * delay after the first change, so that a filter run or an import that
 * commits many times refreshes once). Changes while @widget is not
 * mapped are let go: the view reads everything again when it is shown.
 * The widget owns the watch and frees it in its dispose. */
typedef struct _RpCrmWatch RpCrmWatch;
typedef void (*RpCrmRefreshFunc) (GtkWidget *widget);

RpCrmWatch *rp_crm_watch_new             (GtkWidget        *widget,
                                          guint             what,
                                          RpCrmRefreshFunc  refresh) G_GNUC_WARN_UNUSED_RESULT;
void        rp_crm_watch_set_store       (RpCrmWatch       *watch,
                                          RpStore          *store);
void        rp_crm_watch_free            (RpCrmWatch       *watch);

/* Removes every row of @list. */
void        rp_crm_list_box_clear        (GtkListBox       *list);
/* Splits "a@x, b@y; c@z" into trimmed addresses; NULL-terminated, never
 * NULL (may be empty). */
GStrv       rp_crm_split_addresses       (const char       *text) G_GNUC_WARN_UNUSED_RESULT;
/* The UTC midnight of the day a GtkCalendar shows. */
gint64      rp_crm_calendar_get_day      (GtkCalendar      *calendar);
/* Shows the UTC day @day (0: today) in @calendar. */
void        rp_crm_calendar_set_day      (GtkCalendar      *calendar,
                                          gint64            day);

G_END_DECLS
