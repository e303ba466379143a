/* rp-filter-editor.h: the preferences page of filter rules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rp-core.h"

G_BEGIN_DECLS

#define RP_TYPE_FILTER_EDITOR (rp_filter_editor_get_type ())

G_DECLARE_FINAL_TYPE (RpFilterEditor, rp_filter_editor, RP, FILTER_EDITOR, AdwPreferencesPage)

RpFilterEditor *rp_filter_editor_new    (RpStore        *store) G_GNUC_WARN_UNUSED_RESULT;
/* Reads the rules from the store again (after others changed them). */
void            rp_filter_editor_reload (RpFilterEditor *self);

G_END_DECLS
