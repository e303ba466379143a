/* rp-outbox.h: messages waiting to be sent, and sending them over SMTP
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rp-account.h"
#include "rp-composer.h"
#include "rp-secrets.h"
#include "rp-store.h"

G_BEGIN_DECLS

/**
 * RpOutboxState:
 * @RP_OUTBOX_STATE_QUEUED: waiting for the next flush
 * @RP_OUTBOX_STATE_TEMPORARY_FAILURE: failed for now (no connection, 4xx,
 *   a wrong password); retried at next_attempt
 * @RP_OUTBOX_STATE_PERMANENT_FAILURE: the server refused the message (5xx);
 *   kept with its reason until the user retries or deletes it
 * @RP_OUTBOX_STATE_SENDING: a flush is sending it right now
 * @RP_OUTBOX_STATE_POSSIBLY_SENT: a send was interrupted after the server
 *   may have taken the message; never sent again without the user's word
 * @RP_OUTBOX_STATE_PARTIALLY_SENT: sent and moved to Sent, but some
 *   recipients were refused (listed in last_error)
 *
 * PERSISTED: stored in outbox.state; never renumber.
 */
typedef enum
{
  RP_OUTBOX_STATE_QUEUED            = 0,
  RP_OUTBOX_STATE_TEMPORARY_FAILURE = 1,
  RP_OUTBOX_STATE_PERMANENT_FAILURE = 2,
  RP_OUTBOX_STATE_SENDING           = 3,
  RP_OUTBOX_STATE_POSSIBLY_SENT     = 4,
  RP_OUTBOX_STATE_PARTIALLY_SENT    = 5,
} RpOutboxState;

/**
 * RpOutboxFlushFlags:
 * @RP_OUTBOX_FLUSH_DUE: messages whose back-off has passed
 * @RP_OUTBOX_FLUSH_NOW: also messages still backing off (the user asked)
 */
typedef enum /*< flags >*/
{
  RP_OUTBOX_FLUSH_DUE = 0,
  RP_OUTBOX_FLUSH_NOW = 1 << 0,
} RpOutboxFlushFlags;

/* The first retry comes after a minute, then 2, 4, … up to an hour. */
#define RP_OUTBOX_FIRST_BACKOFF 60
#define RP_OUTBOX_MAX_BACKOFF   3600
/* A message "sending" for longer than this was left by a flush that died. */
#define RP_OUTBOX_SENDING_STALE (30 * 60)

typedef struct
{
  gint64         message_id;
  gint64         account_id;
  char          *account_name;
  char          *from;           /* the From address */
  char          *to;             /* "Name <a@b>, c@d" */
  char          *subject;
  char          *envelope_from;
  GStrv          recipients;     /* every envelope recipient, Bcc included */
  RpOutboxState  state;
  guint          attempts;
  gint64         next_attempt;   /* Unix time; 0 when not scheduled */
  gint64         queued;
  char          *last_error;     /* nullable */
} RpOutboxEntry;

typedef struct
{
  guint attempted;
  guint sent;            /* including partially_sent */
  guint partially_sent;
  guint failed;
} RpOutboxFlushStats;

/* Composes @draft as @identity of @account and stores it in the account's
 * Outbox, with its envelope (Bcc included, also as Bcc addresses of the
 * stored copy), in one transaction. Returns the message id, 0 on error. */
gint64         rp_outbox_queue_sync           (RpStore             *store,
                                               const RpAccount     *account,
                                               const RpIdentity    *identity,
                                               const RpDraft       *draft,
                                               GCancellable        *cancellable,
                                               GError             **error);
/* The same for a message already built. @bcc lists those @recipients
 * that are Bcc, for the stored copy's metadata. */
gint64         rp_outbox_queue_bytes_sync     (RpStore             *store,
                                               const RpAccount     *account,
                                               const RpIdentity    *identity,
                                               GBytes              *message,
                                               const char          *envelope_from,
                                               const char * const  *recipients,
                                               const GPtrArray     *bcc,
                                               GCancellable        *cancellable,
                                               GError             **error);
/* Sends what is due (@message_id 0: everything; else that message only).
 * Returns TRUE if every message tried was accepted; otherwise FALSE with
 * the first failure in @error, and the failed messages stay in the Outbox
 * with their state and reason. Runs in the calling (worker) thread. */
gboolean       rp_outbox_flush_sync           (RpStore             *store,
                                               RpSecrets           *secrets,
                                               gint64               message_id,
                                               RpOutboxFlushFlags   flags,
                                               RpOutboxFlushStats  *stats,
                                               GCancellable        *cancellable,
                                               GError             **error);
void           rp_outbox_flush_async          (RpStore             *store,
                                               RpSecrets           *secrets,
                                               gint64               message_id,
                                               RpOutboxFlushFlags   flags,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean       rp_outbox_flush_finish         (RpStore             *store,
                                               GAsyncResult        *result,
                                               RpOutboxFlushStats  *stats,
                                               GError             **error);
/* Every Outbox row (of @account_id, or of all accounts with 0), oldest
 * first. */
GPtrArray     *rp_outbox_list                 (RpStore             *store,
                                               gint64               account_id,
                                               GError             **error) G_GNUC_WARN_UNUSED_RESULT;
RpOutboxEntry *rp_outbox_get                  (RpStore             *store,
                                               gint64               message_id,
                                               GError             **error) G_GNUC_WARN_UNUSED_RESULT;
/* A failed or possibly sent message goes back to the queue. */
gboolean       rp_outbox_retry                (RpStore             *store,
                                               gint64               message_id,
                                               GError             **error);
/* The user's word that a possibly sent message did go out: it moves to
 * Sent. For a partially sent one, forgets the refusal record. */
gboolean       rp_outbox_mark_sent            (RpStore             *store,
                                               gint64               message_id,
                                               GError             **error);
void           rp_outbox_entry_free           (RpOutboxEntry       *entry);
/* "queued", "temporary-failure", "permanent-failure", "sending",
 * "possibly-sent", "partially-sent". */
const char    *rp_outbox_state_to_string      (RpOutboxState        state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpOutboxEntry, rp_outbox_entry_free)

G_END_DECLS
