/* test-crm.c: the CRM sidebar and its forms, from the sidebar and from
 * the message list, and address completion, in-process under Xvfb (the
 * page, the layout and the screenshots are in test-crm-window.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include "crm-fixture.h"
#include "rp-address-completion.h"
#include "rp-compose-window.h"
#include "rp-crm-event-form.h"
#include "rp-crm-note-form.h"
#include "rp-crm-record-form.h"
#include "rp-crm-task-form.h"
#include "rp-message-view-private.h"

/* Tests */

/* The scenario: an unknown sender becomes a lead from the
 * sidebar, a task made there links to the message, the timeline lists
 * the mail both ways, and compose completes the lead's address. */
static void
test_lead_from_unknown_sender (void)
{
  Fixture f = { 0 };
  const RpCrmSidebarData *data;
  GtkWidget *form;
  g_autoptr(RpCrmRecord) prefill = NULL;
  g_autoptr(RpCrmRecord) lead = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  gboolean saw_sent = FALSE, saw_received = FALSE;
  gint64 task_id;

  RUN_IN_SUBPROCESS ();
  fixture_setup (&f);
  g_assert_true (_rp_window_crm_sidebar_shown (f.window));

  select_message (&f, f.dana_id);
  g_assert_cmpstr (_rp_crm_sidebar_get_page (sidebar (&f)), ==, "unknown");
  data = _rp_crm_sidebar_get_data (sidebar (&f));
  g_assert_null (data->record);
  g_assert_cmpstr (_rp_crm_sidebar_data_get_person (data)->address, ==, DANA);
  /* Only the other person counts, not the user's own address. */
  g_assert_cmpuint (data->people->len, ==, 1);

  /* Add as Lead opens the form in place, prefilled from the message and
   * its signature. */
  gtk_widget_activate_action (GTK_WIDGET (sidebar (&f)), "crm-sidebar.add-lead", NULL);
  g_assert_cmpstr (_rp_crm_sidebar_get_page (sidebar (&f)), ==, "form");
  form = _rp_crm_sidebar_get_form (sidebar (&f));
  g_assert_true (RP_IS_CRM_RECORD_FORM (form));
  prefill = rp_crm_record_form_dup_record (RP_CRM_RECORD_FORM (form));
  g_assert_cmpint (prefill->kind, ==, RP_CRM_KIND_LEAD);
  g_assert_cmpstr (prefill->name, ==, "Dana Whitfield");
  g_assert_cmpstr (prefill->emails[0], ==, DANA);
  g_assert_null (prefill->emails[1]);
  g_assert_cmpstr (prefill->company, ==, "Brightpath Logistics GmbH");
  g_assert_cmpstr (prefill->phone, ==, "+49 30 1234567");
  g_assert_cmpint (rp_crm_record_form_save (RP_CRM_RECORD_FORM (form)), >, 0);

  /* The card appears, for the lead in the store. */
  wait_for_record_page (&f);
  lead = rp_crm_find_record_by_address (f.store, DANA, &error);
  g_assert_no_error (error);
  g_assert_nonnull (lead);
  g_assert_cmpint (lead->kind, ==, RP_CRM_KIND_LEAD);
  g_assert_cmpstr (lead->company, ==, "Brightpath Logistics GmbH");
  data = _rp_crm_sidebar_get_data (sidebar (&f));
  g_assert_nonnull (data->record);
  g_assert_cmpint (data->record->id, ==, lead->id);

  /* The timeline lists this message (received) and the answer in Sent,
   * newest first, and both rows are on screen. Anna's message has Dana in
   * To, which counts as received too. */
  g_assert_cmpuint (data->timeline->len, ==, 3);
  for (guint i = 0; i < data->timeline->len; i++)
    {
      RpCrmTimelineEntry *entry = g_ptr_array_index (data->timeline, i);

      if (entry->message_id == f.dana_id)
        saw_received = !entry->sent;
      if (entry->message_id == f.reply_id)
        saw_sent = entry->sent;
      if (i > 0)
        g_assert_cmpint (entry->date, <=,
                         ((RpCrmTimelineEntry *) g_ptr_array_index (data->timeline, i - 1))->date);
    }
  g_assert_true (saw_received);
  g_assert_true (saw_sent);
  g_assert_cmpuint (count_rows (_rp_crm_sidebar_get_timeline (sidebar (&f))), ==, 3);

  /* A task from the sidebar links to the message shown. */
  gtk_widget_activate_action (GTK_WIDGET (sidebar (&f)), "crm-sidebar.add-task", NULL);
  form = _rp_crm_sidebar_get_form (sidebar (&f));
  g_assert_true (RP_IS_CRM_TASK_FORM (form));
  /* An empty title is refused, and nothing is stored. */
  g_assert_cmpint (rp_crm_task_form_save (RP_CRM_TASK_FORM (form), "  "), ==, 0);
  g_assert_cmpstr (_rp_crm_sidebar_get_page (sidebar (&f)), ==, "form");
  task_id = rp_crm_task_form_save (RP_CRM_TASK_FORM (form), "Send the quote");
  g_assert_cmpint (task_id, >, 0);
  wait_for_record_page (&f);
  tasks = rp_crm_list_tasks (f.store, lead->id, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 1);
  g_assert_cmpint (((RpCrmTask *) tasks->pdata[0])->id, ==, task_id);
  g_assert_cmpstr (((RpCrmTask *) tasks->pdata[0])->title, ==, "Send the quote");
  g_assert_cmpint (((RpCrmTask *) tasks->pdata[0])->message_id, ==, f.dana_id);
  g_assert_cmpuint (count_rows (_rp_crm_sidebar_get_tasks (sidebar (&f))), ==, 1);

  /* A note and an event link to it too. */
  gtk_widget_activate_action (GTK_WIDGET (sidebar (&f)), "crm-sidebar.add-note", NULL);
  form = _rp_crm_sidebar_get_form (sidebar (&f));
  g_assert_cmpint (rp_crm_note_form_save (RP_CRM_NOTE_FORM (form), "Wants a discount."), >, 0);
  wait_for_record_page (&f);
  {
    g_autoptr(GPtrArray) notes = rp_crm_list_notes (f.store, lead->id, 0, &error);

    g_assert_cmpuint (notes->len, ==, 1);
    g_assert_cmpint (((RpCrmNote *) notes->pdata[0])->message_id, ==, f.dana_id);
  }
  gtk_widget_activate_action (GTK_WIDGET (sidebar (&f)), "crm-sidebar.add-event", NULL);
  form = _rp_crm_sidebar_get_form (sidebar (&f));
  g_assert_cmpint (rp_crm_event_form_save (RP_CRM_EVENT_FORM (form), "Call", "9:30", "9:00"),
                   ==, 0);
  g_assert_cmpint (rp_crm_event_form_save (RP_CRM_EVENT_FORM (form), "Call", "9:30", "10:00"),
                   >, 0);
  wait_for_record_page (&f);
  {
    g_autoptr(GPtrArray) events = rp_crm_list_events (f.store, lead->id, 0, &error);

    g_assert_cmpuint (events->len, ==, 1);
    g_assert_cmpint (((RpCrmEvent *) events->pdata[0])->message_id, ==, f.dana_id);
    g_assert_cmpint (((RpCrmEvent *) events->pdata[0])->end -
                     ((RpCrmEvent *) events->pdata[0])->start, ==, 30 * 60);
  }

  /* A row of the timeline opens its message in the reading pane. */
  {
    GtkListBox *timeline = _rp_crm_sidebar_get_timeline (sidebar (&f));
    GtkListBoxRow *row = NULL;

    for (guint i = 0; (row = gtk_list_box_get_row_at_index (timeline, i)) != NULL; i++)
      if (((RpCrmTimelineEntry *) g_object_get_data (G_OBJECT (row), "rp-entry"))->message_id ==
          f.reply_id)
        break;
    g_assert_nonnull (row);
    g_signal_emit_by_name (timeline, "row-activated", row);
    g_assert_cmpint (rp_message_view_get_message (_rp_window_get_message_view (f.window)), ==,
                     f.reply_id);
    wait_for_record_page (&f);
    g_assert_cmpint (rp_crm_sidebar_get_message (sidebar (&f)), ==, f.reply_id);
  }

  /* Compose completes the lead's address, CRM records first, and says
   * it is a lead. */
  {
    RpComposeWindow *compose = rp_compose_window_new (f.app, NULL);
    GtkEntry *to = GTK_ENTRY (rp_compose_window_get_field (compose, "to"));
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
    GtkEntryCompletion *completion;
    GtkTreeModel *model;
G_GNUC_END_IGNORE_DEPRECATIONS
    GtkTreeIter iter;
    g_autofree char *text = NULL;
    g_autofree char *detail = NULL;
    gboolean handled = FALSE;
    int kind = -2;

    gtk_window_present (GTK_WINDOW (compose));
    gtk_editable_set_text (GTK_EDITABLE (to), "jonas@example.net, brightp");
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
    completion = gtk_entry_get_completion (to);
    model = gtk_entry_completion_get_model (completion);
G_GNUC_END_IGNORE_DEPRECATIONS
    g_assert_true (gtk_tree_model_get_iter_first (model, &iter));
    gtk_tree_model_get (model, &iter, RP_ADDRESS_COMPLETION_COLUMN_TEXT, &text,
                        RP_ADDRESS_COMPLETION_COLUMN_DETAIL, &detail,
                        RP_ADDRESS_COMPLETION_COLUMN_KIND, &kind, -1);
    g_assert_cmpstr (text, ==, "Dana Whitfield <" DANA ">");
    g_assert_cmpstr (detail, ==, "Brightpath Logistics GmbH · Lead");
    g_assert_cmpint (kind, ==, RP_CRM_KIND_LEAD);
    g_signal_emit_by_name (completion, "match-selected", model, &iter, &handled);
    g_assert_true (handled);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (to)), ==,
                     "jonas@example.net, Dana Whitfield <" DANA ">, ");

    /* By name too; the collected address of a non-record comes after. */
    gtk_editable_set_text (GTK_EDITABLE (to), "dana");
    g_assert_cmpuint (rp_address_completion_update (to), >=, 1);
    g_clear_pointer (&text, g_free);
    g_assert_true (gtk_tree_model_get_iter_first (model, &iter));
    gtk_tree_model_get (model, &iter, RP_ADDRESS_COMPLETION_COLUMN_TEXT, &text, -1);
    g_assert_cmpstr (text, ==, "Dana Whitfield <" DANA ">");
    gtk_editable_set_text (GTK_EDITABLE (to), "jon");
    g_assert_cmpuint (rp_address_completion_update (to), ==, 1);
    g_assert_true (gtk_tree_model_get_iter_first (model, &iter));
    gtk_tree_model_get (model, &iter, RP_ADDRESS_COMPLETION_COLUMN_KIND, &kind, -1);
    g_assert_cmpint (kind, ==, -1);
  }

  fixture_teardown (&f);
}

/* The sender's recipients are a switch away; a known one shows the card
 * with tasks, events and notes. */
static void
test_person_switcher (void)
{
  Fixture f = { 0 };
  const RpCrmSidebarData *data;
  gint64 anna;

  RUN_IN_SUBPROCESS ();
  fixture_setup (&f);
  anna = add_anna (&f);

  select_message (&f, f.anna_id);
  wait_for_record_page (&f);
  data = _rp_crm_sidebar_get_data (sidebar (&f));
  g_assert_cmpint (data->record->id, ==, anna);
  g_assert_cmpuint (data->people->len, ==, 2);
  g_assert_cmpuint (data->tasks->len, ==, 1);
  g_assert_cmpuint (data->events->len, ==, 1);
  g_assert_cmpuint (data->notes->len, ==, 1);

  /* Dana, in To, is not known. */
  rp_crm_sidebar_select_person (sidebar (&f), 1);
  WAIT_FOR (!_rp_crm_sidebar_is_loading (sidebar (&f)) &&
            g_str_equal (_rp_crm_sidebar_get_page (sidebar (&f)), "unknown"));
  data = _rp_crm_sidebar_get_data (sidebar (&f));
  g_assert_cmpstr (_rp_crm_sidebar_data_get_person (data)->address, ==, DANA);
  /* The signature is Anna's: nothing of it is offered for Dana. */
  g_assert_null (data->signature.company);

  /* Open Record leads to the CRM page with the record's form. */
  rp_crm_sidebar_select_person (sidebar (&f), 0);
  wait_for_record_page (&f);
  gtk_widget_activate_action (GTK_WIDGET (sidebar (&f)), "crm-sidebar.open-record", NULL);
  g_assert_cmpstr (_rp_window_get_page (f.window), ==, "crm");
  g_assert_true (RP_IS_CRM_RECORD_FORM (
    _rp_crm_page_get_form (_rp_window_get_crm_page (f.window))));

  /* Ctrl+1 goes back, and a store change keeps the page the user chose. */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.show-mail", NULL);
  g_assert_cmpstr (_rp_window_get_page (f.window), ==, "mail");
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.show-crm", NULL);
  add_message (&f, f.inbox_id, "x@example.com", "me@example.org", "Later", 20, "…");
  spin (100);
  g_assert_cmpstr (_rp_window_get_page (f.window), ==, "crm");

  /* F9's action hides the sidebar. */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.crm-sidebar-visible", NULL);
  g_assert_false (_rp_window_crm_sidebar_shown (f.window));

  fixture_teardown (&f);
}

static gboolean
action_enabled (Fixture    *f,
                const char *name)
{
  return g_action_group_get_action_enabled (G_ACTION_GROUP (f->window), name);
}

/* Add Sender to Contacts and Add Sender as Lead, from the message list's
 * context menu: offered for one message from someone the CRM does not
 * know; they show the sidebar and open its form, prefilled, and saving
 * it stores the record. */
static void
test_add_sender (void)
{
  Fixture f = { 0 };
  RpMessageList *list;
  GtkWidget *list_view;
  GtkWidget *form;
  g_autoptr(RpCrmRecord) prefill = NULL;
  g_autoptr(RpCrmRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  gint64 jonas_id = 0;

  RUN_IN_SUBPROCESS ();
  fixture_setup (&f);
  add_anna (&f);
  list = _rp_window_get_message_list (f.window);
  list_view = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (list), RP_TYPE_MESSAGE_LIST,
                                                        "list_view"));
  g_assert_true (GTK_IS_LIST_VIEW (list_view));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (rp_message_list_get_model (list)));
       i++)
    {
      gint64 id = rp_folder_model_get_id_at (rp_message_list_get_model (list), i);

      if (id != f.dana_id && id != f.anna_id)
        jonas_id = id;
    }
  g_assert_cmpint (jonas_id, >, 0);

  /* Nothing selected, a known sender (Anna), several messages: nothing to
   * add. */
  g_assert_false (action_enabled (&f, "add-sender-contact"));
  g_assert_false (action_enabled (&f, "add-sender-lead"));
  select_message (&f, f.anna_id);
  g_assert_false (action_enabled (&f, "add-sender-contact"));
  g_assert_false (action_enabled (&f, "add-sender-lead"));
  select_message (&f, f.dana_id);
  g_assert_true (action_enabled (&f, "add-sender-contact"));
  g_assert_true (action_enabled (&f, "add-sender-lead"));
  gtk_widget_activate_action (list_view, "list.select-all", NULL);
  g_assert_cmpuint (rp_message_list_get_n_selected (list), ==, 3);
  g_assert_false (action_enabled (&f, "add-sender-contact"));
  g_assert_false (action_enabled (&f, "add-sender-lead"));

  /* Our own answer in Sent: the sender is the user. */
  g_assert_true (rp_folder_sidebar_select (_rp_window_get_sidebar (f.window), f.sent_id,
                                           RP_FOLDER_ROLE_NONE));
  select_message (&f, f.reply_id);
  g_assert_false (action_enabled (&f, "add-sender-contact"));
  g_assert_true (rp_folder_sidebar_select (_rp_window_get_sidebar (f.window), f.inbox_id,
                                           RP_FOLDER_ROLE_NONE));

  /* With the sidebar hidden, Add Sender as Lead shows it with the form,
   * prefilled from the message and its signature. */
  select_message (&f, f.dana_id);
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.crm-sidebar-visible", NULL);
  g_assert_false (_rp_window_crm_sidebar_shown (f.window));
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.add-sender-lead", NULL);
  g_assert_true (_rp_window_crm_sidebar_shown (f.window));
  WAIT_FOR (!_rp_crm_sidebar_is_loading (sidebar (&f)) &&
            g_str_equal (_rp_crm_sidebar_get_page (sidebar (&f)), "form"));
  form = _rp_crm_sidebar_get_form (sidebar (&f));
  g_assert_true (RP_IS_CRM_RECORD_FORM (form));
  prefill = rp_crm_record_form_dup_record (RP_CRM_RECORD_FORM (form));
  g_assert_cmpint (prefill->kind, ==, RP_CRM_KIND_LEAD);
  g_assert_cmpstr (prefill->name, ==, "Dana Whitfield");
  g_assert_cmpstr (prefill->emails[0], ==, DANA);
  g_assert_null (prefill->emails[1]);
  g_assert_cmpstr (prefill->company, ==, "Brightpath Logistics GmbH");
  g_assert_cmpstr (prefill->phone, ==, "+49 30 1234567");
  g_assert_cmpint (rp_crm_record_form_save (RP_CRM_RECORD_FORM (form)), >, 0);
  wait_for_record_page (&f);
  record = rp_crm_find_record_by_address (f.store, DANA, &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);
  g_assert_cmpint (record->kind, ==, RP_CRM_KIND_LEAD);
  g_assert_cmpstr (record->name, ==, "Dana Whitfield");
  g_assert_cmpstr (record->company, ==, "Brightpath Logistics GmbH");
  g_assert_cmpint (_rp_crm_sidebar_get_data (sidebar (&f))->record->id, ==, record->id);
  /* Known now: nothing more to add. */
  WAIT_FOR (!action_enabled (&f, "add-sender-lead"));
  g_assert_false (action_enabled (&f, "add-sender-contact"));
  g_clear_pointer (&record, rp_crm_record_free);
  g_clear_pointer (&prefill, rp_crm_record_free);

  /* Add Sender to Contacts, for Jonas's message; the sidebar was showing
   * a recipient of another message. */
  select_message (&f, f.anna_id);
  rp_crm_sidebar_select_person (sidebar (&f), 1);
  WAIT_FOR (!_rp_crm_sidebar_is_loading (sidebar (&f)) &&
            g_str_equal (_rp_crm_sidebar_get_page (sidebar (&f)), "record"));
  select_message (&f, jonas_id);
  g_assert_true (action_enabled (&f, "add-sender-contact"));
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.add-sender-contact", NULL);
  WAIT_FOR (!_rp_crm_sidebar_is_loading (sidebar (&f)) &&
            g_str_equal (_rp_crm_sidebar_get_page (sidebar (&f)), "form"));
  form = _rp_crm_sidebar_get_form (sidebar (&f));
  prefill = rp_crm_record_form_dup_record (RP_CRM_RECORD_FORM (form));
  g_assert_cmpint (prefill->kind, ==, RP_CRM_KIND_CONTACT);
  g_assert_cmpstr (prefill->name, ==, "Jonas Keller");
  g_assert_cmpstr (prefill->emails[0], ==, "jonas@example.net");
  g_assert_cmpint (rp_crm_record_form_save (RP_CRM_RECORD_FORM (form)), >, 0);
  wait_for_record_page (&f);
  record = rp_crm_find_record_by_address (f.store, "jonas@example.net", &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);
  g_assert_cmpint (record->kind, ==, RP_CRM_KIND_CONTACT);
  g_assert_cmpstr (record->name, ==, "Jonas Keller");
  WAIT_FOR (!action_enabled (&f, "add-sender-contact"));

  /* Disabled, the action does nothing. */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.add-sender-contact", NULL);
  spin (200);
  g_assert_cmpstr (_rp_crm_sidebar_get_page (sidebar (&f)), ==, "record");

  fixture_teardown (&f);
}

typedef struct
{
  RpStore *store;
  gint64   record_id;
  guint    n_notes;
} Burst;

/* Another part of the app writing to the CRM, commit by commit: the
 * store emits a change for each, a few milliseconds apart. */
static gpointer
burst_thread (gpointer user_data)
{
  Burst *burst = user_data;

  for (guint i = 0; i < burst->n_notes; i++)
    {
      g_autoptr(RpCrmNote) note = rp_crm_note_new ();
      g_autoptr(GError) error = NULL;

      note->record_id = burst->record_id;
      note->text = g_strdup_printf ("Note %u from elsewhere", i);
      g_assert_cmpint (rp_crm_add_note (burst->store, note, &error), >, 0);
      g_assert_no_error (error);
      g_usleep (10 * 1000);
    }
  return NULL;
}

static void
count_crm_changes (RpStore *store,
                   guint    what,
                   guint   *n)
{
  (*n)++;
}

/* Changes made elsewhere show in the sidebar and on the CRM page without
 * a new selection, and a burst of them refreshes once. */
static void
test_live_refresh (void)
{
  Fixture f = { 0 };
  Burst burst = { 0 };
  g_autoptr(RpCrmTask) task = rp_crm_task_new ();
  g_autoptr(RpCrmRecord) record = rp_crm_record_new ();
  g_autoptr(GError) error = NULL;
  GThread *thread;
  RpCrmPage *page;
  const char *emails[] = { "jonas@example.net", NULL };
  guint n_changes = 0, loads, refreshes;
  gint64 anna;

  RUN_IN_SUBPROCESS ();
  fixture_setup (&f);
  anna = add_anna (&f);
  select_message (&f, f.anna_id);
  wait_for_record_page (&f);
  g_assert_cmpuint (count_rows (_rp_crm_sidebar_get_notes (sidebar (&f))), ==, 1);
  g_assert_cmpuint (count_rows (_rp_crm_sidebar_get_timeline (sidebar (&f))), ==, 1);
  g_signal_connect (f.store, "crm-changed", G_CALLBACK (count_crm_changes), &n_changes);
  spin (300);
  loads = _rp_crm_sidebar_get_n_loads (sidebar (&f));

  /* Three commits from another thread: several changes, one load. */
  burst.store = f.store;
  burst.record_id = anna;
  burst.n_notes = 3;
  thread = g_thread_new ("burst", burst_thread, &burst);
  WAIT_FOR (n_changes >= 2);
  g_thread_join (thread);
  WAIT_FOR (count_rows (_rp_crm_sidebar_get_notes (sidebar (&f))) == 4 &&
            !_rp_crm_sidebar_is_loading (sidebar (&f)));
  spin (300);
  g_assert_cmpuint (n_changes, >=, 2);
  g_assert_cmpuint (_rp_crm_sidebar_get_n_loads (sidebar (&f)), ==, loads + 1);

  /* A task, and mail from Anna stored meanwhile (linked as it is
   * stored, as a filter or a fetch would). */
  task->record_id = anna;
  task->title = g_strdup ("Call back");
  g_assert_cmpint (rp_crm_add_task (f.store, task, &error), >, 0);
  g_assert_no_error (error);
  add_message (&f, f.inbox_id, "Anna Berg <" ANNA ">", "me@example.org", "Agenda", 13,
               "See attached.");
  WAIT_FOR (count_rows (_rp_crm_sidebar_get_tasks (sidebar (&f))) == 2 &&
            count_rows (_rp_crm_sidebar_get_timeline (sidebar (&f))) == 2);

  /* The page, shown, lists a contact added elsewhere; hidden, it lets
   * changes go and reads everything when shown again. */
  page = _rp_window_get_crm_page (f.window);
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.show-crm", NULL);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (page)));
  g_assert_cmpuint (_rp_crm_page_get_n_rows (page, "contacts"), ==, 1);
  refreshes = _rp_crm_page_get_n_refreshes (page);
  record->name = g_strdup ("Jonas Keller");
  g_strfreev (record->emails);
  record->emails = g_strdupv ((char **) emails);
  g_assert_cmpint (rp_crm_add_record (f.store, record, &error), >, 0);
  g_assert_no_error (error);
  WAIT_FOR (_rp_crm_page_get_n_rows (page, "contacts") == 2);
  spin (300);
  g_assert_cmpuint (_rp_crm_page_get_n_refreshes (page), ==, refreshes + 1);
  /* Notes are not on the page. */
  burst.n_notes = 1;
  burst_thread (&burst);
  spin (300);
  g_assert_cmpuint (_rp_crm_page_get_n_refreshes (page), ==, refreshes + 1);

  g_signal_handlers_disconnect_by_func (f.store, count_crm_changes, &n_changes);
  fixture_teardown (&f);
}

/* The reading pane's From line names a known sender as the CRM does,
 * and follows the CRM while the message is shown: a sender added or
 * renamed elsewhere changes the line without selecting the message
 * again, and nothing else in the pane is loaded again. */
static void
test_reading_pane_name (void)
{
  Fixture f = { 0 };
  g_autoptr(RpCrmRecord) record = rp_crm_record_new ();
  g_autoptr(GError) error = NULL;
  const char *emails[] = { DANA, NULL };
  RpMessageView *view;
  GtkLabel *from;
  GtkLabel *subject;
  gint64 record_id;

  RUN_IN_SUBPROCESS ();
  fixture_setup (&f);
  view = _rp_window_get_message_view (f.window);
  from = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (view), RP_TYPE_MESSAGE_VIEW,
                                                   "from_label"));

  /* Unknown, the name in the message. */
  select_message (&f, f.dana_id);
  WAIT_FOR (rp_message_view_get_message (view) == f.dana_id);
  WAIT_FOR (g_str_equal (gtk_label_get_text (from), "Dana Whitfield <" DANA ">"));

  record->kind = RP_CRM_KIND_LEAD;
  record->name = g_strdup ("Dana Whitfield-Ross");
  g_strfreev (record->emails);
  record->emails = g_strdupv ((char **) emails);
  /* Added while her message is shown: the line follows at once. */
  subject = _rp_message_view_get_subject_label (view);
  gtk_label_set_text (subject, "(marker)");
  record_id = rp_crm_add_record (f.store, record, &error);
  g_assert_no_error (error);
  g_assert_cmpint (record_id, >, 0);
  WAIT_FOR (g_str_equal (gtk_label_get_text (from), "Dana Whitfield-Ross <" DANA ">"));
  g_assert_cmpint (rp_message_view_get_message (view), ==, f.dana_id);
  /* Only the From line: the message was not loaded again. */
  g_assert_cmpstr (gtk_label_get_text (subject), ==, "(marker)");

  /* Renamed while shown, the same. */
  g_clear_pointer (&record, rp_crm_record_free);
  record = rp_crm_get_record (f.store, record_id, &error);
  g_assert_no_error (error);
  g_free (record->name);
  record->name = g_strdup ("Dana Ross");
  g_assert_true (rp_crm_update_record (f.store, record, &error));
  g_assert_no_error (error);
  WAIT_FOR (g_str_equal (gtk_label_get_text (from), "Dana Ross <" DANA ">"));
  g_assert_cmpstr (gtk_label_get_text (subject), ==, "(marker)");

  /* Known, the name the user gave her, also for mail from before. */
  select_message (&f, f.anna_id);
  select_message (&f, f.dana_id);
  WAIT_FOR (rp_message_view_get_message (view) == f.dana_id);
  WAIT_FOR (!g_str_equal (gtk_label_get_text (subject), "(marker)"));
  g_assert_cmpstr (gtk_label_get_text (from), ==, "Dana Ross <" DANA ">");

  fixture_teardown (&f);
}

/* Signatures: plain lines are taken, anything else is left alone. */
static void
test_signature (void)
{
  static const struct
  {
    const char *body;
    const char *company;
    const char *phone;
  } cases[] = {
    { "Hi\n\n-- \nJane Roe\nACME Widgets Ltd\nTel: +44 20 7946 0958\n",
      "ACME Widgets Ltd", "+44 20 7946 0958" },
    { "Hallo\n\nViele Grüße\nMax Muster\nMuster & Söhne GmbH & Co. KG\n"
      "Telefon: 030 / 123 456-7\n",
      "Muster & Söhne GmbH & Co. KG", "030 / 123 456-7" },
    { "See you\n--\nBob\nCompany: Blue Harbor\nMobile: +1 (555) 010-4477\n",
      "Blue Harbor", "+1 (555) 010-4477" },
    /* A number inside a sentence is no phone line. */
    { "Call me at 555 0100 tomorrow about the 40 licences.\n", NULL, NULL },
    /* A quoted signature belongs to someone else. */
    { "Thanks!\n\n> -- \n> Other Person\n> Other Corp Inc\n> Phone: +1 555 0101\n", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      RpCrmSignature signature;

      rp_crm_signature_parse (cases[i].body, &signature);
      g_assert_cmpstr (signature.company, ==, cases[i].company);
      g_assert_cmpstr (signature.phone, ==, cases[i].phone);
      rp_crm_signature_clear (&signature);
    }
}

int
main (int   argc,
      char *argv[])
{
  rp_test_init (&argc, &argv);
  fixture_init_gtk ();

  g_test_add_func ("/ui/crm/signature", test_signature);
  g_test_add_func ("/ui/crm/lead-from-unknown-sender", test_lead_from_unknown_sender);
  g_test_add_func ("/ui/crm/person-switcher", test_person_switcher);
  g_test_add_func ("/ui/crm/add-sender", test_add_sender);
  g_test_add_func ("/ui/crm/live-refresh", test_live_refresh);
  g_test_add_func ("/ui/crm/reading-pane-name", test_reading_pane_name);

  return g_test_run ();
}
