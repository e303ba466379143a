/* rp-scheduler.h: polls every account on its own schedule
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rp-fetcher.h"

G_BEGIN_DECLS

#define RP_TYPE_SCHEDULER (rp_scheduler_get_type ())

G_DECLARE_FINAL_TYPE (RpScheduler, rp_scheduler, RP, SCHEDULER, GObject)

/* Lives in the main context of the thread that creates it; fetches run
 * in worker threads, one per account, so a hanging server holds up only
 * its own account. */
RpScheduler *rp_scheduler_new              (RpFetcher   *fetcher,
                                            RpStore     *store) G_GNUC_WARN_UNUSED_RESULT;
/* Reads the accounts and arms a timer for each enabled one (its
 * poll_minutes, after any back-off); call again after accounts change. */
void         rp_scheduler_start            (RpScheduler *self);
void         rp_scheduler_stop             (RpScheduler *self);
/* Fetches now (F5), unless a fetch of that account is already running.
 * With @account_name NULL, every enabled account. */
void         rp_scheduler_fetch_now        (RpScheduler *self,
                                            const char  *account_name);
gboolean     rp_scheduler_is_fetching      (RpScheduler *self,
                                            const char  *account_name);
/* For tests: poll intervals are multiplied by this (default 60 000 ms per
 * minute). */
void         rp_scheduler_set_minute_ms    (RpScheduler *self,
                                            guint        minute_ms);

G_END_DECLS
