/* rp-filter-editor.c: the preferences page of filter rules
 *
 * The rules in the order they run, each with its switch; a row opens the
 * rule in RpFilterRuleDialog. The order changes by dragging a row onto
 * another, or from the keyboard with Alt+Up and Alt+Down (also in each
 * row's menu). The page keeps no copy of its own that could drift from
 * the store: every change is written at once and the list read again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport"

#include "config.h"

#include <glib/gi18n.h>

#include "rp-filter-editor-private.h"
#include "rp-filter.h"
#include "rp-window-private.h"

struct _RpFilterEditor
{
  AdwPreferencesPage  parent_instance;

  RpStore            *store;
  GPtrArray          *rules;           /* (element-type RpFilterRule) as shown */
  RpFilterRuleDialog *rule_dialog;     /* (nullable) (weak) */
  AdwMessageDialog   *delete_dialog;   /* (nullable) (weak) */

  /* Template children */
  GtkListBox         *rules_list;
};

G_DEFINE_FINAL_TYPE (RpFilterEditor, rp_filter_editor, ADW_TYPE_PREFERENCES_PAGE)

/* Auxiliary methods */

static gint64
row_id (GtkWidget *row)
{
  gint64 *id = g_object_get_data (G_OBJECT (row), "rp-filter-id");

  return id != NULL ? *id : 0;
}

static int
rule_index (RpFilterEditor *self,
            gint64          id)
{
  for (guint i = 0; i < self->rules->len; i++)
    if (((RpFilterRule *) g_ptr_array_index (self->rules, i))->id == id)
      return (int) i;

  return -1;
}

static GtkWindow *
parent_window (RpFilterEditor *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
show_message (RpFilterEditor *self,
              const char     *text,
              gboolean        is_error)
{
  GtkWindow *window = parent_window (self);
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  AdwToast *toast;

  /* Outside a preferences window (a test's own window) there is no
   * overlay to show it in. */
  if (!ADW_IS_PREFERENCES_WINDOW (window))
    {
      g_message ("%s", text);
      return;
    }

  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, is_error ? 0 : 5);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (window), toast);
}

/* Shows @text (taken) as an error. */
static void
show_error (RpFilterEditor *self,
            char           *text)
{
  show_message (self, text, TRUE);
  g_free (text);
}

/* "From contains “x” → Move to “Sent”", shortened to the first
 * condition and a count of the others. */
static char *
describe_rule (const RpFilterRule *rule)
{
  g_autoptr(GString) actions = g_string_new (NULL);
  g_autofree char *first = NULL;
  g_autofree char *conditions = NULL;

  if (rule->conditions->len > 0)
    first = rp_filter_condition_describe (g_ptr_array_index (rule->conditions, 0));
  if (rule->conditions->len > 1)
    conditions = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "%s, and %u more condition",
                                               "%s, and %u more conditions",
                                               rule->conditions->len - 1),
                                  first, rule->conditions->len - 1);
  else
    conditions = g_strdup (first != NULL ? first : "");

  for (guint i = 0; i < rule->actions->len; i++)
    {
      g_autofree char *action = rp_filter_action_describe (g_ptr_array_index (rule->actions, i));

      if (actions->len > 0)
        g_string_append (actions, ", ");
      g_string_append (actions, action);
    }

  /* Translators: the conditions of a filter rule, then its actions. */
  return g_strdup_printf (_("%s → %s"), conditions, actions->str);
}

static void
focus_rule (RpFilterEditor *self,
            gint64          id)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->rules_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (row_id (row) == id)
      {
        gtk_widget_grab_focus (row);
        return;
      }
}

/* Moves rule @id so that it comes before the rule now at @before (or
 * last, with @before the number of rules), and stores the new order. */
static gboolean
move_rule (RpFilterEditor *self,
           gint64          id,
           guint           before)
{
  g_autoptr(GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), self->rules->len);
  g_autoptr(GError) error = NULL;
  int from = rule_index (self, id);
  guint to = MIN (before, self->rules->len);

  if (from < 0)
    return FALSE;
  if ((guint) from < to)
    to--;
  if ((guint) from == to)
    return TRUE;

  for (guint i = 0; i < self->rules->len; i++)
    {
      gint64 other = ((RpFilterRule *) g_ptr_array_index (self->rules, i))->id;

      if (other != id)
        g_array_append_val (ids, other);
    }
  g_array_insert_val (ids, to, id);

  if (!rp_store_reorder_filters (self->store, (const gint64 *) (gconstpointer) ids->data,
                                 ids->len, &error))
    {
      show_error (self, g_strdup_printf (_("Cannot change the order of the rules: %s"),
                                         error->message));
      return FALSE;
    }

  rp_filter_editor_reload (self);
  focus_rule (self, id);
  return TRUE;
}

/* Callbacks */

static void
on_switch_active (GtkSwitch      *sw,
                  GParamSpec     *pspec,
                  RpFilterEditor *self)
{
  gint64 id = row_id (g_object_get_data (G_OBJECT (sw), "rp-row"));
  int index = rule_index (self, id);
  g_autoptr(RpFilterRule) rule = NULL;
  g_autoptr(GError) error = NULL;

  if (index < 0)
    return;

  rule = rp_filter_rule_copy (g_ptr_array_index (self->rules, index));
  if (rule->enabled == gtk_switch_get_active (sw))
    return;
  rule->enabled = gtk_switch_get_active (sw);
  if (rp_store_save_filter (self->store, rule, &error) == 0)
    {
      show_error (self, g_strdup_printf (_("Cannot save the rule: %s"), error->message));
      return;
    }

  /* The rule as stored now, for the next change. */
  rp_filter_rule_free (g_ptr_array_index (self->rules, index));
  g_ptr_array_index (self->rules, index) = g_steal_pointer (&rule);
}

static void
on_row_activated (AdwActionRow   *row,
                  RpFilterEditor *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "filters.edit", "x", row_id (GTK_WIDGET (row)));
}

static GdkContentProvider *
on_drag_prepare (GtkDragSource *source,
                 double         x,
                 double         y,
                 GtkWidget     *row)
{
  g_autofree char *text = g_strdup_printf (RP_FILTER_ID_PREFIX "%" G_GINT64_FORMAT, row_id (row));

  g_object_set_data (G_OBJECT (source), "rp-hot-x", GINT_TO_POINTER ((int) x));
  g_object_set_data (G_OBJECT (source), "rp-hot-y", GINT_TO_POINTER ((int) y));
  return gdk_content_provider_new_typed (G_TYPE_STRING, text);
}

static void
on_drag_begin (GtkDragSource *source,
               GdkDrag       *drag,
               GtkWidget     *row)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (row);

  gtk_drag_source_set_icon (source, paintable,
                            GPOINTER_TO_INT (g_object_get_data (G_OBJECT (source), "rp-hot-x")),
                            GPOINTER_TO_INT (g_object_get_data (G_OBJECT (source), "rp-hot-y")));
}

/* A rule dropped on the upper half of a row goes before it, on the lower
 * half after it. */
static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         GtkWidget     *row)
{
  RpFilterEditor *self = RP_FILTER_EDITOR (gtk_widget_get_ancestor (row, RP_TYPE_FILTER_EDITOR));
  const char *text;
  gint64 id;
  char *end = NULL;
  int index;

  if (self == NULL || !G_VALUE_HOLDS_STRING (value))
    return FALSE;
  text = g_value_get_string (value);
  if (text == NULL || !g_str_has_prefix (text, RP_FILTER_ID_PREFIX))
    return FALSE;
  id = g_ascii_strtoll (text + strlen (RP_FILTER_ID_PREFIX), &end, 10);
  if (end == NULL || *end != '\0' || rule_index (self, id) < 0)
    return FALSE;

  index = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row));
  if (y > gtk_widget_get_height (row) / 2.0)
    index++;

  return move_rule (self, id, (guint) index);
}

static void
append_menu_item (GMenu      *menu,
                  const char *label,
                  const char *action,
                  gint64      id)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item, action, g_variant_new_int64 (id));
  g_menu_append_item (menu, item);
}

static GtkWidget *
new_rule_row (RpFilterEditor     *self,
              const RpFilterRule *rule,
              guint               index)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *handle = gtk_image_new_from_icon_name ("list-drag-handle-symbolic");
  GtkWidget *sw = gtk_switch_new ();
  GtkWidget *menu_button = gtk_menu_button_new ();
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) edit_section = g_menu_new ();
  g_autoptr(GMenu) move_section = g_menu_new ();
  g_autoptr(GMenu) delete_section = g_menu_new ();
  g_autofree char *subtitle = describe_rule (rule);
  GtkDragSource *source = gtk_drag_source_new ();
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_MOVE);
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();
  GtkShortcut *shortcut;

  g_object_set_data_full (G_OBJECT (row), "rp-filter-id",
                          g_memdup2 (&rule->id, sizeof rule->id), g_free);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), rule->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_signal_connect (row, "activated", G_CALLBACK (on_row_activated), self);

  gtk_widget_add_css_class (handle, "dim-label");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), handle);

  gtk_switch_set_active (GTK_SWITCH (sw), rule->enabled);
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (sw, _("Turn the Rule On or Off"));
  g_object_set_data (G_OBJECT (sw), "rp-row", row);
  g_object_set_data (G_OBJECT (row), "rp-switch", sw);
  g_signal_connect (sw, "notify::active", G_CALLBACK (on_switch_active), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);

  append_menu_item (edit_section, _("_Edit…"), "filters.edit", rule->id);
  /* The first rule cannot go up, nor the last down. */
  if (index > 0)
    append_menu_item (move_section, _("Move _Up"), "filters.move-up", rule->id);
  if (index + 1 < self->rules->len)
    append_menu_item (move_section, _("Move _Down"), "filters.move-down", rule->id);
  append_menu_item (delete_section, _("_Delete…"), "filters.delete", rule->id);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (edit_section));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (move_section));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (delete_section));
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu_button), G_MENU_MODEL (menu));
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "view-more-symbolic");
  gtk_widget_set_valign (menu_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (menu_button, _("More"));
  gtk_widget_add_css_class (menu_button, "flat");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), menu_button);

  /* Dragging moves the rule; the row is both the source and a target. */
  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect (source, "prepare", G_CALLBACK (on_drag_prepare), row);
  g_signal_connect (source, "drag-begin", G_CALLBACK (on_drag_begin), row);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (source));
  g_signal_connect (target, "drop", G_CALLBACK (on_drop), row);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (target));

  /* The same for the keyboard. */
  shortcut = gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Alt>Up"),
                               gtk_named_action_new ("filters.move-up"));
  gtk_shortcut_set_arguments (shortcut, g_variant_new_int64 (rule->id));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), shortcut);
  shortcut = gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Alt>Down"),
                               gtk_named_action_new ("filters.move-down"));
  gtk_shortcut_set_arguments (shortcut, g_variant_new_int64 (rule->id));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), shortcut);
  gtk_widget_add_controller (row, shortcuts);

  return row;
}

static void
on_rule_saved (RpFilterRuleDialog *dialog,
               gint64              id,
               RpFilterEditor     *self)
{
  rp_filter_editor_reload (self);
  focus_rule (self, id);
}

static void
on_delete_response (AdwMessageDialog *dialog,
                    const char       *response,
                    RpFilterEditor   *self)
{
  gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (dialog), "rp-filter-id");
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "delete"))
    return;

  if (!rp_store_delete_filter (self->store, id, &error))
    {
      show_error (self, g_strdup_printf (_("Cannot delete the rule: %s"), error->message));
      return;
    }
  rp_filter_editor_reload (self);
}

static void
on_export_response (GtkNativeDialog *chooser,
                    int              response,
                    RpFilterEditor  *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    {
      if (_rp_filter_editor_export_to_file (self, file, &error))
        show_message (self, _("Rules exported"), FALSE);
      else
        show_error (self, g_strdup_printf (_("Cannot export the rules: %s"), error->message));
    }
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
on_import_response (GtkNativeDialog *chooser,
                    int              response,
                    RpFilterEditor  *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    {
      if (_rp_filter_editor_import_from_file (self, file, &error))
        show_message (self, _("Rules imported"), FALSE);
      else
        show_error (self, g_strdup_printf (_("Cannot import the rules: %s"), error->message));
    }
  g_object_unref (chooser);
  g_object_unref (self);
}

/* The first message selected in the main window, for "Test on Selected
 * Message": the window the preferences belong to, or else any. */
static gint64
selected_message (RpFilterEditor *self)
{
  GtkWindow *window = parent_window (self);
  GtkWindow *main_window = window != NULL ? gtk_window_get_transient_for (window) : NULL;
  GtkApplication *app = window != NULL ? gtk_window_get_application (window) : NULL;
  g_autoptr(GArray) ids = NULL;

  if (!RP_IS_WINDOW (main_window) && app != NULL)
    {
      main_window = NULL;
      for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
        if (RP_IS_WINDOW (l->data))
          {
            main_window = l->data;
            break;
          }
    }
  if (!RP_IS_WINDOW (main_window))
    return 0;

  ids = rp_message_list_get_selected (_rp_window_get_message_list (RP_WINDOW (main_window)));
  return ids != NULL && ids->len > 0 ? g_array_index (ids, gint64, 0) : 0;
}

static void
open_rule_dialog (RpFilterEditor     *self,
                  const RpFilterRule *rule)
{
  RpFilterRuleDialog *dialog;

  if (self->rule_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->rule_dialog));
      return;
    }

  dialog = rp_filter_rule_dialog_new (self->store, rule);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), parent_window (self));
  rp_filter_rule_dialog_set_test_message (dialog, selected_message (self));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_rule_saved), self, 0);
  g_set_weak_pointer (&self->rule_dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Actions */

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  open_rule_dialog (RP_FILTER_EDITOR (widget), NULL);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RpFilterEditor *self = RP_FILTER_EDITOR (widget);
  int index = rule_index (self, g_variant_get_int64 (parameter));

  if (index >= 0)
    open_rule_dialog (self, g_ptr_array_index (self->rules, index));
}

static void
move_up_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RpFilterEditor *self = RP_FILTER_EDITOR (widget);
  gint64 id = g_variant_get_int64 (parameter);
  int index = rule_index (self, id);

  if (index <= 0)
    {
      gtk_widget_error_bell (widget);
      return;
    }
  move_rule (self, id, (guint) index - 1);
}

static void
move_down_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RpFilterEditor *self = RP_FILTER_EDITOR (widget);
  gint64 id = g_variant_get_int64 (parameter);
  int index = rule_index (self, id);

  if (index < 0 || (guint) index + 1 >= self->rules->len)
    {
      gtk_widget_error_bell (widget);
      return;
    }
  /* Before the rule after the next one. */
  move_rule (self, id, (guint) index + 2);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RpFilterEditor *self = RP_FILTER_EDITOR (widget);
  gint64 id = g_variant_get_int64 (parameter);
  int index = rule_index (self, id);
  AdwMessageDialog *dialog;

  if (index < 0 || self->delete_dialog != NULL)
    return;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent_window (self),
                                                       _("Delete the Rule?"), NULL));
  adw_message_dialog_format_body (dialog,
                                  _("“%s” will no longer run. Messages it moved stay "
                                    "where they are."),
                                  ((RpFilterRule *) g_ptr_array_index (self->rules, index))->name);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "rp-filter-id", g_memdup2 (&id, sizeof id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self, 0);
  g_set_weak_pointer (&self->delete_dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkFileFilter *
new_json_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Filter Rules (JSON)"));
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_filter_add_suffix (filter, "json");
  return filter;
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RpFilterEditor *self = RP_FILTER_EDITOR (widget);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Export Rules"), parent_window (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "rapport-filters.json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), new_json_filter ());
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RpFilterEditor *self = RP_FILTER_EDITOR (widget);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Import Rules"), parent_window (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), NULL);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), new_json_filter ());
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_import_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* GtkWidget overrides */

/* Rules made elsewhere meanwhile (a drag to Sent, rapport-cli) show when
 * the page is shown again: the store does not announce rule changes. */
static void
rp_filter_editor_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (rp_filter_editor_parent_class)->map (widget);

  rp_filter_editor_reload (RP_FILTER_EDITOR (widget));
}

/* GObject overrides */

static void
rp_filter_editor_dispose (GObject *object)
{
  RpFilterEditor *self = RP_FILTER_EDITOR (object);

  /* A dialog open on a page that is going away has nothing to edit. */
  if (self->rule_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->rule_dialog));
  if (self->delete_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->delete_dialog));
  g_clear_weak_pointer (&self->rule_dialog);
  g_clear_weak_pointer (&self->delete_dialog);
  gtk_widget_dispose_template (GTK_WIDGET (self), RP_TYPE_FILTER_EDITOR);
  g_clear_pointer (&self->rules, g_ptr_array_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (rp_filter_editor_parent_class)->dispose (object);
}

static void
rp_filter_editor_class_init (RpFilterEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rp_filter_editor_dispose;
  widget_class->map = rp_filter_editor_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rapportmail/Rapport/rp-filter-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, RpFilterEditor, rules_list);

  gtk_widget_class_install_action (widget_class, "filters.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "filters.edit", "x", edit_action);
  gtk_widget_class_install_action (widget_class, "filters.move-up", "x", move_up_action);
  gtk_widget_class_install_action (widget_class, "filters.move-down", "x", move_down_action);
  gtk_widget_class_install_action (widget_class, "filters.delete", "x", delete_action);
  gtk_widget_class_install_action (widget_class, "filters.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "filters.import", NULL, import_action);
}

static void
rp_filter_editor_init (RpFilterEditor *self)
{
  self->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_filter_rule_free);

  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

/**
 * rp_filter_editor_new:
 * @store: the store holding the rules
 *
 * Returns: (transfer full): the filters page for the preferences window
 */
RpFilterEditor *
rp_filter_editor_new (RpStore *store)
{
  RpFilterEditor *self;

  g_return_val_if_fail (RP_IS_STORE (store), NULL);

  self = g_object_new (RP_TYPE_FILTER_EDITOR, NULL);
  self->store = g_object_ref (store);
  rp_filter_editor_reload (self);
  return self;
}

/**
 * rp_filter_editor_reload:
 * @self: a #RpFilterEditor
 *
 * Reads the rules from the store again.
 */
void
rp_filter_editor_reload (RpFilterEditor *self)
{
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  g_return_if_fail (RP_IS_FILTER_EDITOR (self));

  rules = rp_store_list_filters (self->store, &error);
  if (rules == NULL)
    {
      show_error (self, g_strdup_printf (_("Cannot read the filter rules: %s"), error->message));
      return;
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->rules_list))) != NULL)
    gtk_list_box_remove (self->rules_list, child);
  g_ptr_array_set_size (self->rules, 0);
  for (guint i = 0; i < rules->len; i++)
    g_ptr_array_add (self->rules, rp_filter_rule_copy (g_ptr_array_index (rules, i)));

  for (guint i = 0; i < self->rules->len; i++)
    gtk_list_box_append (self->rules_list,
                         new_rule_row (self, g_ptr_array_index (self->rules, i), i));
}

/* Private API, for tests */

guint
_rp_filter_editor_get_n_rows (RpFilterEditor *self)
{
  return self->rules->len;
}

AdwActionRow *
_rp_filter_editor_get_row (RpFilterEditor *self,
                           guint           index)
{
  return ADW_ACTION_ROW (gtk_list_box_get_row_at_index (self->rules_list, (int) index));
}

GtkSwitch *
_rp_filter_editor_get_switch (RpFilterEditor *self,
                              guint           index)
{
  AdwActionRow *row = _rp_filter_editor_get_row (self, index);

  return g_object_get_data (G_OBJECT (row), "rp-switch");
}

RpFilterRuleDialog *
_rp_filter_editor_get_rule_dialog (RpFilterEditor *self)
{
  return self->rule_dialog;
}

AdwMessageDialog *
_rp_filter_editor_get_delete_dialog (RpFilterEditor *self)
{
  return self->delete_dialog;
}

gboolean
_rp_filter_editor_export_to_file (RpFilterEditor  *self,
                                  GFile           *file,
                                  GError         **error)
{
  g_autofree char *json = rp_store_export_filters_json (self->store, error);

  if (json == NULL)
    return FALSE;

  return g_file_replace_contents (file, json, strlen (json), NULL, FALSE,
                                  G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, error);
}

gboolean
_rp_filter_editor_import_from_file (RpFilterEditor  *self,
                                    GFile           *file,
                                    GError         **error)
{
  g_autofree char *json = NULL;
  gboolean ok;

  if (!g_file_load_contents (file, NULL, &json, NULL, NULL, error))
    return FALSE;

  ok = rp_store_import_filters_json (self->store, json, error);
  rp_filter_editor_reload (self);
  return ok;
}
