/* test-crm-window.c: the CRM in the main window: the CRM page, the
 * sidebar's width and visibility, and screenshots, in-process under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "crm-fixture.h"
#include "rp-crm-record-form.h"

/* Auxiliary methods */

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  const char *dir = g_getenv ("RP_TEST_ARTIFACT_DIR");
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (dir == NULL)
    return;

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot saved in %s", path);
}

static int
widget_min_width (GtkWidget *widget)
{
  int min = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  return min;
}

static int
widget_min_width_for (GtkWidget *widget)
{
  int min = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, gtk_widget_get_height (widget), &min,
                      NULL, NULL, NULL);
  return min;
}

static GtkWidget *
folders_pane (Fixture *f)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->window), RP_TYPE_WINDOW,
                                                    "sidebar_box"));
}

/* The narrowest window with folders, list, a readable message and the
 * sidebar side by side: their minimums, the 3 px of separators and the
 * 10 px frame of a window without a compositor. */
static int
four_pane_width (Fixture *f)
{
  return widget_min_width (folders_pane (f)) +
         widget_min_width (GTK_WIDGET (_rp_window_get_message_list (f->window))) +
         MAX (380, widget_min_width (GTK_WIDGET (_rp_window_get_message_view (f->window)))) +
         RP_CRM_SIDEBAR_MIN_WIDTH + 3 + 10;
}

/* Whatever the width: the panes follow each other left to right without
 * overlapping, none is squeezed below its minimum, the sidebar has a
 * sidebar's width, and its content (each page and form) fits its
 * minimum, so that it never pushes the folders away. Where the window is
 * wide enough, the four panes are side by side with a readable message. */
static void
assert_layout (Fixture *f)
{
  GtkWidget *window = GTK_WIDGET (f->window);
  GtkWidget *list = GTK_WIDGET (_rp_window_get_message_list (f->window));
  GtkWidget *view = GTK_WIDGET (_rp_window_get_message_view (f->window));
  GtkWidget *crm = GTK_WIDGET (sidebar (f));
  graphene_point_t list_at, view_at, crm_at;

  g_test_message ("window %d (four panes from %d): folders %d, list %d, message %d, sidebar %d",
                  gtk_widget_get_width (window), four_pane_width (f),
                  gtk_widget_get_width (folders_pane (f)), gtk_widget_get_width (list),
                  gtk_widget_get_width (view), gtk_widget_get_width (crm));
  g_assert_true (_rp_window_crm_sidebar_shown (f->window));
  /* GtkPaned keeps its children above their minimum for their height. */
  g_assert_cmpint (gtk_widget_get_width (list), >=, widget_min_width_for (list));
  g_assert_cmpint (gtk_widget_get_width (view), >=, widget_min_width_for (view));
  g_assert_cmpint (gtk_widget_get_width (crm), >=, RP_CRM_SIDEBAR_MIN_WIDTH);
  g_assert_cmpint (gtk_widget_get_width (crm), <=, RP_CRM_SIDEBAR_MAX_WIDTH);
  g_assert_cmpint (widget_min_width (crm), <=, RP_CRM_SIDEBAR_MIN_WIDTH);
  g_assert_true (gtk_widget_compute_point (list, window, &GRAPHENE_POINT_INIT (0, 0), &list_at));
  g_assert_true (gtk_widget_compute_point (view, window, &GRAPHENE_POINT_INIT (0, 0), &view_at));
  g_assert_true (gtk_widget_compute_point (crm, window, &GRAPHENE_POINT_INIT (0, 0), &crm_at));
  g_assert_cmpfloat (list_at.x + gtk_widget_get_width (list), <=, view_at.x);
  g_assert_cmpfloat (view_at.x + gtk_widget_get_width (view), <=, crm_at.x);
  g_assert_cmpfloat (crm_at.x + gtk_widget_get_width (crm), <=, gtk_widget_get_width (window));

  if (gtk_widget_get_width (window) + 10 >= four_pane_width (f))
    {
      g_assert_false (_rp_window_is_folded (f->window));
      g_assert_cmpint (gtk_widget_get_width (view), >=, 380);
    }
}

static void
resize (Fixture *f,
        int      width)
{
  gtk_window_set_default_size (GTK_WINDOW (f->window), width, 760);
  WAIT_FOR (gtk_widget_get_width (GTK_WIDGET (f->window)) == width - 10);
  spin (200);
}

/* Tests */

/* The widths: the sidebar at its own width, the reading pane readable
 * beside it and getting the room a wider window gains, the list giving
 * way before the sidebar, and the sidebar hiding rather than fold the
 * folders away; the width from GSettings is clamped. */
static void
test_layout (void)
{
  Fixture f = { 0 };
  g_autoptr(GSettings) settings = NULL;
  GtkWidget *view, *crm;
  int four, view_width;

  RUN_IN_SUBPROCESS ();
  settings = g_settings_new (APP_ID);
  /* Saved by a version that let the content decide. */
  g_settings_set_int (settings, "crm-sidebar-width", 530);
  fixture_setup_at (&f, 1920);
  add_anna (&f);
  view = GTK_WIDGET (_rp_window_get_message_view (f.window));
  crm = GTK_WIDGET (sidebar (&f));
  g_assert_cmpint (rp_crm_sidebar_get_natural_width (sidebar (&f)), ==, RP_CRM_SIDEBAR_MAX_WIDTH);
  rp_crm_sidebar_set_natural_width (sidebar (&f), 100);
  g_assert_cmpint (rp_crm_sidebar_get_natural_width (sidebar (&f)), ==, RP_CRM_SIDEBAR_MIN_WIDTH);
  rp_crm_sidebar_set_natural_width (sidebar (&f), 340);

  /* A known sender with a long note: the content does not widen it. */
  select_message (&f, f.anna_id);
  wait_for_record_page (&f);
  spin (300);
  assert_layout (&f);
  g_assert_cmpint (gtk_widget_get_width (crm), ==, 340);
  view_width = gtk_widget_get_width (view);
  g_assert_cmpint (view_width, >, 800);

  /* Narrower, the reading pane gives up its room first. */
  four = four_pane_width (&f);
  resize (&f, four + 100);
  assert_layout (&f);
  g_assert_cmpint (gtk_widget_get_width (crm), ==, 340);

  /* At the narrowest, the list gave way; one step narrower, the sidebar
   * hides and the folders stay. */
  resize (&f, four);
  assert_layout (&f);
  resize (&f, four - 20);
  g_assert_false (_rp_window_crm_sidebar_shown (f.window));
  g_assert_false (_rp_window_is_folded (f.window));

  /* Wider again, the sidebar is back at its width and the reading pane
   * takes the rest. */
  resize (&f, 1920);
  WAIT_FOR (_rp_window_crm_sidebar_shown (f.window));
  spin (200);
  assert_layout (&f);
  g_assert_cmpint (gtk_widget_get_width (crm), ==, 340);

  /* The width is kept, within bounds. */
  gtk_window_close (GTK_WINDOW (f.window));
  g_assert_cmpint (g_settings_get_int (settings, "crm-sidebar-width"), ==, 340);
  fixture_teardown (&f);
}

static GtkToggleButton *
find_sidebar_toggle (GtkWidget *widget)
{
  if (GTK_IS_TOGGLE_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)),
                 "win.crm-sidebar-visible") == 0)
    return GTK_TOGGLE_BUTTON (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkToggleButton *found = find_sidebar_toggle (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
toggle_state (Fixture *f)
{
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (f->window),
                                                               "crm-sidebar-visible");

  return g_variant_get_boolean (state);
}

/* F9's toggle shows whether the sidebar is shown: not while it hid itself
 * on a narrow window, where F9 shows it for that window only; the setting
 * changes only on a window wide enough for the sidebar. */
static void
test_sidebar_toggle (void)
{
  Fixture f = { 0 };
  g_autoptr(GSettings) settings = NULL;
  GtkToggleButton *toggle;
  int four;

  RUN_IN_SUBPROCESS ();
  settings = g_settings_new (APP_ID);
  fixture_setup_at (&f, 1920);
  toggle = find_sidebar_toggle (GTK_WIDGET (f.window));
  g_assert_nonnull (toggle);
  four = four_pane_width (&f);
  g_assert_true (_rp_window_crm_sidebar_shown (f.window));
  g_assert_true (toggle_state (&f));
  g_assert_true (gtk_toggle_button_get_active (toggle));

  /* Hidden for lack of width: the toggle is off, the setting stays. */
  resize (&f, four - 20);
  g_assert_false (_rp_window_crm_sidebar_shown (f.window));
  g_assert_false (toggle_state (&f));
  g_assert_false (gtk_toggle_button_get_active (toggle));
  g_assert_true (g_settings_get_boolean (settings, "crm-sidebar-visible"));

  /* F9 shows it at once, beside a narrower reading pane, and hides it
   * again, without touching the setting. */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.crm-sidebar-visible", NULL);
  g_assert_true (_rp_window_crm_sidebar_shown (f.window));
  g_assert_true (toggle_state (&f));
  g_assert_true (gtk_toggle_button_get_active (toggle));
  g_assert_true (g_settings_get_boolean (settings, "crm-sidebar-visible"));
  spin (200);
  assert_layout (&f);
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.crm-sidebar-visible", NULL);
  g_assert_false (_rp_window_crm_sidebar_shown (f.window));
  g_assert_false (gtk_toggle_button_get_active (toggle));
  g_assert_true (g_settings_get_boolean (settings, "crm-sidebar-visible"));

  /* Wide again, the user's setting shows it. */
  resize (&f, 1920);
  WAIT_FOR (_rp_window_crm_sidebar_shown (f.window));
  g_assert_true (toggle_state (&f));
  g_assert_true (gtk_toggle_button_get_active (toggle));

  /* On a wide window the toggle is the setting: off stays off whatever
   * the width, and on again shows it. */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.crm-sidebar-visible", NULL);
  g_assert_false (_rp_window_crm_sidebar_shown (f.window));
  g_assert_false (gtk_toggle_button_get_active (toggle));
  g_assert_false (g_settings_get_boolean (settings, "crm-sidebar-visible"));
  resize (&f, four - 20);
  resize (&f, 1920);
  g_assert_false (_rp_window_crm_sidebar_shown (f.window));
  g_assert_false (toggle_state (&f));
  /* The button itself, as a click would. */
  g_signal_emit_by_name (toggle, "clicked");
  g_assert_true (_rp_window_crm_sidebar_shown (f.window));
  g_assert_true (gtk_toggle_button_get_active (toggle));
  g_assert_true (g_settings_get_boolean (settings, "crm-sidebar-visible"));

  fixture_teardown (&f);
}

/* Add Sender on a window too narrow for the sidebar even with the
 * folders folded away: the form waits in the hidden sidebar, a toast
 * says why nothing else happened, and a wider window shows the form.
 * Where the sidebar fits, folded, it shows without a toast. */
static void
test_add_sender_narrow (void)
{
  Fixture f = { 0 };
  g_autoptr(RpCrmRecord) prefill = NULL;
  GtkWidget *form;

  RUN_IN_SUBPROCESS ();
  fixture_setup_at (&f, 1920);
  select_message (&f, f.dana_id);

  /* Narrow, but with room for the sidebar beside the list and the
   * message: it shows, as F9 would show it. */
  resize (&f, four_pane_width (&f) - 20);
  g_assert_false (_rp_window_crm_sidebar_shown (f.window));
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.add-sender-lead", NULL);
  g_assert_true (_rp_window_crm_sidebar_shown (f.window));
  g_assert_null (_rp_window_crm_get_narrow_toast_title (f.window));
  WAIT_FOR (!_rp_crm_sidebar_is_loading (sidebar (&f)) &&
            g_str_equal (_rp_crm_sidebar_get_page (sidebar (&f)), "form"));
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.crm-sidebar-visible", NULL);
  g_assert_false (_rp_window_crm_sidebar_shown (f.window));

  /* Too narrow for it at all: the toast explains. */
  resize (&f, 700);
  g_assert_false (_rp_window_crm_sidebar_shown (f.window));
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.add-sender-contact", NULL);
  spin (300);
  g_assert_false (_rp_window_crm_sidebar_shown (f.window));
  g_assert_cmpstr (_rp_window_crm_get_narrow_toast_title (f.window), ==,
                   "Widen the window to see the contact form");
  /* Folded, the message shows rather than the folders. */
  g_assert_true (_rp_window_is_folded (f.window));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (_rp_window_get_message_view (f.window))));
  save_screenshot (GTK_WIDGET (f.window), "crm-add-sender-narrow.png");
  /* Asked again, the toast is replaced rather than queued. */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.add-sender-lead", NULL);
  g_assert_cmpstr (_rp_window_crm_get_narrow_toast_title (f.window), ==,
                   "Widen the window to see the lead form");
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.add-sender-contact", NULL);

  /* Wide again, the form is there, for the sender. */
  resize (&f, 1920);
  WAIT_FOR (_rp_window_crm_sidebar_shown (f.window));
  WAIT_FOR (!_rp_crm_sidebar_is_loading (sidebar (&f)) &&
            g_str_equal (_rp_crm_sidebar_get_page (sidebar (&f)), "form"));
  form = _rp_crm_sidebar_get_form (sidebar (&f));
  g_assert_true (RP_IS_CRM_RECORD_FORM (form));
  prefill = rp_crm_record_form_dup_record (RP_CRM_RECORD_FORM (form));
  g_assert_cmpint (prefill->kind, ==, RP_CRM_KIND_CONTACT);
  g_assert_cmpstr (prefill->emails[0], ==, DANA);

  fixture_teardown (&f);
}

/* The CRM page lists, searches, edits and deletes (after confirmation). */
static void
test_page (void)
{
  Fixture f = { 0 };
  RpCrmPage *page;
  RpCrmRecordForm *form;
  AdwMessageDialog *dialog;
  g_autoptr(RpCrmRecord) record = NULL;
  g_autoptr(RpCrmRecord) edited = NULL;
  g_autoptr(GError) error = NULL;
  gint64 anna;

  RUN_IN_SUBPROCESS ();
  fixture_setup (&f);
  anna = add_anna (&f);
  page = _rp_window_get_crm_page (f.window);

  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.show-crm", NULL);
  g_assert_cmpstr (_rp_window_get_page (f.window), ==, "crm");
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (page)));
  g_assert_cmpuint (_rp_crm_page_get_n_rows (page, "contacts"), ==, 1);
  g_assert_cmpuint (_rp_crm_page_get_n_rows (page, "leads"), ==, 0);
  g_assert_cmpuint (_rp_crm_page_get_n_rows (page, "tasks"), ==, 1);
  g_assert_cmpuint (_rp_crm_page_get_n_rows (page, "events"), ==, 1);
  _rp_crm_page_set_search (page, "nordlicht");
  g_assert_cmpuint (_rp_crm_page_get_n_rows (page, "contacts"), ==, 1);
  _rp_crm_page_set_search (page, "zzz");
  g_assert_cmpuint (_rp_crm_page_get_n_rows (page, "contacts"), ==, 0);
  _rp_crm_page_set_search (page, "");

  /* Editing opens the stored record, and saving writes it back. */
  rp_crm_page_show_record (page, anna);
  form = RP_CRM_RECORD_FORM (_rp_crm_page_get_form (page));
  g_assert_nonnull (form);
  edited = rp_crm_record_form_dup_record (form);
  g_assert_cmpstr (edited->job_title, ==, "Managing Director");
  g_assert_cmpint (rp_crm_record_form_save (form), ==, anna);
  g_assert_null (_rp_crm_page_get_form (page));

  /* Delete asks first; Cancel keeps the record. */
  rp_crm_page_show_record (page, anna);
  gtk_widget_activate_action (_rp_crm_page_get_form (page), "form.delete", NULL);
  dialog = _rp_crm_page_get_delete_dialog (page);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "cancel");
  record = rp_crm_get_record (f.store, anna, &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);

  gtk_widget_activate_action (_rp_crm_page_get_form (page), "form.delete", NULL);
  dialog = _rp_crm_page_get_delete_dialog (page);
  adw_message_dialog_response (dialog, "delete");
  g_clear_pointer (&record, rp_crm_record_free);
  record = rp_crm_get_record (f.store, anna, NULL);
  g_assert_null (record);
  g_assert_null (_rp_crm_page_get_form (page));
  g_assert_cmpuint (_rp_crm_page_get_n_rows (page, "contacts"), ==, 0);
  g_assert_cmpuint (_rp_crm_page_get_n_rows (page, "tasks"), ==, 0);

  fixture_teardown (&f);
}

/* The sidebar and the page, for review and the documentation: known and
 * unknown sender, each form, and the page, in English and German. */
static void
take_screenshots (const char *lang)
{
  Fixture f = { 0 };
  RpCrmPage *page;

  RUN_IN_SUBPROCESS ();
  if (g_str_equal (lang, "de"))
    {
      g_assert_nonnull (setlocale (LC_ALL, "de_DE.UTF-8"));
      g_setenv ("LANGUAGE", "de", TRUE);
    }
  if (g_getenv ("RAPPORT_LOCALEDIR") != NULL)
    bindtextdomain (GETTEXT_PACKAGE, g_getenv ("RAPPORT_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  fixture_setup (&f);
  add_anna (&f);
  /* The narrowest window with all four panes (at least 1280 px): what
   * the reading pane needs depends on the language. */
  select_message (&f, f.anna_id);
  if (four_pane_width (&f) > 1280)
    resize (&f, four_pane_width (&f));

#define SHOT(name) \
  G_STMT_START { \
    g_autofree char *file_ = g_strdup_printf ("crm-%s-%s.png", name, lang); \
    spin (700); \
    save_screenshot (GTK_WIDGET (f.window), file_); \
    if (!g_str_has_prefix (name, "page")) \
      assert_layout (&f); \
  } G_STMT_END

  select_message (&f, f.anna_id);
  wait_for_record_page (&f);
  SHOT ("sidebar-known");
  gtk_widget_activate_action (GTK_WIDGET (sidebar (&f)), "crm-sidebar.add-task", NULL);
  SHOT ("task-form");
  gtk_widget_activate_action (_rp_crm_sidebar_get_form (sidebar (&f)), "form.cancel", NULL);
  gtk_widget_activate_action (GTK_WIDGET (sidebar (&f)), "crm-sidebar.add-event", NULL);
  SHOT ("event-form");
  gtk_widget_activate_action (_rp_crm_sidebar_get_form (sidebar (&f)), "form.cancel", NULL);
  gtk_widget_activate_action (GTK_WIDGET (sidebar (&f)), "crm-sidebar.add-note", NULL);
  SHOT ("note-form");
  gtk_widget_activate_action (_rp_crm_sidebar_get_form (sidebar (&f)), "form.cancel", NULL);

  select_message (&f, f.dana_id);
  SHOT ("sidebar-unknown");
  gtk_widget_activate_action (GTK_WIDGET (sidebar (&f)), "crm-sidebar.add-lead", NULL);
  SHOT ("record-form");
  rp_crm_record_form_save (RP_CRM_RECORD_FORM (_rp_crm_sidebar_get_form (sidebar (&f))));
  wait_for_record_page (&f);

  page = _rp_window_get_crm_page (f.window);
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.show-crm", NULL);
  SHOT ("page-contacts");
  rp_crm_page_set_view (page, "tasks");
  SHOT ("page-tasks");
  rp_crm_page_set_view (page, "leads");
  rp_crm_page_show_record (page, rp_crm_find_record_id_by_address (f.store, DANA, NULL));
  SHOT ("page-edit");

  /* At 1280 px, when the reading pane needs more than that leaves, the
   * sidebar hides and the folders stay. */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.show-mail", NULL);
  resize (&f, 1280);
  if (four_pane_width (&f) > 1280)
    g_assert_false (_rp_window_crm_sidebar_shown (f.window));
  else
    assert_layout (&f);
  g_assert_false (_rp_window_is_folded (f.window));
  spin (700);
  save_screenshot (GTK_WIDGET (f.window), lang[0] == 'd' ? "crm-1280-de.png" : "crm-1280-en.png");

#undef SHOT
  fixture_teardown (&f);
}

static void
test_screenshots_en (void)
{
  take_screenshots ("en");
}

static void
test_screenshots_de (void)
{
  take_screenshots ("de");
}

int
main (int   argc,
      char *argv[])
{
  rp_test_init (&argc, &argv);
  fixture_init_gtk ();

  g_test_add_func ("/ui/crm/page", test_page);
  g_test_add_func ("/ui/crm/layout", test_layout);
  g_test_add_func ("/ui/crm/sidebar-toggle", test_sidebar_toggle);
  g_test_add_func ("/ui/crm/add-sender-narrow", test_add_sender_narrow);
  g_test_add_func ("/ui/crm/screenshots/en", test_screenshots_en);
  g_test_add_func ("/ui/crm/screenshots/de", test_screenshots_de);

  return g_test_run ();
}
