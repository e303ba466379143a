/* rp-crm-page.c: the CRM as a page of the main window
 *
 * Four views under one switcher: contacts, leads, tasks (overdue, today,
 * upcoming, undated) and upcoming events. A record opens in place, in the
 * same form the sidebar uses, with Delete behind a confirmation. The page
 * reads the lists whenever it is shown, after each change it makes, and
 * after changes made elsewhere while it is shown (once per burst, see
 * RpCrmWatch): they are a few indexed queries, cheap enough for the main
 * thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport"

#include "config.h"

#include <glib/gi18n.h>

#include "rp-crm-page.h"
#include "rp-crm-record-form.h"
#include "rp-crm-util.h"

#define SECONDS_PER_DAY (24 * 60 * 60)

struct _RpCrmPage
{
  GtkWidget         parent_instance;

  RpStore          *store;
  GtkWidget        *form;           /* the record form shown, or NULL */
  AdwMessageDialog *delete_dialog;  /* (weak) */
  RpCrmWatch       *watch;
  guint             n_refreshes;

  /* Template children */
  GtkStack         *page_stack;
  AdwViewStack     *view_stack;
  GtkSearchEntry   *search_entry;
  GtkListBox       *contacts_list;
  GtkListBox       *leads_list;
  GtkWidget        *overdue_box;
  GtkListBox       *overdue_list;
  GtkWidget        *today_box;
  GtkListBox       *today_list;
  GtkWidget        *upcoming_box;
  GtkListBox       *upcoming_list;
  GtkWidget        *undated_box;
  GtkListBox       *undated_list;
  GtkListBox       *events_list;
  AdwWindowTitle   *edit_title;
  AdwBin           *edit_bin;
};

G_DEFINE_FINAL_TYPE (RpCrmPage, rp_crm_page, GTK_TYPE_WIDGET)

/* Auxiliary methods */

static void
show_error (RpCrmPage    *self,
            const GError *error)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_WINDOW);
  GtkWidget *dialog;

  g_warning ("CRM: %s", error->message);
  if (window == NULL)
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (window), _("Cannot Change the CRM"),
                                   error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
new_row (const char *title,
         const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL && *subtitle != '\0')
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

static void
on_record_activated (RpCrmPage     *self,
                     GtkListBoxRow *row,
                     GtkListBox    *list)
{
  gint64 *id = g_object_get_data (G_OBJECT (row), "rp-record-id");

  if (id != NULL)
    rp_crm_page_show_record (self, *id);
}

static void
fill_records (RpCrmPage  *self,
              GtkListBox *list,
              RpCrmKind   kind,
              const char *search)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;

  rp_crm_list_box_clear (list);
  records = rp_crm_list_records (self->store, kind, search, &error);
  if (records == NULL)
    {
      g_warning ("Cannot list the CRM records: %s", error->message);
      return;
    }

  for (guint i = 0; i < records->len; i++)
    {
      RpCrmRecord *record = g_ptr_array_index (records, i);
      g_autofree char *position = rp_crm_format_position (record);
      const char *email = record->emails[0];
      g_autofree char *subtitle = NULL;
      GtkWidget *row, *avatar;

      if (email != NULL && position != NULL)
        /* Translators: an email address and a company, in a list of contacts. */
        subtitle = g_strdup_printf (_("%s · %s"), email, position);
      else
        subtitle = g_strdup (email != NULL ? email : position);
      row = new_row (record->name, subtitle);
      avatar = adw_avatar_new (32, record->name, TRUE);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), avatar);
      if (kind == RP_CRM_KIND_LEAD)
        {
          GtkWidget *status = gtk_label_new (rp_crm_lead_status_get_display_name (record->status));

          gtk_widget_add_css_class (status, "dim-label");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), status);
        }
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "rp-record-id",
                              g_memdup2 (&record->id, sizeof record->id), g_free);
      gtk_list_box_append (list, row);
    }
}

static void
on_task_toggled (RpCrmPage      *self,
                 GtkCheckButton *check)
{
  RpCrmTask *task = g_object_get_data (G_OBJECT (check), "rp-task");
  g_autoptr(RpCrmTask) done = NULL;
  g_autoptr(GError) error = NULL;

  if (task == NULL || !gtk_check_button_get_active (check))
    return;

  done = rp_crm_task_copy (task);
  done->done = TRUE;
  if (!rp_crm_update_task (self->store, done, &error))
    {
      show_error (self, error);
      return;
    }
  rp_crm_page_refresh (self);
}

static GHashTable *
record_names (RpCrmPage *self)
{
  g_autoptr(GPtrArray) records = rp_crm_list_records (self->store, -1, NULL, NULL);
  GHashTable *names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      RpCrmRecord *record = g_ptr_array_index (records, i);

      g_hash_table_insert (names, g_memdup2 (&record->id, sizeof record->id),
                           g_strdup (record->name));
    }
  return names;
}

static void
fill_tasks (RpCrmPage *self)
{
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) today_utc = g_date_time_new_utc (g_date_time_get_year (now),
                                                        g_date_time_get_month (now),
                                                        g_date_time_get_day_of_month (now),
                                                        0, 0, 0);
  gint64 today = g_date_time_to_unix (today_utc);
  g_autoptr(GError) error = NULL;
  GtkListBox *lists[] = { self->overdue_list, self->today_list, self->upcoming_list,
                          self->undated_list };
  GtkWidget *boxes[] = { self->overdue_box, self->today_box, self->upcoming_box,
                         self->undated_box };
  guint counts[G_N_ELEMENTS (lists)] = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    rp_crm_list_box_clear (lists[i]);

  tasks = rp_crm_list_tasks (self->store, 0, TRUE, &error);
  if (tasks == NULL)
    {
      g_warning ("Cannot list the tasks: %s", error->message);
      return;
    }
  names = record_names (self);

  for (guint i = 0; i < tasks->len; i++)
    {
      RpCrmTask *task = g_ptr_array_index (tasks, i);
      const char *name = g_hash_table_lookup (names, &task->record_id);
      g_autofree char *due = task->due != 0 ? rp_crm_format_day (task->due, TRUE) : NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row, *check;
      guint group;

      if (task->due == 0)
        group = 3;
      else if (task->due < today)
        group = 0;
      else if (task->due == today)
        group = 1;
      else
        group = 2;

      if (name != NULL && due != NULL && group != 1)
        /* Translators: a task's person and due day: "Anna Berg · 3 Nov". */
        subtitle = g_strdup_printf (_("%s · %s"), name, due);
      else
        subtitle = g_strdup (name != NULL ? name : group != 1 ? due : NULL);

      row = new_row (task->title, subtitle);
      check = gtk_check_button_new ();
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (check, _("Mark as Done"));
      g_object_set_data_full (G_OBJECT (check), "rp-task", rp_crm_task_copy (task),
                              (GDestroyNotify) rp_crm_task_free);
      g_signal_connect_object (check, "toggled", G_CALLBACK (on_task_toggled), self,
                               G_CONNECT_SWAPPED);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      gtk_list_box_append (lists[group], row);
      counts[group]++;
    }

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    gtk_widget_set_visible (boxes[i], counts[i] > 0 || i == 1);
}

static void
fill_events (RpCrmPage *self)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;

  rp_crm_list_box_clear (self->events_list);
  events = rp_crm_list_events (self->store, 0, g_get_real_time () / G_USEC_PER_SEC, &error);
  if (events == NULL)
    {
      g_warning ("Cannot list the events: %s", error->message);
      return;
    }

  for (guint i = 0; i < events->len; i++)
    {
      RpCrmEvent *event = g_ptr_array_index (events, i);
      g_autofree char *when = rp_crm_format_event_time (event);
      g_autofree char *subtitle = event->location != NULL && *event->location != '\0'
                                  ? g_strdup_printf (_("%s · %s"), when, event->location)
                                  : g_strdup (when);
      GtkWidget *row = new_row (event->title, subtitle);

      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("x-office-calendar-symbolic"));
      if (event->cancelled)
        {
          GtkWidget *label = gtk_label_new (_("Cancelled"));

          gtk_widget_add_css_class (label, "error");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
          gtk_widget_add_css_class (row, "dim-label");
        }
      gtk_list_box_append (self->events_list, row);
    }
}

static void
set_placeholder (GtkListBox *list,
                 const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_top (label, 18);
  gtk_widget_set_margin_bottom (label, 18);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_list_box_set_placeholder (list, label);
}

static void
close_form (RpCrmPage *self)
{
  self->form = NULL;
  adw_bin_set_child (self->edit_bin, NULL);
  gtk_stack_set_visible_child_name (self->page_stack, "views");
}

/* Callbacks */

static void
on_form_saved (RpCrmPage *self,
               gint64     id,
               GtkWidget *form)
{
  close_form (self);
  rp_crm_page_refresh (self);
}

static void
on_form_cancelled (RpCrmPage *self,
                   GtkWidget *form)
{
  close_form (self);
}

static void
on_delete_response (RpCrmPage        *self,
                    const char       *response,
                    AdwMessageDialog *dialog)
{
  gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (dialog), "rp-record-id");
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "delete") || self->store == NULL)
    return;

  if (!rp_crm_delete_record (self->store, id, &error))
    {
      show_error (self, error);
      return;
    }
  close_form (self);
  rp_crm_page_refresh (self);
}

static void
on_delete_requested (RpCrmPage       *self,
                     gint64           id,
                     RpCrmRecordForm *form)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_WINDOW);
  g_autoptr(RpCrmRecord) record = rp_crm_get_record (self->store, id, NULL);
  AdwMessageDialog *dialog;

  if (record == NULL)
    return;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (window), NULL, NULL));
  /* Translators: %s is the name of a contact or lead. */
  adw_message_dialog_format_heading (dialog, _("Delete %s?"), record->name);
  adw_message_dialog_set_body (dialog, _("Their tasks and notes are deleted too. "
                                         "Their mail and events stay."));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "rp-record-id",
                          g_memdup2 (&id, sizeof id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self,
                           G_CONNECT_SWAPPED);
  g_set_weak_pointer (&self->delete_dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
show_form (RpCrmPage         *self,
           const RpCrmRecord *record)
{
  GtkWidget *form = rp_crm_record_form_new (self->store, record);

  self->form = form;
  g_signal_connect_object (form, "saved", G_CALLBACK (on_form_saved), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (form, "cancelled", G_CALLBACK (on_form_cancelled), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (form, "delete-requested", G_CALLBACK (on_delete_requested), self,
                           G_CONNECT_SWAPPED);
  adw_window_title_set_title (self->edit_title, record->id != 0 ? record->name
                              : record->kind == RP_CRM_KIND_LEAD ? _("New Lead")
                              : _("New Contact"));
  adw_bin_set_child (self->edit_bin, form);
  gtk_stack_set_visible_child_name (self->page_stack, "edit");
  gtk_widget_child_focus (form, GTK_DIR_TAB_FORWARD);
}

static void
on_search_changed (RpCrmPage      *self,
                   GtkSearchEntry *entry)
{
  rp_crm_page_refresh (self);
}

static void
on_crm_changed (GtkWidget *widget)
{
  rp_crm_page_refresh (RP_CRM_PAGE (widget));
}

static void
on_map (RpCrmPage *self)
{
  rp_crm_page_refresh (self);
}

static void
new_record_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  RpCrmPage *self = RP_CRM_PAGE (widget);
  g_autoptr(RpCrmRecord) record = NULL;
  const char *view = adw_view_stack_get_visible_child_name (self->view_stack);

  if (self->store == NULL)
    return;
  record = rp_crm_record_new ();
  record->kind = g_strcmp0 (view, "leads") == 0 ? RP_CRM_KIND_LEAD : RP_CRM_KIND_CONTACT;
  show_form (self, record);
}

static void
close_form_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  close_form (RP_CRM_PAGE (widget));
}

/* GObject overrides */

static void
rp_crm_page_dispose (GObject *object)
{
  RpCrmPage *self = RP_CRM_PAGE (object);
  GtkWidget *child;

  g_clear_pointer (&self->watch, rp_crm_watch_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), RP_TYPE_CRM_PAGE);
  /* The template's top box has no id, so disposing the template does
   * not unparent it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  self->form = NULL;
  g_clear_weak_pointer (&self->delete_dialog);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (rp_crm_page_parent_class)->dispose (object);
}

static void
rp_crm_page_class_init (RpCrmPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rp_crm_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rapportmail/Rapport/rp-crm-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RpCrmPage, page_stack);
  gtk_widget_class_bind_template_child (widget_class, RpCrmPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, RpCrmPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RpCrmPage, contacts_list);
  gtk_widget_class_bind_template_child (widget_class, RpCrmPage, leads_list);
  gtk_widget_class_bind_template_child (widget_class, RpCrmPage, overdue_box);
  gtk_widget_class_bind_template_child (widget_class, RpCrmPage, overdue_list);
  gtk_widget_class_bind_template_child (widget_class, RpCrmPage, today_box);
  gtk_widget_class_bind_template_child (widget_class, RpCrmPage, today_list);
  gtk_widget_class_bind_template_child (widget_class, RpCrmPage, upcoming_box);
  gtk_widget_class_bind_template_child (widget_class, RpCrmPage, upcoming_list);
  gtk_widget_class_bind_template_child (widget_class, RpCrmPage, undated_box);
  gtk_widget_class_bind_template_child (widget_class, RpCrmPage, undated_list);
  gtk_widget_class_bind_template_child (widget_class, RpCrmPage, events_list);
  gtk_widget_class_bind_template_child (widget_class, RpCrmPage, edit_title);
  gtk_widget_class_bind_template_child (widget_class, RpCrmPage, edit_bin);
  gtk_widget_class_bind_template_callback (widget_class, on_record_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);

  gtk_widget_class_install_action (widget_class, "crm-page.new-record", NULL, new_record_action);
  gtk_widget_class_install_action (widget_class, "crm-page.close-form", NULL, close_form_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
rp_crm_page_init (RpCrmPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  set_placeholder (self->contacts_list, _("No contacts. Add people from the sidebar beside "
                                          "their mail, or with the New button."));
  set_placeholder (self->leads_list, _("No leads."));
  set_placeholder (self->today_list, _("Nothing due today."));
  set_placeholder (self->events_list, _("No upcoming events."));
  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);
  /* Notes and mail links are not on the page. */
  self->watch = rp_crm_watch_new (GTK_WIDGET (self),
                                  RP_CRM_CHANGE_RECORDS | RP_CRM_CHANGE_TASKS |
                                  RP_CRM_CHANGE_EVENTS,
                                  on_crm_changed);
}

/* Public API */

GtkWidget *
rp_crm_page_new (void)
{
  return g_object_new (RP_TYPE_CRM_PAGE, NULL);
}

void
rp_crm_page_set_store (RpCrmPage *self,
                       RpStore   *store)
{
  g_return_if_fail (RP_IS_CRM_PAGE (self));
  g_return_if_fail (store == NULL || RP_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;
  rp_crm_watch_set_store (self->watch, store);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    rp_crm_page_refresh (self);
}

void
rp_crm_page_refresh (RpCrmPage *self)
{
  const char *search;

  g_return_if_fail (RP_IS_CRM_PAGE (self));

  if (self->store == NULL)
    return;

  self->n_refreshes++;
  search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  fill_records (self, self->contacts_list, RP_CRM_KIND_CONTACT, search);
  fill_records (self, self->leads_list, RP_CRM_KIND_LEAD, search);
  fill_tasks (self);
  fill_events (self);
}

void
rp_crm_page_show_record (RpCrmPage *self,
                         gint64     record_id)
{
  g_autoptr(RpCrmRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (RP_IS_CRM_PAGE (self));

  if (self->store == NULL)
    return;
  record = rp_crm_get_record (self->store, record_id, &error);
  if (record == NULL)
    {
      show_error (self, error);
      return;
    }
  adw_view_stack_set_visible_child_name (self->view_stack,
                                         record->kind == RP_CRM_KIND_LEAD ? "leads" : "contacts");
  show_form (self, record);
}

void
rp_crm_page_set_view (RpCrmPage  *self,
                      const char *name)
{
  g_return_if_fail (RP_IS_CRM_PAGE (self));

  if (self->form != NULL)
    close_form (self);
  adw_view_stack_set_visible_child_name (self->view_stack, name);
}

/* Private API, for tests */

static guint
count_rows (GtkListBox *list)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && gtk_widget_get_visible (child))
      n++;
  return n;
}

guint
_rp_crm_page_get_n_rows (RpCrmPage  *self,
                         const char *view)
{
  if (g_str_equal (view, "contacts"))
    return count_rows (self->contacts_list);
  if (g_str_equal (view, "leads"))
    return count_rows (self->leads_list);
  if (g_str_equal (view, "events"))
    return count_rows (self->events_list);
  return count_rows (self->overdue_list) + count_rows (self->today_list) +
         count_rows (self->upcoming_list) + count_rows (self->undated_list);
}

GtkWidget *
_rp_crm_page_get_form (RpCrmPage *self)
{
  return self->form;
}

AdwMessageDialog *
_rp_crm_page_get_delete_dialog (RpCrmPage *self)
{
  return self->delete_dialog;
}

void
_rp_crm_page_set_search (RpCrmPage  *self,
                         const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  rp_crm_page_refresh (self);
}

guint
_rp_crm_page_get_n_refreshes (RpCrmPage *self)
{
  return self->n_refreshes;
}
