/* rp-message-view-private.h: what the UI tests look at inside the view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <webkit/webkit.h>

#include "rp-message.h"
#include "rp-message-view.h"

G_BEGIN_DECLS

/* NULL until the first HTML message is shown. */
WebKitWebView *_rp_message_view_get_web_view      (RpMessageView *self);
GtkTextView   *_rp_message_view_get_text_view     (RpMessageView *self);
GtkLabel      *_rp_message_view_get_subject_label (RpMessageView *self);
/* How many cid: requests the scheme handler answered from this view's
 * message, and the Content-ID of the last one. */
guint          _rp_message_view_get_cid_requests  (RpMessageView *self,
                                                   const char   **last_cid);
gboolean       _rp_message_view_get_remote_bar_shown (RpMessageView *self);
/* The rows of the attachment list (AdwActionRows). */
GtkListBox    *_rp_message_view_get_attachment_list (RpMessageView *self);
/* Shown for a message of a Drafts folder; activates win.edit-draft. */
GtkButton     *_rp_message_view_get_edit_draft_button (RpMessageView *self);

G_END_DECLS

G_BEGIN_DECLS

/* One part of a message that is not body text: an attachment, or an inline
 * part a cid: link can point to. Plain data, built by the parsing worker. */
typedef struct
{
  char   *filename;     /* UTF-8, never NULL (a made-up name if needed) */
  char   *content_type; /* "type/subtype", lower case */
  char   *content_id;   /* without <>, or NULL */
  GBytes *data;         /* decoded content */
  gboolean is_attachment; /* listed below the body */
} RpMessagePart;

/* A parsed message, built in a worker thread, then only read. */
typedef struct
{
  RpMessageSummary *summary;
  char             *text;   /* the text/plain body, UTF-8, or NULL */
  char             *html;   /* the text/html body, UTF-8, or NULL */
  GPtrArray        *parts;  /* (element-type RpMessagePart) */
} RpParsedMessage;

RpParsedMessage *_rp_parsed_message_new_from_bytes (GBytes          *raw,
                                                    GCancellable    *cancellable,
                                                    GError         **error) G_GNUC_WARN_UNUSED_RESULT;
void             _rp_parsed_message_free           (RpParsedMessage *parsed);
/* The part whose Content-ID is @cid, or NULL. */
RpMessagePart   *_rp_parsed_message_find_cid       (RpParsedMessage *parsed,
                                                    const char      *cid);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpParsedMessage, _rp_parsed_message_free)

G_END_DECLS
