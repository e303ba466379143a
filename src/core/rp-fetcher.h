/* rp-fetcher.h: fetching an account's mail over POP3 into the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rp-account.h"
#include "rp-secrets.h"
#include "rp-store.h"

G_BEGIN_DECLS

typedef struct
{
  const char *account_name;
  guint       messages_done;
  guint       messages_total;
  guint64     bytes_done;
  guint64     bytes_total;
  double      bytes_per_second;
  double      seconds_left;     /* < 0 when not known yet */
} RpFetchProgress;

typedef struct
{
  guint    new_messages;
  guint    duplicates;
  guint64  bytes;
  guint    deleted_on_server;
  guint    on_server;
} RpFetchStats;

/* Called in the fetching thread for every progress step. */
typedef void (*RpFetchProgressFunc) (const RpFetchProgress *progress,
                                     gpointer               user_data);

/* Called in the fetching thread for each new message before it is stored:
 * may set msg->folder_id and msg->flags (the filters plug in here). The
 * summary is already parsed. */
typedef void (*RpFetchClassifyFunc) (const RpAccount   *account,
                                     RpStoreNewMessage *msg,
                                     gpointer           user_data);

#define RP_TYPE_FETCHER (rp_fetcher_get_type ())

G_DECLARE_FINAL_TYPE (RpFetcher, rp_fetcher, RP, FETCHER, GObject)

RpFetcher *rp_fetcher_new               (RpStore              *store,
                                         RpSecrets            *secrets) G_GNUC_WARN_UNUSED_RESULT;
void       rp_fetcher_set_classify_func (RpFetcher            *self,
                                         RpFetchClassifyFunc   func,
                                         gpointer              user_data,
                                         GDestroyNotify        destroy);
/* Seconds each network read or write may take (default 60). */
void       rp_fetcher_set_timeout       (RpFetcher            *self,
                                         guint                 seconds);

/* Fetches one account in the calling (worker) thread. A disabled account
 * fails with RP_ERROR_ACCOUNT_DISABLED without any connection. The
 * outcome updates the account's failure counters. */
gboolean   rp_fetcher_fetch_sync        (RpFetcher            *self,
                                         const char           *account_name,
                                         RpFetchStats         *stats,
                                         RpFetchProgressFunc   progress,
                                         gpointer              progress_data,
                                         GCancellable         *cancellable,
                                         GError              **error);
/* The same in a worker thread; ::progress is emitted in the caller's main
 * context, a few times a second at most. */
void       rp_fetcher_fetch_async       (RpFetcher            *self,
                                         const char           *account_name,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean   rp_fetcher_fetch_finish      (RpFetcher            *self,
                                         GAsyncResult         *result,
                                         RpFetchStats         *stats,
                                         GError              **error);

G_END_DECLS
