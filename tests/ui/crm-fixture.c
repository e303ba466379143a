/* crm-fixture.c: what the CRM window tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport-test"

#include "config.h"

#include <string.h>

#include "crm-fixture.h"

/* Auxiliary methods */

static void
seed_store (Fixture *f)
{
  g_autoptr(RpAccount) account = rp_account_new ("work");
  g_autoptr(GError) error = NULL;

  g_free (account->email);
  account->email = g_strdup ("me@example.org");
  g_free (account->pop_host);
  account->pop_host = g_strdup ("pop.invalid");
  /* The scheduler must leave a test account alone. */
  account->enabled = FALSE;
  g_assert_true (rp_store_save_account (f->store, account, &error));
  g_assert_no_error (error);
  f->account_id = account->id;
  f->inbox_id = rp_store_get_special_folder (f->store, account->id, RP_FOLDER_ROLE_INBOX);
  f->sent_id = rp_store_get_special_folder (f->store, account->id, RP_FOLDER_ROLE_SENT);
  g_assert_cmpint (f->sent_id, >, 0);

  add_message (f, f->inbox_id, "Jonas Keller <jonas@example.net>", "me@example.org",
               "Team lunch on Friday", 2, "Who is in?");
  f->dana_id = add_message (f, f->inbox_id, "Dana Whitfield <" DANA ">",
                            "Me <me@example.org>", "Quote for 40 licences", 10,
                            "Hello,\n\ncould you send us a quote for 40 licences?\n\n"
                            "Best regards\n\n-- \nDana Whitfield\nHead of Purchasing\n"
                            "Brightpath Logistics GmbH\nPhone: +49 30 1234567\n");
  f->reply_id = add_message (f, f->sent_id, "Me <me@example.org>", "Dana Whitfield <" DANA ">",
                             "Re: Quote for 40 licences", 11, "The quote is attached.");
  f->anna_id = add_message (f, f->inbox_id, "Anna Berg <" ANNA ">",
                            "me@example.org, Dana Whitfield <" DANA ">",
                            "Contract renewal", 12, "Shall we meet next week?\n\nAnna");
}

/* Fixture API */

gboolean
fixture_on_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

void
fixture_init_gtk (void)
{
  const char *mime_dirs[] = { "/usr/share/mime", NULL };

  g_content_type_set_mime_dirs (mime_dirs);
  gtk_init ();
  adw_init ();
  gtk_icon_theme_add_search_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                  "/usr/share/icons");
}

void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, fixture_on_timeout, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

gint64
add_message (Fixture    *f,
             gint64      folder_id,
             const char *from,
             const char *to,
             const char *subject,
             guint       day,
             const char *body)
{
  /* Not strftime: the German screenshots run in a German locale. */
  g_autofree char *rfc_date = g_strdup_printf ("%u Mar 2026 09:30:00 +0000", day);
  g_autofree char *raw = g_strdup_printf ("From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\n"
                                          "Message-ID: <%u.%s@test>\r\nMIME-Version: 1.0\r\n"
                                          "Content-Type: text/plain; charset=utf-8\r\n"
                                          "Content-Transfer-Encoding: 8bit\r\n\r\n%s\r\n",
                                          from, to, subject, rfc_date, day,
                                          folder_id == f->sent_id ? "sent" : "in", body);
  g_autoptr(GBytes) bytes = g_bytes_new (raw, strlen (raw));
  g_autofree char *uidl = g_strdup_printf ("uidl-%u-%" G_GINT64_FORMAT, day, folder_id);
  RpStoreNewMessage message = { 0 };
  g_autoptr(GError) error = NULL;

  message.folder_id = folder_id;
  message.uidl = folder_id == f->inbox_id ? uidl : NULL;
  message.raw = bytes;
  message.flags = RP_MESSAGE_FLAG_SEEN;
  g_assert_true (rp_store_add_messages_sync (f->store, f->account_id, &message, 1, NULL, &error));
  g_assert_no_error (error);
  return message.id;
}

gint64
add_anna (Fixture *f)
{
  g_autoptr(RpCrmRecord) record = rp_crm_record_new ();
  g_autoptr(RpCrmTask) task = rp_crm_task_new ();
  g_autoptr(RpCrmNote) note = rp_crm_note_new ();
  g_autoptr(RpCrmEvent) event = rp_crm_event_new ();
  g_autoptr(GError) error = NULL;
  const char *emails[] = { ANNA, NULL };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  record->kind = RP_CRM_KIND_CONTACT;
  record->name = g_strdup ("Anna Berg");
  g_strfreev (record->emails);
  record->emails = g_strdupv ((char **) emails);
  record->company = g_strdup ("Nordlicht Media AG");
  record->job_title = g_strdup ("Managing Director");
  record->phone = g_strdup ("+49 40 555 0100");
  g_assert_cmpint (rp_crm_add_record (f->store, record, &error), >, 0);
  g_assert_no_error (error);

  task->record_id = record->id;
  task->title = g_strdup ("Prepare the renewal offer");
  task->due = (now / 86400 + 2) * 86400;
  g_assert_cmpint (rp_crm_add_task (f->store, task, &error), >, 0);
  note->record_id = record->id;
  note->text = g_strdup ("Prefers calls in the morning. Budget is approved for next year.");
  g_assert_cmpint (rp_crm_add_note (f->store, note, &error), >, 0);
  event->title = g_strdup ("Renewal meeting");
  event->start = (now / 86400 + 3) * 86400 + 10 * 3600;
  event->end = event->start + 3600;
  event->location = g_strdup ("Hamburg office");
  event->record_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_val (event->record_ids, record->id);
  g_assert_cmpint (rp_crm_save_event (f->store, event, &error), >, 0);
  g_assert_no_error (error);

  return record->id;
}

void
fixture_setup_at (Fixture *f,
                  int      width)
{
  g_autoptr(GError) error = NULL;

  f->app = rp_application_new ();
  g_application_set_flags (G_APPLICATION (f->app),
                           G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN);
  g_assert_true (g_application_register (G_APPLICATION (f->app), NULL, &error));
  g_assert_no_error (error);
  f->store = rp_application_get_store (f->app);
  g_assert_nonnull (f->store);

  f->window = rp_window_new (f->app);
  gtk_window_set_default_size (GTK_WINDOW (f->window), width, 760);
  gtk_window_present (GTK_WINDOW (f->window));
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (f->window)));
  seed_store (f);
  WAIT_FOR (g_str_equal (_rp_window_get_page (f->window), "mail"));
  g_assert_true (rp_folder_sidebar_select (_rp_window_get_sidebar (f->window), f->inbox_id,
                                           RP_FOLDER_ROLE_NONE));
  /* Where the four panes fit side by side (see test_layout), the sidebar
   * shows by itself; on a narrower window the user asks for it (F9 once:
   * it shows the sidebar's state, not the setting), and the folders fold
   * away. */
  spin (100);
  if (!_rp_window_crm_sidebar_shown (f->window))
    {
      gtk_widget_activate_action (GTK_WIDGET (f->window), "win.crm-sidebar-visible", NULL);
      WAIT_FOR (_rp_window_crm_sidebar_shown (f->window));
      /* Folded, choosing a folder shows its list. */
      spin (100);
      g_assert_true (rp_folder_sidebar_select (_rp_window_get_sidebar (f->window), 0,
                                               RP_FOLDER_ROLE_SENT));
      g_assert_true (rp_folder_sidebar_select (_rp_window_get_sidebar (f->window), f->inbox_id,
                                               RP_FOLDER_ROLE_NONE));
    }
}

void
fixture_setup (Fixture *f)
{
  fixture_setup_at (f, 1280);
}

void
fixture_teardown (Fixture *f)
{
  GList *windows;

  rp_scheduler_stop (rp_application_get_scheduler (f->app));
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (f->app))) != NULL)
    gtk_window_destroy (GTK_WINDOW (windows->data));
  spin (50);
  g_clear_object (&f->app);
}

RpCrmSidebar *
sidebar (Fixture *f)
{
  return _rp_window_get_crm_sidebar (f->window);
}

void
select_message (Fixture *f,
                gint64   message_id)
{
  RpMessageList *list = _rp_window_get_message_list (f->window);
  RpFolderModel *model;
  guint n;

  WAIT_FOR ((model = rp_message_list_get_model (list)) != NULL &&
            g_list_model_get_n_items (G_LIST_MODEL (model)) > 0);
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  for (guint i = 0; i < n; i++)
    if (rp_folder_model_get_id_at (model, i) == message_id)
      {
        rp_message_list_select (list, i);
        break;
      }
  WAIT_FOR (!_rp_crm_sidebar_is_loading (sidebar (f)) &&
            _rp_crm_sidebar_get_data (sidebar (f)) != NULL &&
            _rp_crm_sidebar_get_data (sidebar (f))->message_id == message_id);
}

guint
count_rows (GtkListBox *list)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += GTK_IS_LIST_BOX_ROW (child) ? 1 : 0;
  return n;
}

void
wait_for_record_page (Fixture *f)
{
  WAIT_FOR (!_rp_crm_sidebar_is_loading (sidebar (f)) &&
            g_str_equal (_rp_crm_sidebar_get_page (sidebar (f)), "record"));
}
