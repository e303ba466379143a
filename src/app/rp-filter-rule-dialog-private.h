/* rp-filter-rule-dialog-private.h: the rule dialog's parts, for its tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rp-filter-rule-dialog.h"

G_BEGIN_DECLS

AdwEntryRow  *_rp_filter_rule_dialog_get_name_row      (RpFilterRuleDialog *self);
GtkWidget    *_rp_filter_rule_dialog_get_save_button   (RpFilterRuleDialog *self);
guint         _rp_filter_rule_dialog_get_n_conditions  (RpFilterRuleDialog *self);
guint         _rp_filter_rule_dialog_get_n_actions     (RpFilterRuleDialog *self);
/* Chooses in the drop-downs of condition @index, as a user would. */
void          _rp_filter_rule_dialog_set_condition     (RpFilterRuleDialog *self,
                                                        guint               index,
                                                        RpFilterField       field,
                                                        RpFilterOp          op);
/* The value entry (and the header name entry) of condition @index. */
GtkEditable  *_rp_filter_rule_dialog_get_value_entry   (RpFilterRuleDialog *self,
                                                        guint               index);
GtkEditable  *_rp_filter_rule_dialog_get_header_entry  (RpFilterRuleDialog *self,
                                                        guint               index);
/* The error shown in place under condition @index, or NULL. */
const char   *_rp_filter_rule_dialog_get_condition_error (RpFilterRuleDialog *self,
                                                          guint               index);
/* Chooses the type of action @index and, for a move or a copy, the
 * folder by its spec ("Sent", "Projects/2026"). */
void          _rp_filter_rule_dialog_set_action        (RpFilterRuleDialog *self,
                                                        guint               index,
                                                        RpFilterActionType  type,
                                                        const char         *folder_spec);
/* The text of the first line of the test's results and of each
 * condition's line after it, "\n"-separated, or NULL before a test. */
char         *_rp_filter_rule_dialog_get_test_result   (RpFilterRuleDialog *self) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
