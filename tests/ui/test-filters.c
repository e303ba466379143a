/* test-filters.c: drag-to-Sent, "Run filters now" and the filter editor,
 * in-process under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <adwaita.h>

#include "rp-application.h"
#include "rp-filter-editor-private.h"
#include "rp-filter-rule-dialog-private.h"
#include "rp-filter.h"
#include "rp-test-ca.h"
#include "rp-test-dovecot.h"
#include "rp-window-filters.h"
#include "rp-window-private.h"
#include "ui-test-util.h"

#define ME "me@example.test"

typedef struct
{
  RpApplication *app;
  RpWindow      *window;
  RpStore       *store;
  gint64         account_id;
  gint64         inbox_id;
  gint64         sent_id;
  gint64         projects_id;
  /* The seeded messages: 0 and 1 from me, 2 from Ada, 3 from Grace,
   * 4 and 5 invoices from a shop. */
  gint64         ids[6];
} Fixture;

/* Auxiliary methods */

/* Runs the main loop until @cond holds; fails after 20 s. */
#define WAIT_FOR(cond) RP_UI_TEST_WAIT_FOR (cond, 20)

static GBytes *
make_message (const char *from,
              const char *subject,
              guint       n)
{
  g_autofree char *raw = g_strdup_printf ("From: %s\r\nTo: someone@example.org\r\n"
                                          "Subject: %s\r\n"
                                          "Date: Mon, 2 Nov 2026 09:%02u:00 +0000\r\n"
                                          "Message-ID: <filters-%u@example.test>\r\n"
                                          "MIME-Version: 1.0\r\n"
                                          "Content-Type: text/plain; charset=utf-8\r\n"
                                          "\r\nBody of message %u.\r\n",
                                          from, subject, n, n, n);

  return g_bytes_new (raw, strlen (raw));
}

/* One account (pointing at @dovecot when given, else at nothing), its
 * folders, a user folder "Projects" and six messages in the Inbox. */
static void
seed_store (Fixture       *f,
            RpTestCa      *ca,
            RpTestDovecot *dovecot)
{
  static const struct { const char *from, *subject; } mails[] = {
    { "Me <" ME ">", "Sent from my phone" },
    { "Me <" ME ">", "Sent from webmail" },
    { "Ada Lovelace <ada@example.org>", "Notes on the engine" },
    { "Grace Hopper <grace@example.org>", "Compiler meeting" },
    { "Shop <shop@example.com>", "Invoice 12" },
    { "Shop <shop@example.com>", "Invoice 13" },
  };
  g_autoptr(RpAccount) account = rp_account_new ("work");
  g_autoptr(GError) error = NULL;
  RpStoreNewMessage msgs[G_N_ELEMENTS (mails)] = { { 0 } };
  GBytes *raws[G_N_ELEMENTS (mails)];

  g_free (account->email);
  account->email = g_strdup (ME);
  g_free (account->pop_host);
  if (dovecot != NULL)
    {
      g_autofree char *key = NULL;

      account->pop_host = g_strdup ("localhost");
      account->pop_port = rp_test_dovecot_get_pop3s_port (dovecot);
      account->pop_security = RP_SECURITY_TLS;
      g_free (account->pop_user);
      account->pop_user = g_strdup ("me");
      account->ca_file = g_strdup (rp_test_ca_get_ca_file (ca));
      /* The scheduler's own polls come only after many minutes. */
      account->poll_minutes = 600;
      key = rp_account_dup_secret_key (account, NULL);
      g_assert_true (rp_secrets_store_sync (rp_application_get_secrets (f->app), "pop3", key,
                                            "secret", NULL, &error));
      g_assert_no_error (error);
    }
  else
    {
      account->pop_host = g_strdup ("pop.invalid");
      account->enabled = FALSE;
    }
  g_ptr_array_add (account->identities, rp_identity_new (ME));
  g_assert_true (rp_store_save_account (f->store, account, &error));
  g_assert_no_error (error);
  f->account_id = account->id;
  f->inbox_id = rp_store_get_special_folder (f->store, account->id, RP_FOLDER_ROLE_INBOX);
  f->sent_id = rp_store_get_special_folder (f->store, account->id, RP_FOLDER_ROLE_SENT);
  g_assert_cmpint (f->sent_id, >, 0);
  f->projects_id = rp_store_create_folder (f->store, account->id, 0, "Projects", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (mails); i++)
    {
      raws[i] = make_message (mails[i].from, mails[i].subject, i);
      msgs[i].folder_id = f->inbox_id;
      msgs[i].raw = raws[i];
    }
  g_assert_true (rp_store_add_messages_sync (f->store, account->id, msgs, G_N_ELEMENTS (mails),
                                             NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (mails); i++)
    {
      f->ids[i] = msgs[i].id;
      g_bytes_unref (raws[i]);
    }
}

static void
fixture_setup (Fixture       *f,
               RpTestCa      *ca,
               RpTestDovecot *dovecot)
{
  g_autoptr(GError) error = NULL;

  f->app = rp_ui_test_new_application ();
  f->store = rp_application_get_store (f->app);
  g_assert_nonnull (f->store);

  f->window = rp_ui_test_present_window (f->app);

  seed_store (f, ca, dovecot);
  WAIT_FOR (g_str_equal (_rp_window_get_page (f->window), "mail"));
  g_assert_true (rp_folder_sidebar_select (_rp_window_get_sidebar (f->window), f->inbox_id,
                                           RP_FOLDER_ROLE_NONE));
}

static void
fixture_teardown (Fixture *f)
{
  rp_scheduler_stop (rp_application_get_scheduler (f->app));
  gtk_window_destroy (GTK_WINDOW (f->window));
  rp_ui_test_spin (50);
  g_clear_object (&f->app);
}

static gint64
folder_of (Fixture *f,
           gint64   id)
{
  g_autoptr(RpMessageItem) item = rp_store_get_item (f->store, id, NULL);

  g_assert_nonnull (item);
  return rp_message_item_get_folder_id (item);
}

static guint
folder_total (Fixture *f,
              gint64   folder_id)
{
  g_autoptr(RpFolderInfo) info = rp_store_get_folder (f->store, folder_id, NULL);

  g_assert_nonnull (info);
  return info->total;
}

static GPtrArray *
list_filters (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rules = rp_store_list_filters (f->store, &error);

  g_assert_no_error (error);
  return rules;
}

/* The GtkDropTarget on the sidebar row titled @title. */
static GtkDropTarget *
find_drop_target (GtkWidget  *widget,
                  const char *title)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), title) == 0)
    {
      GtkWidget *box = gtk_widget_get_parent (widget);
      g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (box);

      for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
        {
          g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

          if (GTK_IS_DROP_TARGET (controller))
            return GTK_DROP_TARGET (controller);
        }
      return NULL;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkDropTarget *target = find_drop_target (child, title);

      if (target != NULL)
        return target;
    }

  return NULL;
}

static GtkDropTarget *
controller_drop_target (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }

  return NULL;
}

/* Real pointer drags cannot be synthesised under Xvfb (see test-window.c):
 * the drop handler of the folder row gets the text a drag would carry. */
static gboolean
drop_on_folder (Fixture      *f,
                const char   *folder_title,
                const gint64 *ids,
                guint         n)
{
  g_autoptr(GArray) array = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *text = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  GtkDropTarget *target;
  gboolean accepted = FALSE;

  g_array_append_vals (array, ids, n);
  text = rp_message_list_format_ids (array);
  WAIT_FOR ((target = find_drop_target (GTK_WIDGET (_rp_window_get_sidebar (f->window)),
                                        folder_title)) != NULL);
  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, text);
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  return accepted;
}

static void
activate_toast (Fixture  *f,
                AdwToast *toast)
{
  gtk_widget_activate_action_variant (GTK_WIDGET (f->window), adw_toast_get_action_name (toast),
                                      adw_toast_get_action_target_value (toast));
}

static void
on_fetch_finished (RpScheduler  *scheduler,
                   const char   *account_name,
                   gpointer      result,
                   const GError *error,
                   gpointer      user_data)
{
  gboolean *finished = user_data;

  g_assert_no_error ((GError *) error);
  *finished = TRUE;
}

/* Tests */

/* Dropping my own message onto Sent offers the rule; accepting makes it
 * once, a second drop offers nothing, and the next message from me that
 * the app fetches from Dovecot lands in Sent. */
static void
test_drag_to_sent (void)
{
  Fixture f = { 0 };
  g_autoptr(RpTestCa) ca = NULL;
  g_autoptr(RpTestDovecot) dovecot = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) offer = NULL;
  RpFilterRule *rule;
  RpFilterCondition *condition;
  RpFilterAction *action;
  AdwToast *toast;
  AdwMessageDialog *dialog;
  RpScheduler *scheduler;
  gboolean finished = FALSE;
  guint sent_before, inbox_before;
  gulong handler;

  RP_UI_TEST_RUN_IN_SUBPROCESS ();
  rp_ui_test_own_notifications ();
  ca = rp_test_ca_new ();
  dovecot = rp_test_dovecot_new (ca, RP_TEST_CERT_VALID);
  rp_test_dovecot_add_user (dovecot, "me", "secret");
  fixture_setup (&f, ca, dovecot);

  /* My phone's copy of a message goes to Sent. */
  g_assert_true (drop_on_folder (&f, "Sent", &f.ids[0], 1));
  g_assert_cmpint (folder_of (&f, f.ids[0]), ==, f.sent_id);
  toast = _rp_window_get_filter_offer (f.window);
  g_assert_nonnull (toast);
  g_assert_cmpstr (adw_toast_get_title (toast), ==, "Always move mail from " ME " to Sent?");
  g_assert_cmpstr (adw_toast_get_button_label (toast), ==, "Create _Rule");
  /* The offer waits in line behind the move's Undo toast (5 s). */
  rp_ui_test_spin (6000);
  rp_ui_test_save_screenshot (GTK_WIDGET (f.window), "filters-offer.png");

  /* Accepted: the rule "From contains me → move to Sent" exists once. */
  offer = g_variant_ref (adw_toast_get_action_target_value (toast));
  activate_toast (&f, toast);
  rules = list_filters (&f);
  g_assert_cmpuint (rules->len, ==, 1);
  rule = g_ptr_array_index (rules, 0);
  g_assert_true (rule->enabled);
  g_assert_cmpuint (rule->conditions->len, ==, 1);
  condition = g_ptr_array_index (rule->conditions, 0);
  g_assert_cmpint (condition->field, ==, RP_FILTER_FIELD_FROM);
  g_assert_cmpint (condition->op, ==, RP_FILTER_OP_CONTAINS);
  g_assert_cmpstr (condition->value, ==, ME);
  g_assert_cmpuint (rule->actions->len, ==, 1);
  action = g_ptr_array_index (rule->actions, 0);
  g_assert_cmpint (action->type, ==, RP_FILTER_ACTION_MOVE);
  g_assert_cmpstr (action->argument, ==, "Sent");
  g_clear_pointer (&rules, g_ptr_array_unref);
  g_assert_null (_rp_window_get_filter_offer (f.window));

  /* Accepting the same offer again makes nothing new. */
  gtk_widget_activate_action_variant (GTK_WIDGET (f.window), "win.add-move-rule", offer);
  rules = list_filters (&f);
  g_assert_cmpuint (rules->len, ==, 1);
  g_clear_pointer (&rules, g_ptr_array_unref);

  /* A second drag from the same sender moves, and offers nothing. */
  g_assert_true (drop_on_folder (&f, "Sent", &f.ids[1], 1));
  g_assert_cmpint (folder_of (&f, f.ids[1]), ==, f.sent_id);
  g_assert_null (_rp_window_get_filter_offer (f.window));
  rules = list_filters (&f);
  g_assert_cmpuint (rules->len, ==, 1);
  g_clear_pointer (&rules, g_ptr_array_unref);

  /* Two senders onto another folder: one offer, a dialog to choose. */
  {
    gint64 two[] = { f.ids[2], f.ids[3] };

    g_assert_true (drop_on_folder (&f, "Projects", two, 2));
  }
  g_assert_cmpint (folder_of (&f, f.ids[2]), ==, f.projects_id);
  toast = _rp_window_get_filter_offer (f.window);
  g_assert_nonnull (toast);
  g_assert_cmpstr (adw_toast_get_title (toast), ==,
                   "Always move mail from these 2 senders to Projects?");
  activate_toast (&f, toast);
  dialog = _rp_window_get_filter_offer_dialog (f.window);
  g_assert_nonnull (dialog);
  rp_ui_test_spin (300);
  rp_ui_test_save_screenshot (GTK_WIDGET (dialog), "filters-offer-dialog.png");
  {
    /* Untick Grace: only Ada's rule is made. */
    GtkWidget *list = adw_message_dialog_get_extra_child (dialog);
    GtkWidget *second = gtk_widget_get_next_sibling (gtk_widget_get_first_child (list));

    g_assert_cmpstr (g_object_get_data (G_OBJECT (second), "rp-address"), ==,
                     "grace@example.org");
    gtk_check_button_set_active (g_object_get_data (G_OBJECT (second), "rp-check"), FALSE);
  }
  adw_message_dialog_response (dialog, "create");
  rules = list_filters (&f);
  g_assert_cmpuint (rules->len, ==, 2);
  rule = g_ptr_array_index (rules, 1);
  condition = g_ptr_array_index (rule->conditions, 0);
  g_assert_cmpstr (condition->value, ==, "ada@example.org");
  action = g_ptr_array_index (rule->actions, 0);
  g_assert_cmpstr (action->argument, ==, "Projects");
  g_clear_pointer (&rules, g_ptr_array_unref);

  /* The next message from me, fetched by the app from Dovecot, is
   * filed in Sent before it shows; another sender's stays in the Inbox. */
  {
    const char *mine = "From: Me <" ME ">\nTo: client@example.org\n"
                       "Subject: Quote for the renovation\n"
                       "Message-ID: <from-phone@example.test>\n"
                       "Date: Tue, 3 Nov 2026 10:00:00 +0000\n\nSee the attached quote.\n";
    const char *other = "From: Linus <linus@example.se>\nTo: " ME "\n"
                        "Subject: Photos\nMessage-ID: <photos@example.se>\n"
                        "Date: Tue, 3 Nov 2026 11:00:00 +0000\n\nHere they are.\n";

    g_free (rp_test_dovecot_deliver (dovecot, "me", mine, strlen (mine)));
    g_free (rp_test_dovecot_deliver (dovecot, "me", other, strlen (other)));
  }
  sent_before = folder_total (&f, f.sent_id);
  inbox_before = folder_total (&f, f.inbox_id);
  scheduler = rp_application_get_scheduler (f.app);
  handler = g_signal_connect (scheduler, "fetch-finished", G_CALLBACK (on_fetch_finished),
                              &finished);
  rp_scheduler_fetch_now (scheduler, "work");
  WAIT_FOR (finished);
  g_signal_handler_disconnect (scheduler, handler);
  g_assert_cmpuint (folder_total (&f, f.sent_id), ==, sent_before + 1);
  g_assert_cmpuint (folder_total (&f, f.inbox_id), ==, inbox_before + 1);
  {
    g_autoptr(RpFolderModel) model = rp_folder_model_new_for_folder (f.store, f.sent_id);
    gboolean found = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
      {
        g_autoptr(RpMessageItem) item = g_list_model_get_item (G_LIST_MODEL (model), i);

        found |= g_strcmp0 (rp_message_item_get_subject (item), "Quote for the renovation") == 0;
      }
    g_assert_true (found);
  }

  fixture_teardown (&f);
}

/* "Run filters now" over the folder shown and over a selection. */
static void
test_run_filters (void)
{
  Fixture f = { 0 };
  g_autoptr(RpFilterRule) invoices = rp_filter_rule_new ("Invoices");
  g_autoptr(RpFilterRule) flag_ada = rp_filter_rule_new ("Flag Ada");
  g_autoptr(GError) error = NULL;
  RpMessageList *list;
  RpFolderModel *model;

  RP_UI_TEST_RUN_IN_SUBPROCESS ();
  fixture_setup (&f, NULL, NULL);
  rp_filter_rule_add_condition (invoices,
                                rp_filter_condition_new (RP_FILTER_FIELD_SUBJECT, NULL,
                                                         RP_FILTER_OP_BEGINS_WITH, "invoice"));
  rp_filter_rule_add_action (invoices, rp_filter_action_new (RP_FILTER_ACTION_MOVE, "Projects"));
  g_assert_cmpint (rp_store_save_filter (f.store, invoices, &error), >, 0);
  g_assert_no_error (error);
  rp_filter_rule_add_condition (flag_ada,
                                rp_filter_condition_new (RP_FILTER_FIELD_FROM, NULL,
                                                         RP_FILTER_OP_IS, "ada@example.org"));
  rp_filter_rule_add_action (flag_ada, rp_filter_action_new (RP_FILTER_ACTION_FLAG, ""));
  g_assert_cmpint (rp_store_save_filter (f.store, flag_ada, &error), >, 0);
  g_assert_no_error (error);

  /* The selection: only Ada's message, which the second rule flags;
   * the invoices, not selected, stay. */
  list = _rp_window_get_message_list (f.window);
  model = rp_message_list_get_model (list);
  WAIT_FOR (g_list_model_get_n_items (G_LIST_MODEL (model)) == 6);
  for (guint i = 0; i < 6; i++)
    if (rp_folder_model_get_id_at (model, i) == f.ids[2])
      rp_message_list_select (list, i);
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.run-filters-selection", NULL);
  g_assert_true (_rp_window_is_running_filters (f.window));
  WAIT_FOR (!_rp_window_is_running_filters (f.window));
  g_assert_cmpstr (_rp_window_get_filter_run_result (f.window), ==, "Filters applied to 1 message");
  {
    g_autoptr(RpMessageItem) item = rp_store_get_item (f.store, f.ids[2], NULL);

    g_assert_true (rp_message_item_get_flagged (item));
  }
  g_assert_cmpint (folder_of (&f, f.ids[4]), ==, f.inbox_id);

  /* The folder: both invoices move; Ada's is matched again. */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.run-filters", NULL);
  WAIT_FOR (!_rp_window_is_running_filters (f.window));
  g_assert_cmpint (folder_of (&f, f.ids[4]), ==, f.projects_id);
  g_assert_cmpint (folder_of (&f, f.ids[5]), ==, f.projects_id);
  g_assert_cmpint (folder_of (&f, f.ids[3]), ==, f.inbox_id);
  g_assert_cmpstr (_rp_window_get_filter_run_result (f.window), ==,
                   "Filters applied to 3 messages");
  g_assert_cmpstr (_rp_window_get_subtitle (f.window), ==, "");
  WAIT_FOR (g_list_model_get_n_items (G_LIST_MODEL (rp_message_list_get_model (list))) == 4);

  /* Nothing left to do: said so. */
  {
    g_autoptr(GPtrArray) rules = list_filters (&f);

    for (guint i = 0; i < rules->len; i++)
      g_assert_true (rp_store_delete_filter (f.store,
                                             ((RpFilterRule *) g_ptr_array_index (rules, i))->id,
                                             NULL));
  }
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.run-filters", NULL);
  WAIT_FOR (!_rp_window_is_running_filters (f.window));
  g_assert_cmpstr (_rp_window_get_filter_run_result (f.window), ==,
                   "No message matched a filter rule");

  fixture_teardown (&f);
}

static gint64
rule_id_at (Fixture *f,
            guint    index)
{
  g_autoptr(GPtrArray) rules = list_filters (f);

  g_assert_cmpuint (index, <, rules->len);
  return ((RpFilterRule *) g_ptr_array_index (rules, index))->id;
}

static const char *
rule_name_at (GPtrArray *rules,
              guint      index)
{
  return ((RpFilterRule *) g_ptr_array_index (rules, index))->name;
}

/* The editor adds, tests, disables, reorders, exports, imports and
 * deletes rules; a bad regular expression disables Save. */
static void
test_editor (void)
{
  Fixture f = { 0 };
  AdwPreferencesWindow *prefs;
  RpFilterEditor *editor;
  RpFilterRuleDialog *dialog;
  AdwMessageDialog *confirm;
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(RpFilterRule) seed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *result = NULL;
  g_autofree char *export_path = NULL;
  g_autoptr(GFile) export_file = NULL;
  GtkDropTarget *target;
  RpMessageList *list;
  RpFolderModel *model;
  gint64 invoices_id, ada_id;

  RP_UI_TEST_RUN_IN_SUBPROCESS ();
  fixture_setup (&f, NULL, NULL);
  /* One rule there already, as a drag to Sent would have made it. */
  seed = rp_filter_rule_new_move_from (ME, "Sent");
  g_assert_cmpint (rp_store_save_filter (f.store, seed, &error), >, 0);
  g_assert_no_error (error);

  /* An invoice selected in the main window, to test rules on. */
  list = _rp_window_get_message_list (f.window);
  model = rp_message_list_get_model (list);
  WAIT_FOR (g_list_model_get_n_items (G_LIST_MODEL (model)) == 6);
  for (guint i = 0; i < 6; i++)
    if (rp_folder_model_get_id_at (model, i) == f.ids[4])
      rp_message_list_select (list, i);

  prefs = ADW_PREFERENCES_WINDOW (adw_preferences_window_new ());
  gtk_window_set_application (GTK_WINDOW (prefs), GTK_APPLICATION (f.app));
  gtk_window_set_transient_for (GTK_WINDOW (prefs), GTK_WINDOW (f.window));
  gtk_window_set_default_size (GTK_WINDOW (prefs), 760, 640);
  editor = rp_filter_editor_new (f.store);
  adw_preferences_window_add (prefs, ADW_PREFERENCES_PAGE (editor));
  gtk_window_present (GTK_WINDOW (prefs));
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (editor)));
  g_assert_cmpuint (_rp_filter_editor_get_n_rows (editor), ==, 1);

  /* Add: "Subject begins with invoice → move to Projects". */
  gtk_widget_activate_action (GTK_WIDGET (editor), "filters.add", NULL);
  dialog = _rp_filter_editor_get_rule_dialog (editor);
  g_assert_nonnull (dialog);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  g_assert_cmpuint (_rp_filter_rule_dialog_get_n_conditions (dialog), ==, 1);
  g_assert_cmpuint (_rp_filter_rule_dialog_get_n_actions (dialog), ==, 1);
  /* Empty, it cannot be saved. */
  g_assert_false (gtk_widget_is_sensitive (_rp_filter_rule_dialog_get_save_button (dialog)));
  gtk_editable_set_text (GTK_EDITABLE (_rp_filter_rule_dialog_get_name_row (dialog)), "Invoices");
  _rp_filter_rule_dialog_set_condition (dialog, 0, RP_FILTER_FIELD_SUBJECT, RP_FILTER_OP_MATCHES);

  /* A bad regular expression is named in place and disables Save. */
  gtk_editable_set_text (_rp_filter_rule_dialog_get_value_entry (dialog, 0), "invoice (1[0-9]");
  g_assert_nonnull (_rp_filter_rule_dialog_get_condition_error (dialog, 0));
  g_assert_true (g_str_has_prefix (_rp_filter_rule_dialog_get_condition_error (dialog, 0),
                                   "Not a valid regular expression"));
  g_assert_false (gtk_widget_is_sensitive (_rp_filter_rule_dialog_get_save_button (dialog)));
  _rp_filter_rule_dialog_set_action (dialog, 0, RP_FILTER_ACTION_MOVE, "Projects");
  rp_ui_test_spin (400);
  rp_ui_test_save_screenshot (GTK_WIDGET (dialog), "filters-rule-dialog-bad-regex.png");

  gtk_editable_set_text (_rp_filter_rule_dialog_get_value_entry (dialog, 0), "^invoice 1[0-9]$");
  g_assert_null (_rp_filter_rule_dialog_get_condition_error (dialog, 0));
  g_assert_true (gtk_widget_is_sensitive (_rp_filter_rule_dialog_get_save_button (dialog)));

  /* A second condition, on a named header. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "rule.add-condition", NULL);
  _rp_filter_rule_dialog_set_condition (dialog, 1, RP_FILTER_FIELD_HEADER, RP_FILTER_OP_CONTAINS);
  {
    GtkEditable *header = _rp_filter_rule_dialog_get_header_entry (dialog, 1);

    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (header)));
  }
  g_assert_false (gtk_widget_is_sensitive (_rp_filter_rule_dialog_get_save_button (dialog)));
  gtk_editable_set_text (_rp_filter_rule_dialog_get_header_entry (dialog, 1), "Message-ID");
  gtk_editable_set_text (_rp_filter_rule_dialog_get_value_entry (dialog, 1), "nowhere.invalid");

  /* Tested on the selected invoice: the subject matches, the header not. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "rule.test", NULL);
  result = _rp_filter_rule_dialog_get_test_result (dialog);
  g_assert_nonnull (result);
  {
    g_auto(GStrv) lines = g_strsplit (result, "\n", -1);

    g_assert_cmpuint (g_strv_length (lines), ==, 3);
    g_assert_cmpstr (lines[0], ==, "The rule does not match this message");
    g_assert_nonnull (strstr (lines[1], "invoice 1[0-9]"));
  }
  rp_ui_test_spin (400);
  rp_ui_test_save_screenshot (GTK_WIDGET (dialog), "filters-rule-dialog.png");
  g_clear_pointer (&result, g_free);

  /* "Any" condition is enough. */
  {
    AdwComboRow *match = NULL;

    /* The match row is the second row of the first group. */
    for (GtkWidget *w = GTK_WIDGET (_rp_filter_rule_dialog_get_name_row (dialog));
         w != NULL && match == NULL; w = gtk_widget_get_next_sibling (w))
      if (ADW_IS_COMBO_ROW (w))
        match = ADW_COMBO_ROW (w);
    g_assert_nonnull (match);
    adw_combo_row_set_selected (match, 1);
  }
  gtk_widget_activate_action (GTK_WIDGET (dialog), "rule.test", NULL);
  result = _rp_filter_rule_dialog_get_test_result (dialog);
  g_assert_true (g_str_has_prefix (result, "The rule matches this message\n"));

  gtk_widget_activate_action (GTK_WIDGET (dialog), "rule.save", NULL);
  WAIT_FOR (_rp_filter_editor_get_rule_dialog (editor) == NULL);
  g_assert_cmpuint (_rp_filter_editor_get_n_rows (editor), ==, 2);
  rules = list_filters (&f);
  g_assert_cmpuint (rules->len, ==, 2);
  g_assert_cmpstr (rule_name_at (rules, 1), ==, "Invoices");
  g_assert_false (((RpFilterRule *) g_ptr_array_index (rules, 1))->match_all);
  g_assert_cmpuint (((RpFilterRule *) g_ptr_array_index (rules, 1))->conditions->len, ==, 2);
  invoices_id = ((RpFilterRule *) g_ptr_array_index (rules, 1))->id;
  g_clear_pointer (&rules, g_ptr_array_unref);

  /* A third, quickly, to reorder. */
  {
    g_autoptr(RpFilterRule) ada = rp_filter_rule_new_move_from ("ada@example.org", "Projects");

    ada_id = rp_store_save_filter (f.store, ada, &error);
    g_assert_no_error (error);
    rp_filter_editor_reload (editor);
  }
  g_assert_cmpuint (_rp_filter_editor_get_n_rows (editor), ==, 3);

  /* Off with the switch, in the store. */
  gtk_switch_set_active (_rp_filter_editor_get_switch (editor, 1), FALSE);
  {
    g_autoptr(RpFilterRule) stored = rp_store_get_filter (f.store, invoices_id, &error);

    g_assert_no_error (error);
    g_assert_false (stored->enabled);
  }

  /* Dragged onto the top half of the first row: the last rule first. */
  {
    g_autofree char *text = g_strdup_printf (RP_FILTER_ID_PREFIX "%" G_GINT64_FORMAT, ada_id);
    g_auto(GValue) value = G_VALUE_INIT;
    gboolean accepted = FALSE;

    /* The drop's half of the row needs the row's height. */
    WAIT_FOR (gtk_widget_get_height (GTK_WIDGET (_rp_filter_editor_get_row (editor, 0))) > 8);
    target = controller_drop_target (GTK_WIDGET (_rp_filter_editor_get_row (editor, 0)));
    g_assert_nonnull (target);
    g_value_init (&value, G_TYPE_STRING);
    g_value_set_string (&value, text);
    g_signal_emit_by_name (target, "drop", &value, 10.0, 2.0, &accepted);
    g_assert_true (accepted);
  }
  g_assert_cmpint (rule_id_at (&f, 0), ==, ada_id);
  g_assert_cmpint (rule_id_at (&f, 2), ==, invoices_id);
  /* The switch's state survived the reload. */
  g_assert_false (gtk_switch_get_active (_rp_filter_editor_get_switch (editor, 2)));

  /* From the keyboard: Alt+Up on the last rule's row. */
  gtk_widget_activate_action (GTK_WIDGET (editor), "filters.move-up", "x", invoices_id);
  g_assert_cmpint (rule_id_at (&f, 1), ==, invoices_id);
  gtk_widget_activate_action (GTK_WIDGET (editor), "filters.move-down", "x", ada_id);
  g_assert_cmpint (rule_id_at (&f, 0), ==, invoices_id);
  g_assert_cmpint (rule_id_at (&f, 1), ==, ada_id);
  rp_ui_test_spin (400);
  rp_ui_test_save_screenshot (GTK_WIDGET (prefs), "filters-editor.png");

  /* Export, delete with confirmation, import back. */
  export_path = g_build_filename (g_get_user_cache_dir (), "filters.json", NULL);
  export_file = g_file_new_for_path (export_path);
  g_assert_true (_rp_filter_editor_export_to_file (editor, export_file, &error));
  g_assert_no_error (error);

  gtk_widget_activate_action (GTK_WIDGET (editor), "filters.delete", "x", ada_id);
  confirm = _rp_filter_editor_get_delete_dialog (editor);
  g_assert_nonnull (confirm);
  adw_message_dialog_response (confirm, "cancel");
  rules = list_filters (&f);
  g_assert_cmpuint (rules->len, ==, 3);
  g_clear_pointer (&rules, g_ptr_array_unref);
  gtk_widget_activate_action (GTK_WIDGET (editor), "filters.delete", "x", ada_id);
  confirm = _rp_filter_editor_get_delete_dialog (editor);
  g_assert_nonnull (confirm);
  adw_message_dialog_response (confirm, "delete");
  rules = list_filters (&f);
  g_assert_cmpuint (rules->len, ==, 2);
  for (guint i = 0; i < rules->len; i++)
    g_assert_cmpint (((RpFilterRule *) g_ptr_array_index (rules, i))->id, !=, ada_id);
  g_clear_pointer (&rules, g_ptr_array_unref);
  g_assert_cmpuint (_rp_filter_editor_get_n_rows (editor), ==, 2);

  /* The import brings back the deleted rule only. */
  g_assert_true (_rp_filter_editor_import_from_file (editor, export_file, &error));
  g_assert_no_error (error);
  rules = list_filters (&f);
  g_assert_cmpuint (rules->len, ==, 3);
  {
    RpFilterRule *back = g_ptr_array_index (rules, 2);

    g_assert_cmpstr (((RpFilterCondition *) g_ptr_array_index (back->conditions, 0))->value, ==,
                     "ada@example.org");
  }
  g_assert_cmpuint (_rp_filter_editor_get_n_rows (editor), ==, 3);

  gtk_window_destroy (GTK_WINDOW (prefs));
  fixture_teardown (&f);
}

int
main (int   argc,
      char *argv[])
{

  rp_ui_test_init (&argc, &argv);

  g_test_add_func ("/ui/filters/drag-to-sent", test_drag_to_sent);
  g_test_add_func ("/ui/filters/run-now", test_run_filters);
  g_test_add_func ("/ui/filters/editor", test_editor);

  return g_test_run ();
}
