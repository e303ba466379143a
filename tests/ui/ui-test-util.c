/* ui-test-util.c: shared set-up and helpers for the in-process UI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include "ui-test-util.h"

#include <glib/gi18n.h>
#include <locale.h>

/**
 * rp_ui_test_init:
 * @argc: main()'s argument count
 * @argv: main()'s arguments
 *
 * rp_test_init() (isolated XDG dirs, C locale), then GTK and libadwaita.
 * The isolated XDG_DATA_DIRS are empty, but GTK needs the MIME database
 * (gdk-pixbuf recognises SVG icons by it) and the icon themes, so both are
 * pointed at the system's copies.
 */
void
rp_ui_test_init (int    *argc,
                 char ***argv)
{
  const char *mime_dirs[] = { "/usr/share/mime", NULL };

  rp_test_init (argc, argv);
  g_content_type_set_mime_dirs (mime_dirs);
  gtk_init ();
  adw_init ();
  gtk_icon_theme_add_search_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                  "/usr/share/icons");
}

/**
 * rp_ui_test_set_flag:
 * @flag: (type gboolean*): the flag to raise
 *
 * A #GSourceFunc that sets *@flag to %TRUE and removes its source: the
 * timeout of RP_UI_TEST_WAIT_FOR() and rp_ui_test_spin().
 *
 * Returns: %G_SOURCE_REMOVE
 */
gboolean
rp_ui_test_set_flag (gpointer flag)
{
  *(gboolean *) flag = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * rp_ui_test_spin:
 * @ms: how long
 *
 * Runs the main loop for @ms milliseconds, so that the widgets can lay
 * out, draw and answer their signals.
 */
void
rp_ui_test_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, rp_ui_test_set_flag, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/**
 * rp_ui_test_wait_until:
 * @condition: the condition
 * @data: passed to @condition
 * @timeout_ms: how long to wait at most
 *
 * Runs the main loop until @condition holds; fails the test when it still
 * does not after @timeout_ms milliseconds. RP_UI_TEST_WAIT_FOR() is the
 * same for a C expression.
 */
void
rp_ui_test_wait_until (RpUiTestCondition condition,
                       gpointer          data,
                       guint             timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, rp_ui_test_set_flag, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_assert_true (condition (data));
}

/**
 * rp_ui_test_save_screenshot:
 * @widget: a widget, usually a window
 * @name: the file name, such as "window-mail.png"
 *
 * Saves a PNG of @widget in $RP_TEST_ARTIFACT_DIR, which
 * run-under-xvfb.sh sets to the build directory; does nothing without it.
 * Waits for @widget to be mapped with a size, and lets it lay out and
 * draw once before capturing it.
 */
void
rp_ui_test_save_screenshot (GtkWidget  *widget,
                            const char *name)
{
  const char *dir = g_getenv ("RP_TEST_ARTIFACT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width = 0;
  int height = 0;

  if (dir == NULL)
    return;

  /* A window just shown may not have its size yet. */
  RP_UI_TEST_WAIT_FOR (gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0, 10);
  rp_ui_test_spin (200);
  paintable = gtk_widget_paintable_new (widget);
  /* Nor may it have drawn its first frame, and then its paintable has
   * nothing to give. */
  for (guint attempt = 0; attempt < 50 && node == NULL; attempt++)
    {
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

      if (attempt > 0)
        rp_ui_test_spin (100);
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot %s: %d×%d, saved in %s", name, width, height, path);
}

/**
 * rp_ui_test_template_child:
 * @widget: a widget built from a template
 * @type: the class whose template has the child
 * @name: the child's id in the template
 *
 * Returns: (transfer none): the child; the test fails when there is none
 */
gpointer
rp_ui_test_template_child (gpointer    widget,
                           GType       type,
                           const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (object);
  return object;
}

/**
 * rp_ui_test_new_application:
 *
 * A registered #RpApplication with its store, opened in the test's own
 * XDG data dir. It is not unique, so that it does no handshake with a
 * running Rapport.
 *
 * Returns: (transfer full): the application
 */
RpApplication *
rp_ui_test_new_application (void)
{
  g_autoptr(GError) error = NULL;
  RpApplication *app = rp_application_new ();
  RpStore *store;

  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  store = rp_application_get_store (app);
  g_assert_nonnull (store);
  g_assert_true (g_str_has_prefix (rp_store_get_path (store), g_get_user_data_dir ()));

  return app;
}

/**
 * rp_ui_test_present_window:
 * @app: the application
 *
 * A main window of @app at 1100×700, presented and mapped.
 *
 * Returns: (transfer none): the window, which @app holds
 */
RpWindow *
rp_ui_test_present_window (RpApplication *app)
{
  RpWindow *window = rp_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  gtk_window_present (GTK_WINDOW (window));
  RP_UI_TEST_WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (window)), 10);

  return window;
}

static const char notifications_xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  "<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "<arg type='u' direction='out'/></method>"
  "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "<method name='GetServerInformation'><arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "<arg type='s' direction='out'/><arg type='s' direction='out'/></method>"
  "</interface></node>";

static void
on_notification_call (GDBusConnection       *connection,
                      const char            *sender,
                      const char            *object_path,
                      const char            *interface_name,
                      const char            *method_name,
                      GVariant              *parameters,
                      GDBusMethodInvocation *invocation,
                      gpointer               user_data)
{
  RpUiTestNotifications *received = user_data;

  if (g_str_equal (method_name, "Notify"))
    {
      received->n_notify++;
      g_clear_pointer (&received->summary, g_free);
      g_clear_pointer (&received->body, g_free);
      g_variant_get_child (parameters, 3, "s", &received->summary);
      g_variant_get_child (parameters, 4, "s", &received->body);
      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(u)", received->n_notify));
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new_parsed ("(@as ['body'],)"));
  else if (g_str_equal (method_name, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(ssss)", "test", "rapport", "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

/**
 * rp_ui_test_own_notifications:
 *
 * Serves org.freedesktop.Notifications on the test's private session
 * bus, so that a window that notifies of new mail has a server to talk
 * to, and the test can see what the desktop would show. Returns once the
 * name is owned. The registration lives as long as the process, which
 * is a test's own subprocess.
 *
 * Returns: (transfer none): what the server receives, updated as
 *   notifications arrive in the main context
 */
RpUiTestNotifications *
rp_ui_test_own_notifications (void)
{
  static RpUiTestNotifications received;
  const GDBusInterfaceVTable vtable = { on_notification_call, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  gboolean owned = FALSE;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications", info->interfaces[0],
                                     &vtable, &received, NULL, &error);
  g_assert_no_error (error);
  g_bus_own_name_on_connection (bus, "org.freedesktop.Notifications",
                                G_BUS_NAME_OWNER_FLAGS_NONE, NULL, NULL, NULL, NULL);
  /* Owning the name is asynchronous; ask the bus until it is ours. */
  while (!owned)
    {
      g_autoptr(GVariant) reply = NULL;

      g_main_context_iteration (NULL, FALSE);
      reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                           "org.freedesktop.DBus", "NameHasOwner",
                                           g_variant_new ("(s)", "org.freedesktop.Notifications"),
                                           G_VARIANT_TYPE ("(b)"), 0, -1, NULL, &error);
      g_assert_no_error (error);
      g_variant_get (reply, "(b)", &owned);
    }

  return &received;
}

/**
 * rp_ui_test_use_german:
 *
 * Switches the process to German: rp_test_init() chose the C locale. The
 * translations come from the build (RAPPORT_LOCALEDIR), or from
 * RP_TEST_LOCALEDIR to try translations not yet in po/de.po. Call it in
 * a subprocess: the locale is the process's.
 */
void
rp_ui_test_use_german (void)
{
  const char *dir = g_getenv ("RP_TEST_LOCALEDIR");

  if (dir == NULL)
    dir = g_getenv ("RAPPORT_LOCALEDIR");
  g_assert_nonnull (setlocale (LC_ALL, "de_DE.UTF-8"));
  g_setenv ("LANGUAGE", "de", TRUE);
  if (dir != NULL)
    bindtextdomain (GETTEXT_PACKAGE, dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_assert_cmpstr (_("_Cancel"), ==, "_Abbrechen");
}
