/* rp-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport"

#include "config.h"

#include <glib/gi18n.h>

#include "rp-account-wizard.h"
#include "rp-notify.h"
#include "rp-window-private.h"
#include "rp-window-compose.h"
#include "rp-window-crm.h"
#include "rp-window-filters.h"

struct _RpWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  RpStore              *store;
  RpScheduler          *scheduler;
  gulong                store_changed_id;
  gulong                fetch_started_id;
  gulong                fetch_progress_id;
  gulong                fetch_finished_id;
  /* The last drag-and-drop move, as (message id, former folder id) pairs,
   * for its toast's Undo. */
  GArray               *undo_moves;
  AdwToast             *move_toast;
  /* The ids of the new-mail notifications shown, withdrawn on focus. */
  GPtrArray            *notifications;
  guint                 n_notifications_sent;

  /* Template children */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwLeaflet           *leaflet;
  GtkPaned             *content_paned;
  GtkWidget            *sidebar_box;
  AdwStatusPage        *welcome_page;
  RpFolderSidebar      *folder_sidebar;
  RpMessageList        *message_list;
  RpMessageView        *message_view;
  AdwWindowTitle       *content_title;
  GtkSpinner           *fetch_spinner;
  GtkMenuButton        *move_button;
  GtkPopover           *move_popover;
  GtkListBox           *move_list;
};

G_DEFINE_FINAL_TYPE (RpWindow, rp_window, ADW_TYPE_APPLICATION_WINDOW)

/* Auxiliary methods */

static void
rp_window_restore_state (RpWindow *self)
{
  int width = g_settings_get_int (self->settings, "window-width");
  int height = g_settings_get_int (self->settings, "window-height");

  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  gtk_widget_set_size_request (self->sidebar_box,
                               g_settings_get_int (self->settings, "sidebar-width"), -1);
  gtk_paned_set_position (self->content_paned,
                          g_settings_get_int (self->settings, "message-list-width"));
}

static void
rp_window_save_state (RpWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_set_int (self->settings, "message-list-width",
                      gtk_paned_get_position (self->content_paned));
  /* A folded leaflet shows one pane at the full width: not a width to keep. */
  if (!adw_leaflet_get_folded (self->leaflet) && gtk_widget_get_width (self->sidebar_box) > 0)
    g_settings_set_int (self->settings, "sidebar-width", gtk_widget_get_width (self->sidebar_box));
  g_settings_apply (self->settings);
}

static void
update_main_page (RpWindow *self)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;

  if (self->store != NULL)
    accounts = rp_store_load_accounts (self->store, &error);
  if (error != NULL)
    _rp_window_show_toast (self, error->message);
  _rp_window_update_account_banners (self, accounts);

  gtk_stack_set_visible_child_name (self->main_stack,
                                    accounts != NULL && accounts->len > 0
                                    ? _rp_window_crm_get_mail_page (self) : "welcome");
}

static GArray *
get_selected (RpWindow *self)
{
  return rp_message_list_get_selected (self->message_list);
}

static void
set_flags (RpWindow       *self,
           RpMessageFlags  set,
           RpMessageFlags  unset)
{
  g_autoptr(GArray) ids = get_selected (self);
  g_autoptr(GError) error = NULL;

  if (ids->len == 0 || self->store == NULL)
    return;

  if (!rp_store_set_flags (self->store, (gint64 *) (gpointer) ids->data, ids->len, set, unset,
                           &error))
    _rp_window_show_toast (self, error->message);
}

static void
move_selected (RpWindow *self,
               gint64    folder_id,
               gboolean  to_trash)
{
  g_autoptr(GArray) ids = get_selected (self);
  g_autoptr(GError) error = NULL;

  if (ids->len == 0 || self->store == NULL)
    return;

  /* Each message goes to the Trash of its own account: the selection can
   * span accounts in a unified view or a search. */
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      gint64 target = folder_id;

      if (to_trash)
        {
          g_autoptr(RpMessageItem) item = rp_store_get_item (self->store, id, &error);

          if (item == NULL)
            break;
          target = rp_store_get_special_folder (self->store,
                                                rp_message_item_get_account_id (item),
                                                RP_FOLDER_ROLE_TRASH);
          if (target == 0 || target == rp_message_item_get_folder_id (item))
            continue;
        }

      if (!rp_store_move_messages (self->store, &id, 1, target, &error))
        break;
    }

  if (error != NULL)
    _rp_window_show_toast (self, error->message);
}

/* Callbacks */

static void
on_store_changed (RpStore       *store,
                  RpStoreChange *change,
                  gpointer       user_data)
{
  update_main_page (RP_WINDOW (user_data));
}

static void
on_source_changed (RpWindow        *self,
                   RpFolderSidebar *sidebar)
{
  const char *title = rp_folder_sidebar_get_title (sidebar);

  adw_window_title_set_title (self->content_title, title != NULL ? title : "");
  rp_message_list_set_source (self->message_list,
                              rp_folder_sidebar_get_folder_id (sidebar),
                              rp_folder_sidebar_get_role (sidebar));

  /* On a narrow window the list replaces the sidebar. */
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
on_message_selected (RpWindow      *self,
                     gint64         message_id,
                     RpMessageList *list)
{
  rp_message_view_set_message (self->message_view, message_id);
}

static void
on_fetch_started (RpScheduler *scheduler,
                  const char  *account_name,
                  gpointer     user_data)
{
  RpWindow *self = RP_WINDOW (user_data);
  g_autofree char *subtitle = g_strdup_printf (_("Fetching mail for %s…"), account_name);

  gtk_spinner_start (self->fetch_spinner);
  adw_window_title_set_subtitle (self->content_title, subtitle);
}

static void
on_fetch_progress (RpScheduler           *scheduler,
                   const RpFetchProgress *progress,
                   gpointer               user_data)
{
  RpWindow *self = RP_WINDOW (user_data);
  g_autofree char *subtitle = NULL;

  if (progress->messages_total == 0)
    return;

  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Fetching %u of %u message…",
                                           "Fetching %u of %u messages…",
                                           progress->messages_total),
                              progress->messages_done, progress->messages_total);

  /* Once a rate is known, the bytes and the time left too: a first
   * download of a big mailbox takes minutes. */
  if (progress->bytes_total > 0 && progress->seconds_left >= 0)
    {
      g_autofree char *done = g_format_size (progress->bytes_done);
      g_autofree char *total = g_format_size (progress->bytes_total);
      guint left = (guint) (progress->seconds_left + 0.5);
      g_autofree char *time_left = NULL;
      char *with_bytes;

      if (left < 90)
        time_left = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u second", "%u seconds",
                                                  left), left);
      else
        time_left = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute", "%u minutes",
                                                  (left + 30) / 60), (left + 30) / 60);

      /* Translators: the first %s is "Fetching 120 of 500 messages…", then
       * bytes done, bytes in all, and "36 seconds". */
      with_bytes = g_strdup_printf (_("%s (%s of %s, about %s left)"), subtitle, done, total,
                                    time_left);
      g_free (subtitle);
      subtitle = with_bytes;
    }

  adw_window_title_set_subtitle (self->content_title, subtitle);
}

/* One notification per fetch, never one per message (see rp-notify.c). */
static void
notify_new_mail (RpWindow   *self,
                 const char *account_name,
                 guint       n_new)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autofree char *id = NULL;

  if (app == NULL)
    return;

  id = rp_notify_new_mail (app, self->store, account_name, n_new);
  self->n_notifications_sent++;
  if (!g_ptr_array_find_with_equal_func (self->notifications, id, g_str_equal, NULL))
    g_ptr_array_add (self->notifications, g_steal_pointer (&id));
}

/* Whoever looks at the window has seen the news. */
static void
on_is_active_changed (RpWindow   *self,
                      GParamSpec *pspec,
                      gpointer    user_data)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  if (!gtk_window_is_active (GTK_WINDOW (self)) || app == NULL)
    return;

  for (guint i = 0; i < self->notifications->len; i++)
    g_application_withdraw_notification (app, g_ptr_array_index (self->notifications, i));
  g_ptr_array_set_size (self->notifications, 0);
}

static void
on_fetch_finished (RpScheduler  *scheduler,
                   const char   *account_name,
                   gpointer      result,
                   const GError *error,
                   gpointer      user_data)
{
  RpWindow *self = RP_WINDOW (user_data);

  gtk_spinner_stop (self->fetch_spinner);
  adw_window_title_set_subtitle (self->content_title, NULL);

  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot fetch mail for %s: %s"),
                                                  account_name, error->message);

      _rp_window_show_toast (self, message);
    }
  else if (result != NULL && ((const RpFetchStats *) result)->new_messages > 0)
    notify_new_mail (self, account_name, ((const RpFetchStats *) result)->new_messages);
}

typedef struct
{
  gint64 message_id;
  gint64 folder_id;
} RpUndoMove;

static void
on_move_toast_dismissed (RpWindow *self,
                         AdwToast *toast)
{
  if (self->move_toast == toast)
    {
      g_clear_object (&self->move_toast);
      g_clear_pointer (&self->undo_moves, g_array_unref);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-move", FALSE);
    }
}

static void
on_messages_dropped (RpWindow        *self,
                     gint64           folder_id,
                     const char      *title,
                     GArray          *ids,
                     RpFolderSidebar *sidebar)
{
  g_autoptr(GArray) moves = g_array_new (FALSE, FALSE, sizeof (RpUndoMove));
  g_autoptr(GArray) moving = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  AdwToast *toast;

  if (self->store == NULL)
    return;

  /* Messages already in the folder stay, and are not counted. */
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      g_autoptr(RpMessageItem) item = rp_store_get_item (self->store, id, &error);
      RpUndoMove move = { id, 0 };

      if (item == NULL)
        {
          _rp_window_show_toast (self, error->message);
          return;
        }
      move.folder_id = rp_message_item_get_folder_id (item);
      if (move.folder_id == folder_id)
        continue;
      g_array_append_val (moves, move);
      g_array_append_val (moving, id);
    }

  if (moving->len == 0)
    return;

  if (!rp_store_move_messages (self->store, (gint64 *) (gpointer) moving->data, moving->len,
                               folder_id, &error))
    {
      _rp_window_show_toast (self, error->message);
      return;
    }

  /* Translators: the first %u is a number of messages, %s a folder. */
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u message moved to %s",
                                          "%u messages moved to %s",
                                          moving->len),
                             moving->len, title);
  if (self->move_toast != NULL)
    adw_toast_dismiss (self->move_toast);
  toast = adw_toast_new (message);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-move");
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_move_toast_dismissed), self,
                           G_CONNECT_SWAPPED);
  g_clear_pointer (&self->undo_moves, g_array_unref);
  self->undo_moves = g_steal_pointer (&moves);
  g_set_object (&self->move_toast, toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-move", TRUE);
  _rp_window_offer_move_rules (self, folder_id, title, moving);
}

static void
on_move_popover_show (RpWindow   *self,
                      GtkPopover *popover)
{
  g_autoptr(GPtrArray) folders = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->move_list))) != NULL)
    gtk_list_box_remove (self->move_list, child);

  if (self->store == NULL)
    return;

  folders = rp_store_list_folders (self->store, &error);
  if (folders == NULL)
    {
      _rp_window_show_toast (self, error->message);
      return;
    }

  for (guint i = 0; i < folders->len; i++)
    {
      RpFolderInfo *info = g_ptr_array_index (folders, i);
      const char *name = info->role != RP_FOLDER_ROLE_NONE
                         ? rp_folder_role_get_display_name (info->role) : info->name;
      GtkWidget *label = gtk_label_new (name);
      GtkWidget *row;

      /* The Outbox holds mail being sent; nothing is moved into it. */
      if (info->role == RP_FOLDER_ROLE_OUTBOX)
        continue;

      gtk_label_set_xalign (GTK_LABEL (label), 0.0);
      row = gtk_list_box_row_new ();
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      g_object_set_data_full (G_OBJECT (row), "rp-folder-id",
                              g_memdup2 (&info->id, sizeof info->id), g_free);
      gtk_list_box_append (self->move_list, row);
    }
}

static void
on_move_row_activated (RpWindow      *self,
                       GtkListBoxRow *row,
                       GtkListBox    *list)
{
  gint64 folder_id = *(gint64 *) g_object_get_data (G_OBJECT (row), "rp-folder-id");

  gtk_popover_popdown (self->move_popover);
  move_selected (self, folder_id, FALSE);
}

static void
on_conversations_changed (RpWindow *self)
{
  rp_message_list_set_conversations (self->message_list,
                                     g_settings_get_boolean (self->settings, "conversations"));
}

/* Actions */

static void
mark_read_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  set_flags (RP_WINDOW (widget), RP_MESSAGE_FLAG_SEEN, RP_MESSAGE_FLAG_NONE);
}

static void
mark_unread_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  set_flags (RP_WINDOW (widget), RP_MESSAGE_FLAG_NONE, RP_MESSAGE_FLAG_SEEN);
}

static void
flag_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RpWindow *self = RP_WINDOW (widget);
  g_autoptr(GArray) ids = get_selected (self);
  gboolean all_flagged = ids->len > 0;

  /* Like a star toggle: flag all unless all are flagged already. */
  for (guint i = 0; i < ids->len && all_flagged && self->store != NULL; i++)
    {
      g_autoptr(RpMessageItem) item = rp_store_get_item (self->store,
                                                         g_array_index (ids, gint64, i), NULL);

      all_flagged = item != NULL && rp_message_item_get_flagged (item);
    }

  if (all_flagged)
    set_flags (self, RP_MESSAGE_FLAG_NONE, RP_MESSAGE_FLAG_FLAGGED);
  else
    set_flags (self, RP_MESSAGE_FLAG_FLAGGED, RP_MESSAGE_FLAG_NONE);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  move_selected (RP_WINDOW (widget), 0, TRUE);
}

static void
move_to_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  gtk_menu_button_popup (RP_WINDOW (widget)->move_button);
}

/* The message list's context menu names the folder. */
static void
move_to_folder_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  move_selected (RP_WINDOW (widget), g_variant_get_int64 (parameter), FALSE);
}

static void
undo_move_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RpWindow *self = RP_WINDOW (widget);
  g_autoptr(GArray) moves = g_steal_pointer (&self->undo_moves);
  g_autoptr(GError) error = NULL;

  gtk_widget_action_set_enabled (widget, "win.undo-move", FALSE);
  if (moves == NULL || self->store == NULL)
    return;

  /* Each message goes back to the folder it came from. */
  for (guint i = 0; i < moves->len; i++)
    {
      RpUndoMove *move = &g_array_index (moves, RpUndoMove, i);

      if (!rp_store_move_messages (self->store, &move->message_id, 1, move->folder_id, &error))
        {
          _rp_window_show_toast (self, error->message);
          break;
        }
    }
}

static void
go_back_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RpWindow *self = RP_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RpWindow *self = RP_WINDOW (widget);

  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  rp_message_list_start_search (self->message_list);
}

/* GtkWindow overrides */

static gboolean
rp_window_close_request (GtkWindow *window)
{
  rp_window_save_state (RP_WINDOW (window));

  return GTK_WINDOW_CLASS (rp_window_parent_class)->close_request (window);
}

/* The application is an ordinary property, set after construction: the
 * engine is attached once it is known. */
static void
on_application_changed (RpWindow   *self,
                        GParamSpec *pspec,
                        gpointer    user_data)
{
  RpApplication *app = RP_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  if (app == NULL || self->store != NULL || self->scheduler != NULL)
    return;

  self->store = rp_application_get_store (app);
  self->scheduler = rp_application_get_scheduler (app);

  if (self->store != NULL)
    {
      g_object_ref (self->store);
      self->store_changed_id = g_signal_connect (self->store, "changed",
                                                 G_CALLBACK (on_store_changed), self);
    }
  else if (rp_application_get_store_error (app) != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot open the mail store: %s"),
                                                  rp_application_get_store_error (app)->message);

      _rp_window_show_toast (self, message);
    }

  if (self->scheduler != NULL)
    {
      g_object_ref (self->scheduler);
      self->fetch_started_id = g_signal_connect (self->scheduler, "fetch-started",
                                                 G_CALLBACK (on_fetch_started), self);
      self->fetch_progress_id = g_signal_connect (self->scheduler, "fetch-progress",
                                                  G_CALLBACK (on_fetch_progress), self);
      self->fetch_finished_id = g_signal_connect (self->scheduler, "fetch-finished",
                                                  G_CALLBACK (on_fetch_finished), self);
    }

  rp_message_view_set_store (self->message_view, self->store);
  rp_message_list_set_store (self->message_list, self->store);
  rp_folder_sidebar_set_store (self->folder_sidebar, self->store);
  update_main_page (self);
}

/* GObject overrides */

static void
rp_window_dispose (GObject *object)
{
  RpWindow *self = RP_WINDOW (object);

  if (self->store != NULL)
    g_clear_signal_handler (&self->store_changed_id, self->store);
  if (self->scheduler != NULL)
    {
      g_clear_signal_handler (&self->fetch_started_id, self->scheduler);
      g_clear_signal_handler (&self->fetch_progress_id, self->scheduler);
      g_clear_signal_handler (&self->fetch_finished_id, self->scheduler);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), RP_TYPE_WINDOW);
  g_clear_object (&self->scheduler);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->move_toast);
  g_clear_pointer (&self->undo_moves, g_array_unref);
  g_clear_pointer (&self->notifications, g_ptr_array_unref);

  G_OBJECT_CLASS (rp_window_parent_class)->dispose (object);
}

static void
rp_window_class_init (RpWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = rp_window_dispose;
  window_class->close_request = rp_window_close_request;

  g_type_ensure (RP_TYPE_FOLDER_SIDEBAR);
  g_type_ensure (RP_TYPE_MESSAGE_LIST);
  g_type_ensure (RP_TYPE_MESSAGE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rapportmail/Rapport/rp-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RpWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RpWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, RpWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, RpWindow, content_paned);
  gtk_widget_class_bind_template_child (widget_class, RpWindow, sidebar_box);
  gtk_widget_class_bind_template_child (widget_class, RpWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, RpWindow, folder_sidebar);
  gtk_widget_class_bind_template_child (widget_class, RpWindow, message_list);
  gtk_widget_class_bind_template_child (widget_class, RpWindow, message_view);
  gtk_widget_class_bind_template_child (widget_class, RpWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, RpWindow, fetch_spinner);
  gtk_widget_class_bind_template_child (widget_class, RpWindow, move_button);
  gtk_widget_class_bind_template_child (widget_class, RpWindow, move_popover);
  gtk_widget_class_bind_template_child (widget_class, RpWindow, move_list);
  gtk_widget_class_bind_template_callback (widget_class, on_source_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_message_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_move_popover_show);
  gtk_widget_class_bind_template_callback (widget_class, on_move_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_messages_dropped);

  gtk_widget_class_install_action (widget_class, "win.mark-read", NULL, mark_read_action);
  gtk_widget_class_install_action (widget_class, "win.mark-unread", NULL, mark_unread_action);
  gtk_widget_class_install_action (widget_class, "win.flag", NULL, flag_action);
  gtk_widget_class_install_action (widget_class, "win.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "win.move-to", NULL, move_to_action);
  gtk_widget_class_install_action (widget_class, "win.move-to-folder", "x",
                                   move_to_folder_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.undo-move", NULL, undo_move_action);
  gtk_widget_class_install_action (widget_class, "win.go-back", NULL, go_back_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK,
                                       "win.mark-read", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_u, GDK_CONTROL_MASK,
                                       "win.mark-unread", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, GDK_CONTROL_MASK,
                                       "win.flag", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0,
                                       "win.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK,
                                       "win.move-to", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
  _rp_window_install_account_actions (widget_class);
  _rp_window_install_compose_actions (widget_class);
  _rp_window_crm_class_init (widget_class);
  _rp_window_install_filter_actions (widget_class);
}

static void
rp_window_init (RpWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  rp_window_restore_state (self);
  {
    g_autoptr(GAction) conversations = g_settings_create_action (self->settings,
                                                                 "conversations");

    g_action_map_add_action (G_ACTION_MAP (self), conversations);
  }
  g_signal_connect_object (self->settings, "changed::conversations",
                           G_CALLBACK (on_conversations_changed), self, G_CONNECT_SWAPPED);
  on_conversations_changed (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-move", FALSE);
  self->notifications = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (self, "notify::is-active", G_CALLBACK (on_is_active_changed), NULL);
  g_signal_connect (self, "notify::application", G_CALLBACK (on_application_changed), NULL);
  _rp_window_crm_init (self);

  /* With no account there is nothing to show but the greeting. */
  gtk_stack_set_visible_child_name (self->main_stack, "welcome");
}

/* Public API */

RpWindow *
rp_window_new (RpApplication *application)
{
  g_return_val_if_fail (RP_IS_APPLICATION (application), NULL);

  return g_object_new (RP_TYPE_WINDOW, "application", application, NULL);
}

/**
 * rp_window_show_add_account:
 * @self: a #RpWindow
 *
 * Leads the user to adding an account.
 */
void
rp_window_show_add_account (RpWindow *self)
{
  RpApplication *app = RP_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  g_return_if_fail (RP_IS_WINDOW (self));

  /* Without a store there is nowhere to put an account: the greeting
   * (with the store's error in a toast) is all there is. */
  if (app == NULL || rp_application_get_store (app) == NULL)
    {
      gtk_stack_set_visible_child_name (self->main_stack, "welcome");
      return;
    }
  rp_account_wizard_present (app, GTK_WINDOW (self));
}

/* Private API, for the window's other files and for tests */

void
_rp_window_add_toast (RpWindow *self,
                      AdwToast *toast)
{
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* An error, kept until dismissed: error messages can be long. */
void
_rp_window_show_toast (RpWindow   *self,
                       const char *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

RpStore *
_rp_window_get_store (RpWindow *self)
{
  return self->store;
}

/* Shows @subtitle with the spinner under the title, as a fetch does;
 * NULL ends it. */
void
_rp_window_set_progress (RpWindow   *self,
                         const char *subtitle)
{
  if (subtitle != NULL)
    gtk_spinner_start (self->fetch_spinner);
  else
    gtk_spinner_stop (self->fetch_spinner);
  adw_window_title_set_subtitle (self->content_title, subtitle);
}

RpFolderSidebar *
_rp_window_get_sidebar (RpWindow *self)
{
  return self->folder_sidebar;
}

RpMessageList *
_rp_window_get_message_list (RpWindow *self)
{
  return self->message_list;
}

RpMessageView *
_rp_window_get_message_view (RpWindow *self)
{
  return self->message_view;
}

const char *
_rp_window_get_page (RpWindow *self)
{
  return gtk_stack_get_visible_child_name (self->main_stack);
}

guint
_rp_window_get_n_notifications_sent (RpWindow *self)
{
  return self->n_notifications_sent;
}

gboolean
_rp_window_is_folded (RpWindow *self)
{
  return adw_leaflet_get_folded (self->leaflet);
}

gboolean
_rp_window_shows_folders (RpWindow *self)
{
  return adw_leaflet_get_visible_child (self->leaflet) == self->sidebar_box;
}

GtkPaned *
_rp_window_get_content_paned (RpWindow *self)
{
  return self->content_paned;
}

const char *
_rp_window_get_move_toast_title (RpWindow *self)
{
  return self->move_toast != NULL ? adw_toast_get_title (self->move_toast) : NULL;
}

const char *
_rp_window_get_subtitle (RpWindow *self)
{
  return adw_window_title_get_subtitle (self->content_title);
}
