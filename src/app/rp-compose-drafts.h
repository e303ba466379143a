/* rp-compose-drafts.h: the compose window's copy in the Drafts folder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rp-core.h"
#include "rp-composer.h"

G_BEGIN_DECLS

/* Stores @draft in the Drafts folder of @account, then deletes @previous
 * (0 for none). Returns the new copy's id, or 0 with @error set. */
gint64    _rp_compose_drafts_save    (RpStore           *store,
                                      const RpAccount   *account,
                                      const RpIdentity  *identity,
                                      const RpDraft     *draft,
                                      gint64             previous,
                                      GError           **error);
/* Takes @stored_id out of Drafts: into its account's Trash, or deleted
 * where there is none. */
gboolean  _rp_compose_drafts_discard (RpStore           *store,
                                      gint64             stored_id,
                                      GError           **error);

G_END_DECLS
