/* rp-window-filters.c: the main window's filter actions and the rule
 * offered after a drag-and-drop move
 *
 * Dragging a message onto a folder is the user showing where mail of that
 * kind belongs. After the move the window offers to make it a rule
 * ("Always move mail from ADDRESS to Sent?"), once per sender that no
 * equivalent rule covers yet, so that accepting twice never makes two
 * rules and a second drag offers nothing new.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport"

#include "config.h"

#include <glib/gi18n.h>

#include "rp-filter.h"
#include "rp-window-filters.h"
#include "rp-window-private.h"

/* More senders than this in one drop are more likely a clean-up than a
 * habit: the dialog lists the first ones only. */
#define MAX_OFFERED_SENDERS 8
#define OFFER_TIMEOUT_SECONDS 10

/* The window's filter state, kept on the window itself so that
 * rp-window.c needs no fields for it. */
typedef struct
{
  RpWindow         *window;            /* (unowned) the owner */
  AdwToast         *offer_toast;       /* (nullable) the offer shown or queued */
  AdwMessageDialog *offer_dialog;      /* (nullable) (weak) several senders */
  GPtrArray        *offer_addresses;   /* (element-type utf8) of a several-senders offer */
  char             *offer_spec;        /* the folder spec of that offer */
  char             *offer_title;       /* the folder's title, for the dialog */
  GCancellable     *run_cancellable;   /* (nullable) while "Run filters now" runs */
  char             *run_result;        /* the last run's toast text */
} RpWindowFilters;

/* Auxiliary methods */

static void
rp_window_filters_free (gpointer data)
{
  RpWindowFilters *state = data;

  if (state->run_cancellable != NULL)
    g_cancellable_cancel (state->run_cancellable);
  g_clear_object (&state->run_cancellable);
  if (state->offer_toast != NULL)
    g_signal_handlers_disconnect_by_data (state->offer_toast, state);
  g_clear_object (&state->offer_toast);
  g_clear_weak_pointer (&state->offer_dialog);
  g_clear_pointer (&state->offer_addresses, g_ptr_array_unref);
  g_clear_pointer (&state->offer_spec, g_free);
  g_clear_pointer (&state->offer_title, g_free);
  g_clear_pointer (&state->run_result, g_free);
  g_free (state);
}

/* A run still going when the window closes is cancelled: it has nowhere
 * to report to. What it did stays done. */
static void
on_window_destroy (GtkWidget *widget,
                   gpointer   user_data)
{
  RpWindowFilters *state = user_data;

  if (state->run_cancellable != NULL)
    g_cancellable_cancel (state->run_cancellable);
}

static RpWindowFilters *
get_state (RpWindow *self)
{
  RpWindowFilters *state = g_object_get_data (G_OBJECT (self), "rp-window-filters");

  if (state == NULL)
    {
      state = g_new0 (RpWindowFilters, 1);
      state->window = self;
      g_object_set_data_full (G_OBJECT (self), "rp-window-filters", state,
                              rp_window_filters_free);
      g_signal_connect (self, "destroy", G_CALLBACK (on_window_destroy), state);
    }

  return state;
}

static RpStore *
window_store (RpWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return app != NULL ? rp_application_get_store (RP_APPLICATION (app)) : NULL;
}

static void
show_toast (RpWindow   *self,
            const char *text,
            guint       timeout)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, timeout);
  _rp_window_add_toast (self, toast);
}

/* How a filter names @folder_id: the stable English name of a special
 * folder (which means that folder of the message's own account), else
 * the user folder's "Parent/Child" path. */
static char *
dup_folder_spec (RpStore       *store,
                 gint64         folder_id,
                 RpFolderRole  *role,
                 GError       **error)
{
  g_autoptr(RpFolderInfo) info = rp_store_get_folder (store, folder_id, error);
  g_autoptr(GString) path = NULL;
  gint64 parent_id;

  if (info == NULL)
    return NULL;

  *role = info->role;
  if (info->role != RP_FOLDER_ROLE_NONE)
    return g_strdup (rp_folder_role_to_string (info->role));

  path = g_string_new (info->name);
  parent_id = info->parent_id;
  /* The depth bound only guards against a corrupt parent cycle. */
  for (guint depth = 0; parent_id != 0 && depth < 64; depth++)
    {
      g_autoptr(RpFolderInfo) parent = rp_store_get_folder (store, parent_id, error);

      if (parent == NULL)
        return NULL;
      g_string_prepend_c (path, '/');
      g_string_prepend (path, parent->name);
      parent_id = parent->parent_id;
    }

  return g_string_free (g_steal_pointer (&path), FALSE);
}

/* Saves "From contains @address → move to @spec" unless an equivalent
 * rule exists. Returns the new rule's name in @created, or NULL when
 * nothing had to be made. */
static gboolean
create_move_rule (RpStore     *store,
                  const char  *address,
                  const char  *spec,
                  char       **created,
                  GError     **error)
{
  g_autoptr(RpFilterRule) rule = rp_filter_rule_new_move_from (address, spec);
  GError *local_error = NULL;

  *created = NULL;
  if (rp_store_has_equivalent_filter (store, rule, &local_error))
    return TRUE;
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  if (rp_store_save_filter (store, rule, error) == 0)
    return FALSE;

  *created = g_strdup (rule->name);
  return TRUE;
}

static void
report_created (RpWindow *self,
                guint     n_created,
                char     *first_name)
{
  g_autofree char *text = NULL;

  if (n_created == 0)
    return;

  if (n_created == 1)
    /* Translators: %s is the name of a filter rule. */
    text = g_strdup_printf (_("Filter rule “%s” created"), first_name);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u filter rule created",
                                         "%u filter rules created", n_created),
                            n_created);
  show_toast (self, text, 5);
}

static void
set_running (RpWindow *self,
             gboolean  running)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run-filters", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run-filters-selection", !running);
}

/* Callbacks */

static void
on_offer_dismissed (AdwToast        *toast,
                    RpWindowFilters *state)
{
  if (state->offer_toast == toast)
    g_clear_object (&state->offer_toast);
}

static void
on_run_progress (guint    done,
                 guint    total,
                 gpointer user_data)
{
  RpWindowFilters *state = user_data;
  g_autofree char *subtitle = NULL;

  if (total == 0)
    return;

  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Running filters on %u of %u message…",
                                           "Running filters on %u of %u messages…",
                                           total),
                              done, total);
  _rp_window_set_progress (state->window, subtitle);
}

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(RpWindow) self = user_data;
  RpWindowFilters *state = get_state (self);
  g_autoptr(GError) error = NULL;
  guint n_matched = 0;
  gboolean cancelled;

  cancelled = state->run_cancellable != NULL &&
              g_cancellable_is_cancelled (state->run_cancellable);
  g_clear_object (&state->run_cancellable);
  if (cancelled)
    return;

  set_running (self, FALSE);
  _rp_window_set_progress (self, NULL);
  g_clear_pointer (&state->run_result, g_free);

  if (!rp_filter_run_finish (RP_STORE (source), result, &n_matched, &error))
    state->run_result = g_strdup_printf (_("Cannot run the filters: %s"), error->message);
  else if (n_matched == 0)
    state->run_result = g_strdup (_("No message matched a filter rule"));
  else
    state->run_result = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                      "Filters applied to %u message",
                                                      "Filters applied to %u messages",
                                                      n_matched),
                                         n_matched);
  show_toast (self, state->run_result, error != NULL ? 0 : 5);
}

static void
run_filters (RpWindow     *self,
             gint64        folder_id,
             const gint64 *ids,
             guint         n)
{
  RpWindowFilters *state = get_state (self);
  RpStore *store = window_store (self);

  if (store == NULL || state->run_cancellable != NULL)
    return;

  state->run_cancellable = g_cancellable_new ();
  set_running (self, TRUE);
  _rp_window_set_progress (self, _("Running filters…"));
  rp_filter_run_async (store, folder_id, ids, n, on_run_progress, state,
                       state->run_cancellable, on_run_done, g_object_ref (self));
}

static void
on_offer_dialog_response (AdwMessageDialog *dialog,
                          const char       *response,
                          gpointer          user_data)
{
  RpWindow *self = RP_WINDOW (user_data);
  RpWindowFilters *state = get_state (self);
  GtkWidget *list = adw_message_dialog_get_extra_child (dialog);
  RpStore *store = window_store (self);
  g_autofree char *first_name = NULL;
  guint n_created = 0;

  if (state->offer_toast != NULL)
    adw_toast_dismiss (state->offer_toast);
  if (!g_str_equal (response, "create") || store == NULL || state->offer_addresses == NULL)
    return;

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkCheckButton *check = g_object_get_data (G_OBJECT (row), "rp-check");
      const char *address = g_object_get_data (G_OBJECT (row), "rp-address");
      g_autofree char *created = NULL;
      g_autoptr(GError) error = NULL;

      if (check == NULL || !gtk_check_button_get_active (check))
        continue;

      if (!create_move_rule (store, address, state->offer_spec, &created, &error))
        {
          g_autofree char *text = g_strdup_printf (_("Cannot create the filter rule: %s"),
                                                   error->message);

          show_toast (self, text, 0);
          break;
        }
      if (created != NULL && n_created++ == 0)
        first_name = g_steal_pointer (&created);
    }

  report_created (self, n_created, first_name);
}

/* Actions */

static void
run_filters_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  RpWindow *self = RP_WINDOW (widget);
  RpFolderSidebar *sidebar = _rp_window_get_sidebar (self);
  gint64 folder_id = rp_folder_sidebar_get_folder_id (sidebar);
  RpFolderModel *model;
  g_autoptr(GArray) ids = NULL;
  guint n;

  /* A folder, or every Inbox for the unified Inbox (the core's default). */
  if (folder_id != 0 || rp_folder_sidebar_get_role (sidebar) == RP_FOLDER_ROLE_INBOX)
    {
      run_filters (self, folder_id, NULL, 0);
      return;
    }

  /* Other unified views are the messages they list. */
  model = rp_message_list_get_model (_rp_window_get_message_list (self));
  n = model != NULL ? g_list_model_get_n_items (G_LIST_MODEL (model)) : 0;
  if (n == 0)
    {
      gtk_widget_error_bell (widget);
      return;
    }
  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
  for (guint i = 0; i < n; i++)
    {
      gint64 id = rp_folder_model_get_id_at (model, i);

      g_array_append_val (ids, id);
    }
  run_filters (self, 0, (const gint64 *) (gconstpointer) ids->data, ids->len);
}

static void
run_filters_selection_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  RpWindow *self = RP_WINDOW (widget);
  g_autoptr(GArray) ids = rp_message_list_get_selected (_rp_window_get_message_list (self));

  /* With nothing selected the core would run over every Inbox: not what
   * "the selection" means. */
  if (ids == NULL || ids->len == 0)
    {
      gtk_widget_error_bell (widget);
      return;
    }

  run_filters (self, 0, (const gint64 *) (gconstpointer) ids->data, ids->len);
}

static void
add_move_rule_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  RpWindow *self = RP_WINDOW (widget);
  RpStore *store = window_store (self);
  const char *address, *spec;
  g_autofree char *created = NULL;
  g_autoptr(GError) error = NULL;

  if (store == NULL)
    return;

  /* Answered, whether by its button or otherwise. */
  if (get_state (self)->offer_toast != NULL)
    adw_toast_dismiss (get_state (self)->offer_toast);

  g_variant_get (parameter, "(&s&s)", &address, &spec);
  if (!create_move_rule (store, address, spec, &created, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Cannot create the filter rule: %s"),
                                               error->message);

      show_toast (self, text, 0);
      return;
    }

  report_created (self, created != NULL ? 1 : 0, created);
}

static void
choose_move_rules_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  RpWindow *self = RP_WINDOW (widget);
  RpWindowFilters *state = get_state (self);
  AdwMessageDialog *dialog;
  GtkWidget *list;

  if (state->offer_addresses == NULL || state->offer_dialog != NULL)
    return;

  /* Translators: %s is a folder's name. */
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), NULL, NULL));
  adw_message_dialog_format_heading (dialog, _("Always Move to %s?"), state->offer_title);
  adw_message_dialog_format_body (dialog, _("New mail from the chosen senders will be moved "
                                            "to %s as it arrives."), state->offer_title);
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  for (guint i = 0; i < state->offer_addresses->len; i++)
    {
      const char *address = g_ptr_array_index (state->offer_addresses, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), address);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      g_object_set_data (G_OBJECT (row), "rp-check", check);
      g_object_set_data_full (G_OBJECT (row), "rp-address", g_strdup (address), g_free);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  adw_message_dialog_set_extra_child (dialog, list);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"),
                                    "create", _("Create _Rules"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "create", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "create");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_offer_dialog_response), self, 0);
  g_set_weak_pointer (&state->offer_dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Internal API */

void
_rp_window_install_filter_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.run-filters", NULL, run_filters_action);
  gtk_widget_class_install_action (widget_class, "win.run-filters-selection", NULL,
                                   run_filters_selection_action);
  gtk_widget_class_install_action (widget_class, "win.add-move-rule", "(ss)",
                                   add_move_rule_action);
  gtk_widget_class_install_action (widget_class, "win.choose-move-rules", NULL,
                                   choose_move_rules_action);
}

void
_rp_window_offer_move_rules (RpWindow   *self,
                             gint64      folder_id,
                             const char *title,
                             GArray     *ids)
{
  RpWindowFilters *state = get_state (self);
  RpStore *store = window_store (self);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) addresses = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *spec = NULL;
  g_autofree char *escaped_title = NULL;
  g_autofree char *text = NULL;
  RpFolderRole role = RP_FOLDER_ROLE_NONE;
  AdwToast *toast;

  g_return_if_fail (RP_IS_WINDOW (self));
  g_return_if_fail (ids != NULL);

  if (store == NULL || ids->len == 0)
    return;

  spec = dup_folder_spec (store, folder_id, &role, &error);
  /* New mail arrives in the Inbox anyway; the Outbox is not a place; and
   * a drop on the Trash is a deletion, which says nothing about where the
   * sender's mail belongs (unwanted senders go to Junk, which offers). */
  if (spec == NULL || role == RP_FOLDER_ROLE_INBOX || role == RP_FOLDER_ROLE_OUTBOX ||
      role == RP_FOLDER_ROLE_TRASH)
    goto out;

  items = rp_store_load_items (store, (const gint64 *) (gconstpointer) ids->data, ids->len,
                               FALSE, &error);
  if (items == NULL)
    goto out;

  addresses = g_ptr_array_new_with_free_func (g_free);
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < items->len && addresses->len < MAX_OFFERED_SENDERS; i++)
    {
      const char *from = rp_message_item_get_from_address (g_ptr_array_index (items, i));
      g_autofree char *address = NULL;
      g_autoptr(RpFilterRule) rule = NULL;

      if (from == NULL || strchr (from, '@') == NULL)
        continue;
      address = g_utf8_strdown (from, -1);
      g_strstrip (address);
      if (!g_hash_table_add (seen, g_strdup (address)))
        continue;

      rule = rp_filter_rule_new_move_from (address, spec);
      if (rp_store_has_equivalent_filter (store, rule, &error))
        continue;
      if (error != NULL)
        goto out;
      g_ptr_array_add (addresses, g_steal_pointer (&address));
    }

  if (addresses->len == 0)
    return;

  /* A new drop's offer replaces an older one not yet answered. */
  if (state->offer_toast != NULL)
    adw_toast_dismiss (state->offer_toast);

  escaped_title = g_markup_escape_text (title, -1);
  if (addresses->len == 1)
    {
      const char *address = g_ptr_array_index (addresses, 0);
      g_autofree char *escaped = g_markup_escape_text (address, -1);

      /* Translators: the first %s is a mail address, the second a folder. */
      text = g_strdup_printf (_("Always move mail from %s to %s?"), escaped, escaped_title);
      toast = adw_toast_new (text);
      adw_toast_set_button_label (toast, _("Create _Rule"));
      adw_toast_set_action_name (toast, "win.add-move-rule");
      adw_toast_set_action_target_value (toast, g_variant_new ("(ss)", address, spec));
    }
  else
    {
      /* Translators: %u is a number of senders (two or more), %s a folder. */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Always move mail from these %u senders to %s?",
                                           "Always move mail from these %u senders to %s?",
                                           addresses->len),
                              addresses->len, escaped_title);
      toast = adw_toast_new (text);
      adw_toast_set_button_label (toast, _("_Choose…"));
      adw_toast_set_action_name (toast, "win.choose-move-rules");
      g_clear_pointer (&state->offer_addresses, g_ptr_array_unref);
      state->offer_addresses = g_steal_pointer (&addresses);
      g_free (state->offer_spec);
      state->offer_spec = g_strdup (spec);
      g_free (state->offer_title);
      state->offer_title = g_strdup (title);
    }

  adw_toast_set_timeout (toast, OFFER_TIMEOUT_SECONDS);
  g_signal_connect (toast, "dismissed", G_CALLBACK (on_offer_dismissed), state);
  g_set_object (&state->offer_toast, toast);
  _rp_window_add_toast (self, toast);
  return;

out:
  /* The move itself succeeded; a rule that cannot be offered is no
   * reason to bother the user beyond a note in the log. */
  if (error != NULL)
    g_warning ("Cannot offer a filter rule: %s", error->message);
}

AdwToast *
_rp_window_get_filter_offer (RpWindow *self)
{
  return get_state (self)->offer_toast;
}

AdwMessageDialog *
_rp_window_get_filter_offer_dialog (RpWindow *self)
{
  return get_state (self)->offer_dialog;
}

gboolean
_rp_window_is_running_filters (RpWindow *self)
{
  return get_state (self)->run_cancellable != NULL;
}

const char *
_rp_window_get_filter_run_result (RpWindow *self)
{
  return get_state (self)->run_result;
}
