/* rp-window-crm.c: the main window's CRM parts
 *
 * The contextual sidebar sits in a GtkPaned to the right of the reading
 * pane and follows the message list's selection. The widths follow what
 * mail clients like Geary do: the folders and the list keep the widths the
 * user gave them, the reading pane takes whatever the window gains, and
 * the sidebar keeps its own width (kept in GSettings, clamped). Beside the
 * sidebar the reading pane never gets narrower than READABLE_WIDTH (nor
 * than its content needs, a row of buttons say): when
 * the window is too narrow for that, the list gives way first (down to its
 * minimum), then the sidebar (down to its minimum), and then the sidebar
 * hides itself rather than fold the folders away. F9 shows it anyway on a
 * narrow window; then the folders fold away. F9 and the header bar's
 * toggle show whether the sidebar is shown, not the setting: on a window
 * wide enough they change the setting (show it wherever it fits, or
 * nowhere), on a narrow one they show or hide it for that window and
 * width only, and leave the setting alone. The CRM page is a page of
 * the window's main stack, reached with Ctrl+2 (Ctrl+1 returns to mail, as
 * in other mail clients with several views).
 *
 * Add Sender to Contacts (and as Lead) in the message list's context menu
 * open the sidebar's form for the sender of the selected message; their
 * actions are enabled only for one message whose sender the CRM does not
 * know yet. On a window too narrow for the sidebar even with the folders
 * folded away (a phone, or a window tiled to a quarter of the screen),
 * the form still opens in the hidden sidebar, where it waits for a wider
 * window, and a toast says so: the list and the message cannot give up
 * more room, and nothing happening at all would look like a bug.
 *
 * The window's own struct knows nothing of this: the widgets are found by
 * their template names, and the state lives on the window as object data.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rp-window-crm.h"
#include "rp-window-private.h"

/* The narrowest the reading pane gets beside the sidebar: about 55
 * characters of body text, and the header lines without much wrapping. */
#define READABLE_WIDTH 380
/* The separators between the folders, the list, the message and the
 * sidebar (3 px), and the frame GTK draws around a window where no
 * compositor draws its shadow (10 px): the part of the window's width
 * that no pane gets. */
#define HANDLES_WIDTH 13
/* The handle of a GtkPaned without a wide handle. */
#define PANED_HANDLE_WIDTH 1
#define STATE_KEY "rp-window-crm"

typedef struct
{
  GSettings *settings;
  GSimpleAction *visible_action;   /* win.crm-sidebar-visible: shown or not */
  GSimpleAction *add_contact_action;
  GSimpleAction *add_lead_action;
  GSignalGroup *store_signals;
  guint      update_id;      /* the idle that applies the visibility */
  gboolean   narrow;
  gboolean   forced;         /* shown by the user although narrow */
  gboolean   show_crm;       /* the CRM page replaces the mail */
  int        view_min;       /* the reading pane's own width request */
  int        paned_width;    /* the sidebar's paned's width when last placed */
  gboolean   placing;        /* the sidebar's position is being set */
  int        sidebar_min;    /* the widest minimum the sidebar has shown */
  AdwToast  *narrow_toast;   /* "widen the window", while shown */
} CrmState;

/* Auxiliary methods */

static void
crm_state_free (CrmState *state)
{
  g_clear_handle_id (&state->update_id, g_source_remove);
  g_signal_group_set_target (state->store_signals, NULL);
  g_clear_object (&state->store_signals);
  g_clear_object (&state->visible_action);
  g_clear_object (&state->add_contact_action);
  g_clear_object (&state->add_lead_action);
  g_clear_object (&state->settings);
  g_clear_object (&state->narrow_toast);
  g_free (state);
}

static CrmState *
get_state (RpWindow *self)
{
  return g_object_get_data (G_OBJECT (self), STATE_KEY);
}

static gpointer
child (RpWindow   *self,
       const char *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (self), RP_TYPE_WINDOW, name);
}

static RpStore *
window_store (RpWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return app != NULL ? rp_application_get_store (RP_APPLICATION (app)) : NULL;
}

/* The size the user gave the window; maximized, the size of its surface
 * (which is known only once realized, and a little wider where a
 * compositor draws the window's shadow). */
static int
window_width (RpWindow *self)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (self));
  int width, height;

  if (surface != NULL && gdk_surface_get_width (surface) > 0 &&
      (gtk_window_is_maximized (GTK_WINDOW (self)) ||
       gtk_window_is_fullscreen (GTK_WINDOW (self))))
    return gdk_surface_get_width (surface);

  /* GTK 4.8 wants both pointers. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  return width;
}

static int
min_width (GtkWidget *widget)
{
  int min = 0;
  int request;

  /* A hidden widget measures nothing: its request is what it will need. */
  gtk_widget_get_size_request (widget, &request, NULL);
  if (gtk_widget_get_visible (widget))
    gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  return MAX (min, request);
}

static int
sidebar_min_width (RpWindow *self)
{
  CrmState *state = get_state (self);

  /* Hidden, the sidebar measures nothing but its request; shown, a long
   * word may need more. The widest seen counts, so that showing it never
   * makes it too wide to show. */
  state->sidebar_min = MAX (state->sidebar_min,
                            min_width (GTK_WIDGET (_rp_window_get_crm_sidebar (self))));
  return state->sidebar_min;
}

/* The width the list, the message at @view_width and the sidebar need
 * side by side. */
static int
content_width (RpWindow *self,
               int       view_width)
{
  return min_width (GTK_WIDGET (_rp_window_get_message_list (self))) + view_width +
         sidebar_min_width (self) + HANDLES_WIDTH;
}

/* The width the reading pane needs beside the sidebar. */
static int
readable_width (RpWindow *self)
{
  return MAX (READABLE_WIDTH, min_width (GTK_WIDGET (_rp_window_get_message_view (self))));
}

/* GtkPaned gives a child that does not resize its minimum width, not the
 * width it would like: the sidebar's position is set here, from its
 * width, whenever the paned's width changes. */
static void
place_sidebar (RpWindow *self)
{
  CrmState *state = get_state (self);
  GtkPaned *paned = child (self, "crm_paned");
  RpCrmSidebar *sidebar = _rp_window_get_crm_sidebar (self);
  int width = gtk_widget_get_width (GTK_WIDGET (paned));
  int position;

  state->paned_width = width;
  if (width <= 0 || !gtk_widget_get_visible (GTK_WIDGET (sidebar)))
    return;
  position = MAX (0, width - PANED_HANDLE_WIDTH - rp_crm_sidebar_get_natural_width (sidebar));
  /* The sidebar gives way before the reading pane gets unreadable. */
  if (!state->narrow)
    position = MAX (position, readable_width (self));
  if (position == gtk_paned_get_position (paned))
    return;
  state->placing = TRUE;
  gtk_paned_set_position (paned, position);
  state->placing = FALSE;
}

/* Beside the sidebar, the list gives up width before the sidebar does:
 * the reading pane and the person next to it matter more than long
 * subjects. It never grows back by itself; the reading pane takes the
 * room (and the user may drag the list wider). */
static void
fit_list (RpWindow *self)
{
  GtkPaned *paned = child (self, "content_paned");
  int list_min = min_width (GTK_WIDGET (_rp_window_get_message_list (self)));
  int available = window_width (self) - min_width (child (self, "sidebar_box")) - HANDLES_WIDTH;
  int fits = available - readable_width (self) -
             rp_crm_sidebar_get_natural_width (_rp_window_get_crm_sidebar (self));

  if (gtk_paned_get_position (paned) > fits)
    gtk_paned_set_position (paned, MAX (list_min, fits));
}

static void
apply_visibility (RpWindow *self)
{
  CrmState *state = get_state (self);
  RpCrmSidebar *sidebar = _rp_window_get_crm_sidebar (self);
  GtkWidget *view = GTK_WIDGET (_rp_window_get_message_view (self));
  int width = window_width (self);
  gboolean narrow, wanted, shown;

  /* A window being destroyed has no sidebar any more. Until the window
   * is on screen its size may still change (the saved one, then what the
   * application or the window manager sets): the decision waits for the
   * map, so that the first layout has the right panes (a GtkPaned once
   * squeezed keeps its squeezed position). */
  if (state == NULL || sidebar == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  /* Everything side by side, with a readable message; any less and the
   * sidebar hides (or, asked for, the folders fold away). */
  narrow = width < min_width (child (self, "sidebar_box")) +
                   content_width (self, readable_width (self));
  wanted = g_settings_get_boolean (state->settings, "crm-sidebar-visible");
  if (narrow != state->narrow)
    state->forced = FALSE;
  state->narrow = narrow;
  /* Narrow, only what the user asked for in this window counts (see
   * set_sidebar_shown()). Even folded there must be room for the list, a
   * message and the sidebar, or the window could not be that narrow any
   * more. */
  shown = narrow ? state->forced && width >= content_width (self, min_width (view)) : wanted;

  gtk_widget_set_size_request (view, shown && !narrow ? READABLE_WIDTH : state->view_min, -1);
  gtk_widget_set_visible (GTK_WIDGET (sidebar), shown);
  /* Asked for on a narrow window too: the list gives way first there as
   * well, or the panes would not fit beside the sidebar. */
  if (shown)
    {
      fit_list (self);
      place_sidebar (self);
    }
  g_simple_action_set_state (state->visible_action, g_variant_new_boolean (shown));
}

/* F9 and the toggle: on a window wide enough, the setting; on a narrow
 * one, where the sidebar hid itself, this window at this width only, so
 * that the sidebar the user wants where there is room is still there
 * when the window is wide again. */
static void
set_sidebar_shown (RpWindow *self,
                   gboolean  shown)
{
  CrmState *state = get_state (self);

  if (state->narrow)
    state->forced = shown;
  else
    g_settings_set_boolean (state->settings, "crm-sidebar-visible", shown);
  apply_visibility (self);
}

/* The address to offer adding to the CRM for the selection: the sender
 * of the one message selected, unless it is the user's own or the CRM
 * knows it already; else NULL. A few indexed reads, on the main thread as
 * the selection changes, like the message list's own. */
static char *
sender_to_add (RpWindow *self,
               gint64   *message_id)
{
  RpMessageList *list = _rp_window_get_message_list (self);
  RpStore *store = window_store (self);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(RpMessageItem) item = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  const char *address;

  *message_id = 0;
  if (store == NULL || list == NULL || rp_message_list_get_n_selected (list) != 1)
    return NULL;

  ids = rp_message_list_get_selected (list);
  item = rp_store_get_item (store, g_array_index (ids, gint64, 0), NULL);
  address = item != NULL ? rp_message_item_get_from_address (item) : NULL;
  if (address == NULL || *address == '\0')
    return NULL;

  accounts = rp_store_load_accounts (store, NULL);
  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    if (rp_account_is_own_address (g_ptr_array_index (accounts, i), address))
      return NULL;

  if (rp_crm_find_record_id_by_address (store, address, &error) != 0)
    return NULL;
  if (error != NULL)
    {
      g_debug ("Cannot look up %s in the CRM: %s", address, error->message);
      return NULL;
    }

  *message_id = rp_message_item_get_id (item);
  return g_strdup (address);
}

static void
update_sender_actions (RpWindow *self)
{
  CrmState *state = get_state (self);
  g_autofree char *address = NULL;
  gint64 message_id;

  /* A window being destroyed has no message list any more. */
  if (state == NULL || _rp_window_get_message_list (self) == NULL)
    return;

  address = sender_to_add (self, &message_id);
  g_simple_action_set_enabled (state->add_contact_action, address != NULL);
  g_simple_action_set_enabled (state->add_lead_action, address != NULL);
}

static gboolean
update_idle (gpointer user_data)
{
  RpWindow *self = user_data;
  CrmState *state = get_state (self);

  if (state != NULL)
    state->update_id = 0;
  apply_visibility (self);
  return G_SOURCE_REMOVE;
}

/* Visibility changes wait for an idle: a resize notifies during layout,
 * when showing or hiding a child would be too late for this frame. */
static void
queue_update (RpWindow *self)
{
  CrmState *state = get_state (self);

  if (state->update_id == 0)
    state->update_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_idle, g_object_ref (self),
                                        g_object_unref);
}

static void
show_page (RpWindow *self,
           gboolean  crm)
{
  GtkStack *stack = child (self, "main_stack");
  const char *visible = gtk_stack_get_visible_child_name (stack);

  get_state (self)->show_crm = crm;
  /* The greeting stays until there is an account. */
  if (g_strcmp0 (visible, "welcome") != 0)
    gtk_stack_set_visible_child_name (stack, crm ? "crm" : "mail");
}

/* Callbacks */

static void
on_size_changed (RpWindow   *self,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  queue_update (self);
}

static void
on_realize (RpWindow *self,
            gpointer  user_data)
{
  g_signal_connect_object (gtk_native_get_surface (GTK_NATIVE (self)), "notify::width",
                           G_CALLBACK (on_size_changed), self, G_CONNECT_SWAPPED);
}

static void
on_map (RpWindow *self,
        gpointer  user_data)
{
  apply_visibility (self);
}

static void
on_sidebar_setting_changed (RpWindow   *self,
                            const char *key,
                            GSettings  *settings)
{
  /* Changed in a wide window (this one or another): a narrow window keeps
   * what its user chose there. */
  apply_visibility (self);
}

static void
on_crm_paned_max_position (RpWindow   *self,
                           GParamSpec *pspec,
                           GtkPaned   *paned)
{
  place_sidebar (self);
}

/* The position moved while the paned kept its width: the user dragged
 * the handle, and the sidebar's width is theirs from now on. */
static void
on_crm_paned_position (RpWindow   *self,
                       GParamSpec *pspec,
                       GtkPaned   *paned)
{
  CrmState *state = get_state (self);
  RpCrmSidebar *sidebar = _rp_window_get_crm_sidebar (self);
  int width = gtk_widget_get_width (GTK_WIDGET (paned));
  int position = gtk_paned_get_position (paned);
  int min = 0, max = 0;

  /* At either end, GtkPaned rather clamped it to the children's
   * minimums, as it does when the sidebar appears on a narrow window. */
  g_object_get (paned, "min-position", &min, "max-position", &max, NULL);
  if (state->placing || width <= 0 || width != state->paned_width ||
      position <= min || position >= max || !gtk_widget_get_visible (GTK_WIDGET (sidebar)))
    return;
  rp_crm_sidebar_set_natural_width (sidebar, width - PANED_HANDLE_WIDTH - position);
}

static gboolean
on_close_request (RpWindow *self,
                  gpointer  user_data)
{
  CrmState *state = get_state (self);
  RpCrmSidebar *sidebar = _rp_window_get_crm_sidebar (self);

  /* Not the width it has on a narrow window: the width the user chose. */
  g_settings_set_int (state->settings, "crm-sidebar-width",
                      rp_crm_sidebar_get_natural_width (sidebar));
  return FALSE;
}

static void
on_visible_change_state (RpWindow      *self,
                         GVariant      *value,
                         GSimpleAction *action)
{
  set_sidebar_shown (self, g_variant_get_boolean (value));
}

static void
on_message_selected (RpWindow      *self,
                     gint64         message_id,
                     RpMessageList *list)
{
  rp_crm_sidebar_set_message (_rp_window_get_crm_sidebar (self), message_id);
  update_sender_actions (self);
  /* The new message may need more room (a bar of buttons, say). */
  queue_update (self);
}

static void
on_selection_changed (RpWindow      *self,
                      RpMessageList *list)
{
  update_sender_actions (self);
}

static void
on_crm_changed (RpWindow *self,
                guint     what,
                RpStore  *store)
{
  if ((what & RP_CRM_CHANGE_RECORDS) != 0)
    update_sender_actions (self);
}

static void
on_open_message (RpWindow     *self,
                 gint64        message_id,
                 RpCrmSidebar *sidebar)
{
  rp_message_view_set_message (_rp_window_get_message_view (self), message_id);
}

static void
on_open_record (RpWindow     *self,
                gint64        record_id,
                RpCrmSidebar *sidebar)
{
  show_page (self, TRUE);
  rp_crm_page_show_record (_rp_window_get_crm_page (self), record_id);
}

static void
on_application_changed (RpWindow   *self,
                        GParamSpec *pspec,
                        gpointer    user_data)
{
  RpStore *store = window_store (self);
  CrmState *state = get_state (self);

  rp_crm_sidebar_set_store (_rp_window_get_crm_sidebar (self), store);
  rp_crm_page_set_store (_rp_window_get_crm_page (self), store);
  if (state != NULL)
    g_signal_group_set_target (state->store_signals, store);
}

static void
show_crm_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  show_page (RP_WINDOW (widget), TRUE);
}

static void
show_mail_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  show_page (RP_WINDOW (widget), FALSE);
}

static void
on_narrow_toast_dismissed (RpWindow *self,
                           AdwToast *toast)
{
  CrmState *state = get_state (self);

  if (state != NULL && state->narrow_toast == toast)
    g_clear_object (&state->narrow_toast);
}

/* The sidebar could not show the form: say why, once however often the
 * user asks. */
static void
show_narrow_toast (RpWindow  *self,
                   RpCrmKind  kind)
{
  CrmState *state = get_state (self);

  if (state->narrow_toast != NULL)
    adw_toast_dismiss (state->narrow_toast);
  state->narrow_toast = g_object_ref (adw_toast_new (
    kind == RP_CRM_KIND_LEAD ? _("Widen the window to see the lead form")
                             : _("Widen the window to see the contact form")));
  g_signal_connect_object (state->narrow_toast, "dismissed",
                           G_CALLBACK (on_narrow_toast_dismissed), self, G_CONNECT_SWAPPED);
  _rp_window_add_toast (self, state->narrow_toast);
}

static void
add_sender (RpWindow  *self,
            RpCrmKind  kind)
{
  RpCrmSidebar *sidebar = _rp_window_get_crm_sidebar (self);
  g_autofree char *address = NULL;
  gint64 message_id;

  address = sender_to_add (self, &message_id);
  if (address == NULL)
    return;

  show_page (self, FALSE);
  /* Folded, the message and its sender rather than the folders. */
  if (_rp_window_is_folded (self))
    adw_leaflet_navigate (child (self, "leaflet"), ADW_NAVIGATION_DIRECTION_FORWARD);
  if (!_rp_window_crm_sidebar_shown (self))
    set_sidebar_shown (self, TRUE);
  rp_crm_sidebar_set_message (sidebar, message_id);
  rp_crm_sidebar_add_person (sidebar, address, kind);
  if (!_rp_window_crm_sidebar_shown (self))
    show_narrow_toast (self, kind);
}

static void
on_add_sender_contact (RpWindow      *self,
                       GVariant      *parameter,
                       GSimpleAction *action)
{
  add_sender (self, RP_CRM_KIND_CONTACT);
}

static void
on_add_sender_lead (RpWindow      *self,
                    GVariant      *parameter,
                    GSimpleAction *action)
{
  add_sender (self, RP_CRM_KIND_LEAD);
}

/* An action of the window's action map (not a class action), so that the
 * message list's menu and the tests can tell whether it is enabled. */
static GSimpleAction *
add_window_action (RpWindow      *self,
                   GSimpleAction *action,
                   const char    *signal,
                   GCallback      callback)
{
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));
  g_signal_connect_object (action, signal, callback, self, G_CONNECT_SWAPPED);
  return action;
}

/* Internal API */

void
_rp_window_crm_class_init (GtkWidgetClass *widget_class)
{
  g_type_ensure (RP_TYPE_CRM_SIDEBAR);
  g_type_ensure (RP_TYPE_CRM_PAGE);

  /* Found by name (see child()), so the window's struct needs no fields. */
  gtk_widget_class_bind_template_child_full (widget_class, "crm_paned", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "crm_sidebar", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "crm_page", FALSE, 0);

  gtk_widget_class_install_action (widget_class, "win.show-crm", NULL, show_crm_action);
  gtk_widget_class_install_action (widget_class, "win.show-mail", NULL, show_mail_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_CONTROL_MASK,
                                       "win.show-crm", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK,
                                       "win.show-mail", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0,
                                       "win.crm-sidebar-visible", NULL);
}

void
_rp_window_crm_init (RpWindow *self)
{
  CrmState *state = g_new0 (CrmState, 1);

  state->settings = g_settings_new (APP_ID);
  gtk_widget_get_size_request (GTK_WIDGET (_rp_window_get_message_view (self)),
                               &state->view_min, NULL);
  /* The setting may come from a bigger screen, or from an older version
   * that let the content decide. */
  rp_crm_sidebar_set_natural_width (_rp_window_get_crm_sidebar (self),
                                    g_settings_get_int (state->settings, "crm-sidebar-width"));
  g_object_set_data_full (G_OBJECT (self), STATE_KEY, state, (GDestroyNotify) crm_state_free);

  /* A boolean state without a parameter: activating it (F9) toggles it,
   * and a GtkToggleButton shows it. */
  state->visible_action = add_window_action (self,
                                             g_simple_action_new_stateful (
                                               "crm-sidebar-visible", NULL,
                                               g_variant_new_boolean (FALSE)),
                                             "change-state",
                                             G_CALLBACK (on_visible_change_state));
  state->add_contact_action = add_window_action (self,
                                                 g_simple_action_new ("add-sender-contact", NULL),
                                                 "activate", G_CALLBACK (on_add_sender_contact));
  state->add_lead_action = add_window_action (self,
                                              g_simple_action_new ("add-sender-lead", NULL),
                                              "activate", G_CALLBACK (on_add_sender_lead));
  g_simple_action_set_enabled (state->add_contact_action, FALSE);
  g_simple_action_set_enabled (state->add_lead_action, FALSE);
  state->store_signals = g_signal_group_new (RP_TYPE_STORE);
  g_signal_group_connect_object (state->store_signals, "crm-changed",
                                 G_CALLBACK (on_crm_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (state->settings, "changed::crm-sidebar-visible",
                           G_CALLBACK (on_sidebar_setting_changed), self, G_CONNECT_SWAPPED);

  g_signal_connect (self, "notify::default-width", G_CALLBACK (on_size_changed), NULL);
  g_signal_connect (self, "notify::maximized", G_CALLBACK (on_size_changed), NULL);
  g_signal_connect (self, "notify::fullscreened", G_CALLBACK (on_size_changed), NULL);
  g_signal_connect (self, "notify::application", G_CALLBACK (on_application_changed), NULL);
  g_signal_connect (self, "close-request", G_CALLBACK (on_close_request), NULL);
  g_signal_connect (self, "realize", G_CALLBACK (on_realize), NULL);
  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);
  g_signal_connect_object (child (self, "crm_paned"), "notify::max-position",
                           G_CALLBACK (on_crm_paned_max_position), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (child (self, "crm_paned"), "notify::position",
                           G_CALLBACK (on_crm_paned_position), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (_rp_window_get_message_list (self), "message-selected",
                           G_CALLBACK (on_message_selected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (_rp_window_get_message_list (self), "selection-changed",
                           G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (_rp_window_get_crm_sidebar (self), "open-message",
                           G_CALLBACK (on_open_message), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (_rp_window_get_crm_sidebar (self), "open-record",
                           G_CALLBACK (on_open_record), self, G_CONNECT_SWAPPED);

  /* Shown, if at all, once the window is mapped (see apply_visibility()). */
  gtk_widget_set_visible (GTK_WIDGET (_rp_window_get_crm_sidebar (self)), FALSE);
}

const char *
_rp_window_crm_get_mail_page (RpWindow *self)
{
  CrmState *state = get_state (self);

  return state != NULL && state->show_crm ? "crm" : "mail";
}

RpCrmSidebar *
_rp_window_get_crm_sidebar (RpWindow *self)
{
  return child (self, "crm_sidebar");
}

RpCrmPage *
_rp_window_get_crm_page (RpWindow *self)
{
  return child (self, "crm_page");
}

gboolean
_rp_window_crm_sidebar_shown (RpWindow *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (_rp_window_get_crm_sidebar (self)));
}

const char *
_rp_window_crm_get_narrow_toast_title (RpWindow *self)
{
  CrmState *state = get_state (self);

  return state != NULL && state->narrow_toast != NULL ?
         adw_toast_get_title (state->narrow_toast) : NULL;
}
