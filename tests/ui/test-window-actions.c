/* test-window-actions.c: the shortcuts window against the real key
 * bindings, and the message actions of the main window, in-process under
 * Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "rp-application.h"
#include "rp-compose-window.h"
#include "rp-crm-record-form.h"
#include "rp-crm-sidebar-private.h"
#include "rp-message-row.h"
#include "rp-window-crm.h"
#include "rp-window-private.h"
#include "ui-test-util.h"

/* Auxiliary methods */

/* Runs the main loop until @cond holds; fails after 30 s. */
#define WAIT_FOR(cond) RP_UI_TEST_WAIT_FOR (cond, 30)

/* One application for the whole program: a registered GtkApplication
 * cannot be replaced by another within one process. */
static RpApplication *app;

/* "<Control><Shift>r" and "<Shift><Control>R" alike. */
static char *
normalize_accel (const char *accel)
{
  guint key = 0;
  GdkModifierType mods = 0;

  if (!gtk_accelerator_parse (accel, &key, &mods) || key == 0)
    return NULL;

  return gtk_accelerator_name (gdk_keyval_to_lower (key), mods);
}

/* The key bindings of @widget's class: accelerator → action name. */
static void
collect_bindings (GtkWidget  *widget,
                  GHashTable *bindings)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);
          g_autofree char *accel = NULL;
          const char *name;

          if (!GTK_IS_KEYVAL_TRIGGER (trigger) || !GTK_IS_NAMED_ACTION (action))
            continue;
          name = gtk_named_action_get_action_name (GTK_NAMED_ACTION (action));
          /* Ours only; the keypad's Enter doubles the main one. */
          if (!g_str_has_prefix (name, "win.") && !g_str_has_prefix (name, "compose.")
              && !g_str_has_prefix (name, "app."))
            continue;
          if (gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == GDK_KEY_KP_Enter)
            continue;
          accel = gtk_accelerator_name (gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)),
                                        gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)));
          g_hash_table_insert (bindings, normalize_accel (accel), g_strdup (name));
        }
    }
}

/* Tests */

/* Every key binding of the main and the compose window, and every
 * application accelerator, is listed in the shortcuts window. */
static void
test_shortcuts_window (void)
{
  g_autoptr(GHashTable) bindings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GtkBuilder) builder = NULL;
  g_auto(GStrv) actions = NULL;
  GSList *objects;
  GHashTableIter iter;
  gpointer key, value;
  RpWindow *window = rp_window_new (app);
  RpComposeWindow *compose = rp_compose_window_new (app, NULL);

  collect_bindings (GTK_WIDGET (window), bindings);
  collect_bindings (GTK_WIDGET (compose), bindings);
  g_assert_cmpuint (g_hash_table_size (bindings), >=, 12);

  builder = gtk_builder_new_from_resource ("/org/rapportmail/Rapport/gtk/help-overlay.ui");
  objects = gtk_builder_get_objects (builder);
  for (GSList *l = objects; l != NULL; l = l->next)
    {
      g_autofree char *accelerator = NULL;
      g_autofree char *action_name = NULL;

      if (!GTK_IS_SHORTCUTS_SHORTCUT (l->data))
        continue;
      g_object_get (l->data, "accelerator", &accelerator, "action-name", &action_name, NULL);
      if (action_name != NULL)
        g_hash_table_add (listed, g_strconcat ("action:", action_name, NULL));
      if (accelerator != NULL)
        {
          g_auto(GStrv) accels = g_strsplit (accelerator, " ", -1);

          for (guint i = 0; accels[i] != NULL; i++)
            {
              char *normal = normalize_accel (accels[i]);

              if (normal != NULL)
                g_hash_table_add (listed, normal);
            }
        }
    }
  g_slist_free (objects);

  g_hash_table_iter_init (&iter, bindings);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *by_action = g_strconcat ("action:", (char *) value, NULL);

      /* A window also carries the application's accelerators, which the
       * shortcuts window may list by action. */
      if (!g_hash_table_contains (listed, key) && !g_hash_table_contains (listed, by_action))
        g_error ("The shortcuts window does not list %s (%s)", (char *) key, (char *) value);
    }

  /* Application accelerators are listed by their action. */
  actions = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_autofree char *entry = NULL;
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                     actions[i]);
      gboolean found = FALSE;

      entry = g_strconcat ("action:", actions[i], NULL);
      found = g_hash_table_contains (listed, entry);
      for (guint j = 0; !found && accels[j] != NULL; j++)
        {
          g_autofree char *normal = normalize_accel (accels[j]);

          found = normal != NULL && g_hash_table_contains (listed, normal);
        }
      if (accels[0] != NULL && !found)
        g_error ("The shortcuts window does not list %s (%s)", accels[0], actions[i]);
    }

  /* The message list's own keys, which open its context menu, whatever
   * their action. */
  {
    g_autoptr(GListModel) controllers =
      gtk_widget_observe_controllers (GTK_WIDGET (_rp_window_get_message_list (window)));
    guint n_keys = 0;

    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

        if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
          continue;
        for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
          {
            g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
            GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
            g_autofree char *accel = NULL;
            g_autofree char *normal = NULL;
            GtkKeyvalTrigger *keys;

            if (!GTK_IS_KEYVAL_TRIGGER (trigger))
              continue;
            keys = GTK_KEYVAL_TRIGGER (trigger);
            accel = gtk_accelerator_name (gtk_keyval_trigger_get_keyval (keys),
                                          gtk_keyval_trigger_get_modifiers (keys));
            normal = normalize_accel (accel);
            if (!g_hash_table_contains (listed, normal))
              g_error ("The shortcuts window does not list %s (the message list's)", normal);
            n_keys++;
          }
      }
    /* Menu and Shift+F10. */
    g_assert_cmpuint (n_keys, >=, 2);
  }

  gtk_window_destroy (GTK_WINDOW (compose));
  gtk_window_destroy (GTK_WINDOW (window));
  rp_ui_test_spin (50);
}

static GtkListBox *
find_move_list (GtkWidget *widget)
{
  if (GTK_IS_LIST_BOX (widget) && gtk_widget_get_ancestor (widget, GTK_TYPE_POPOVER) != NULL)
    return GTK_LIST_BOX (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkListBox *found = find_move_list (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static RpMessageFlags
flags_of (RpStore *store,
          gint64   id)
{
  g_autoptr(RpMessageItem) item = rp_store_get_item (store, id, NULL);

  g_assert_nonnull (item);
  return rp_message_item_get_flags (item);
}

static gint64
folder_of (RpStore *store,
           gint64   id)
{
  g_autoptr(RpMessageItem) item = rp_store_get_item (store, id, NULL);

  g_assert_nonnull (item);
  return rp_message_item_get_folder_id (item);
}

/* Mark read and unread, flag and unflag, move with the Move popover, and
 * the empty state of the folder that is left. */
static void
test_message_actions (void)
{
  static const char raw_text[] = "From: Anna <anna@example.org>\r\n"
                                 "To: me@example.test\r\n"
                                 "Subject: Only message\r\n"
                                 "Date: Sat, 28 Nov 2026 10:00:00 +0000\r\n"
                                 "\r\n"
                                 "Hello.\r\n";
  g_autoptr(RpAccount) account = rp_account_new ("actions");
  g_autoptr(GBytes) raw = g_bytes_new_static (raw_text, sizeof raw_text - 1);
  g_autoptr(GError) error = NULL;
  RpStore *store = rp_application_get_store (app);
  RpStoreNewMessage msg = { 0 };
  RpWindow *window;
  RpMessageList *list;
  GtkListBox *move_list;
  GtkListBoxRow *archive_row = NULL;
  gint64 inbox, archive;

  g_free (account->email);
  account->email = g_strdup ("me@example.test");
  account->enabled = FALSE;
  g_assert_true (rp_store_save_account (store, account, &error));
  g_assert_no_error (error);
  inbox = rp_store_get_special_folder (store, account->id, RP_FOLDER_ROLE_INBOX);
  archive = rp_store_create_folder (store, account->id, 0, "Archive", &error);
  g_assert_no_error (error);
  msg.folder_id = inbox;
  msg.raw = raw;
  g_assert_true (rp_store_add_messages_sync (store, account->id, &msg, 1, NULL, &error));
  g_assert_no_error (error);

  window = rp_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  gtk_window_present (GTK_WINDOW (window));
  list = _rp_window_get_message_list (window);
  WAIT_FOR (g_str_equal (_rp_window_get_page (window), "mail"));

  /* An empty folder says so. */
  g_assert_true (rp_folder_sidebar_select (_rp_window_get_sidebar (window), archive,
                                           RP_FOLDER_ROLE_NONE));
  WAIT_FOR (rp_message_list_get_model (list) != NULL);
  g_assert_cmpstr (rp_message_list_get_page (list), ==, "empty");

  g_assert_true (rp_folder_sidebar_select (_rp_window_get_sidebar (window), inbox,
                                           RP_FOLDER_ROLE_NONE));
  WAIT_FOR (g_list_model_get_n_items (G_LIST_MODEL (rp_message_list_get_model (list))) == 1);
  g_assert_cmpstr (rp_message_list_get_page (list), ==, "list");
  rp_message_list_select (list, 0);
  WAIT_FOR ((flags_of (store, msg.id) & RP_MESSAGE_FLAG_SEEN) != 0);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.mark-unread", NULL);
  WAIT_FOR ((flags_of (store, msg.id) & RP_MESSAGE_FLAG_SEEN) == 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.mark-read", NULL);
  WAIT_FOR ((flags_of (store, msg.id) & RP_MESSAGE_FLAG_SEEN) != 0);

  /* Flag toggles. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.flag", NULL);
  WAIT_FOR ((flags_of (store, msg.id) & RP_MESSAGE_FLAG_FLAGGED) != 0);
  rp_ui_test_spin (100);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.flag", NULL);
  WAIT_FOR ((flags_of (store, msg.id) & RP_MESSAGE_FLAG_FLAGGED) == 0);

  /* Ctrl+M's popover lists the folders; choosing one moves the message. */
  rp_ui_test_spin (100);
  rp_message_list_select (list, 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.move-to", NULL);
  move_list = find_move_list (GTK_WIDGET (window));
  g_assert_nonnull (move_list);
  WAIT_FOR (gtk_list_box_get_row_at_index (move_list, 0) != NULL);
  for (int i = 0; gtk_list_box_get_row_at_index (move_list, i) != NULL; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (move_list, i);
      gint64 *id = g_object_get_data (G_OBJECT (row), "rp-folder-id");

      if (id != NULL && *id == archive)
        archive_row = row;
    }
  g_assert_nonnull (archive_row);
  g_signal_emit_by_name (move_list, "row-activated", archive_row);
  WAIT_FOR (folder_of (store, msg.id) == archive);
  WAIT_FOR (g_list_model_get_n_items (G_LIST_MODEL (rp_message_list_get_model (list))) == 0);
  g_assert_cmpstr (rp_message_list_get_page (list), ==, "empty");

  gtk_window_destroy (GTK_WINDOW (window));
  rp_ui_test_spin (50);
}

/* The context menu */

static GtkListView *
find_list_view (GtkWidget *widget)
{
  if (GTK_IS_LIST_VIEW (widget))
    return GTK_LIST_VIEW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkListView *found = find_list_view (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The shown row of message @id, or NULL. */
static GtkWidget *
find_row (GtkListView *view,
          gint64       id)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (view)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);
      RpMessageItem *item;

      if (!RP_IS_MESSAGE_ROW (row) || !gtk_widget_get_mapped (row))
        continue;
      item = rp_message_row_get_item (RP_MESSAGE_ROW (row));
      if (item != NULL && rp_message_item_get_id (item) == id)
        return row;
    }

  return NULL;
}

/* The list view's right-click gesture. */
static GtkGesture *
find_context_gesture (GtkListView *view)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (view));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (controller)
          && gtk_gesture_single_get_button (GTK_GESTURE_SINGLE (controller)) == GDK_BUTTON_SECONDARY)
        return GTK_GESTURE (controller);
    }

  return NULL;
}

/* Presses Shift+F10 in @list: runs the list's key binding. */
static void
press_shift_f10 (RpMessageList *list)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (list));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger)
              && gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == GDK_KEY_F10
              && gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == GDK_SHIFT_MASK)
            {
              g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0,
                                                           GTK_WIDGET (list),
                                                           gtk_shortcut_get_arguments (shortcut)));
              return;
            }
        }
    }

  g_error ("The message list has no Shift+F10 binding");
}

/* A right click in the middle of message @id's row, through the list's
 * real gesture handler. */
static void
right_click_row (GtkListView *view,
                 gint64       id)
{
  GtkGesture *gesture = find_context_gesture (view);
  GtkWidget *row;
  graphene_point_t point;

  g_assert_nonnull (gesture);
  WAIT_FOR ((row = find_row (view, id)) != NULL && gtk_widget_get_width (row) > 0);
  g_assert_true (gtk_widget_compute_point (row, GTK_WIDGET (view),
                                           &GRAPHENE_POINT_INIT (gtk_widget_get_width (row) / 2.0,
                                                                 gtk_widget_get_height (row) / 2.0),
                                           &point));
  g_signal_emit_by_name (gesture, "pressed", 1, (double) point.x, (double) point.y);
}

/* The menu's items, flattened: "label → action(target)" per item, with
 * the items of submenus after their own, indented. */
static void
describe_menu (GMenuModel *menu,
               GString    *out,
               guint       depth)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      g_autoptr(GMenuModel) submenu = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SUBMENU);
      g_autoptr(GVariant) target = g_menu_model_get_item_attribute_value (menu, i,
                                                                          G_MENU_ATTRIBUTE_TARGET,
                                                                          NULL);
      g_autofree char *label = NULL;
      g_autofree char *action = NULL;
      g_autofree char *target_text = target != NULL ? g_variant_print (target, FALSE) : NULL;

      g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label);
      g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &action);
      if (section != NULL)
        {
          if (label != NULL)
            g_string_append_printf (out, "%*s[%s]\n", depth * 2, "", label);
          describe_menu (section, out, depth);
          continue;
        }
      g_string_append_printf (out, "%*s%s → %s%s%s%s\n", depth * 2, "", label,
                              action != NULL ? action : "", target_text != NULL ? "(" : "",
                              target_text != NULL ? target_text : "",
                              target_text != NULL ? ")" : "");
      if (submenu != NULL)
        describe_menu (submenu, out, depth + 1);
    }
}

/* Activates the item with @label (anywhere in the menu, submenus too) as
 * the popover does: its action with its target, from the popover. */
static gboolean
activate_item (GtkWidget  *popover,
               GMenuModel *menu,
               const char *label)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      g_autoptr(GMenuModel) submenu = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SUBMENU);
      g_autofree char *item_label = NULL;
      g_autofree char *action = NULL;

      if ((section != NULL && activate_item (popover, section, label))
          || (submenu != NULL && activate_item (popover, submenu, label)))
        return TRUE;
      if (!g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &item_label)
          || !g_str_equal (item_label, label)
          || !g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &action))
        continue;
      {
        g_autoptr(GVariant) target = g_menu_model_get_item_attribute_value (menu, i,
                                                                            G_MENU_ATTRIBUTE_TARGET,
                                                                            NULL);

        gtk_popover_popdown (GTK_POPOVER (popover));
        g_assert_true (gtk_widget_activate_action_variant (popover, action, target));
        return TRUE;
      }
    }

  return FALSE;
}

/* The window with its open popover drawn where the popover's surface is. */
static void
save_menu_screenshot (GtkWidget  *window,
                      GtkWidget  *popover,
                      const char *name)
{
  const char *dir = g_getenv ("RP_TEST_ARTIFACT_DIR");
  g_autoptr(GdkPaintable) window_paintable = gtk_widget_paintable_new (window);
  g_autoptr(GdkPaintable) popover_paintable = gtk_widget_paintable_new (popover);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (popover));
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);
  double window_x, window_y, popover_x, popover_y;

  if (dir == NULL)
    return;

  gtk_native_get_surface_transform (GTK_NATIVE (window), &window_x, &window_y);
  gtk_native_get_surface_transform (GTK_NATIVE (popover), &popover_x, &popover_y);
  gdk_paintable_snapshot (window_paintable, GDK_SNAPSHOT (snapshot), width, height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT (gdk_popup_get_position_x (GDK_POPUP (surface))
                                                + popover_x - window_x,
                                                gdk_popup_get_position_y (GDK_POPUP (surface))
                                                + popover_y - window_y));
  gdk_paintable_snapshot (popover_paintable, GDK_SNAPSHOT (snapshot),
                          gtk_widget_get_width (popover), gtk_widget_get_height (popover));
  gtk_snapshot_restore (snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot saved in %s", path);
}

static void
assert_selected (RpMessageList *list,
                 const gint64  *ids,
                 guint          n_ids)
{
  g_autoptr(GArray) selected = rp_message_list_get_selected (list);

  g_assert_cmpuint (selected->len, ==, n_ids);
  for (guint i = 0; i < n_ids; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < selected->len; j++)
        found = found || g_array_index (selected, gint64, j) == ids[i];
      g_assert_true (found);
    }
}

/* A right click on a row outside the selection selects it and opens the
 * menu for it; with several messages selected, the menu acts on all. For
 * one message from someone unknown, it offers to add the sender to the
 * CRM. */
static void
test_context_menu (void)
{
  g_autoptr(RpAccount) account = rp_account_new ("context");
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) items = g_string_new (NULL);
  g_autoptr(GMenuModel) menu = NULL;
  g_autofree char *projects_item = NULL;
  g_autofree char *inbox_target = NULL;
  RpStore *store = rp_application_get_store (app);
  RpStoreNewMessage msgs[2] = { { 0 } };
  RpWindow *window;
  RpMessageList *list;
  GtkListView *view;
  GtkWidget *popover;
  gint64 inbox, projects;

  g_free (account->email);
  account->email = g_strdup ("me@context.test");
  account->enabled = FALSE;
  g_assert_true (rp_store_save_account (store, account, &error));
  g_assert_no_error (error);
  inbox = rp_store_get_special_folder (store, account->id, RP_FOLDER_ROLE_INBOX);
  /* An underscore, which a menu label would take for a mnemonic. */
  projects = rp_store_create_folder (store, account->id, 0, "Projects_2026", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (msgs); i++)
    {
      g_autofree char *text = g_strdup_printf ("From: Bernd <bernd@example.org>\r\n"
                                               "To: me@context.test\r\n"
                                               "Subject: Context %u\r\n"
                                               "Date: Sat, 28 Nov 2026 1%u:00:00 +0000\r\n"
                                               "\r\n"
                                               "Body %u.\r\n", i, i, i);

      msgs[i].folder_id = inbox;
      msgs[i].raw = g_bytes_new_take (g_steal_pointer (&text), strlen (text));
      msgs[i].flags = RP_MESSAGE_FLAG_SEEN;
    }
  g_assert_true (rp_store_add_messages_sync (store, account->id, msgs, G_N_ELEMENTS (msgs),
                                             NULL, &error));
  g_assert_no_error (error);

  window = rp_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  gtk_window_present (GTK_WINDOW (window));
  list = _rp_window_get_message_list (window);
  popover = GTK_WIDGET (_rp_message_list_get_context_menu (list));
  view = find_list_view (GTK_WIDGET (list));
  g_assert_nonnull (view);
  WAIT_FOR (g_str_equal (_rp_window_get_page (window), "mail"));
  g_assert_true (rp_folder_sidebar_select (_rp_window_get_sidebar (window), inbox,
                                           RP_FOLDER_ROLE_NONE));
  WAIT_FOR (rp_message_list_get_model (list) != NULL
            && g_list_model_get_n_items (G_LIST_MODEL (rp_message_list_get_model (list))) == 2);

  /* The newest first: select "Context 1", right-click "Context 0". */
  rp_message_list_select (list, 0);
  assert_selected (list, &msgs[1].id, 1);
  right_click_row (view, msgs[0].id);
  assert_selected (list, &msgs[0].id, 1);
  WAIT_FOR (gtk_widget_get_mapped (popover));

  menu = g_object_ref (gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (popover)));
  describe_menu (menu, items, 0);
  g_test_message ("the context menu:\n%s", items->str);
  g_assert_true (strstr (items->str, "_Reply → win.reply\nReply to _All → win.reply-all\n"
                                     "_Forward → win.forward\n"
                                     "Mark as _Unread → win.mark-unread\n"
                                     "F_lag → win.flag\n"
                                     "Add Sender to _Contacts → win.add-sender-contact\n"
                                     "Add Sender as L_ead → win.add-sender-lead\n"
                                     "_Move To → \n") == items->str);
  g_assert_null (strstr (items->str, "win.mark-read"));
  g_assert_null (strstr (items->str, "Outbox"));
  g_assert_nonnull (strstr (items->str, "  [context]\n"));
  projects_item = g_strdup_printf ("  Projects__2026 → win.move-to-folder(%" G_GINT64_FORMAT ")\n",
                                   projects);
  g_assert_nonnull (strstr (items->str, projects_item));
  g_assert_true (g_str_has_suffix (items->str, "Run F_ilters → win.run-filters-selection\n"
                                               "Move to _Trash → win.delete\n"));
  /* The folder shown is no place to move to. */
  inbox_target = g_strdup_printf ("win.move-to-folder(%" G_GINT64_FORMAT ")", inbox);
  g_assert_null (strstr (items->str, inbox_target));
  rp_ui_test_spin (300);
  save_menu_screenshot (GTK_WIDGET (window), popover, "message-list-context-menu-en.png");

  /* "Mark as Unread" acts on the row that was right-clicked. */
  g_assert_true (activate_item (popover, menu, "Mark as _Unread"));
  WAIT_FOR ((flags_of (store, msgs[0].id) & RP_MESSAGE_FLAG_SEEN) == 0);
  g_assert_true ((flags_of (store, msgs[1].id) & RP_MESSAGE_FLAG_SEEN) != 0);
  WAIT_FOR (!gtk_widget_get_visible (popover));
  g_clear_object (&menu);

  /* Shift+F10 opens the menu of the focused row, which it selects. */
  rp_ui_test_spin (100);
  gtk_widget_grab_focus (gtk_widget_get_parent (find_row (view, msgs[1].id)));
  press_shift_f10 (list);
  assert_selected (list, &msgs[1].id, 1);
  WAIT_FOR (gtk_widget_get_mapped (popover));

  /* "Add Sender to Contacts" opens the CRM sidebar's form for Bernd. */
  menu = g_object_ref (gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (popover)));
  g_assert_true (activate_item (popover, menu, "Add Sender to _Contacts"));
  WAIT_FOR (!gtk_widget_get_visible (popover));
  g_clear_object (&menu);
  g_assert_true (_rp_window_crm_sidebar_shown (window));
  WAIT_FOR (!_rp_crm_sidebar_is_loading (_rp_window_get_crm_sidebar (window)) &&
            RP_IS_CRM_RECORD_FORM (_rp_crm_sidebar_get_form (_rp_window_get_crm_sidebar (window))));
  {
    GtkWidget *form = _rp_crm_sidebar_get_form (_rp_window_get_crm_sidebar (window));
    g_autoptr(RpCrmRecord) prefill = rp_crm_record_form_dup_record (RP_CRM_RECORD_FORM (form));

    g_assert_cmpint (prefill->kind, ==, RP_CRM_KIND_CONTACT);
    g_assert_cmpstr (prefill->name, ==, "Bernd");
    g_assert_cmpstr (prefill->emails[0], ==, "bernd@example.org");
    gtk_widget_activate_action (form, "form.cancel", NULL);
  }

  /* Both selected: a right click on one of them keeps both, and the menu
   * offers what fits several messages. */
  rp_ui_test_spin (100);
  gtk_selection_model_select_all (gtk_list_view_get_model (view));
  assert_selected (list, (gint64[]) { msgs[0].id, msgs[1].id }, 2);
  right_click_row (view, msgs[1].id);
  assert_selected (list, (gint64[]) { msgs[0].id, msgs[1].id }, 2);
  WAIT_FOR (gtk_widget_get_mapped (popover));
  menu = g_object_ref (gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (popover)));
  g_string_truncate (items, 0);
  describe_menu (menu, items, 0);
  g_test_message ("the context menu of two:\n%s", items->str);
  g_assert_true (g_str_has_prefix (items->str, "Mark as Rea_d → win.mark-read\n"
                                               "Mark as _Unread → win.mark-unread\n"
                                               "F_lag → win.flag\n"));
  g_assert_null (strstr (items->str, "win.reply"));
  g_assert_null (strstr (items->str, "win.forward"));
  g_assert_null (strstr (items->str, "win.add-sender"));

  /* "Move To" moves both. */
  g_assert_true (activate_item (popover, menu, "Projects__2026"));
  WAIT_FOR (folder_of (store, msgs[0].id) == projects && folder_of (store, msgs[1].id) == projects);
  WAIT_FOR (g_list_model_get_n_items (G_LIST_MODEL (rp_message_list_get_model (list))) == 0);

  for (guint i = 0; i < G_N_ELEMENTS (msgs); i++)
    g_bytes_unref (msgs[i].raw);
  gtk_window_destroy (GTK_WINDOW (window));
  rp_ui_test_spin (50);
}

/* One test for all: the application's store lives in the test's own
 * data folder, and a registered GtkApplication cannot be replaced by
 * another within one process. */
static void
test_window_actions (void)
{
  app = rp_ui_test_new_application ();
  g_test_message ("the shortcuts window");
  test_shortcuts_window ();
  g_test_message ("read, flag, move, empty folder");
  test_message_actions ();
  g_test_message ("the message list's context menu");
  test_context_menu ();
  rp_scheduler_stop (rp_application_get_scheduler (app));
  g_clear_object (&app);
}

int
main (int   argc,
      char *argv[])
{

  rp_ui_test_init (&argc, &argv);

  g_test_add_func ("/ui/window-actions", test_window_actions);

  return g_test_run ();
}
