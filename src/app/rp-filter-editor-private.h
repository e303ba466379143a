/* rp-filter-editor-private.h: the filter editor's parts, for its tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rp-filter-editor.h"
#include "rp-filter-rule-dialog.h"

G_BEGIN_DECLS

/* A dragged rule travels as text: this prefix, then the rule's id. */
#define RP_FILTER_ID_PREFIX "x-rapport-filter-id:"

guint               _rp_filter_editor_get_n_rows         (RpFilterEditor *self);
/* The row of the rule at @index (an AdwActionRow with the rule's switch
 * and the drop target for dragged rules). */
AdwActionRow       *_rp_filter_editor_get_row            (RpFilterEditor *self,
                                                          guint           index);
GtkSwitch          *_rp_filter_editor_get_switch         (RpFilterEditor *self,
                                                          guint           index);
/* The rule dialog and the delete confirmation the editor opened, while
 * they are open. */
RpFilterRuleDialog *_rp_filter_editor_get_rule_dialog    (RpFilterEditor *self);
AdwMessageDialog   *_rp_filter_editor_get_delete_dialog  (RpFilterEditor *self);
/* What Export and Import do with the file the user chose. */
gboolean            _rp_filter_editor_export_to_file     (RpFilterEditor *self,
                                                          GFile          *file,
                                                          GError        **error);
gboolean            _rp_filter_editor_import_from_file   (RpFilterEditor *self,
                                                          GFile          *file,
                                                          GError        **error);

G_END_DECLS
