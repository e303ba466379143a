/* rp-filter-rule-dialog.c: adding or editing one filter rule
 *
 * The widgets only render the rule and feed it input: on every change the
 * dialog builds an RpFilterRule from them and asks the core to validate
 * it, so that the editor refuses exactly what the store would refuse.
 * Save stays disabled while the rule is invalid, and a regular expression
 * that does not compile is named under its own condition.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport"

#include "config.h"

#include <glib/gi18n.h>

#include "rp-filter-rule-dialog-private.h"

struct _RpFilterRuleDialog
{
  AdwWindow       parent_instance;

  RpStore        *store;
  RpFilterRule   *original;        /* the rule as it came in (id, on/off) */
  GPtrArray      *conditions;      /* (element-type ConditionRow) in list order */
  GPtrArray      *actions;         /* (element-type ActionRow) in list order */
  /* The folders a move or copy can name, as specs and as shown. */
  GPtrArray      *folder_specs;    /* (element-type utf8) */
  GtkStringList  *folder_names;
  gint64          test_message_id;
  gboolean        tested;

  /* Template children */
  AdwWindowTitle *window_title;
  GtkWidget      *save_button;
  AdwEntryRow    *name_row;
  AdwComboRow    *match_row;
  GtkSwitch      *stop_switch;
  GtkListBox     *conditions_list;
  GtkListBox     *actions_list;
  GtkLabel       *problem_label;
  AdwActionRow   *test_row;
  GtkListBox     *results_list;
};

G_DEFINE_FINAL_TYPE (RpFilterRuleDialog, rp_filter_rule_dialog, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* One condition's widgets; the GtkListBoxRow owns the widgets. */
typedef struct
{
  RpFilterRuleDialog *dialog;      /* (unowned) */
  GtkWidget          *row;
  GtkDropDown        *field_dropdown;
  GtkEntry           *header_entry;
  GtkDropDown        *op_dropdown;
  GtkEntry           *value_entry;
  GtkLabel           *error_label;
  GArray             *ops;         /* (element-type RpFilterOp) per op_dropdown position */
} ConditionRow;

typedef struct
{
  RpFilterRuleDialog *dialog;      /* (unowned) */
  GtkWidget          *row;
  GtkDropDown        *type_dropdown;
  GtkDropDown        *folder_dropdown;
  GtkEntry           *argument_entry;
  /* A CRM link's record id: kept as it came, not edited here. */
  char               *crm_argument;
} ActionRow;

static void update_validity (RpFilterRuleDialog *self);

/* Auxiliary methods */

static void
condition_row_free (gpointer data)
{
  ConditionRow *crow = data;

  g_clear_pointer (&crow->ops, g_array_unref);
  g_free (crow);
}

static void
action_row_free (gpointer data)
{
  ActionRow *arow = data;

  g_free (arow->crm_argument);
  g_free (arow);
}

static GtkStringList *
new_field_list (void)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  /* The positions are the enum's values. */
  for (int field = 0; field <= RP_FILTER_FIELD_LAST; field++)
    gtk_string_list_append (list, rp_filter_field_get_display_name (field));

  return list;
}

static GtkStringList *
new_action_type_list (void)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  for (int type = 0; type <= RP_FILTER_ACTION_LAST; type++)
    gtk_string_list_append (list, rp_filter_action_type_get_display_name (type));

  return list;
}

static char *
dup_folder_path (GHashTable   *by_id,
                 RpFolderInfo *info)
{
  g_autoptr(GString) path = g_string_new (info->name);
  gint64 parent_id = info->parent_id;

  /* The depth bound only guards against a corrupt parent cycle. */
  for (guint depth = 0; parent_id != 0 && depth < 64; depth++)
    {
      RpFolderInfo *parent = g_hash_table_lookup (by_id, &parent_id);

      if (parent == NULL)
        break;
      g_string_prepend_c (path, '/');
      g_string_prepend (path, parent->name);
      parent_id = parent->parent_id;
    }

  return g_string_free (g_steal_pointer (&path), FALSE);
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

/* The special folders (of the message's own account, as a filter means
 * them), then every user folder path once, in alphabetical order. */
static void
load_folder_choices (RpFilterRuleDialog *self)
{
  static const RpFolderRole roles[] = {
    RP_FOLDER_ROLE_INBOX, RP_FOLDER_ROLE_SENT, RP_FOLDER_ROLE_DRAFTS,
    RP_FOLDER_ROLE_JUNK, RP_FOLDER_ROLE_TRASH,
  };
  g_autoptr(GPtrArray) folders = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      g_ptr_array_add (self->folder_specs, g_strdup (rp_folder_role_to_string (roles[i])));
      gtk_string_list_append (self->folder_names, rp_folder_role_get_display_name (roles[i]));
    }

  folders = rp_store_list_folders (self->store, &error);
  if (folders == NULL)
    {
      g_warning ("Cannot list the folders: %s", error->message);
      return;
    }

  for (guint i = 0; i < folders->len; i++)
    {
      RpFolderInfo *info = g_ptr_array_index (folders, i);

      g_hash_table_insert (by_id, &info->id, info);
    }
  for (guint i = 0; i < folders->len; i++)
    {
      RpFolderInfo *info = g_ptr_array_index (folders, i);
      g_autofree char *path = NULL;

      if (info->role != RP_FOLDER_ROLE_NONE)
        continue;
      path = dup_folder_path (by_id, info);
      if (!g_ptr_array_find_with_equal_func (paths, path, g_str_equal, NULL))
        g_ptr_array_add (paths, g_steal_pointer (&path));
    }
  g_ptr_array_sort (paths, compare_paths);
  for (guint i = 0; i < paths->len; i++)
    {
      g_ptr_array_add (self->folder_specs, g_strdup (g_ptr_array_index (paths, i)));
      gtk_string_list_append (self->folder_names, g_ptr_array_index (paths, i));
    }
}

/* The position of @spec among the folder choices; a spec that names no
 * folder known now (a folder renamed since) is added, not lost. */
static guint
folder_position (RpFilterRuleDialog *self,
                 const char         *spec)
{
  guint index;

  for (index = 0; index < self->folder_specs->len; index++)
    if (g_ascii_strcasecmp (g_ptr_array_index (self->folder_specs, index), spec) == 0)
      return index;

  g_ptr_array_add (self->folder_specs, g_strdup (spec));
  gtk_string_list_append (self->folder_names, spec);
  return index;
}

static RpFilterField
condition_field (ConditionRow *crow)
{
  return (RpFilterField) gtk_drop_down_get_selected (crow->field_dropdown);
}

static RpFilterOp
condition_op (ConditionRow *crow)
{
  guint selected = gtk_drop_down_get_selected (crow->op_dropdown);

  if (crow->ops->len == 0 || selected >= crow->ops->len)
    return RP_FILTER_OP_CONTAINS;

  return g_array_index (crow->ops, RpFilterOp, selected);
}

/* Offers the operators the field takes, keeping @keep when it is one. */
static void
fill_ops (ConditionRow *crow,
          RpFilterOp    keep)
{
  RpFilterField field = condition_field (crow);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint position = 0;

  g_array_set_size (crow->ops, 0);
  for (int op = 0; op <= RP_FILTER_OP_LAST; op++)
    {
      RpFilterOp value = op;

      if (!rp_filter_field_accepts_op (field, op))
        continue;
      if (op == (int) keep)
        position = crow->ops->len;
      g_array_append_val (crow->ops, value);
      gtk_string_list_append (names, rp_filter_op_get_display_name (op));
    }

  gtk_drop_down_set_model (crow->op_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (crow->op_dropdown, position);
  gtk_widget_set_visible (GTK_WIDGET (crow->op_dropdown), crow->ops->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (crow->value_entry), rp_filter_field_has_value (field));
  gtk_widget_set_visible (GTK_WIDGET (crow->header_entry), field == RP_FILTER_FIELD_HEADER);
  gtk_entry_set_placeholder_text (crow->value_entry,
                                  field == RP_FILTER_FIELD_SIZE ? _("Size, like 100k or 2M")
                                                                : _("Text"));
}

/* The regular expression of a condition, checked where it is typed. The
 * core compiles it the same way when the rule is saved. */
static gboolean
check_condition (ConditionRow *crow)
{
  const char *value = gtk_editable_get_text (GTK_EDITABLE (crow->value_entry));
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GError) error = NULL;

  if (rp_filter_field_has_value (condition_field (crow)) &&
      condition_op (crow) == RP_FILTER_OP_MATCHES)
    regex = g_regex_new (value, G_REGEX_CASELESS, 0, &error);

  gtk_widget_set_visible (GTK_WIDGET (crow->error_label), error != NULL);
  if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Not a valid regular expression: %s"),
                                               error->message);

      gtk_widget_add_css_class (GTK_WIDGET (crow->value_entry), "error");
      gtk_label_set_text (crow->error_label, text);
      return FALSE;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (crow->value_entry), "error");
  gtk_label_set_text (crow->error_label, "");
  return TRUE;
}

static RpFilterActionType
action_type (ActionRow *arow)
{
  return (RpFilterActionType) gtk_drop_down_get_selected (arow->type_dropdown);
}

static void
update_action_widgets (ActionRow *arow)
{
  RpFilterActionType type = action_type (arow);

  gtk_widget_set_visible (GTK_WIDGET (arow->folder_dropdown),
                          type == RP_FILTER_ACTION_MOVE || type == RP_FILTER_ACTION_COPY);
  gtk_widget_set_visible (GTK_WIDGET (arow->argument_entry), type == RP_FILTER_ACTION_FORWARD);
}

static RpFilterRule *
build_rule (RpFilterRuleDialog *self)
{
  RpFilterRule *rule = rp_filter_rule_new (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));

  if (self->original != NULL)
    {
      rule->id = self->original->id;
      rule->enabled = self->original->enabled;
    }
  rule->match_all = adw_combo_row_get_selected (self->match_row) == 0;
  rule->stop = gtk_switch_get_active (self->stop_switch);

  for (guint i = 0; i < self->conditions->len; i++)
    {
      ConditionRow *crow = g_ptr_array_index (self->conditions, i);
      RpFilterField field = condition_field (crow);
      const char *header = gtk_editable_get_text (GTK_EDITABLE (crow->header_entry));
      const char *value = gtk_editable_get_text (GTK_EDITABLE (crow->value_entry));

      rp_filter_rule_add_condition (rule,
                                    rp_filter_condition_new (field,
                                                             field == RP_FILTER_FIELD_HEADER
                                                             ? header : NULL,
                                                             condition_op (crow),
                                                             rp_filter_field_has_value (field)
                                                             ? value : ""));
    }

  for (guint i = 0; i < self->actions->len; i++)
    {
      ActionRow *arow = g_ptr_array_index (self->actions, i);
      RpFilterActionType type = action_type (arow);
      guint folder = gtk_drop_down_get_selected (arow->folder_dropdown);
      const char *argument = "";

      if ((type == RP_FILTER_ACTION_MOVE || type == RP_FILTER_ACTION_COPY) &&
          folder < self->folder_specs->len)
        argument = g_ptr_array_index (self->folder_specs, folder);
      else if (type == RP_FILTER_ACTION_FORWARD)
        argument = gtk_editable_get_text (GTK_EDITABLE (arow->argument_entry));
      else if (type == RP_FILTER_ACTION_LINK_CRM && arow->crm_argument != NULL)
        argument = arow->crm_argument;

      rp_filter_rule_add_action (rule, rp_filter_action_new (type, argument));
    }

  return rule;
}

static void
clear_results (RpFilterRuleDialog *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results_list))) != NULL)
    gtk_list_box_remove (self->results_list, child);
  gtk_widget_set_visible (GTK_WIDGET (self->results_list), FALSE);
  self->tested = FALSE;
}

static void
update_validity (RpFilterRuleDialog *self)
{
  g_autoptr(RpFilterRule) rule = NULL;
  g_autoptr(GError) error = NULL;
  gboolean valid;

  /* Template signals can still come while the dialog is torn down. */
  if (self->conditions == NULL || self->name_row == NULL)
    return;

  for (guint i = 0; i < self->conditions->len; i++)
    check_condition (g_ptr_array_index (self->conditions, i));

  rule = build_rule (self);
  valid = rp_filter_rule_validate (rule, &error);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "rule.save", valid);
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), !valid);
  gtk_label_set_text (self->problem_label, valid ? "" : error->message);
  gtk_widget_set_tooltip_text (self->save_button, valid ? NULL : error->message);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "rule.test",
                                 self->test_message_id != 0 && self->conditions->len > 0);
  /* An old result would describe another rule. */
  if (self->tested)
    clear_results (self);
}

static void
add_result_row (RpFilterRuleDialog *self,
                const char         *title,
                const char         *subtitle,
                gboolean            matched)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (matched ? "object-select-symbolic"
                                                          : "window-close-symbolic");

  gtk_widget_add_css_class (icon, matched ? "success" : "error");
  /* The icon alone would say it only to those who see colours and shapes. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  matched ? _("Matches") : _("Does not match"), -1);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_list_box_append (self->results_list, row);
}

/* Callbacks */

static void
on_changed (RpFilterRuleDialog *self)
{
  update_validity (self);
}

static void
on_field_changed (GtkDropDown  *dropdown,
                  GParamSpec   *pspec,
                  ConditionRow *crow)
{
  fill_ops (crow, condition_op (crow));
  update_validity (crow->dialog);
}

static void
on_action_type_changed (GtkDropDown *dropdown,
                        GParamSpec  *pspec,
                        ActionRow   *arow)
{
  update_action_widgets (arow);
  update_validity (arow->dialog);
}

static void
on_remove_condition (GtkButton    *button,
                     ConditionRow *crow)
{
  RpFilterRuleDialog *self = crow->dialog;

  gtk_list_box_remove (self->conditions_list, crow->row);
  g_ptr_array_remove (self->conditions, crow);
  update_validity (self);
}

static void
on_remove_action (GtkButton *button,
                  ActionRow *arow)
{
  RpFilterRuleDialog *self = arow->dialog;

  gtk_list_box_remove (self->actions_list, arow->row);
  g_ptr_array_remove (self->actions, arow);
  update_validity (self);
}

static GtkWidget *
new_remove_button (const char *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("list-remove-symbolic");

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "circular");
  return button;
}

static GtkWidget *
new_row_box (GtkWidget **line)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (box), *line);
  return box;
}

static void
add_condition_row (RpFilterRuleDialog      *self,
                   const RpFilterCondition *condition)
{
  ConditionRow *crow = g_new0 (ConditionRow, 1);
  g_autoptr(GtkStringList) fields = new_field_list ();
  GtkWidget *line, *box, *remove;

  crow->dialog = self;
  crow->ops = g_array_new (FALSE, FALSE, sizeof (RpFilterOp));
  box = new_row_box (&line);
  crow->field_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (fields)),
                                                           NULL));
  crow->header_entry = GTK_ENTRY (gtk_entry_new ());
  crow->op_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
  crow->value_entry = GTK_ENTRY (gtk_entry_new ());
  crow->error_label = GTK_LABEL (gtk_label_new (NULL));
  remove = new_remove_button (_("Remove Condition"));

  gtk_widget_set_valign (GTK_WIDGET (crow->field_dropdown), GTK_ALIGN_CENTER);
  gtk_widget_set_valign (GTK_WIDGET (crow->op_dropdown), GTK_ALIGN_CENTER);
  gtk_widget_set_valign (GTK_WIDGET (crow->header_entry), GTK_ALIGN_CENTER);
  gtk_widget_set_valign (GTK_WIDGET (crow->value_entry), GTK_ALIGN_CENTER);
  gtk_entry_set_placeholder_text (crow->header_entry, _("Header name"));
  gtk_editable_set_width_chars (GTK_EDITABLE (crow->header_entry), 12);
  gtk_editable_set_width_chars (GTK_EDITABLE (crow->value_entry), 12);
  gtk_widget_set_hexpand (GTK_WIDGET (crow->value_entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (crow->field_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("What to Look At"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (crow->op_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("How to Compare"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (crow->value_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Value"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (crow->header_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Header name"), -1);
  gtk_label_set_wrap (crow->error_label, TRUE);
  gtk_label_set_xalign (crow->error_label, 0.0);
  gtk_widget_add_css_class (GTK_WIDGET (crow->error_label), "error");
  gtk_widget_add_css_class (GTK_WIDGET (crow->error_label), "caption");
  gtk_widget_set_visible (GTK_WIDGET (crow->error_label), FALSE);

  gtk_box_append (GTK_BOX (line), GTK_WIDGET (crow->field_dropdown));
  gtk_box_append (GTK_BOX (line), GTK_WIDGET (crow->header_entry));
  gtk_box_append (GTK_BOX (line), GTK_WIDGET (crow->op_dropdown));
  gtk_box_append (GTK_BOX (line), GTK_WIDGET (crow->value_entry));
  gtk_box_append (GTK_BOX (line), remove);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (crow->error_label));

  if (condition != NULL)
    {
      gtk_drop_down_set_selected (crow->field_dropdown, condition->field);
      gtk_editable_set_text (GTK_EDITABLE (crow->header_entry),
                             condition->header != NULL ? condition->header : "");
      gtk_editable_set_text (GTK_EDITABLE (crow->value_entry), condition->value);
    }
  fill_ops (crow, condition != NULL ? condition->op : RP_FILTER_OP_CONTAINS);

  crow->row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (crow->row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (crow->row), box);
  gtk_list_box_append (self->conditions_list, crow->row);
  g_ptr_array_add (self->conditions, crow);

  /* Connected last, so that filling in the rule emits nothing. */
  g_signal_connect (crow->field_dropdown, "notify::selected", G_CALLBACK (on_field_changed),
                    crow);
  g_signal_connect_swapped (crow->op_dropdown, "notify::selected", G_CALLBACK (on_changed),
                            self);
  g_signal_connect_swapped (crow->header_entry, "changed", G_CALLBACK (on_changed), self);
  g_signal_connect_swapped (crow->value_entry, "changed", G_CALLBACK (on_changed), self);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_condition), crow);
}

static void
add_action_row (RpFilterRuleDialog   *self,
                const RpFilterAction *action)
{
  ActionRow *arow = g_new0 (ActionRow, 1);
  g_autoptr(GtkStringList) types = new_action_type_list ();
  GListModel *folders = G_LIST_MODEL (self->folder_names);
  GtkWidget *line, *box, *remove;

  arow->dialog = self;
  box = new_row_box (&line);
  arow->type_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (types)),
                                                          NULL));
  arow->folder_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (g_object_ref (folders), NULL));
  arow->argument_entry = GTK_ENTRY (gtk_entry_new ());
  remove = new_remove_button (_("Remove Action"));

  gtk_widget_set_valign (GTK_WIDGET (arow->type_dropdown), GTK_ALIGN_CENTER);
  gtk_widget_set_valign (GTK_WIDGET (arow->folder_dropdown), GTK_ALIGN_CENTER);
  gtk_widget_set_valign (GTK_WIDGET (arow->argument_entry), GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (GTK_WIDGET (arow->argument_entry), TRUE);
  gtk_entry_set_placeholder_text (arow->argument_entry, _("Address to forward to"));
  gtk_entry_set_input_purpose (arow->argument_entry, GTK_INPUT_PURPOSE_EMAIL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (arow->type_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("What to Do"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (arow->folder_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Folder"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (arow->argument_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Address to forward to"), -1);

  gtk_box_append (GTK_BOX (line), GTK_WIDGET (arow->type_dropdown));
  gtk_box_append (GTK_BOX (line), GTK_WIDGET (arow->folder_dropdown));
  gtk_box_append (GTK_BOX (line), GTK_WIDGET (arow->argument_entry));
  /* Pushes the remove button to the end when there is no entry. */
  {
    GtkWidget *spacer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

    gtk_widget_set_hexpand (spacer, TRUE);
    gtk_box_append (GTK_BOX (line), spacer);
  }
  gtk_box_append (GTK_BOX (line), remove);

  if (action != NULL)
    {
      gtk_drop_down_set_selected (arow->type_dropdown, action->type);
      if (action->type == RP_FILTER_ACTION_MOVE || action->type == RP_FILTER_ACTION_COPY)
        gtk_drop_down_set_selected (arow->folder_dropdown,
                                    folder_position (self, action->argument));
      else if (action->type == RP_FILTER_ACTION_FORWARD)
        gtk_editable_set_text (GTK_EDITABLE (arow->argument_entry), action->argument);
      else if (action->type == RP_FILTER_ACTION_LINK_CRM)
        arow->crm_argument = g_strdup (action->argument);
    }
  else
    {
      /* Sent is the folder this editor is mostly about. */
      const char *sent = rp_folder_role_to_string (RP_FOLDER_ROLE_SENT);

      gtk_drop_down_set_selected (arow->folder_dropdown, folder_position (self, sent));
    }
  update_action_widgets (arow);

  arow->row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (arow->row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (arow->row), box);
  gtk_list_box_append (self->actions_list, arow->row);
  g_ptr_array_add (self->actions, arow);

  g_signal_connect (arow->type_dropdown, "notify::selected", G_CALLBACK (on_action_type_changed),
                    arow);
  g_signal_connect_swapped (arow->folder_dropdown, "notify::selected", G_CALLBACK (on_changed),
                            self);
  g_signal_connect_swapped (arow->argument_entry, "changed", G_CALLBACK (on_changed), self);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_action), arow);
}

/* Actions */

static void
add_condition_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  RpFilterRuleDialog *self = RP_FILTER_RULE_DIALOG (widget);
  ConditionRow *crow;

  add_condition_row (self, NULL);
  crow = g_ptr_array_index (self->conditions, self->conditions->len - 1);
  gtk_widget_grab_focus (GTK_WIDGET (crow->field_dropdown));
  update_validity (self);
}

static void
add_action_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  RpFilterRuleDialog *self = RP_FILTER_RULE_DIALOG (widget);
  ActionRow *arow;

  add_action_row (self, NULL);
  arow = g_ptr_array_index (self->actions, self->actions->len - 1);
  gtk_widget_grab_focus (GTK_WIDGET (arow->type_dropdown));
  update_validity (self);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RpFilterRuleDialog *self = RP_FILTER_RULE_DIALOG (widget);
  g_autoptr(RpFilterRule) rule = build_rule (self);
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = rp_store_save_filter (self->store, rule, &error);
  if (id == 0)
    {
      gtk_label_set_text (self->problem_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->problem_label), TRUE);
      return;
    }

  g_signal_emit (self, signals[SAVED], 0, id);
  gtk_window_close (GTK_WINDOW (self));
}

static void
test_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RpFilterRuleDialog *self = RP_FILTER_RULE_DIALOG (widget);
  g_autoptr(RpFilterRule) rule = build_rule (self);
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  guint n_matched = 0;
  gboolean matched;

  clear_results (self);
  self->tested = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->results_list), TRUE);

  lines = rp_filter_explain (self->store, rule, self->test_message_id, &error);
  if (lines == NULL)
    {
      add_result_row (self, _("The rule cannot be tested"), error->message, FALSE);
      return;
    }

  for (guint i = 0; i < lines->len; i++)
    n_matched += ((RpFilterExplanation *) g_ptr_array_index (lines, i))->matched ? 1 : 0;
  matched = lines->len > 0 && (rule->match_all ? n_matched == lines->len : n_matched > 0);
  add_result_row (self,
                  matched ? _("The rule matches this message")
                          : _("The rule does not match this message"),
                  NULL, matched);
  for (guint i = 0; i < lines->len; i++)
    {
      RpFilterExplanation *line = g_ptr_array_index (lines, i);

      add_result_row (self, line->description,
                      line->matched ? _("Matches") : _("Does not match"), line->matched);
    }
}

/* GObject overrides */

static void
rp_filter_rule_dialog_dispose (GObject *object)
{
  RpFilterRuleDialog *self = RP_FILTER_RULE_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), RP_TYPE_FILTER_RULE_DIALOG);
  /* The rows' widgets are gone with the template; their data goes now. */
  g_clear_pointer (&self->conditions, g_ptr_array_unref);
  g_clear_pointer (&self->actions, g_ptr_array_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->folder_names);
  g_clear_pointer (&self->folder_specs, g_ptr_array_unref);
  g_clear_pointer (&self->original, rp_filter_rule_free);

  G_OBJECT_CLASS (rp_filter_rule_dialog_parent_class)->dispose (object);
}

static void
rp_filter_rule_dialog_class_init (RpFilterRuleDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rp_filter_rule_dialog_dispose;

  /**
   * RpFilterRuleDialog::saved:
   * @self: the dialog
   * @id: the id of the rule saved
   *
   * The rule was stored; the dialog closes next.
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rapportmail/Rapport/rp-filter-rule-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RpFilterRuleDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, RpFilterRuleDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, RpFilterRuleDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, RpFilterRuleDialog, match_row);
  gtk_widget_class_bind_template_child (widget_class, RpFilterRuleDialog, stop_switch);
  gtk_widget_class_bind_template_child (widget_class, RpFilterRuleDialog, conditions_list);
  gtk_widget_class_bind_template_child (widget_class, RpFilterRuleDialog, actions_list);
  gtk_widget_class_bind_template_child (widget_class, RpFilterRuleDialog, problem_label);
  gtk_widget_class_bind_template_child (widget_class, RpFilterRuleDialog, test_row);
  gtk_widget_class_bind_template_child (widget_class, RpFilterRuleDialog, results_list);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);

  gtk_widget_class_install_action (widget_class, "rule.add-condition", NULL,
                                   add_condition_action);
  gtk_widget_class_install_action (widget_class, "rule.add-action", NULL, add_action_action);
  gtk_widget_class_install_action (widget_class, "rule.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "rule.test", NULL, test_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "rule.save", NULL);
}

static void
rp_filter_rule_dialog_init (RpFilterRuleDialog *self)
{
  self->conditions = g_ptr_array_new_with_free_func (condition_row_free);
  self->actions = g_ptr_array_new_with_free_func (action_row_free);
  self->folder_specs = g_ptr_array_new_with_free_func (g_free);
  self->folder_names = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

/**
 * rp_filter_rule_dialog_new:
 * @store: the store the rule is saved in
 * @rule: (nullable): the rule to edit, or %NULL for a new one
 *
 * Returns: (transfer full): a new dialog, not yet shown
 */
RpFilterRuleDialog *
rp_filter_rule_dialog_new (RpStore            *store,
                           const RpFilterRule *rule)
{
  RpFilterRuleDialog *self;

  g_return_val_if_fail (RP_IS_STORE (store), NULL);

  self = g_object_new (RP_TYPE_FILTER_RULE_DIALOG, NULL);
  self->store = g_object_ref (store);
  load_folder_choices (self);

  if (rule != NULL)
    {
      self->original = rp_filter_rule_copy (rule);
      adw_window_title_set_title (self->window_title, _("Edit Rule"));
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), rule->name);
      adw_combo_row_set_selected (self->match_row, rule->match_all ? 0 : 1);
      gtk_switch_set_active (self->stop_switch, rule->stop);
      for (guint i = 0; i < rule->conditions->len; i++)
        add_condition_row (self, g_ptr_array_index (rule->conditions, i));
      for (guint i = 0; i < rule->actions->len; i++)
        add_action_row (self, g_ptr_array_index (rule->actions, i));
    }
  else
    {
      /* A new rule starts with one of each, ready to fill in. */
      adw_window_title_set_title (self->window_title, _("New Rule"));
      add_condition_row (self, NULL);
      add_action_row (self, NULL);
    }

  rp_filter_rule_dialog_set_test_message (self, 0);
  return self;
}

/**
 * rp_filter_rule_dialog_set_test_message:
 * @self: a #RpFilterRuleDialog
 * @message_id: a stored message, or 0
 *
 * Sets the message that "Test on Selected Message" tries the rule on.
 */
void
rp_filter_rule_dialog_set_test_message (RpFilterRuleDialog *self,
                                        gint64              message_id)
{
  g_autoptr(RpMessageItem) item = NULL;
  g_autofree char *subtitle = NULL;

  g_return_if_fail (RP_IS_FILTER_RULE_DIALOG (self));

  if (message_id != 0)
    item = rp_store_get_item (self->store, message_id, NULL);
  self->test_message_id = item != NULL ? message_id : 0;

  if (item != NULL)
    /* Translators: the first %s is a message's subject, the second its sender. */
    subtitle = g_strdup_printf (_("“%s” from %s"), rp_message_item_get_subject (item),
                                rp_message_item_get_sender (item));
  else
    subtitle = g_strdup (_("Select a message in the main window to try the rule on it"));
  adw_action_row_set_subtitle (self->test_row, subtitle);

  update_validity (self);
}

/* Private API, for tests */

AdwEntryRow *
_rp_filter_rule_dialog_get_name_row (RpFilterRuleDialog *self)
{
  return self->name_row;
}

GtkWidget *
_rp_filter_rule_dialog_get_save_button (RpFilterRuleDialog *self)
{
  return self->save_button;
}

guint
_rp_filter_rule_dialog_get_n_conditions (RpFilterRuleDialog *self)
{
  return self->conditions->len;
}

guint
_rp_filter_rule_dialog_get_n_actions (RpFilterRuleDialog *self)
{
  return self->actions->len;
}

void
_rp_filter_rule_dialog_set_condition (RpFilterRuleDialog *self,
                                      guint               index,
                                      RpFilterField       field,
                                      RpFilterOp          op)
{
  ConditionRow *crow = g_ptr_array_index (self->conditions, index);

  gtk_drop_down_set_selected (crow->field_dropdown, field);
  for (guint i = 0; i < crow->ops->len; i++)
    if (g_array_index (crow->ops, RpFilterOp, i) == op)
      gtk_drop_down_set_selected (crow->op_dropdown, i);
}

GtkEditable *
_rp_filter_rule_dialog_get_value_entry (RpFilterRuleDialog *self,
                                        guint               index)
{
  ConditionRow *crow = g_ptr_array_index (self->conditions, index);

  return GTK_EDITABLE (crow->value_entry);
}

GtkEditable *
_rp_filter_rule_dialog_get_header_entry (RpFilterRuleDialog *self,
                                         guint               index)
{
  ConditionRow *crow = g_ptr_array_index (self->conditions, index);

  return GTK_EDITABLE (crow->header_entry);
}

const char *
_rp_filter_rule_dialog_get_condition_error (RpFilterRuleDialog *self,
                                            guint               index)
{
  ConditionRow *crow = g_ptr_array_index (self->conditions, index);

  return gtk_widget_get_visible (GTK_WIDGET (crow->error_label))
         ? gtk_label_get_text (crow->error_label) : NULL;
}

void
_rp_filter_rule_dialog_set_action (RpFilterRuleDialog *self,
                                   guint               index,
                                   RpFilterActionType  type,
                                   const char         *folder_spec)
{
  ActionRow *arow = g_ptr_array_index (self->actions, index);

  gtk_drop_down_set_selected (arow->type_dropdown, type);
  if (folder_spec != NULL)
    gtk_drop_down_set_selected (arow->folder_dropdown, folder_position (self, folder_spec));
}

char *
_rp_filter_rule_dialog_get_test_result (RpFilterRuleDialog *self)
{
  g_autoptr(GString) text = NULL;

  if (!self->tested)
    return NULL;

  text = g_string_new (NULL);
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->results_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      if (!ADW_IS_ACTION_ROW (row))
        continue;
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}
