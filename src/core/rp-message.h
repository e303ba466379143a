/* rp-message.h: what the store, the list and search need to know about a
 * message, extracted from its raw bytes with GMime
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The length a snippet aims for, in characters. */
#define RP_MESSAGE_SNIPPET_LENGTH 200

typedef struct
{
  char *name;     /* decoded display name, UTF-8, may be NULL */
  char *address;  /* addr-spec, lower-cased domain, may be NULL for groups */
} RpAddress;

typedef struct
{
  char   *filename;     /* decoded (RFC 2047 / RFC 2231), UTF-8; NULL if none */
  char   *content_type; /* "type/subtype", lower case */
  char   *content_id;   /* without <>, for cid: links; NULL if none */
  gsize   size;         /* decoded size in bytes */
  gboolean is_inline;   /* Content-Disposition: inline (or an inline image) */
} RpAttachment;

/**
 * RpMessageSummary:
 *
 * Plain data, safe to build in a worker thread and hand to another.
 * Every string is valid UTF-8 (broken encodings become best-effort text).
 */
typedef struct
{
  RpAddress  *from;         /* first From address, or NULL */
  GPtrArray  *to;           /* (element-type RpAddress) never NULL */
  GPtrArray  *cc;           /* (element-type RpAddress) never NULL */
  GPtrArray  *reply_to;     /* (element-type RpAddress) never NULL */
  char       *sender;       /* Sender: address, or NULL */
  char       *subject;      /* decoded, never NULL (may be "") */
  gint64      date;         /* Unix time: Date: header, or the arrival time */
  gboolean    date_is_arrival; /* the Date: header was missing or absurd */
  char       *message_id;   /* without <>, or NULL */
  char       *in_reply_to;  /* without <>, or NULL */
  GStrv       references;   /* without <>, oldest first; never NULL */
  char       *list_id;      /* the id inside <>, or NULL */
  GPtrArray  *attachments;  /* (element-type RpAttachment) never NULL */
  char       *body_text;    /* text/plain preferred, else text from HTML; never NULL */
  gboolean    has_html;     /* a text/html part exists */
  gboolean    has_calendar; /* a text/calendar part exists */
  char       *snippet;      /* about RP_MESSAGE_SNIPPET_LENGTH characters, one line */
  gsize       size;         /* raw size in bytes */
} RpMessageSummary;

#define RP_TYPE_MESSAGE_SUMMARY (rp_message_summary_get_type ())

GType              rp_message_summary_get_type  (void) G_GNUC_CONST;
/* Never fails: garbage in gives a summary with what could be found.
 * @arrival_time is used when Date: is missing or absurd (before 1980 or
 * more than a day in the future). */
RpMessageSummary  *rp_message_summary_parse     (GBytes           *raw,
                                                 gint64            arrival_time) G_GNUC_WARN_UNUSED_RESULT;
RpMessageSummary  *rp_message_summary_copy      (const RpMessageSummary *summary) G_GNUC_WARN_UNUSED_RESULT;
void               rp_message_summary_free      (RpMessageSummary *summary);
/* "Name <address>" or the address alone. */
char              *rp_address_format            (const RpAddress  *address) G_GNUC_WARN_UNUSED_RESULT;
void               rp_address_free              (RpAddress        *address);
void               rp_attachment_free           (RpAttachment     *attachment);
/* HTML to plain text for snippets and search: drops tags, scripts and
 * styles, decodes entities, keeps paragraph breaks. */
char              *rp_html_to_text              (const char       *html,
                                                 gssize            length) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpMessageSummary, rp_message_summary_free)

G_END_DECLS
