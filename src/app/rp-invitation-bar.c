/* rp-invitation-bar.c: a calendar invitation at the top of the reading
 * pane
 *
 * Reading the invitation, applying it to the calendar (a CANCEL or a new
 * version) and answering it all touch the database and the network, so
 * each runs in a worker; the bar only renders what comes back. Every load
 * and answer carries the bar's current cancellable, and showing another
 * message replaces it, so a late result never lands on the wrong message.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rp-invitation-bar"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rp-account-store.h"
#include "rp-application.h"
#include "rp-error.h"
#include "rp-invitation-bar.h"
#include "rp-macros.h"
#include "rp-message-item.h"

struct _RpInvitationBar
{
  AdwBin              parent_instance;

  /* Template children. */
  GtkLabel           *title_label;
  GtkLabel           *when_label;
  GtkLabel           *where_label;
  GtkLabel           *organizer_label;
  GtkLabel           *status_label;
  GtkSpinner         *spinner;
  GtkWidget          *buttons;

  RpStore            *store;
  RpSecrets          *secrets;
  gint64              message_id;
  GCancellable       *cancellable;   /* the current load; replaced per message */
  GCancellable       *respond_cancellable; /* answers; only dispose stops them */

  /* What is shown; set in the main thread from a worker's result. */
  RpInvitation       *invitation;
  RpAccount          *account;       /* the account the message came to */
  RpInvitationStatus  status;
  RpPartstat          partstat;      /* our answer as the calendar has it */
  gboolean            busy;
};

G_DEFINE_FINAL_TYPE (RpInvitationBar, rp_invitation_bar, ADW_TYPE_BIN)

typedef struct
{
  RpStore      *store;
  RpSecrets    *secrets;
  gint64        message_id;
  RpAccount    *account;
  RpInvitation *invitation;
  RpPartstat    partstat;
  RpInvitationStatus status;
} Job;

/* Auxiliary methods */

static void
job_free (Job *job)
{
  g_clear_object (&job->store);
  g_clear_object (&job->secrets);
  g_clear_pointer (&job->account, rp_account_free);
  g_clear_pointer (&job->invitation, rp_invitation_free);
  g_free (job);
}

static RpSecrets *
get_secrets (RpInvitationBar *self)
{
  GApplication *app = g_application_get_default ();

  if (self->secrets != NULL)
    return self->secrets;
  if (RP_IS_APPLICATION (app))
    return rp_application_get_secrets (RP_APPLICATION (app));

  return NULL;
}

/* Hours and minutes as the locale writes them: 24-hour unless the locale
 * has an AM/PM marker. */
static char *
format_time (GDateTime *time)
{
  g_autofree char *am_pm = g_date_time_format (time, "%p");

  /* "%-l": GLib pads %l with a figure space, which nothing strips. */
  return g_date_time_format (time, am_pm != NULL && *am_pm != '\0' ? "%-l:%M %p" : "%H:%M");
}

static char *
describe_when (const RpInvitation *invitation)
{
  g_autoptr(GDateTime) start = g_date_time_new_from_unix_local (invitation->start);
  g_autoptr(GDateTime) end = g_date_time_new_from_unix_local (invitation->end);
  g_autofree char *start_date = NULL;
  g_autofree char *end_date = NULL;
  g_autofree char *start_time = NULL;
  g_autofree char *end_time = NULL;

  if (start == NULL || end == NULL)
    return g_strdup ("");

  if (invitation->all_day)
    {
      /* An all-day event ends at the start of the day after its last. */
      g_autoptr(GDateTime) last = g_date_time_add_seconds (end, -1);

      start_date = g_date_time_format (start, "%x");
      if (last == NULL || g_date_time_compare (last, start) <= 0
          || g_date_time_get_day_of_year (last) == g_date_time_get_day_of_year (start))
        /* TRANSLATORS: when an all-day event takes place: its date. */
        return g_strdup_printf (_("%s, all day"), start_date);
      end_date = g_date_time_format (last, "%x");
      /* TRANSLATORS: when an all-day event of several days takes place:
       * its first and last date. */
      return g_strdup_printf (_("%s – %s, all day"), start_date, end_date);
    }

  start_date = g_date_time_format (start, "%x");
  end_date = g_date_time_format (end, "%x");
  start_time = format_time (start);
  end_time = format_time (end);
  if (g_strcmp0 (start_date, end_date) == 0)
    /* TRANSLATORS: when an event takes place: its date, start and end time. */
    return g_strdup_printf (_("%s, %s – %s"), start_date, start_time, end_time);

  /* TRANSLATORS: when an event of several days takes place: start date
   * and time, then end date and time. */
  return g_strdup_printf (_("%s, %s – %s, %s"), start_date, start_time, end_date, end_time);
}

static char *
format_person (const RpInvitationPerson *person)
{
  if (person->name != NULL && *person->name != '\0')
    return g_strdup_printf ("%s <%s>", person->name, person->address);

  return g_strdup (person->address);
}

static gboolean
asks_for_answer (const RpInvitation *invitation)
{
  return invitation->method == RP_ITIP_METHOD_REQUEST
         || invitation->method == RP_ITIP_METHOD_UNKNOWN;
}

static char *
describe_status (RpInvitationBar *self)
{
  const RpInvitation *invitation = self->invitation;

  if (invitation->method == RP_ITIP_METHOD_CANCEL || self->status == RP_INVITATION_STATUS_CANCELLED)
    return g_strdup (_("This event was cancelled by its organizer."));
  if (self->status == RP_INVITATION_STATUS_OUTDATED)
    return g_strdup (_("This invitation is out of date: the organizer has sent a newer version."));

  if (invitation->method == RP_ITIP_METHOD_REPLY && invitation->attendees->len > 0)
    {
      const RpInvitationPerson *person = g_ptr_array_index (invitation->attendees, 0);
      g_autofree char *who = format_person (person);

      switch (person->partstat)
        {
        case RP_PARTSTAT_ACCEPTED:
          /* TRANSLATORS: an answer to our invitation; %s is the person. */
          return g_strdup_printf (_("%s has accepted."), who);
        case RP_PARTSTAT_TENTATIVE:
          /* TRANSLATORS: an answer to our invitation; %s is the person. */
          return g_strdup_printf (_("%s has accepted tentatively."), who);
        case RP_PARTSTAT_DECLINED:
          /* TRANSLATORS: an answer to our invitation; %s is the person. */
          return g_strdup_printf (_("%s has declined."), who);
        case RP_PARTSTAT_NONE:
        case RP_PARTSTAT_NEEDS_ACTION:
        case RP_PARTSTAT_DELEGATED:
        default:
          /* TRANSLATORS: an answer to our invitation; %s is the person. */
          return g_strdup_printf (_("%s has not decided yet."), who);
        }
    }

  if (!asks_for_answer (invitation))
    return g_strdup (_("This calendar event asks for no answer."));
  if (invitation->organizer == NULL)
    return g_strdup (_("This invitation names no organizer, so it cannot be answered."));

  switch (self->partstat)
    {
    case RP_PARTSTAT_ACCEPTED:
      return g_strdup (_("You have accepted."));
    case RP_PARTSTAT_TENTATIVE:
      return g_strdup (_("You have accepted tentatively."));
    case RP_PARTSTAT_DECLINED:
      return g_strdup (_("You have declined."));
    case RP_PARTSTAT_NONE:
    case RP_PARTSTAT_NEEDS_ACTION:
    case RP_PARTSTAT_DELEGATED:
    default:
      if (rp_invitation_get_own_attendee (invitation) == NULL)
        return g_strdup (_("You are not on the list of attendees, but you can answer."));
      return g_strdup (_("You have not answered yet."));
    }
}

static gboolean
can_respond (RpInvitationBar *self)
{
  return self->invitation != NULL && self->account != NULL && !self->busy
         && asks_for_answer (self->invitation) && self->invitation->organizer != NULL
         && (self->status == RP_INVITATION_STATUS_NEW || self->status == RP_INVITATION_STATUS_CURRENT);
}

static void
set_busy (RpInvitationBar *self,
          gboolean         busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "invitation.respond", can_respond (self));
}

typedef enum
{
  STATUS_NORMAL,
  STATUS_WARNING,
  STATUS_ERROR,
} StatusKind;

static void
set_status_text (RpInvitationBar *self,
                 const char      *text,
                 StatusKind       kind)
{
  gtk_label_set_text (self->status_label, text);
  if (kind == STATUS_ERROR)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
  if (kind == STATUS_WARNING)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "warning");
}

static void
render (RpInvitationBar *self)
{
  const RpInvitation *invitation = self->invitation;
  g_autofree char *when = NULL;
  g_autofree char *status = NULL;

  g_assert (invitation != NULL);

  gtk_label_set_text (self->title_label,
                      *invitation->summary != '\0' ? invitation->summary : _("Untitled Event"));
  when = describe_when (invitation);
  gtk_label_set_text (self->when_label, when);
  gtk_widget_set_visible (GTK_WIDGET (self->where_label), invitation->location != NULL);
  gtk_label_set_text (self->where_label, invitation->location != NULL ? invitation->location : "");
  gtk_widget_set_visible (GTK_WIDGET (self->organizer_label), invitation->organizer != NULL);
  if (invitation->organizer != NULL)
    {
      g_autofree char *who = format_person (invitation->organizer);
      /* TRANSLATORS: who sent the invitation: a name and address. */
      g_autofree char *text = g_strdup_printf (_("Organizer: %s"), who);

      gtk_label_set_text (self->organizer_label, text);
    }

  status = describe_status (self);
  set_status_text (self, status,
                   invitation->method == RP_ITIP_METHOD_CANCEL
                   || self->status == RP_INVITATION_STATUS_CANCELLED
                   || self->status == RP_INVITATION_STATUS_OUTDATED
                   ? STATUS_WARNING : STATUS_NORMAL);
  gtk_widget_set_visible (self->buttons, asks_for_answer (invitation)
                          && self->status != RP_INVITATION_STATUS_CANCELLED
                          && self->status != RP_INVITATION_STATUS_OUTDATED
                          && invitation->organizer != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "invitation.respond", can_respond (self));
}

/* What the user can do about a failed answer, beside what happened. */
static const char *
error_hint (const GError *error)
{
  if (error->domain != RP_ERROR)
    return NULL;

  switch ((RpErrorCode) error->code)
    {
    case RP_ERROR_AUTH_FAILED:
      return _("Check the password of the sending account in its settings.");
    case RP_ERROR_TLS_CERTIFICATE:
    case RP_ERROR_TLS:
    case RP_ERROR_TLS_UNAVAILABLE:
      return _("Check the server’s certificate and security settings of the sending account.");
    case RP_ERROR_CONNECTION_FAILED:
    case RP_ERROR_TIMEOUT:
    case RP_ERROR_SERVER_TEMPORARY:
      return _("The Outbox tries again later; you need not answer again.");
    default:
      return NULL;
    }
}

/* Workers */

static void
load_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(RpMessageItem) item = NULL;
  GError *error = NULL;

  raw = rp_store_get_raw (job->store, job->message_id, &error);
  if (raw == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  job->invitation = rp_invitation_parse_message (raw, &error);
  if (job->invitation == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  job->invitation->stored_id = job->message_id;

  item = rp_store_get_item (job->store, job->message_id, NULL);
  if (item != NULL)
    job->account = rp_store_load_account_by_id (job->store, rp_message_item_get_account_id (item),
                                                NULL);
  if (job->account != NULL)
    rp_invitation_find_own_attendee (job->invitation, job->account);

  /* Showing a CANCEL or a new version applies it, as fetching does. */
  if (!rp_invitation_apply_sync (job->store, job->invitation, &job->status, &job->partstat,
                                 cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
respond_worker (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;

  if (!rp_invitation_respond_sync (job->store, job->secrets, job->account, NULL, job->invitation,
                                   job->partstat, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Callbacks */

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  RpInvitationBar *self = RP_INVITATION_BAR (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  g_assert (RP_IS_MAIN_THREAD ());

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      /* A calendar part that cannot be read: say so, offer nothing. */
      set_busy (self, FALSE);
      gtk_label_set_text (self->title_label, _("Calendar Data"));
      gtk_widget_set_visible (GTK_WIDGET (self->where_label), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->organizer_label), FALSE);
      gtk_label_set_text (self->when_label, "");
      gtk_widget_set_visible (self->buttons, FALSE);
      set_status_text (self, error->message, STATUS_ERROR);
      return;
    }

  g_clear_pointer (&self->invitation, rp_invitation_free);
  g_clear_pointer (&self->account, rp_account_free);
  self->invitation = g_steal_pointer (&job->invitation);
  self->account = g_steal_pointer (&job->account);
  self->status = job->status;
  self->partstat = job->partstat;
  set_busy (self, FALSE);
  render (self);
}

static void
respond_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  RpInvitationBar *self = RP_INVITATION_BAR (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert (RP_IS_MAIN_THREAD ());

  if (!g_task_propagate_boolean (G_TASK (result), &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* The answer went on while another message was shown: it is saved and
   * sent, and that message shows its own state. */
  if (job->message_id != self->message_id || self->invitation == NULL)
    return;

  set_busy (self, FALSE);

  /* Refused before anything was saved (cancelled or outdated meanwhile):
   * show the invitation as it now stands. */
  if (g_error_matches (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT))
    {
      rp_invitation_bar_set_message (self, 0, FALSE);
      rp_invitation_bar_set_message (self, job->message_id, TRUE);
      return;
    }

  /* Otherwise the answer is in the calendar, sent or waiting. */
  self->partstat = job->partstat;
  self->status = RP_INVITATION_STATUS_CURRENT;
  render (self);

  if (error != NULL)
    {
      const char *hint = error_hint (error);

      text = hint != NULL ? g_strconcat (error->message, "\n", hint, NULL) : g_strdup (error->message);
      set_status_text (self, text, STATUS_ERROR);
      return;
    }

  {
    g_autofree char *status = describe_status (self);
    const RpInvitationPerson *organizer = self->invitation->organizer;

    /* TRANSLATORS: after answering an invitation: "You have accepted."
     * and who was told. */
    text = g_strdup_printf (_("%s Your answer was sent to %s."), status,
                            organizer->name != NULL ? organizer->name : organizer->address);
    set_status_text (self, text, STATUS_NORMAL);
  }
}

static void
respond_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RpInvitationBar *self = RP_INVITATION_BAR (widget);
  RpPartstat partstat = rp_partstat_from_string (g_variant_get_string (parameter, NULL));
  RpSecrets *secrets = get_secrets (self);
  g_autoptr(GTask) task = NULL;
  Job *job;

  if (!can_respond (self) || self->store == NULL)
    return;
  if (secrets == NULL)
    {
      set_status_text (self, _("Passwords cannot be read, so the answer cannot be sent."),
                       STATUS_ERROR);
      return;
    }

  /* Not the load's cancellable: showing another message must not stop
   * an answer halfway through the SMTP dialogue. */
  job = g_new0 (Job, 1);
  job->store = g_object_ref (self->store);
  job->secrets = g_object_ref (secrets);
  job->message_id = self->message_id;
  job->account = rp_account_copy (self->account);
  job->invitation = rp_invitation_copy (self->invitation);
  job->partstat = partstat;

  set_busy (self, TRUE);
  set_status_text (self, _("Sending your answer…"), STATUS_NORMAL);

  task = g_task_new (self, self->respond_cancellable, respond_done_cb, NULL);
  g_task_set_source_tag (task, respond_action);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, respond_worker);
}

/* Overrides */

static void
rp_invitation_bar_dispose (GObject *object)
{
  RpInvitationBar *self = RP_INVITATION_BAR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->respond_cancellable);
  g_clear_object (&self->respond_cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->secrets);
  g_clear_pointer (&self->invitation, rp_invitation_free);
  g_clear_pointer (&self->account, rp_account_free);

  G_OBJECT_CLASS (rp_invitation_bar_parent_class)->dispose (object);
}

static void
rp_invitation_bar_class_init (RpInvitationBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rp_invitation_bar_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rapportmail/Rapport/rp-invitation-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, RpInvitationBar, title_label);
  gtk_widget_class_bind_template_child (widget_class, RpInvitationBar, when_label);
  gtk_widget_class_bind_template_child (widget_class, RpInvitationBar, where_label);
  gtk_widget_class_bind_template_child (widget_class, RpInvitationBar, organizer_label);
  gtk_widget_class_bind_template_child (widget_class, RpInvitationBar, status_label);
  gtk_widget_class_bind_template_child (widget_class, RpInvitationBar, spinner);
  gtk_widget_class_bind_template_child (widget_class, RpInvitationBar, buttons);

  gtk_widget_class_install_action (widget_class, "invitation.respond", "s", respond_action);
}

static void
rp_invitation_bar_init (RpInvitationBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->respond_cancellable = g_cancellable_new ();
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "invitation.respond", FALSE);
}

/* Public API */

GtkWidget *
rp_invitation_bar_new (void)
{
  return g_object_new (RP_TYPE_INVITATION_BAR, NULL);
}

void
rp_invitation_bar_set_store (RpInvitationBar *self,
                             RpStore         *store)
{
  g_return_if_fail (RP_IS_INVITATION_BAR (self));
  g_return_if_fail (store == NULL || RP_IS_STORE (store));

  g_set_object (&self->store, store);
}

void
rp_invitation_bar_set_secrets (RpInvitationBar *self,
                               RpSecrets       *secrets)
{
  g_return_if_fail (RP_IS_INVITATION_BAR (self));
  g_return_if_fail (secrets == NULL || RP_IS_SECRETS (secrets));

  g_set_object (&self->secrets, secrets);
}

void
rp_invitation_bar_set_message (RpInvitationBar *self,
                               gint64           message_id,
                               gboolean         has_calendar)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (RP_IS_INVITATION_BAR (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->invitation, rp_invitation_free);
  g_clear_pointer (&self->account, rp_account_free);
  self->message_id = message_id;
  self->status = RP_INVITATION_STATUS_NEW;
  self->partstat = RP_PARTSTAT_NONE;
  set_busy (self, FALSE);

  gtk_widget_set_visible (GTK_WIDGET (self), message_id > 0 && has_calendar && self->store != NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self)))
    return;

  gtk_label_set_text (self->title_label, _("Calendar Invitation"));
  gtk_label_set_text (self->when_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->where_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->organizer_label), FALSE);
  gtk_widget_set_visible (self->buttons, FALSE);
  set_status_text (self, "", STATUS_NORMAL);

  self->cancellable = g_cancellable_new ();
  job = g_new0 (Job, 1);
  job->store = g_object_ref (self->store);
  job->message_id = message_id;

  set_busy (self, TRUE);
  task = g_task_new (self, self->cancellable, load_done_cb, NULL);
  g_task_set_source_tag (task, rp_invitation_bar_set_message);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, load_worker);
}

const RpInvitation *
_rp_invitation_bar_get_invitation (RpInvitationBar *self)
{
  g_return_val_if_fail (RP_IS_INVITATION_BAR (self), NULL);

  return self->invitation;
}

RpInvitationStatus
_rp_invitation_bar_get_status (RpInvitationBar *self)
{
  g_return_val_if_fail (RP_IS_INVITATION_BAR (self), RP_INVITATION_STATUS_NEW);

  return self->status;
}

const char *
_rp_invitation_bar_get_status_text (RpInvitationBar *self)
{
  g_return_val_if_fail (RP_IS_INVITATION_BAR (self), NULL);

  return gtk_label_get_text (self->status_label);
}

gboolean
_rp_invitation_bar_get_can_respond (RpInvitationBar *self)
{
  g_return_val_if_fail (RP_IS_INVITATION_BAR (self), FALSE);

  return gtk_widget_get_visible (self->buttons) && can_respond (self);
}

gboolean
_rp_invitation_bar_get_busy (RpInvitationBar *self)
{
  g_return_val_if_fail (RP_IS_INVITATION_BAR (self), FALSE);

  return self->busy;
}
