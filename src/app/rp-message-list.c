/* rp-message-list.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport"

#include "config.h"

#include <glib/gi18n.h>

#include "rp-message-list.h"
#include "rp-message-row.h"

struct _RpMessageList
{
  GtkWidget           parent_instance;

  RpStore            *store;
  gint64              folder_id;
  RpFolderRole        role;
  char               *query;
  gboolean            conversations;

  RpFolderModel      *model;
  GtkMultiSelection  *selection;
  gint64              shown_id;

  /* Template children */
  GtkSearchBar       *search_bar;
  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  GtkListView        *list_view;
};

G_DEFINE_FINAL_TYPE (RpMessageList, rp_message_list, GTK_TYPE_WIDGET)

enum {
  MESSAGE_SELECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Auxiliary methods */

static void
update_page (RpMessageList *self)
{
  const char *page = "list";

  if (self->model == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->model)) == 0)
    {
      /* A search still running is not yet "no results". */
      if (self->query != NULL && self->model != NULL && rp_folder_model_get_loading (self->model))
        page = "list";
      else
        page = self->query != NULL ? "no-results" : "empty";
    }

  gtk_stack_set_visible_child_name (self->stack, page);
}

static void
show_message (RpMessageList *self,
              gint64         message_id)
{
  g_autoptr(GError) error = NULL;

  if (message_id == self->shown_id)
    return;

  self->shown_id = message_id;
  g_signal_emit (self, signals[MESSAGE_SELECTED], 0, message_id);

  /* Opening a message is reading it. */
  if (message_id != 0 && self->store != NULL &&
      !rp_store_set_flags (self->store, &message_id, 1, RP_MESSAGE_FLAG_SEEN,
                           RP_MESSAGE_FLAG_NONE, &error))
    g_warning ("Cannot mark message %" G_GINT64_FORMAT " read: %s", message_id, error->message);
}

static void on_loading_changed (GObject *object, GParamSpec *pspec, gpointer user_data);

static void
reload (RpMessageList *self)
{
  g_autoptr(RpFolderModel) model = NULL;

  if (self->model != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->model, self);
      g_clear_object (&self->model);
    }

  if (self->store != NULL)
    {
      if (self->query != NULL)
        model = rp_folder_model_new_for_search (self->store, self->query);
      else if (self->folder_id != 0)
        model = rp_folder_model_new_for_folder (self->store, self->folder_id);
      else if (self->role != RP_FOLDER_ROLE_NONE)
        model = rp_folder_model_new_for_role (self->store, self->role);
    }

  /* Search results are single messages: a hit is one message, not a
   * conversation. */
  if (model != NULL && self->query == NULL)
    rp_folder_model_set_conversations (model, self->conversations);

  if (model != NULL)
    {
      self->model = g_object_ref (model);
      g_signal_connect (model, "notify::loading", G_CALLBACK (on_loading_changed), self);
    }

  /* Close the message first, so that the new rows do not reselect it. */
  show_message (self, 0);
  gtk_multi_selection_set_model (self->selection, G_LIST_MODEL (self->model));
  update_page (self);
}

/* Callbacks */

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  RpMessageList *self = RP_MESSAGE_LIST (user_data);

  update_page (self);

  /* A changed row (marked read, say) is replaced, which drops it from the
   * selection: keep the open message selected, or close it once it left
   * the list. */
  if (self->shown_id != 0 && self->model != NULL)
    {
      int found = rp_folder_model_find (self->model, self->shown_id);

      if (found < 0)
        show_message (self, 0);
      else if (!gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection),
                                                 (guint) found))
        gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection),
                                         (guint) found, FALSE);
    }
}

static void
on_loading_changed (GObject    *object,
                    GParamSpec *pspec,
                    gpointer    user_data)
{
  update_page (RP_MESSAGE_LIST (user_data));
}

static void
on_selection_changed (GtkSelectionModel *selection,
                      guint              position,
                      guint              n_items,
                      gpointer           user_data)
{
  RpMessageList *self = RP_MESSAGE_LIST (user_data);
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (selection);

  /* Only a single selection opens a message; several are for actions. */
  if (gtk_bitset_get_size (selected) == 1 && self->model != NULL)
    show_message (self, rp_folder_model_get_id_at (self->model, gtk_bitset_get_nth (selected, 0)));
  else if (gtk_bitset_get_size (selected) == 0)
    show_message (self, 0);
}

/* A drag carries the ids of the selected messages. A drag that starts on a
 * row outside the selection drags that row alone, as in file managers. */
static GdkContentProvider *
on_drag_prepare (GtkDragSource *source,
                 double         x,
                 double         y,
                 gpointer       user_data)
{
  RpMessageList *self = RP_MESSAGE_LIST (user_data);
  GtkListItem *item = g_object_get_data (G_OBJECT (source), "rp-list-item");
  guint position = gtk_list_item_get_position (item);
  g_autoptr(GArray) ids = NULL;
  g_autofree char *text = NULL;

  if (self->model == NULL || position == GTK_INVALID_LIST_POSITION)
    return NULL;

  if (!gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), position))
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);

  ids = rp_message_list_get_selected (self);
  if (ids->len == 0)
    return NULL;

  text = rp_message_list_format_ids (ids);
  return gdk_content_provider_new_typed (G_TYPE_STRING, text);
}

static void
on_setup_row (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkWidget *row = rp_message_row_new ();
  GtkDragSource *source = gtk_drag_source_new ();

  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  /* The list item owns its row, so it outlives the row's controllers. */
  g_object_set_data (G_OBJECT (source), "rp-list-item", item);
  g_signal_connect (source, "prepare", G_CALLBACK (on_drag_prepare), user_data);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (source));
  gtk_list_item_set_child (item, row);
}

static void
on_bind_row (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  rp_message_row_set_item (RP_MESSAGE_ROW (gtk_list_item_get_child (item)),
                           gtk_list_item_get_item (item));
}

static void
on_unbind_row (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  rp_message_row_set_item (RP_MESSAGE_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
on_search_changed (GtkSearchEntry *entry,
                   RpMessageList  *self)
{
  rp_message_list_set_query (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
on_stop_search (GtkSearchEntry *entry,
                RpMessageList  *self)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

/* GObject overrides */

static void
rp_message_list_dispose (GObject *object)
{
  RpMessageList *self = RP_MESSAGE_LIST (object);
  GtkWidget *child;

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), RP_TYPE_MESSAGE_LIST);
  /* The template's top box has no id, so disposing the template does
   * not unparent it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->store);
  g_clear_pointer (&self->query, g_free);

  G_OBJECT_CLASS (rp_message_list_parent_class)->dispose (object);
}

static void
rp_message_list_class_init (RpMessageListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rp_message_list_dispose;

  /**
   * RpMessageList::message-selected:
   * @message_id: the one selected message, or 0
   */
  signals[MESSAGE_SELECTED] =
    g_signal_new ("message-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rapportmail/Rapport/rp-message-list.ui");
  gtk_widget_class_bind_template_child (widget_class, RpMessageList, search_bar);
  gtk_widget_class_bind_template_child (widget_class, RpMessageList, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RpMessageList, stack);
  gtk_widget_class_bind_template_child (widget_class, RpMessageList, list_view);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
rp_message_list_init (RpMessageList *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->selection = gtk_multi_selection_new (NULL);
  g_signal_connect (self->selection, "selection-changed",
                    G_CALLBACK (on_selection_changed), self);
  /* From the selection, not the model: it has updated itself by then. */
  g_signal_connect (self->selection, "items-changed", G_CALLBACK (on_items_changed), self);
  g_signal_connect (factory, "setup", G_CALLBACK (on_setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (on_bind_row), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_unbind_row), self);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  update_page (self);
}

/* Public API */

GtkWidget *
rp_message_list_new (void)
{
  return g_object_new (RP_TYPE_MESSAGE_LIST, NULL);
}

void
rp_message_list_set_store (RpMessageList *self,
                           RpStore       *store)
{
  g_return_if_fail (RP_IS_MESSAGE_LIST (self));
  g_return_if_fail (store == NULL || RP_IS_STORE (store));

  if (g_set_object (&self->store, store))
    reload (self);
}

void
rp_message_list_set_source (RpMessageList *self,
                            gint64         folder_id,
                            RpFolderRole   role)
{
  g_return_if_fail (RP_IS_MESSAGE_LIST (self));

  self->folder_id = folder_id;
  self->role = folder_id != 0 ? RP_FOLDER_ROLE_NONE : role;

  /* Choosing a folder leaves the search. */
  g_clear_pointer (&self->query, g_free);
  if (gtk_search_bar_get_search_mode (self->search_bar))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      gtk_search_bar_set_search_mode (self->search_bar, FALSE);
    }
  reload (self);
}

void
rp_message_list_set_query (RpMessageList *self,
                           const char    *query)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (RP_IS_MESSAGE_LIST (self));

  stripped = g_strstrip (g_strdup (query != NULL ? query : ""));
  if (*stripped == '\0')
    g_clear_pointer (&stripped, g_free);
  if (g_strcmp0 (stripped, self->query) == 0)
    return;

  g_free (self->query);
  self->query = g_steal_pointer (&stripped);
  reload (self);
}

void
rp_message_list_start_search (RpMessageList *self)
{
  g_return_if_fail (RP_IS_MESSAGE_LIST (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/**
 * rp_message_list_get_model:
 * @self: a #RpMessageList
 *
 * Returns: (transfer none) (nullable): the messages shown
 */
RpFolderModel *
rp_message_list_get_model (RpMessageList *self)
{
  g_return_val_if_fail (RP_IS_MESSAGE_LIST (self), NULL);

  return self->model;
}

GArray *
rp_message_list_get_selected (RpMessageList *self)
{
  g_autoptr(GtkBitset) selected = NULL;
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GtkBitsetIter iter;
  guint position;

  g_return_val_if_fail (RP_IS_MESSAGE_LIST (self), ids);

  if (self->model == NULL)
    return ids;

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position); ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      gint64 id = rp_folder_model_get_id_at (self->model, position);

      g_array_append_val (ids, id);
    }

  return ids;
}

void
rp_message_list_select (RpMessageList *self,
                        guint          position)
{
  g_return_if_fail (RP_IS_MESSAGE_LIST (self));

  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
}

const char *
rp_message_list_get_page (RpMessageList *self)
{
  g_return_val_if_fail (RP_IS_MESSAGE_LIST (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * rp_message_list_set_conversations:
 * @self: a #RpMessageList
 * @conversations: one row per conversation rather than per message
 *
 * Groups the rows of folders and unified views by conversation.
 */
void
rp_message_list_set_conversations (RpMessageList *self,
                                   gboolean       conversations)
{
  g_return_if_fail (RP_IS_MESSAGE_LIST (self));

  conversations = !!conversations;
  if (self->conversations == conversations)
    return;

  self->conversations = conversations;
  if (self->model != NULL && self->query == NULL)
    rp_folder_model_set_conversations (self->model, conversations);
}

/**
 * rp_message_list_format_ids:
 * @ids: message ids
 *
 * The text a drag of messages carries: a prefix that no ordinary dropped
 * text has, then the ids.
 *
 * Returns: (transfer full): the text
 */
char *
rp_message_list_format_ids (GArray *ids)
{
  GString *text = g_string_new (RP_MESSAGE_IDS_PREFIX);

  g_return_val_if_fail (ids != NULL, g_string_free (text, FALSE));

  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (text, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "",
                            g_array_index (ids, gint64, i));

  return g_string_free (text, FALSE);
}

/**
 * rp_message_list_parse_ids:
 * @text: the text of a drop
 *
 * Reads the ids of rp_message_list_format_ids().
 *
 * Returns: (transfer full) (nullable): the ids, or %NULL if @text is no
 *   drag of messages
 */
GArray *
rp_message_list_parse_ids (const char *text)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_auto(GStrv) parts = NULL;

  if (text == NULL || !g_str_has_prefix (text, RP_MESSAGE_IDS_PREFIX))
    return NULL;

  parts = g_strsplit (text + strlen (RP_MESSAGE_IDS_PREFIX), ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      gint64 id;

      if (!g_ascii_string_to_signed (parts[i], 10, 1, G_MAXINT64, &id, NULL))
        return NULL;
      g_array_append_val (ids, id);
    }

  return ids->len > 0 ? g_steal_pointer (&ids) : NULL;
}
