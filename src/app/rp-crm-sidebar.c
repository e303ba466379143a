/* rp-crm-sidebar.c: the contextual sidebar beside the reading pane
 *
 * It follows the selected message: the person behind it (the sender, or
 * any recipient through the switcher at the top) with their card, quick
 * actions and history when the CRM knows them, or an offer to add them.
 * Everything is loaded by one worker per selection (see
 * rp-crm-sidebar-data.c); a newer selection cancels the older load, and
 * the old content stays on screen until the new one is ready, so that
 * moving through the list does not flicker. A change to the CRM made
 * elsewhere (an invitation answered, a filter linking mail, the CRM page)
 * loads it again, once per burst (see RpCrmWatch).
 *
 * Its width is the user's, not its content's: it asks for the width it
 * was given (rp_crm_sidebar_set_natural_width()), and long notes or
 * subjects wrap instead of widening it and squeezing the reading pane.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport"

#include "config.h"

#include <glib/gi18n.h>

#include "rp-crm-event-form.h"
#include "rp-crm-note-form.h"
#include "rp-crm-record-form.h"
#include "rp-crm-sidebar-private.h"
#include "rp-crm-task-form.h"

struct _RpCrmSidebar
{
  GtkWidget         parent_instance;

  RpStore          *store;
  gint64            message_id;
  char             *person;        /* the address asked for, or NULL for the default */
  RpCrmSidebarData *data;          /* what is shown, or NULL */
  GCancellable     *cancellable;   /* the running load, or NULL */
  GtkWidget        *form;          /* the form on the "form" page, or NULL */
  gboolean          updating_people;
  RpCrmWatch       *watch;
  int               natural_width;
  guint             n_loads;
  /* rp_crm_sidebar_add_person() waits for its person to load. */
  gboolean          add_pending;
  RpCrmKind         add_kind;

  /* Template children */
  GtkDropDown      *person_dropdown;
  GtkStringList    *person_model;
  GtkStack         *stack;
  AdwStatusPage    *empty_page;
  AdwAvatar        *unknown_avatar;
  GtkLabel         *unknown_name_label;
  GtkLabel         *unknown_address_label;
  AdwAvatar        *avatar;
  GtkLabel         *name_label;
  GtkLabel         *position_label;
  GtkLabel         *kind_label;
  GtkLabel         *address_label;
  GtkListBox       *timeline_list;
  GtkWidget        *tasks_box;
  GtkListBox       *tasks_list;
  GtkWidget        *events_box;
  GtkListBox       *events_list;
  GtkWidget        *notes_box;
  GtkListBox       *notes_list;
  AdwBin           *form_bin;
};

G_DEFINE_FINAL_TYPE (RpCrmSidebar, rp_crm_sidebar, GTK_TYPE_WIDGET)

enum {
  OPEN_MESSAGE,
  OPEN_RECORD,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void load       (RpCrmSidebar *self);
static void add_record (RpCrmSidebar *self,
                        RpCrmKind     kind);

/* Auxiliary methods */

static const char *
nonempty (const char *text)
{
  return text != NULL && *text != '\0' ? text : NULL;
}

static GtkWidget *
new_row (const char *title,
         const char *subtitle,
         const char *icon_name)
{
  GtkWidget *row = adw_action_row_new ();

  /* Subjects and notes are text, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (icon_name != NULL)
    adw_action_row_set_icon_name (ADW_ACTION_ROW (row), icon_name);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  return row;
}

static void
render_timeline (RpCrmSidebar *self)
{
  rp_crm_list_box_clear (self->timeline_list);

  for (guint i = 0; i < self->data->timeline->len; i++)
    {
      RpCrmTimelineEntry *entry = g_ptr_array_index (self->data->timeline, i);
      g_autofree char *day = rp_crm_format_day (entry->date, FALSE);
      /* Translators: "Sent · Today" or "Received · 3 Nov", for a message. */
      g_autofree char *subtitle = g_strdup_printf (_("%s · %s"),
                                                   entry->sent ? _("Sent") : _("Received"), day);
      GtkWidget *row = new_row (nonempty (entry->subject) ? entry->subject : _("(No Subject)"),
                                subtitle,
                                entry->sent ? "mail-send-symbolic" : "mail-unread-symbolic");

      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data (G_OBJECT (row), "rp-entry", entry);
      /* The message on screen is marked, so that the user sees where it
       * stands in the history. */
      if (entry->message_id == self->message_id)
        gtk_widget_add_css_class (row, "crm-current");
      gtk_list_box_append (self->timeline_list, row);
    }

  if (self->data->timeline->len == 0)
    {
      GtkWidget *row = new_row (_("No mail yet"), NULL, NULL);

      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->timeline_list, row);
    }
}

static void
on_task_toggled (RpCrmSidebar   *self,
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
      g_warning ("Cannot mark the task done: %s", error->message);
      gtk_check_button_set_active (check, FALSE);
      return;
    }
  load (self);
}

static void
render_tasks (RpCrmSidebar *self)
{
  rp_crm_list_box_clear (self->tasks_list);
  gtk_widget_set_visible (self->tasks_box, self->data->tasks->len > 0);

  for (guint i = 0; i < self->data->tasks->len; i++)
    {
      RpCrmTask *task = g_ptr_array_index (self->data->tasks, i);
      g_autofree char *due = task->due != 0 ? rp_crm_format_day (task->due, TRUE) : NULL;
      /* Translators: when a task is due, as in "Due Tomorrow" or "Due 3 Nov". */
      g_autofree char *subtitle = due != NULL ? g_strdup_printf (_("Due %s"), due) : NULL;
      GtkWidget *row = new_row (task->title, subtitle, NULL);
      GtkWidget *check = gtk_check_button_new ();

      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (check, _("Mark as Done"));
      g_object_set_data (G_OBJECT (check), "rp-task", task);
      g_signal_connect_object (check, "toggled", G_CALLBACK (on_task_toggled), self,
                               G_CONNECT_SWAPPED);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      /* An overdue task says so. */
      if (task->due != 0 && task->due + 24 * 60 * 60 <= g_get_real_time () / G_USEC_PER_SEC)
        gtk_widget_add_css_class (row, "error");
      gtk_list_box_append (self->tasks_list, row);
    }
}

static void
render_events (RpCrmSidebar *self)
{
  guint shown = 0;

  rp_crm_list_box_clear (self->events_list);
  for (guint i = 0; i < self->data->events->len; i++)
    {
      RpCrmEvent *event = g_ptr_array_index (self->data->events, i);
      g_autofree char *when = rp_crm_format_event_time (event);
      g_autofree char *subtitle = NULL;

      if (event->cancelled)
        continue;
      subtitle = nonempty (event->location) != NULL
                 /* Translators: an event's time and place: "Today, 09:30–10:00 · Office". */
                 ? g_strdup_printf (_("%s · %s"), when, event->location)
                 : g_steal_pointer (&when);
      gtk_list_box_append (self->events_list,
                           new_row (event->title, subtitle, "x-office-calendar-symbolic"));
      shown++;
    }
  gtk_widget_set_visible (self->events_box, shown > 0);
}

static void
render_notes (RpCrmSidebar *self)
{
  rp_crm_list_box_clear (self->notes_list);
  gtk_widget_set_visible (self->notes_box, self->data->notes->len > 0);

  for (guint i = 0; i < self->data->notes->len; i++)
    {
      RpCrmNote *note = g_ptr_array_index (self->data->notes, i);
      g_autofree char *day = rp_crm_format_day (note->created, FALSE);
      GtkWidget *row = new_row (note->text, day, NULL);

      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 4);
      gtk_list_box_append (self->notes_list, row);
    }
}

static void
render_record (RpCrmSidebar *self)
{
  const RpCrmRecord *record = self->data->record;
  const RpAddress *person = _rp_crm_sidebar_data_get_person (self->data);
  g_autofree char *position = rp_crm_format_position (record);
  g_autofree char *kind = rp_crm_format_kind (record);
  g_autofree char *reach = NULL;

  adw_avatar_set_text (self->avatar, record->name);
  gtk_label_set_text (self->name_label, record->name);
  gtk_label_set_text (self->position_label, position != NULL ? position : "");
  gtk_widget_set_visible (GTK_WIDGET (self->position_label), position != NULL);
  gtk_label_set_text (self->kind_label, kind);
  reach = nonempty (record->phone) != NULL
          /* Translators: an email address and a phone number. */
          ? g_strdup_printf (_("%s · %s"), person->address, record->phone)
          : g_strdup (person->address);
  gtk_label_set_text (self->address_label, reach);

  render_timeline (self);
  render_tasks (self);
  render_events (self);
  render_notes (self);
}

static void
render_unknown (RpCrmSidebar *self)
{
  const RpAddress *person = _rp_crm_sidebar_data_get_person (self->data);
  const char *name = nonempty (person->name) != NULL ? person->name : person->address;

  adw_avatar_set_text (self->unknown_avatar, name);
  gtk_label_set_text (self->unknown_name_label, name);
  gtk_label_set_text (self->unknown_address_label, person->address);
  gtk_widget_set_visible (GTK_WIDGET (self->unknown_address_label),
                          nonempty (person->name) != NULL);
}

static void
render_people (RpCrmSidebar *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  guint n = self->data != NULL ? self->data->people->len : 0;

  for (guint i = 0; i < n; i++)
    {
      const RpAddress *address = g_ptr_array_index (self->data->people, i);

      g_ptr_array_add (names, g_strdup (nonempty (address->name) != NULL ? address->name
                                                                         : address->address));
    }
  g_ptr_array_add (names, NULL);

  /* Replacing the strings moves the selection: that is no choice of the
   * user's. */
  self->updating_people = TRUE;
  gtk_string_list_splice (self->person_model, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->person_model)),
                          (const char * const *) names->pdata);
  if (n > 0)
    gtk_drop_down_set_selected (self->person_dropdown, self->data->person);
  self->updating_people = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->person_dropdown), n > 1);
}

static void
render (RpCrmSidebar *self)
{
  render_people (self);

  if (self->form != NULL)
    return;

  if (self->data == NULL || _rp_crm_sidebar_data_get_person (self->data) == NULL)
    {
      adw_status_page_set_title (self->empty_page, self->data == NULL
                                 ? _("No Message Selected")
                                 : _("Nobody Else in This Message"));
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  else if (self->data->record != NULL)
    {
      render_record (self);
      gtk_stack_set_visible_child_name (self->stack, "record");
    }
  else
    {
      render_unknown (self);
      gtk_stack_set_visible_child_name (self->stack, "unknown");
    }
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(RpCrmSidebar) self = user_data;
  g_autoptr(RpCrmSidebarData) data = NULL;
  g_autoptr(GError) error = NULL;

  data = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  if (data == NULL)
    {
      /* A message deleted meanwhile is no error worth a dialog. */
      g_debug ("Cannot load the CRM sidebar: %s", error->message);
      self->add_pending = FALSE;
      g_clear_pointer (&self->data, _rp_crm_sidebar_data_free);
      render (self);
      return;
    }

  g_clear_pointer (&self->data, _rp_crm_sidebar_data_free);
  self->data = g_steal_pointer (&data);
  if (self->add_pending)
    {
      const RpAddress *person = _rp_crm_sidebar_data_get_person (self->data);

      /* The person asked for, unless the message does not have them (an
       * own address is never among its people). */
      self->add_pending = FALSE;
      if (person != NULL && self->person != NULL &&
          g_ascii_strcasecmp (person->address, self->person) == 0)
        add_record (self, self->add_kind);
    }
  render (self);
}

typedef struct
{
  RpStore *store;
  gint64   message_id;
  char    *person;
} LoadRequest;

static void
load_request_free (LoadRequest *request)
{
  g_object_unref (request->store);
  g_free (request->person);
  g_free (request);
}

static void
load_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadRequest *request = task_data;
  RpCrmSidebarData *data;
  GError *error = NULL;

  g_assert (G_IS_TASK (task));

  data = _rp_crm_sidebar_data_load (request->store, request->message_id, request->person,
                                    cancellable, &error);
  if (data == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, data, (GDestroyNotify) _rp_crm_sidebar_data_free);
}

static void
load (RpCrmSidebar *self)
{
  g_autoptr(GTask) task = NULL;
  LoadRequest *request;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->store == NULL || self->message_id == 0)
    {
      self->add_pending = FALSE;
      g_clear_pointer (&self->data, _rp_crm_sidebar_data_free);
      render (self);
      return;
    }

  self->n_loads++;
  request = g_new0 (LoadRequest, 1);
  request->store = g_object_ref (self->store);
  request->message_id = self->message_id;
  request->person = g_strdup (self->person);
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, on_loaded, g_object_ref (self));
  g_task_set_source_tag (task, load);
  g_task_set_task_data (task, request, (GDestroyNotify) load_request_free);
  g_task_run_in_thread (task, load_thread);
}

static void
close_form (RpCrmSidebar *self)
{
  self->form = NULL;
  adw_bin_set_child (self->form_bin, NULL);
  render (self);
}

/* Callbacks */

static void
on_crm_changed (GtkWidget *widget)
{
  RpCrmSidebar *self = RP_CRM_SIDEBAR (widget);

  if (self->message_id != 0)
    load (self);
}

/* Hidden, the sidebar let changes go by (see RpCrmWatch). */
static void
on_map (RpCrmSidebar *self)
{
  if (self->message_id != 0)
    load (self);
}

static void
on_form_saved (RpCrmSidebar *self,
               gint64        id,
               GtkWidget    *form)
{
  close_form (self);
  load (self);
}

static void
on_form_cancelled (RpCrmSidebar *self,
                   GtkWidget    *form)
{
  close_form (self);
}

static void
show_form (RpCrmSidebar *self,
           GtkWidget    *form)
{
  self->form = form;
  g_signal_connect_object (form, "saved", G_CALLBACK (on_form_saved), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (form, "cancelled", G_CALLBACK (on_form_cancelled), self,
                           G_CONNECT_SWAPPED);
  adw_bin_set_child (self->form_bin, form);
  gtk_stack_set_visible_child_name (self->stack, "form");
  gtk_widget_child_focus (form, GTK_DIR_TAB_FORWARD);
}

static void
add_record (RpCrmSidebar *self,
            RpCrmKind     kind)
{
  const RpAddress *person = _rp_crm_sidebar_data_get_person (self->data);
  g_autoptr(RpCrmRecord) record = NULL;
  const char *emails[2] = { NULL, NULL };

  if (person == NULL || self->store == NULL || self->data->record != NULL)
    return;

  record = rp_crm_record_new ();
  record->kind = kind;
  record->status = RP_CRM_LEAD_NEW;
  record->name = g_strdup (nonempty (person->name));
  emails[0] = person->address;
  g_strfreev (record->emails);
  record->emails = g_strdupv ((char **) emails);
  record->company = g_strdup (self->data->signature.company);
  record->phone = g_strdup (self->data->signature.phone);
  /* Where the record came from, for the user's later "how did we meet". */
  record->source = g_strdup (_("Mail"));

  show_form (self, rp_crm_record_form_new (self->store, record));
}

static void
add_contact_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  add_record (RP_CRM_SIDEBAR (widget), RP_CRM_KIND_CONTACT);
}

static void
add_lead_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  add_record (RP_CRM_SIDEBAR (widget), RP_CRM_KIND_LEAD);
}

static gboolean
has_record (RpCrmSidebar *self)
{
  return self->store != NULL && self->data != NULL && self->data->record != NULL;
}

static void
add_task_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  RpCrmSidebar *self = RP_CRM_SIDEBAR (widget);

  if (has_record (self))
    show_form (self, rp_crm_task_form_new (self->store, self->data->record->id,
                                           self->data->message_id, self->data->subject));
}

static void
add_event_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RpCrmSidebar *self = RP_CRM_SIDEBAR (widget);

  if (has_record (self))
    show_form (self, rp_crm_event_form_new (self->store, self->data->record->id,
                                            _rp_crm_sidebar_data_get_person (self->data)->address,
                                            self->data->message_id, self->data->subject));
}

static void
add_note_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  RpCrmSidebar *self = RP_CRM_SIDEBAR (widget);

  if (has_record (self))
    show_form (self, rp_crm_note_form_new (self->store, self->data->record->id,
                                           self->data->message_id, self->data->subject));
}

static void
open_record_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  RpCrmSidebar *self = RP_CRM_SIDEBAR (widget);

  if (has_record (self))
    g_signal_emit (self, signals[OPEN_RECORD], 0, self->data->record->id);
}

static void
on_timeline_activated (RpCrmSidebar  *self,
                       GtkListBoxRow *row,
                       GtkListBox    *list)
{
  RpCrmTimelineEntry *entry = g_object_get_data (G_OBJECT (row), "rp-entry");

  if (entry == NULL)
    return;

  /* The person stays: the sidebar now follows the opened message, so that
   * a task made next links to it. */
  self->message_id = entry->message_id;
  self->add_pending = FALSE;
  g_signal_emit (self, signals[OPEN_MESSAGE], 0, entry->message_id);
  load (self);
}

static void
on_person_selected (RpCrmSidebar *self,
                    GParamSpec   *pspec,
                    GtkDropDown  *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (self->updating_people || self->data == NULL || selected >= self->data->people->len)
    return;
  rp_crm_sidebar_select_person (self, selected);
}

/* GtkWidget overrides */

static void
rp_crm_sidebar_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  RpCrmSidebar *self = RP_CRM_SIDEBAR (widget);
  GtkWidget *child = gtk_widget_get_first_child (widget);

  *minimum = *natural = 0;
  if (child != NULL)
    gtk_widget_measure (child, orientation, for_size, minimum, natural, NULL, NULL);
  /* The width the user chose, however long the longest note. */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *natural = MAX (*minimum, self->natural_width);
}

static void
rp_crm_sidebar_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);

  if (child != NULL)
    gtk_widget_allocate (child, width, height, baseline, NULL);
}

/* GObject overrides */

static void
rp_crm_sidebar_dispose (GObject *object)
{
  RpCrmSidebar *self = RP_CRM_SIDEBAR (object);
  GtkWidget *child;

  g_clear_pointer (&self->watch, rp_crm_watch_free);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), RP_TYPE_CRM_SIDEBAR);
  /* The template's top box has no id, so disposing the template does
   * not unparent it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  self->form = NULL;
  g_clear_object (&self->store);
  g_clear_pointer (&self->person, g_free);
  g_clear_pointer (&self->data, _rp_crm_sidebar_data_free);

  G_OBJECT_CLASS (rp_crm_sidebar_parent_class)->dispose (object);
}

static void
rp_crm_sidebar_class_init (RpCrmSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rp_crm_sidebar_dispose;
  widget_class->measure = rp_crm_sidebar_measure;
  widget_class->size_allocate = rp_crm_sidebar_size_allocate;

  signals[OPEN_MESSAGE] = g_signal_new ("open-message", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[OPEN_RECORD] = g_signal_new ("open-record", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rapportmail/Rapport/rp-crm-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, RpCrmSidebar, person_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RpCrmSidebar, person_model);
  gtk_widget_class_bind_template_child (widget_class, RpCrmSidebar, stack);
  gtk_widget_class_bind_template_child (widget_class, RpCrmSidebar, empty_page);
  gtk_widget_class_bind_template_child (widget_class, RpCrmSidebar, unknown_avatar);
  gtk_widget_class_bind_template_child (widget_class, RpCrmSidebar, unknown_name_label);
  gtk_widget_class_bind_template_child (widget_class, RpCrmSidebar, unknown_address_label);
  gtk_widget_class_bind_template_child (widget_class, RpCrmSidebar, avatar);
  gtk_widget_class_bind_template_child (widget_class, RpCrmSidebar, name_label);
  gtk_widget_class_bind_template_child (widget_class, RpCrmSidebar, position_label);
  gtk_widget_class_bind_template_child (widget_class, RpCrmSidebar, kind_label);
  gtk_widget_class_bind_template_child (widget_class, RpCrmSidebar, address_label);
  gtk_widget_class_bind_template_child (widget_class, RpCrmSidebar, timeline_list);
  gtk_widget_class_bind_template_child (widget_class, RpCrmSidebar, tasks_box);
  gtk_widget_class_bind_template_child (widget_class, RpCrmSidebar, tasks_list);
  gtk_widget_class_bind_template_child (widget_class, RpCrmSidebar, events_box);
  gtk_widget_class_bind_template_child (widget_class, RpCrmSidebar, events_list);
  gtk_widget_class_bind_template_child (widget_class, RpCrmSidebar, notes_box);
  gtk_widget_class_bind_template_child (widget_class, RpCrmSidebar, notes_list);
  gtk_widget_class_bind_template_child (widget_class, RpCrmSidebar, form_bin);
  gtk_widget_class_bind_template_callback (widget_class, on_timeline_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_person_selected);

  gtk_widget_class_install_action (widget_class, "crm-sidebar.add-contact", NULL,
                                   add_contact_action);
  gtk_widget_class_install_action (widget_class, "crm-sidebar.add-lead", NULL, add_lead_action);
  gtk_widget_class_install_action (widget_class, "crm-sidebar.add-task", NULL, add_task_action);
  gtk_widget_class_install_action (widget_class, "crm-sidebar.add-event", NULL,
                                   add_event_action);
  gtk_widget_class_install_action (widget_class, "crm-sidebar.add-note", NULL, add_note_action);
  gtk_widget_class_install_action (widget_class, "crm-sidebar.open-record", NULL,
                                   open_record_action);

  gtk_widget_class_set_css_name (widget_class, "crm-sidebar");
}

static void
rp_crm_sidebar_init (RpCrmSidebar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_size_request (GTK_WIDGET (self), RP_CRM_SIDEBAR_MIN_WIDTH, -1);
  self->natural_width = RP_CRM_SIDEBAR_DEFAULT_WIDTH;
  self->watch = rp_crm_watch_new (GTK_WIDGET (self), RP_CRM_CHANGE_ALL, on_crm_changed);
  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);
}

/* Public API */

GtkWidget *
rp_crm_sidebar_new (void)
{
  return g_object_new (RP_TYPE_CRM_SIDEBAR, NULL);
}

void
rp_crm_sidebar_set_store (RpCrmSidebar *self,
                          RpStore      *store)
{
  g_return_if_fail (RP_IS_CRM_SIDEBAR (self));
  g_return_if_fail (store == NULL || RP_IS_STORE (store));

  if (g_set_object (&self->store, store))
    {
      rp_crm_watch_set_store (self->watch, store);
      load (self);
    }
}

void
rp_crm_sidebar_set_natural_width (RpCrmSidebar *self,
                                  int           width)
{
  g_return_if_fail (RP_IS_CRM_SIDEBAR (self));

  width = CLAMP (width, RP_CRM_SIDEBAR_MIN_WIDTH, RP_CRM_SIDEBAR_MAX_WIDTH);
  if (self->natural_width == width)
    return;
  self->natural_width = width;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

int
rp_crm_sidebar_get_natural_width (RpCrmSidebar *self)
{
  g_return_val_if_fail (RP_IS_CRM_SIDEBAR (self), 0);

  return self->natural_width;
}

void
rp_crm_sidebar_set_message (RpCrmSidebar *self,
                            gint64        message_id)
{
  g_return_if_fail (RP_IS_CRM_SIDEBAR (self));

  if (self->message_id == message_id)
    return;

  self->message_id = message_id;
  /* A new message shows its own first person; a form in progress was
   * about the old one. */
  g_clear_pointer (&self->person, g_free);
  self->add_pending = FALSE;
  if (self->form != NULL)
    close_form (self);
  load (self);
}

gint64
rp_crm_sidebar_get_message (RpCrmSidebar *self)
{
  g_return_val_if_fail (RP_IS_CRM_SIDEBAR (self), 0);

  return self->message_id;
}

void
rp_crm_sidebar_refresh (RpCrmSidebar *self)
{
  g_return_if_fail (RP_IS_CRM_SIDEBAR (self));

  load (self);
}

void
rp_crm_sidebar_select_person (RpCrmSidebar *self,
                              guint         index)
{
  const RpAddress *address;

  g_return_if_fail (RP_IS_CRM_SIDEBAR (self));

  if (self->data == NULL || index >= self->data->people->len)
    return;

  address = g_ptr_array_index (self->data->people, index);
  g_free (self->person);
  self->person = g_strdup (address->address);
  self->add_pending = FALSE;
  if (self->form != NULL)
    close_form (self);
  load (self);
}

void
rp_crm_sidebar_add_person (RpCrmSidebar *self,
                           const char   *address,
                           RpCrmKind     kind)
{
  g_return_if_fail (RP_IS_CRM_SIDEBAR (self));
  g_return_if_fail (address != NULL);
  g_return_if_fail (kind == RP_CRM_KIND_CONTACT || kind == RP_CRM_KIND_LEAD);

  g_free (self->person);
  self->person = g_strdup (address);
  /* Not from the data shown: hidden, the sidebar let changes go by, and
   * the person may have been added meanwhile. */
  self->add_pending = TRUE;
  self->add_kind = kind;
  if (self->form != NULL)
    close_form (self);
  load (self);
}

/* Private API, for tests */

const char *
_rp_crm_sidebar_get_page (RpCrmSidebar *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

gboolean
_rp_crm_sidebar_is_loading (RpCrmSidebar *self)
{
  return self->cancellable != NULL;
}

const RpCrmSidebarData *
_rp_crm_sidebar_get_data (RpCrmSidebar *self)
{
  return self->data;
}

GtkWidget *
_rp_crm_sidebar_get_form (RpCrmSidebar *self)
{
  return self->form;
}

GtkListBox *
_rp_crm_sidebar_get_timeline (RpCrmSidebar *self)
{
  return self->timeline_list;
}

GtkListBox *
_rp_crm_sidebar_get_tasks (RpCrmSidebar *self)
{
  return self->tasks_list;
}

GtkListBox *
_rp_crm_sidebar_get_events (RpCrmSidebar *self)
{
  return self->events_list;
}

GtkListBox *
_rp_crm_sidebar_get_notes (RpCrmSidebar *self)
{
  return self->notes_list;
}

guint
_rp_crm_sidebar_get_n_loads (RpCrmSidebar *self)
{
  return self->n_loads;
}
