/* rp-folder-sidebar.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport"

#include "config.h"

#include <glib/gi18n.h>

#include "rp-folder-sidebar.h"
#include "rp-message-list.h"

/* One row of the sidebar: a unified role, an account heading's folder, or a
 * user folder. Private to the sidebar, which is its only reader. */
#define RP_TYPE_SIDEBAR_ENTRY (rp_sidebar_entry_get_type ())
G_DECLARE_FINAL_TYPE (RpSidebarEntry, rp_sidebar_entry, RP, SIDEBAR_ENTRY, GObject)

struct _RpSidebarEntry
{
  GObject       parent_instance;

  gint64        folder_id;    /* 0 for a unified role */
  RpFolderRole  role;
  char         *title;
  const char   *icon_name;
  guint         unread;
  guint         depth;
};

G_DEFINE_FINAL_TYPE (RpSidebarEntry, rp_sidebar_entry, G_TYPE_OBJECT)

struct _RpFolderSidebar
{
  GtkWidget            parent_instance;

  RpStore             *store;
  gulong               changed_id;
  GSettings           *settings;
  GListStore          *entries;
  GtkSingleSelection  *selection;
  gboolean             refreshing;
  /* The source last announced, so that a refresh announces only news. */
  char                *announced;

  /* Template children */
  GtkListView         *list_view;
};

G_DEFINE_FINAL_TYPE (RpFolderSidebar, rp_folder_sidebar, GTK_TYPE_WIDGET)

enum {
  SOURCE_CHANGED,
  MESSAGES_DROPPED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Auxiliary methods */

static void
rp_sidebar_entry_finalize (GObject *object)
{
  RpSidebarEntry *self = RP_SIDEBAR_ENTRY (object);

  g_free (self->title);

  G_OBJECT_CLASS (rp_sidebar_entry_parent_class)->finalize (object);
}

static void
rp_sidebar_entry_class_init (RpSidebarEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rp_sidebar_entry_finalize;
}

static void
rp_sidebar_entry_init (RpSidebarEntry *self)
{
}

static const char *
icon_for_role (RpFolderRole role)
{
  switch (role)
    {
    case RP_FOLDER_ROLE_INBOX:  return "mail-inbox-symbolic";
    case RP_FOLDER_ROLE_DRAFTS: return "accessories-text-editor-symbolic";
    case RP_FOLDER_ROLE_OUTBOX: return "mail-outbox-symbolic";
    case RP_FOLDER_ROLE_SENT:   return "mail-send-symbolic";
    case RP_FOLDER_ROLE_TRASH:  return "user-trash-symbolic";
    case RP_FOLDER_ROLE_JUNK:   return "mail-mark-junk-symbolic";
    case RP_FOLDER_ROLE_NONE:
    default:
      return "folder-symbolic";
    }
}

/* Adwaita 43 lacks the inbox and outbox icons that newer themes have; fall
 * back to its nearest ones rather than to a broken image. */
static GIcon *
icon_with_fallback (const char *name)
{
  static GHashTable *icons;
  GIcon *icon;

  if (icons == NULL)
    icons = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);

  icon = g_hash_table_lookup (icons, name);
  if (icon == NULL)
    {
      const char *fallback = g_str_equal (name, "mail-inbox-symbolic") ? "mail-unread-symbolic"
                             : g_str_equal (name, "mail-outbox-symbolic") ? "document-send-symbolic"
                             : "folder-symbolic";
      const char *names[] = { name, fallback, NULL };

      icon = g_themed_icon_new_from_names ((char **) names, -1);
      g_hash_table_insert (icons, (gpointer) name, icon);
    }

  return icon;
}

static void
append_entry (RpFolderSidebar *self,
              gint64           folder_id,
              RpFolderRole     role,
              const char      *title,
              guint            unread,
              guint            depth)
{
  g_autoptr(RpSidebarEntry) entry = g_object_new (RP_TYPE_SIDEBAR_ENTRY, NULL);

  entry->folder_id = folder_id;
  entry->role = role;
  entry->title = g_strdup (title);
  entry->icon_name = icon_for_role (role);
  entry->unread = unread;
  entry->depth = depth;
  g_list_store_append (self->entries, entry);
}

static void
append_children (RpFolderSidebar *self,
                 GPtrArray       *folders,
                 gint64           account_id,
                 gint64           parent_id,
                 guint            depth)
{
  for (guint i = 0; i < folders->len; i++)
    {
      RpFolderInfo *info = g_ptr_array_index (folders, i);

      if (info->account_id != account_id || info->role != RP_FOLDER_ROLE_NONE ||
          info->parent_id != parent_id)
        continue;

      append_entry (self, info->id, RP_FOLDER_ROLE_NONE, info->name, info->unread, depth);
      append_children (self, folders, account_id, info->id, depth + 1);
    }
}

static char *
entry_key (gint64       folder_id,
           RpFolderRole role)
{
  if (folder_id != 0)
    return g_strdup_printf ("folder:%" G_GINT64_FORMAT, folder_id);

  return g_strdup_printf ("role:%s", rp_folder_role_to_string (role));
}

static RpSidebarEntry *
get_selected_entry (RpFolderSidebar *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

static guint
find_entry (RpFolderSidebar *self,
            gint64           folder_id,
            RpFolderRole     role)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->entries));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RpSidebarEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->entries), i);

      if (entry->folder_id == folder_id && (folder_id != 0 || entry->role == role))
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

static guint
find_entry_by_key (RpFolderSidebar *self,
                   const char      *key)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->entries));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RpSidebarEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->entries), i);
      g_autofree char *entry_k = entry_key (entry->folder_id, entry->role);

      if (g_strcmp0 (entry_k, key) == 0)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

static void
announce_selection (RpFolderSidebar *self)
{
  RpSidebarEntry *entry = get_selected_entry (self);
  g_autofree char *key = entry != NULL ? entry_key (entry->folder_id, entry->role) : NULL;

  if (g_strcmp0 (key, self->announced) == 0)
    return;

  g_free (self->announced);
  self->announced = g_steal_pointer (&key);
  g_signal_emit (self, signals[SOURCE_CHANGED], 0);
}

/* Callbacks */

/* Messages dropped on a folder row go there; the unified rows are views,
 * not places, and the Outbox takes only mail being sent. */
static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         gpointer       user_data)
{
  RpFolderSidebar *self = RP_FOLDER_SIDEBAR (user_data);
  GtkListItem *item = g_object_get_data (G_OBJECT (target), "rp-list-item");
  RpSidebarEntry *entry = gtk_list_item_get_item (item);
  g_autoptr(GArray) ids = NULL;

  if (entry == NULL || entry->folder_id == 0 || entry->role == RP_FOLDER_ROLE_OUTBOX ||
      !G_VALUE_HOLDS_STRING (value))
    return FALSE;

  ids = rp_message_list_parse_ids (g_value_get_string (value));
  if (ids == NULL)
    return FALSE;

  g_signal_emit (self, signals[MESSAGES_DROPPED], 0, entry->folder_id, entry->title, ids);
  return TRUE;
}

static void
on_setup_row (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_MOVE);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *count = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (count, "dim-label");
  gtk_widget_add_css_class (count, "numeric");
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), count);
  /* The list item owns its box, so it outlives the box's controllers. */
  g_object_set_data (G_OBJECT (target), "rp-list-item", item);
  g_signal_connect (target, "drop", G_CALLBACK (on_drop), user_data);
  gtk_widget_add_controller (box, GTK_EVENT_CONTROLLER (target));
  gtk_list_item_set_child (item, box);
}

static void
on_bind_row (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  RpSidebarEntry *entry = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *icon = gtk_widget_get_first_child (box);
  GtkWidget *label = gtk_widget_get_next_sibling (icon);
  GtkWidget *count = gtk_widget_get_next_sibling (label);
  g_autofree char *unread = NULL;

  if (entry->unread > 0)
    unread = g_strdup_printf ("%u", entry->unread);

  /* Subfolders are indented under their parent; unified rows and special
   * folders sit at the left edge. */
  gtk_widget_set_margin_start (box, 18 * (int) entry->depth);
  gtk_image_set_from_gicon (GTK_IMAGE (icon), icon_with_fallback (entry->icon_name));
  gtk_label_set_label (GTK_LABEL (label), entry->title);
  gtk_label_set_label (GTK_LABEL (count), unread != NULL ? unread : "");
}

static void
on_selection_changed (GtkSingleSelection *selection,
                      GParamSpec         *pspec,
                      gpointer            user_data)
{
  RpFolderSidebar *self = RP_FOLDER_SIDEBAR (user_data);
  RpSidebarEntry *entry = get_selected_entry (self);
  g_autofree char *key = NULL;

  if (self->refreshing || entry == NULL)
    return;

  key = entry_key (entry->folder_id, entry->role);
  g_settings_set_string (self->settings, "selected-folder", key);
  announce_selection (self);
}

static void
on_store_changed (RpStore       *store,
                  RpStoreChange *change,
                  gpointer       user_data)
{
  rp_folder_sidebar_refresh (RP_FOLDER_SIDEBAR (user_data));
}

/* GObject overrides */

static void
rp_folder_sidebar_dispose (GObject *object)
{
  RpFolderSidebar *self = RP_FOLDER_SIDEBAR (object);
  GtkWidget *child;

  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), RP_TYPE_FOLDER_SIDEBAR);
  /* The template's top box has no id, so disposing the template does
   * not unparent it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->entries);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->announced, g_free);

  G_OBJECT_CLASS (rp_folder_sidebar_parent_class)->dispose (object);
}

static void
rp_folder_sidebar_class_init (RpFolderSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rp_folder_sidebar_dispose;

  /**
   * RpFolderSidebar::source-changed:
   *
   * The user chose another folder or unified view.
   */
  signals[SOURCE_CHANGED] =
    g_signal_new ("source-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * RpFolderSidebar::messages-dropped:
   * @folder_id: the folder the messages were dropped on
   * @title: its name as shown
   * @ids: (element-type gint64): the dropped messages
   *
   * Messages dragged from the list were dropped on a folder.
   */
  signals[MESSAGES_DROPPED] =
    g_signal_new ("messages-dropped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_INT64, G_TYPE_STRING, G_TYPE_ARRAY);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rapportmail/Rapport/rp-folder-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, RpFolderSidebar, list_view);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
rp_folder_sidebar_init (RpFolderSidebar *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  self->entries = g_list_store_new (RP_TYPE_SIDEBAR_ENTRY);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->entries)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  g_signal_connect (self->selection, "notify::selected",
                    G_CALLBACK (on_selection_changed), self);

  g_signal_connect (factory, "setup", G_CALLBACK (on_setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (on_bind_row), self);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
}

/* Public API */

GtkWidget *
rp_folder_sidebar_new (void)
{
  return g_object_new (RP_TYPE_FOLDER_SIDEBAR, NULL);
}

/**
 * rp_folder_sidebar_set_store:
 * @self: a #RpFolderSidebar
 * @store: (nullable): the store whose folders to list
 *
 * Lists the folders of @store and follows its changes.
 */
void
rp_folder_sidebar_set_store (RpFolderSidebar *self,
                             RpStore         *store)
{
  g_return_if_fail (RP_IS_FOLDER_SIDEBAR (self));
  g_return_if_fail (store == NULL || RP_IS_STORE (store));

  if (self->store == store)
    return;

  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);
  g_set_object (&self->store, store);
  if (store != NULL)
    self->changed_id = g_signal_connect (store, "changed", G_CALLBACK (on_store_changed), self);

  rp_folder_sidebar_refresh (self);
}

/**
 * rp_folder_sidebar_refresh:
 * @self: a #RpFolderSidebar
 *
 * Reads the folders and their counts again, keeping the selection.
 */
void
rp_folder_sidebar_refresh (RpFolderSidebar *self)
{
  g_autoptr(GPtrArray) folders = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *previous = NULL;
  RpSidebarEntry *selected;
  guint unified_unread[RP_FOLDER_ROLE_LAST + 1] = { 0 };
  guint position;

  g_return_if_fail (RP_IS_FOLDER_SIDEBAR (self));

  selected = get_selected_entry (self);
  if (selected != NULL)
    previous = entry_key (selected->folder_id, selected->role);
  else
    previous = g_settings_get_string (self->settings, "selected-folder");

  self->refreshing = TRUE;
  g_list_store_remove_all (self->entries);

  if (self->store != NULL)
    {
      folders = rp_store_list_folders (self->store, &error);
      if (folders != NULL)
        accounts = rp_store_load_accounts (self->store, &error);
    }
  if (error != NULL)
    g_warning ("Cannot list folders: %s", error->message);

  if (folders != NULL && accounts != NULL && accounts->len > 0)
    {
      for (guint i = 0; i < folders->len; i++)
        {
          RpFolderInfo *info = g_ptr_array_index (folders, i);

          unified_unread[info->role] += info->unread;
        }

      append_entry (self, 0, RP_FOLDER_ROLE_INBOX, _("All Inboxes"),
                    unified_unread[RP_FOLDER_ROLE_INBOX], 0);
      append_entry (self, 0, RP_FOLDER_ROLE_SENT, _("All Sent"),
                    unified_unread[RP_FOLDER_ROLE_SENT], 0);

      for (guint a = 0; a < accounts->len; a++)
        {
          RpAccount *account = g_ptr_array_index (accounts, a);

          for (RpFolderRole role = RP_FOLDER_ROLE_INBOX; role <= RP_FOLDER_ROLE_LAST; role++)
            {
              for (guint i = 0; i < folders->len; i++)
                {
                  RpFolderInfo *info = g_ptr_array_index (folders, i);
                  g_autofree char *title = NULL;

                  if (info->account_id != account->id || info->role != role)
                    continue;

                  /* With one account the account's name is noise. */
                  if (accounts->len > 1)
                    /* Translators: a special folder of an account, like "Inbox (work)". */
                    title = g_strdup_printf (_("%s (%s)"), rp_folder_role_get_display_name (role),
                                             account->name);
                  else
                    title = g_strdup (rp_folder_role_get_display_name (role));
                  append_entry (self, info->id, role, title, info->unread, 0);
                }
            }
          append_children (self, folders, account->id, 0, 1);
        }
    }

  position = find_entry_by_key (self, previous);
  if (position == GTK_INVALID_LIST_POSITION && g_list_model_get_n_items (G_LIST_MODEL (self->entries)) > 0)
    position = 0;
  gtk_single_selection_set_selected (self->selection, position);
  self->refreshing = FALSE;

  /* Only a different selection is news for the message list. */
  announce_selection (self);
}

gint64
rp_folder_sidebar_get_folder_id (RpFolderSidebar *self)
{
  RpSidebarEntry *entry;

  g_return_val_if_fail (RP_IS_FOLDER_SIDEBAR (self), 0);

  entry = get_selected_entry (self);
  return entry != NULL ? entry->folder_id : 0;
}

RpFolderRole
rp_folder_sidebar_get_role (RpFolderSidebar *self)
{
  RpSidebarEntry *entry;

  g_return_val_if_fail (RP_IS_FOLDER_SIDEBAR (self), RP_FOLDER_ROLE_NONE);

  entry = get_selected_entry (self);
  return entry != NULL ? entry->role : RP_FOLDER_ROLE_NONE;
}

const char *
rp_folder_sidebar_get_title (RpFolderSidebar *self)
{
  RpSidebarEntry *entry;

  g_return_val_if_fail (RP_IS_FOLDER_SIDEBAR (self), NULL);

  entry = get_selected_entry (self);
  return entry != NULL ? entry->title : NULL;
}

guint
rp_folder_sidebar_get_n_rows (RpFolderSidebar *self)
{
  g_return_val_if_fail (RP_IS_FOLDER_SIDEBAR (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->entries));
}

gboolean
rp_folder_sidebar_select (RpFolderSidebar *self,
                          gint64           folder_id,
                          RpFolderRole     role)
{
  guint position;

  g_return_val_if_fail (RP_IS_FOLDER_SIDEBAR (self), FALSE);

  position = find_entry (self, folder_id, role);
  if (position == GTK_INVALID_LIST_POSITION)
    return FALSE;

  gtk_single_selection_set_selected (self->selection, position);
  return TRUE;
}

int
rp_folder_sidebar_get_unread (RpFolderSidebar *self,
                              gint64           folder_id)
{
  g_autoptr(RpSidebarEntry) entry = NULL;
  guint position;

  g_return_val_if_fail (RP_IS_FOLDER_SIDEBAR (self), -1);

  position = find_entry (self, folder_id, RP_FOLDER_ROLE_NONE);
  if (position == GTK_INVALID_LIST_POSITION)
    return -1;

  entry = g_list_model_get_item (G_LIST_MODEL (self->entries), position);
  return (int) entry->unread;
}
