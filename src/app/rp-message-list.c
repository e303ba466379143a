/* rp-message-list.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rp-message-list.h"
#include "rp-message-row.h"

/* The context menu looks at this many selected messages at most to choose
 * between "Mark as Read" and "Mark as Unread", "Flag" and "Unflag". */
#define MAX_INSPECTED 500

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
  GMenuModel         *context_menu_model;

  /* The context menu: a GtkPopoverMenu showing a copy of
   * context_menu_model trimmed to the selection. */
  GtkWidget          *context_menu;
};

G_DEFINE_FINAL_TYPE (RpMessageList, rp_message_list, GTK_TYPE_WIDGET)

enum {
  MESSAGE_SELECTED,
  MESSAGE_ACTIVATED,
  SELECTION_CHANGED,
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

/* The context menu */

typedef struct
{
  guint    n_selected;
  gboolean some_read;
  gboolean some_unread;
  gboolean all_flagged;
} SelectionState;

/* The state of the selected messages, as the window's actions see it:
 * they act on the stored messages of rp_message_list_get_selected(). */
static void
inspect_selection (RpMessageList  *self,
                   SelectionState *state)
{
  g_autoptr(GArray) ids = rp_message_list_get_selected (self);
  guint inspected;

  *state = (SelectionState) { 0 };
  state->n_selected = ids->len;
  state->all_flagged = ids->len > 0;

  for (inspected = 0; inspected < ids->len && inspected < MAX_INSPECTED; inspected++)
    {
      g_autoptr(RpMessageItem) item = NULL;

      if (self->store != NULL)
        item = rp_store_get_item (self->store, g_array_index (ids, gint64, inspected), NULL);
      if (item == NULL)
        continue;
      if (rp_message_item_get_unread (item))
        state->some_unread = TRUE;
      else
        state->some_read = TRUE;
      if (!rp_message_item_get_flagged (item))
        state->all_flagged = FALSE;
    }

  /* Of a bigger selection, the rest may be anything: offer both. */
  if (inspected < ids->len)
    state->some_read = state->some_unread = TRUE;
}

static gboolean
shows_item (RpMessageList        *self,
            const char           *when,
            const char           *action,
            const SelectionState *state)
{
  if (when == NULL)
    return TRUE;
  /* An item whose window action cannot act on this selection (Add Sender
   * to Contacts, for a sender the CRM knows) is left out rather than
   * greyed. */
  if (g_str_equal (when, "enabled"))
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

      return action != NULL && g_str_has_prefix (action, "win.") && G_IS_ACTION_GROUP (root) &&
             g_action_group_get_action_enabled (G_ACTION_GROUP (root), action + strlen ("win."));
    }
  if (g_str_equal (when, "one-message"))
    return state->n_selected == 1;
  if (g_str_equal (when, "some-unread"))
    return state->some_unread;
  if (g_str_equal (when, "some-read"))
    return state->some_read;
  if (g_str_equal (when, "not-all-flagged"))
    return !state->all_flagged;
  if (g_str_equal (when, "all-flagged"))
    return state->all_flagged;

  g_critical ("Unknown rp-show-when “%s” in the message list's menu", when);
  return TRUE;
}

/* A folder name as a menu label: menus read underscores as mnemonics. */
static char *
escape_mnemonic (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, "_", -1);

  return g_strjoinv ("__", parts);
}

/* The folders the selection can move to, a section per account (labelled
 * when there are several): as in the window's Move popover, all but the
 * Outbox, and here not the folder shown either. */
static GMenuModel *
build_folder_menu (RpMessageList *self)
{
  g_autoptr(GPtrArray) folders = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  GMenu *menu = g_menu_new ();

  if (self->store == NULL)
    return G_MENU_MODEL (menu);

  folders = rp_store_list_folders (self->store, &error);
  if (folders != NULL)
    accounts = rp_store_load_accounts (self->store, &error);
  if (folders == NULL || accounts == NULL)
    {
      g_warning ("Cannot list the folders to move to: %s", error->message);
      return G_MENU_MODEL (menu);
    }

  for (guint a = 0; a < accounts->len; a++)
    {
      RpAccount *account = g_ptr_array_index (accounts, a);
      g_autoptr(GMenu) section = g_menu_new ();

      for (guint i = 0; i < folders->len; i++)
        {
          RpFolderInfo *info = g_ptr_array_index (folders, i);
          g_autoptr(GMenuItem) item = NULL;
          g_autofree char *label = NULL;

          if (info->account_id != account->id || info->role == RP_FOLDER_ROLE_OUTBOX
              || info->id == self->folder_id)
            continue;
          label = escape_mnemonic (info->role != RP_FOLDER_ROLE_NONE
                                   ? rp_folder_role_get_display_name (info->role)
                                   : info->name);
          item = g_menu_item_new (label, NULL);
          g_menu_item_set_action_and_target_value (item, "win.move-to-folder",
                                                   g_variant_new_int64 (info->id));
          g_menu_append_item (section, item);
        }

      if (g_menu_model_get_n_items (G_MENU_MODEL (section)) > 0)
        {
          g_autofree char *label = accounts->len > 1 ? escape_mnemonic (account->name) : NULL;

          g_menu_append_section (menu, label, G_MENU_MODEL (section));
        }
    }

  return G_MENU_MODEL (menu);
}

/* A copy of the template's menu with the items that fit the selection. */
static GMenuModel *
build_context_menu (RpMessageList        *self,
                    const SelectionState *state)
{
  GMenuModel *template = self->context_menu_model;
  GMenu *menu = g_menu_new ();

  for (int i = 0; i < g_menu_model_get_n_items (template); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (template, i,
                                                                  G_MENU_LINK_SECTION);
      g_autoptr(GMenu) copy = g_menu_new ();

      g_assert (section != NULL);
      for (int j = 0; j < g_menu_model_get_n_items (section); j++)
        {
          g_autoptr(GMenuItem) item = NULL;
          g_autofree char *when = NULL;
          g_autofree char *action = NULL;
          g_autofree char *submenu = NULL;

          g_menu_model_get_item_attribute (section, j, "rp-show-when", "s", &when);
          g_menu_model_get_item_attribute (section, j, G_MENU_ATTRIBUTE_ACTION, "s", &action);
          if (!shows_item (self, when, action, state))
            continue;
          item = g_menu_item_new_from_model (section, j);
          if (g_menu_model_get_item_attribute (section, j, "rp-submenu", "s", &submenu)
              && g_str_equal (submenu, "folders"))
            {
              g_autoptr(GMenuModel) folders = build_folder_menu (self);

              if (g_menu_model_get_n_items (folders) == 0)
                continue;
              g_menu_item_set_submenu (item, folders);
            }
          g_menu_append_item (copy, item);
        }

      if (g_menu_model_get_n_items (G_MENU_MODEL (copy)) > 0)
        g_menu_append_section (menu, NULL, G_MENU_MODEL (copy));
    }

  return G_MENU_MODEL (menu);
}

/* The row widget around @widget: a row, a part of one, or the list item
 * that holds one (its margins). */
static RpMessageRow *
row_of (GtkWidget *widget)
{
  GtkWidget *row;

  if (widget == NULL)
    return NULL;
  row = gtk_widget_get_ancestor (widget, RP_TYPE_MESSAGE_ROW);
  if (row == NULL && RP_IS_MESSAGE_ROW (gtk_widget_get_first_child (widget)))
    row = gtk_widget_get_first_child (widget);

  return row != NULL ? RP_MESSAGE_ROW (row) : NULL;
}

static guint
row_position (RpMessageRow *row)
{
  GtkListItem *item = g_object_get_data (G_OBJECT (row), "rp-list-item");

  return item != NULL ? gtk_list_item_get_position (item) : GTK_INVALID_LIST_POSITION;
}

/* A row outside the selection becomes the selection, as in Geary and
 * Nautilus; a row inside it leaves a multi-selection for the menu. */
static gboolean
select_for_menu (RpMessageList *self,
                 RpMessageRow  *row)
{
  guint position = row != NULL ? row_position (row) : GTK_INVALID_LIST_POSITION;

  if (self->model == NULL || position == GTK_INVALID_LIST_POSITION)
    return FALSE;
  if (!gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), position))
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);

  return TRUE;
}

/* Opens the menu for the selection, pointing at @rect (in the list's
 * coordinates). */
static gboolean
popup_context_menu (RpMessageList      *self,
                    const GdkRectangle *rect)
{
  g_autoptr(GMenuModel) menu = NULL;
  SelectionState state;

  inspect_selection (self, &state);
  if (state.n_selected == 0)
    return FALSE;

  menu = build_context_menu (self, &state);
  gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->context_menu), menu);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu), rect);
  gtk_popover_popup (GTK_POPOVER (self->context_menu));

  return TRUE;
}

/* A right click or long press at @x, @y of @widget (the list view). */
static gboolean
popup_at_point (RpMessageList *self,
                GtkWidget     *widget,
                double         x,
                double         y)
{
  RpMessageRow *row = row_of (gtk_widget_pick (widget, x, y, GTK_PICK_DEFAULT));
  graphene_point_t point;

  if (!select_for_menu (self, row)
      || !gtk_widget_compute_point (widget, GTK_WIDGET (self), &GRAPHENE_POINT_INIT (x, y), &point))
    return FALSE;

  return popup_context_menu (self, &(GdkRectangle) { (int) point.x, (int) point.y, 1, 1 });
}

/* The shown row of the first selected message, or NULL. */
static RpMessageRow *
find_selected_row (RpMessageList *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      RpMessageRow *row = row_of (child);
      guint position = row != NULL ? row_position (row) : GTK_INVALID_LIST_POSITION;

      if (position != GTK_INVALID_LIST_POSITION && gtk_widget_get_mapped (GTK_WIDGET (row))
          && gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), position))
        return row;
    }

  return NULL;
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
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
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
  g_object_set_data (G_OBJECT (row), "rp-list-item", item);
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

/* Double click or Enter on a row. */
static void
on_row_activated (GtkListView   *list_view,
                  guint          position,
                  RpMessageList *self)
{
  g_autoptr(RpMessageItem) item = NULL;

  if (self->model == NULL || position >= g_list_model_get_n_items (G_LIST_MODEL (self->model)))
    return;
  item = g_list_model_get_item (G_LIST_MODEL (self->model), position);
  if (item != NULL)
    g_signal_emit (self, signals[MESSAGE_ACTIVATED], 0, rp_message_item_get_id (item));
}

static void
on_context_click_pressed (GtkGestureClick *gesture,
                          int              n_press,
                          double           x,
                          double           y,
                          RpMessageList   *self)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));

  if (popup_at_point (self, widget, x, y))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
on_context_long_pressed (GtkGestureLongPress *gesture,
                         double               x,
                         double               y,
                         RpMessageList       *self)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));

  if (popup_at_point (self, widget, x, y))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

/* The Menu key and Shift+F10: the menu of the focused row, else of the
 * selection, below the row. */
static gboolean
popup_menu_binding (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   user_data)
{
  RpMessageList *self = RP_MESSAGE_LIST (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  RpMessageRow *row;
  graphene_rect_t bounds;
  GdkRectangle rect = { gtk_widget_get_width (widget) / 2, 0, 1, 1 };

  if (focus == NULL || (focus != GTK_WIDGET (self->list_view)
                        && !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->list_view))))
    return FALSE;

  row = row_of (focus);
  if (row == NULL || !select_for_menu (self, row))
    row = find_selected_row (self);
  if (row != NULL && gtk_widget_compute_bounds (GTK_WIDGET (row), widget, &bounds))
    rect = (GdkRectangle) { (int) bounds.origin.x, (int) bounds.origin.y,
                            (int) bounds.size.width, (int) bounds.size.height };

  return popup_context_menu (self, &rect);
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
  self->context_menu = NULL;
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->store);
  g_clear_pointer (&self->query, g_free);

  G_OBJECT_CLASS (rp_message_list_parent_class)->dispose (object);
}

/* A popover follows its parent only if the parent presents it again. */
static void
rp_message_list_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  RpMessageList *self = RP_MESSAGE_LIST (widget);

  GTK_WIDGET_CLASS (rp_message_list_parent_class)->size_allocate (widget, width, height,
                                                                  baseline);
  if (self->context_menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->context_menu));
}

static void
rp_message_list_class_init (RpMessageListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rp_message_list_dispose;
  widget_class->size_allocate = rp_message_list_size_allocate;

  /**
   * RpMessageList::message-selected:
   * @message_id: the one selected message, or 0
   */
  signals[MESSAGE_SELECTED] =
    g_signal_new ("message-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  /**
   * RpMessageList::message-activated:
   * @message_id: the message double-clicked or chosen with Enter
   */
  signals[MESSAGE_ACTIVATED] =
    g_signal_new ("message-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  /**
   * RpMessageList::selection-changed:
   *
   * The selection changed, to several messages too (which
   * #RpMessageList::message-selected leaves out).
   */
  signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rapportmail/Rapport/rp-message-list.ui");
  gtk_widget_class_bind_template_child (widget_class, RpMessageList, search_bar);
  gtk_widget_class_bind_template_child (widget_class, RpMessageList, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RpMessageList, stack);
  gtk_widget_class_bind_template_child (widget_class, RpMessageList, list_view);
  gtk_widget_class_bind_template_child (widget_class, RpMessageList, context_menu_model);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Menu, 0, popup_menu_binding, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK,
                                popup_menu_binding, NULL);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
rp_message_list_init (RpMessageList *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkGesture *gesture;

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
  g_signal_connect (self->list_view, "activate", G_CALLBACK (on_row_activated), self);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));

  /* A context menu as in other mail clients and file managers: a right
   * click, or a long press on a touchscreen (a held mouse button drags). */
  self->context_menu = gtk_popover_menu_new_from_model (NULL);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
  gtk_widget_set_halign (self->context_menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->context_menu, GTK_WIDGET (self));
  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
  g_signal_connect (gesture, "pressed", G_CALLBACK (on_context_click_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), GTK_EVENT_CONTROLLER (gesture));
  gesture = gtk_gesture_long_press_new ();
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (gesture), TRUE);
  g_signal_connect (gesture, "pressed", G_CALLBACK (on_context_long_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), GTK_EVENT_CONTROLLER (gesture));

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

guint
rp_message_list_get_n_selected (RpMessageList *self)
{
  g_autoptr(GtkBitset) selected = NULL;

  g_return_val_if_fail (RP_IS_MESSAGE_LIST (self), 0);

  if (self->model == NULL)
    return 0;
  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  return (guint) gtk_bitset_get_size (selected);
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
 * _rp_message_list_get_context_menu:
 * @self: a #RpMessageList
 *
 * For tests.
 *
 * Returns: (transfer none): the rows' context menu, a #GtkPopoverMenu
 */
GtkPopover *
_rp_message_list_get_context_menu (RpMessageList *self)
{
  g_return_val_if_fail (RP_IS_MESSAGE_LIST (self), NULL);

  return GTK_POPOVER (self->context_menu);
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
