/* rp-account-store.h: accounts and identities in the store's database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rp-account.h"
#include "rp-store.h"

G_BEGIN_DECLS

GPtrArray *rp_store_load_accounts         (RpStore          *store,
                                           GError          **error) G_GNUC_WARN_UNUSED_RESULT;
RpAccount *rp_store_load_account          (RpStore          *store,
                                           const char       *name,
                                           GError          **error) G_GNUC_WARN_UNUSED_RESULT;
RpAccount *rp_store_load_account_by_id    (RpStore          *store,
                                           gint64            account_id,
                                           GError          **error) G_GNUC_WARN_UNUSED_RESULT;
/* Inserts or updates the account (by name) and replaces its identities;
 * creates its special folders. Sets account->id and identity ids. */
gboolean   rp_store_save_account          (RpStore          *store,
                                           RpAccount        *account,
                                           GError          **error);
/* Applies the failure policy after a fetch: success (@error NULL) resets
 * the counters; authentication failures disable the account at 10 in a
 * row, connection failures at 50; temporary errors set a back-off. */
gboolean   rp_store_record_fetch_outcome  (RpStore          *store,
                                           gint64            account_id,
                                           const GError     *outcome,
                                           GError          **error);
/* Turns the account back on and resets the counters. */
gboolean   rp_store_enable_account        (RpStore          *store,
                                           gint64            account_id,
                                           gboolean          enabled,
                                           GError          **error);

G_END_DECLS
