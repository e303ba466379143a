/* rp-filter-rule-dialog.h: adding or editing one filter rule
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rp-core.h"
#include "rp-filter.h"

G_BEGIN_DECLS

#define RP_TYPE_FILTER_RULE_DIALOG (rp_filter_rule_dialog_get_type ())

G_DECLARE_FINAL_TYPE (RpFilterRuleDialog, rp_filter_rule_dialog, RP, FILTER_RULE_DIALOG, AdwWindow)

/* Edits a copy of @rule, or a new rule with @rule NULL. Save stores it in
 * @store, emits ::saved with the rule's id and closes the dialog. */
RpFilterRuleDialog *rp_filter_rule_dialog_new              (RpStore            *store,
                                                            const RpFilterRule *rule) G_GNUC_WARN_UNUSED_RESULT;
/* The message "Test on Selected Message" tries the rule on; 0 for none. */
void                rp_filter_rule_dialog_set_test_message (RpFilterRuleDialog *self,
                                                            gint64              message_id);

G_END_DECLS
