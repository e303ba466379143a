/* rp-window-compose.c: the main window's compose, reply and forward
 * actions, and editing a message of a Drafts folder again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport"

#include "config.h"

#include <glib/gi18n.h>

#include "rp-compose-window.h"
#include "rp-reply.h"
#include "rp-window-compose.h"
#include "rp-window-private.h"

/* Auxiliary methods */

static RpApplication *
window_app (GtkWidget *widget)
{
  return RP_APPLICATION (gtk_window_get_application (GTK_WINDOW (widget)));
}

static void
present_draft (GtkWidget     *widget,
               const RpDraft *draft)
{
  RpComposeWindow *compose = rp_compose_window_new (window_app (widget), draft);

  gtk_window_present (GTK_WINDOW (compose));
}

static void
answer_selected (GtkWidget   *widget,
                 RpReplyKind  kind)
{
  RpWindow *self = RP_WINDOW (widget);
  RpStore *store = rp_application_get_store (window_app (widget));
  g_autoptr(GArray) ids = rp_message_list_get_selected (_rp_window_get_message_list (self));
  g_autoptr(RpDraft) draft = NULL;
  g_autoptr(GError) error = NULL;

  /* Several selected messages have no single answer. */
  if (store == NULL || ids == NULL || ids->len != 1)
    {
      gtk_widget_error_bell (widget);
      return;
    }

  draft = rp_reply_build (store, g_array_index (ids, gint64, 0), kind, &error);
  if (draft == NULL)
    {
      g_warning ("Cannot answer the message: %s", error->message);
      gtk_widget_error_bell (widget);
      return;
    }
  present_draft (widget, draft);
}

/* Whether @message_id is in a Drafts folder: only there is a message a
 * draft to edit (a draft moved to the Trash is just a message). */
static gboolean
is_stored_draft (RpStore *store,
                 gint64   message_id)
{
  g_autoptr(RpMessageItem) item = NULL;
  g_autoptr(RpFolderInfo) folder = NULL;

  if (store == NULL || message_id <= 0)
    return FALSE;
  item = rp_store_get_item (store, message_id, NULL);
  if (item != NULL)
    folder = rp_store_get_folder (store, rp_message_item_get_folder_id (item), NULL);

  return folder != NULL && folder->role == RP_FOLDER_ROLE_DRAFTS;
}

/* The compose window already editing @stored_id, if any. */
static RpComposeWindow *
find_editing_window (RpApplication *app,
                     gint64         stored_id)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    {
      if (RP_IS_COMPOSE_WINDOW (l->data)
          && rp_compose_window_get_saved_draft (l->data) == stored_id)
        return l->data;
    }

  return NULL;
}

typedef struct
{
  RpStore *store;
  gint64   message_id;
} LoadDraft;

static void
load_draft_free (LoadDraft *data)
{
  g_clear_object (&data->store);
  g_free (data);
}

/* A draft's attachments can be big: reading and parsing are done off the
 * main thread. */
static void
load_draft_worker (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  LoadDraft *data = task_data;
  g_autoptr(GBytes) raw = NULL;
  GError *error = NULL;
  RpDraft *draft;

  g_assert (G_IS_TASK (task));

  raw = rp_store_get_raw (data->store, data->message_id, &error);
  draft = raw != NULL ? rp_draft_new_from_message (raw, &error) : NULL;
  if (draft == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, draft, (GDestroyNotify) rp_draft_free);
}

static void
load_draft_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GtkWidget *widget = GTK_WIDGET (source);
  LoadDraft *data = g_task_get_task_data (G_TASK (result));
  RpApplication *app = window_app (widget);
  g_autoptr(RpDraft) draft = NULL;
  g_autoptr(GError) error = NULL;
  RpComposeWindow *compose;

  draft = g_task_propagate_pointer (G_TASK (result), &error);
  if (draft == NULL || app == NULL)
    {
      if (error != NULL)
        g_warning ("Cannot open the draft: %s", error->message);
      gtk_widget_error_bell (widget);
      return;
    }

  /* A second double click while the first was loading. */
  compose = find_editing_window (app, data->message_id);
  if (compose == NULL)
    compose = rp_compose_window_new_for_stored_draft (app, draft, data->message_id);
  gtk_window_present (GTK_WINDOW (compose));
}

static void
edit_draft (GtkWidget *widget,
            gint64     message_id)
{
  RpApplication *app = window_app (widget);
  RpStore *store = app != NULL ? rp_application_get_store (app) : NULL;
  g_autoptr(GTask) task = NULL;
  RpComposeWindow *compose;
  LoadDraft *data;

  if (store == NULL)
    return;

  /* One window per draft: two would save two diverging copies. */
  compose = find_editing_window (app, message_id);
  if (compose != NULL)
    {
      gtk_window_present (GTK_WINDOW (compose));
      return;
    }
  if (!is_stored_draft (store, message_id))
    {
      gtk_widget_error_bell (widget);
      return;
    }

  data = g_new0 (LoadDraft, 1);
  data->store = g_object_ref (store);
  data->message_id = message_id;
  task = g_task_new (widget, NULL, load_draft_done, NULL);
  g_task_set_source_tag (task, edit_draft);
  g_task_set_task_data (task, data, (GDestroyNotify) load_draft_free);
  g_task_run_in_thread (task, load_draft_worker);
}

/* Callbacks */

/* Activating a row (double click, Enter) opens a draft for editing; other
 * messages are already shown by selecting them. */
static void
on_message_activated (RpWindow      *self,
                      gint64         message_id,
                      RpMessageList *list)
{
  RpApplication *app = window_app (GTK_WIDGET (self));

  if (app != NULL && is_stored_draft (rp_application_get_store (app), message_id))
    edit_draft (GTK_WIDGET (self), message_id);
}

/* Actions */

static void
edit_draft_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  edit_draft (widget, g_variant_get_int64 (parameter));
}

static void
compose_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  present_draft (widget, NULL);
}

static void
reply_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  answer_selected (widget, RP_REPLY_SENDER);
}

static void
reply_all_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  answer_selected (widget, RP_REPLY_ALL);
}

static void
forward_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  answer_selected (widget, RP_FORWARD_INLINE);
}

/* Internal API */

void
_rp_window_install_compose_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.compose", NULL, compose_activated);
  gtk_widget_class_install_action (widget_class, "win.reply", NULL, reply_activated);
  gtk_widget_class_install_action (widget_class, "win.reply-all", NULL, reply_all_activated);
  gtk_widget_class_install_action (widget_class, "win.forward", NULL, forward_activated);
  gtk_widget_class_install_action (widget_class, "win.edit-draft", "x", edit_draft_activated);
  /* The message list's "message-activated" in rp-window.ui. */
  gtk_widget_class_bind_template_callback (widget_class, on_message_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.compose", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.reply", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.reply-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK,
                                       "win.forward", NULL);
}
