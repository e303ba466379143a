/* rp-compose-window.c: writing a message
 *
 * The fields are parsed into an RpDraft on demand: for Send, for Save
 * draft and for the autosave every 30 seconds. Sending queues the message
 * in the Outbox first, so that a failure loses nothing: the window closes
 * once the message is safely queued, and the flush runs afterwards.
 *
 * A window keeps at most one copy in the Drafts folder (see
 * rp-compose-drafts.c). A draft opened again from the Drafts folder starts
 * out as that copy, so editing it never leaves two.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rp-compose-drafts.h"
#include "rp-address-completion.h"
#include "rp-compose-window.h"
#include "rp-outbox.h"
#include "rp-store-addresses.h"

#define DEFAULT_AUTOSAVE_SECONDS 30

struct _RpComposeWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  GtkDropDown          *from_dropdown;
  GtkEntry             *to_entry;
  GtkEntry             *cc_entry;
  GtkEntry             *bcc_entry;
  GtkEntry             *subject_entry;
  GtkListBox           *attachment_list;
  GtkTextView          *body_view;

  RpApplication        *app;           /* (weak) */
  GPtrArray            *accounts;      /* (element-type RpAccount) */
  GArray               *choices;       /* (element-type Choice), one per From item */
  GPtrArray            *attachments;   /* (element-type RpDraftAttachment) */
  char                 *in_reply_to;
  GStrv                 references;
  gint64                saved_draft;
  guint                 autosave_id;
  guint                 autosave_interval;
  gboolean              dirty;
  /* A failed save on closing keeps the window once; the next close goes. */
  gboolean              close_anyway;
  char                 *last_error;
};

enum {
  PROP_0,
  PROP_AUTOSAVE_INTERVAL,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  guint account;
  guint identity;
} Choice;

G_DEFINE_FINAL_TYPE (RpComposeWindow, rp_compose_window, ADW_TYPE_APPLICATION_WINDOW)

/* Auxiliary methods */

static void
show_error (RpComposeWindow *self,
            const char      *message)
{
  AdwToast *toast = adw_toast_new (message);

  g_free (self->last_error);
  self->last_error = g_strdup (message);
  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static RpAccount *
chosen_account (RpComposeWindow   *self,
                RpIdentity       **identity)
{
  guint selected = gtk_drop_down_get_selected (self->from_dropdown);
  const Choice *choice;
  RpAccount *account;

  if (selected == GTK_INVALID_LIST_POSITION || selected >= self->choices->len)
    return NULL;
  choice = &g_array_index (self->choices, Choice, selected);
  account = g_ptr_array_index (self->accounts, choice->account);
  *identity = g_ptr_array_index (account->identities, choice->identity);

  return account;
}

/* Parses one field ("a@b, Name <c@d>") into @draft; marks the entry when
 * an address is invalid. */
static gboolean
parse_field (GtkEntry         *entry,
             RpDraft          *draft,
             RpRecipientKind   kind,
             gboolean          strict,
             GError          **error)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  gboolean ok = TRUE;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      RpAddress *address;

      g_strstrip (parts[i]);
      if (parts[i][0] == '\0')
        continue;
      address = rp_composer_parse_address (parts[i], &local_error);
      if (address == NULL || !rp_composer_address_is_valid (address->address))
        {
          if (ok && strict)
            g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                         _("“%s” is not a valid address."), parts[i]);
          ok = FALSE;
          g_clear_pointer (&address, rp_address_free);
          continue;
        }
      rp_draft_add_recipient (draft, kind, address->name, address->address);
      rp_address_free (address);
    }

  if (ok)
    gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (entry), "error");

  return ok || !strict;
}

static RpDraft *
collect_draft (RpComposeWindow  *self,
               gboolean          strict,
               GError          **error)
{
  g_autoptr(RpDraft) draft = NULL;
  RpIdentity *identity = NULL;
  RpAccount *account = chosen_account (self, &identity);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->body_view);
  GtkTextIter start, end;
  g_autofree char *body = NULL;
  gboolean ok = TRUE;

  if (account == NULL)
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                           _("Add an account before writing mail."));
      return NULL;
    }

  draft = rp_draft_new (identity->address,
                        identity->display_name != NULL ? identity->display_name
                                                       : account->display_name);
  /* Every field is checked (and marked) even after the first error. */
  ok = parse_field (self->to_entry, draft, RP_RECIPIENT_TO, strict, error) && ok;
  ok = parse_field (self->cc_entry, draft, RP_RECIPIENT_CC, strict, ok ? error : NULL) && ok;
  ok = parse_field (self->bcc_entry, draft, RP_RECIPIENT_BCC, strict, ok ? error : NULL) && ok;
  if (!ok)
    return NULL;

  rp_draft_set_subject (draft, gtk_editable_get_text (GTK_EDITABLE (self->subject_entry)));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  body = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  rp_draft_set_body (draft, body);
  for (guint i = 0; i < self->attachments->len; i++)
    {
      const RpDraftAttachment *a = g_ptr_array_index (self->attachments, i);

      if (a->path != NULL)
        rp_draft_add_attachment_file (draft, a->path, a->content_type);
      else
        rp_draft_add_attachment_bytes (draft, a->name, a->content_type, a->data);
    }
  draft->in_reply_to = g_strdup (self->in_reply_to);
  g_strfreev (draft->references);
  draft->references = g_strdupv (self->references);

  return g_steal_pointer (&draft);
}

static gboolean
delete_saved_draft (RpComposeWindow  *self,
                    GError          **error)
{
  RpStore *store = rp_application_get_store (self->app);

  if (self->saved_draft == 0 || store == NULL)
    return TRUE;
  if (!rp_store_delete_messages (store, &self->saved_draft, 1, error))
    return FALSE;
  self->saved_draft = 0;

  return TRUE;
}

static gboolean
save_draft (RpComposeWindow  *self,
            GError          **error)
{
  RpStore *store = rp_application_get_store (self->app);
  g_autoptr(RpDraft) draft = NULL;
  RpIdentity *identity = NULL;
  RpAccount *account = chosen_account (self, &identity);
  gint64 id;

  if (store == NULL || account == NULL)
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_STORE,
                           _("There is no account to keep the draft in."));
      return FALSE;
    }

  /* A draft keeps what can be kept: an address still being typed is left
   * out rather than blocking the save. */
  draft = collect_draft (self, FALSE, error);
  if (draft == NULL)
    return FALSE;

  id = _rp_compose_drafts_save (store, account, identity, draft, self->saved_draft, error);
  if (id == 0)
    return FALSE;
  self->saved_draft = id;
  self->dirty = FALSE;

  return TRUE;
}

static gboolean
on_autosave (gpointer user_data)
{
  RpComposeWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  if (self->dirty && !save_draft (self, &error))
    g_warning ("Autosave failed: %s", error->message);

  return G_SOURCE_CONTINUE;
}

static void
schedule_autosave (RpComposeWindow *self)
{
  g_clear_handle_id (&self->autosave_id, g_source_remove);
  if (self->autosave_interval > 0)
    self->autosave_id = g_timeout_add_seconds (self->autosave_interval, on_autosave, self);
}

static void
on_changed (RpComposeWindow *self)
{
  self->dirty = TRUE;
}

static void
on_flushed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GApplication) app = user_data;
  g_autoptr(GError) error = NULL;
  RpOutboxFlushStats stats = { 0 };

  if (!rp_outbox_flush_finish (RP_STORE (source), result, &stats, &error) || stats.failed > 0)
    {
      g_autoptr(GNotification) notification =
        g_notification_new (_("A message could not be sent"));

      g_notification_set_body (notification,
                               error != NULL ? error->message
                                             : _("It stays in the Outbox and will be retried."));
      g_application_send_notification (app, "send-failed", notification);
    }
}

static void
send_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RpComposeWindow *self = RP_COMPOSE_WINDOW (widget);
  RpStore *store = rp_application_get_store (self->app);
  g_autoptr(RpDraft) draft = NULL;
  g_autoptr(GError) error = NULL;
  RpIdentity *identity = NULL;
  RpAccount *account = chosen_account (self, &identity);
  gint64 id;

  draft = collect_draft (self, TRUE, &error);
  if (draft == NULL || store == NULL)
    {
      show_error (self, error != NULL ? error->message : _("The mail store is not available."));
      return;
    }
  if (!rp_composer_validate (draft, &error))
    {
      show_error (self, error->message);
      return;
    }

  id = rp_outbox_queue_sync (store, account, identity, draft, NULL, &error);
  if (id <= 0)
    {
      show_error (self, error != NULL ? error->message : _("The message could not be queued."));
      return;
    }
  if (!delete_saved_draft (self, &error))
    g_warning ("Could not delete the draft after sending: %s", error->message);

  self->dirty = FALSE;
  rp_outbox_flush_async (store, rp_application_get_secrets (self->app), id,
                         RP_OUTBOX_FLUSH_NOW, NULL, on_flushed, g_object_ref (self->app));
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
save_draft_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  RpComposeWindow *self = RP_COMPOSE_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!save_draft (self, &error))
    show_error (self, error->message);
  else
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Draft saved")));
}

/* Discarding leaves nothing in Drafts (the copy goes to the Trash). */
static void
discard_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  RpComposeWindow *self = RP_COMPOSE_WINDOW (widget);
  RpStore *store = rp_application_get_store (self->app);
  g_autoptr(GError) error = NULL;

  if (self->saved_draft != 0 && store != NULL)
    {
      if (!_rp_compose_drafts_discard (store, self->saved_draft, &error))
        {
          show_error (self, error->message);
          return;
        }
      self->saved_draft = 0;
    }

  self->dirty = FALSE;
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
remove_attachment (GtkButton       *button,
                   RpComposeWindow *self);

static void
refresh_attachments (RpComposeWindow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->attachment_list))) != NULL)
    gtk_list_box_remove (self->attachment_list, child);

  for (guint i = 0; i < self->attachments->len; i++)
    {
      const RpDraftAttachment *a = g_ptr_array_index (self->attachments, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("edit-delete-symbolic");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), a->name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (remove, _("Remove Attachment"));
      gtk_widget_add_css_class (remove, "flat");
      g_object_set_data (G_OBJECT (remove), "rp-index", GUINT_TO_POINTER (i));
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_attachment), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      gtk_list_box_append (self->attachment_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->attachment_list), self->attachments->len > 0);
}

static void
remove_attachment (GtkButton       *button,
                   RpComposeWindow *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "rp-index"));

  if (index < self->attachments->len)
    g_ptr_array_remove_index (self->attachments, index);
  self->dirty = TRUE;
  refresh_attachments (self);
}

static void
add_file (RpComposeWindow *self,
          GFile           *file)
{
  g_autofree char *path = g_file_get_path (file);
  RpDraftAttachment *attachment;

  /* Only local files: the message is built from the path when sent. */
  if (path == NULL)
    return;
  attachment = g_new0 (RpDraftAttachment, 1);
  attachment->name = g_file_get_basename (file);
  attachment->path = g_steal_pointer (&path);
  g_ptr_array_add (self->attachments, attachment);
  self->dirty = TRUE;
}

static void
on_files_chosen (GtkNativeDialog *dialog,
                 int              response,
                 gpointer         user_data)
{
  RpComposeWindow *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);

          add_file (self, file);
        }
      refresh_attachments (self);
    }
  g_object_unref (dialog);
}

static void
attach_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Attach Files"), GTK_WINDOW (widget),
                                 GTK_FILE_CHOOSER_ACTION_OPEN, _("_Attach"), _("_Cancel"));

  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_files_chosen), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
on_drop (GtkDropTarget   *target,
         const GValue    *value,
         double           x,
         double           y,
         RpComposeWindow *self)
{
  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = gdk_file_list_get_files (g_value_get_boxed (value));

      for (GSList *l = files; l != NULL; l = l->next)
        add_file (self, l->data);
      g_slist_free (files);
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    add_file (self, g_value_get_object (value));
  else
    return FALSE;
  refresh_attachments (self);

  return TRUE;
}

/* Completion (rp-address-completion.c): CRM contacts and leads first,
 * then addresses collected from mail. */
static void
on_address_changed (GtkEditable     *editable,
                    RpComposeWindow *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (editable), "error");
  self->dirty = TRUE;
}

static void
setup_completion (RpComposeWindow *self,
                  GtkEntry        *entry)
{
  rp_address_completion_attach (entry, rp_application_get_store (self->app));
  g_signal_connect (entry, "changed", G_CALLBACK (on_address_changed), self);
}

static void
set_entry_addresses (GtkEntry  *entry,
                     GPtrArray *addresses)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < addresses->len; i++)
    {
      g_autofree char *one = rp_address_format (g_ptr_array_index (addresses, i));

      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append (text, one);
    }
  gtk_editable_set_text (GTK_EDITABLE (entry), text->str);
  g_string_free (text, TRUE);
}

static void
load_identities (RpComposeWindow *self,
                 const char      *from_address)
{
  RpStore *store = rp_application_get_store (self->app);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GError) error = NULL;
  guint selected = 0;
  gboolean found = FALSE;

  if (store != NULL)
    self->accounts = rp_store_load_accounts (store, &error);
  if (self->accounts == NULL)
    {
      if (error != NULL)
        g_warning ("Could not load the accounts: %s", error->message);
      self->accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_account_free);
    }

  for (guint a = 0; a < self->accounts->len; a++)
    {
      RpAccount *account = g_ptr_array_index (self->accounts, a);

      for (guint i = 0; i < account->identities->len; i++)
        {
          RpIdentity *identity = g_ptr_array_index (account->identities, i);
          /* An identity without a name shows its bare address. */
          RpAddress address = { identity->display_name != NULL && *identity->display_name != '\0'
                                ? identity->display_name : NULL,
                                identity->address };
          g_autofree char *label = rp_address_format (&address);
          Choice choice = { a, i };

          if (!found && ((from_address != NULL
                          && g_ascii_strcasecmp (from_address, identity->address) == 0)
                         || (from_address == NULL && a == 0 && identity->is_default)))
            {
              selected = self->choices->len;
              found = from_address != NULL;
            }
          g_array_append_val (self->choices, choice);
          gtk_string_list_append (names, label);
        }
    }

  gtk_drop_down_set_model (self->from_dropdown, G_LIST_MODEL (names));
  if (self->choices->len > 0)
    gtk_drop_down_set_selected (self->from_dropdown, selected);
}

/* GtkWindow overrides */

/* Closing keeps what was written: unsaved changes go to Drafts first. An
 * untouched window leaves nothing behind. */
static gboolean
rp_compose_window_close_request (GtkWindow *window)
{
  RpComposeWindow *self = RP_COMPOSE_WINDOW (window);
  g_autoptr(GError) error = NULL;

  if (self->dirty && !self->close_anyway && !save_draft (self, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The draft could not be saved: %s"),
                                                  error->message);

      /* Once: a store that cannot be written must not trap the window. */
      self->close_anyway = TRUE;
      show_error (self, message);
      return TRUE;
    }

  return GTK_WINDOW_CLASS (rp_compose_window_parent_class)->close_request (window);
}

/* GObject overrides */

static void
rp_compose_window_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RpComposeWindow *self = RP_COMPOSE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_AUTOSAVE_INTERVAL:
      g_value_set_uint (value, self->autosave_interval);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rp_compose_window_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  RpComposeWindow *self = RP_COMPOSE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_AUTOSAVE_INTERVAL:
      rp_compose_window_set_autosave_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rp_compose_window_dispose (GObject *object)
{
  RpComposeWindow *self = RP_COMPOSE_WINDOW (object);

  g_clear_handle_id (&self->autosave_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), RP_TYPE_COMPOSE_WINDOW);

  G_OBJECT_CLASS (rp_compose_window_parent_class)->dispose (object);
}

static void
rp_compose_window_finalize (GObject *object)
{
  RpComposeWindow *self = RP_COMPOSE_WINDOW (object);

  if (self->app != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->app), (gpointer *) &self->app);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_pointer (&self->choices, g_array_unref);
  g_clear_pointer (&self->attachments, g_ptr_array_unref);
  g_clear_pointer (&self->in_reply_to, g_free);
  g_clear_pointer (&self->references, g_strfreev);
  g_clear_pointer (&self->last_error, g_free);

  G_OBJECT_CLASS (rp_compose_window_parent_class)->finalize (object);
}

static void
rp_compose_window_class_init (RpComposeWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = rp_compose_window_dispose;
  object_class->finalize = rp_compose_window_finalize;
  object_class->get_property = rp_compose_window_get_property;
  object_class->set_property = rp_compose_window_set_property;
  window_class->close_request = rp_compose_window_close_request;

  /**
   * RpComposeWindow:autosave-interval:
   *
   * Seconds between automatic saves of changed text to Drafts; 0 turns
   * them off. Tests make it short.
   */
  properties[PROP_AUTOSAVE_INTERVAL] =
    g_param_spec_uint ("autosave-interval", NULL, NULL, 0, G_MAXUINT, DEFAULT_AUTOSAVE_SECONDS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rapportmail/Rapport/rp-compose-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RpComposeWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RpComposeWindow, from_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RpComposeWindow, to_entry);
  gtk_widget_class_bind_template_child (widget_class, RpComposeWindow, cc_entry);
  gtk_widget_class_bind_template_child (widget_class, RpComposeWindow, bcc_entry);
  gtk_widget_class_bind_template_child (widget_class, RpComposeWindow, subject_entry);
  gtk_widget_class_bind_template_child (widget_class, RpComposeWindow, attachment_list);
  gtk_widget_class_bind_template_child (widget_class, RpComposeWindow, body_view);

  gtk_widget_class_install_action (widget_class, "compose.send", NULL, send_activated);
  gtk_widget_class_install_action (widget_class, "compose.save-draft", NULL,
                                   save_draft_activated);
  gtk_widget_class_install_action (widget_class, "compose.attach", NULL, attach_activated);
  gtk_widget_class_install_action (widget_class, "compose.discard", NULL, discard_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "compose.send", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "compose.send", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "compose.save-draft", NULL);
}

static void
rp_compose_window_init (RpComposeWindow *self)
{
  GtkDropTarget *drop;
  GType drop_types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE };

  gtk_widget_init_template (GTK_WIDGET (self));
  self->autosave_interval = DEFAULT_AUTOSAVE_SECONDS;
  self->choices = g_array_new (FALSE, FALSE, sizeof (Choice));
  self->attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_draft_attachment_free);
  self->references = g_new0 (char *, 1);

  /* Some sources offer one file, not a list. */
  drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (drop, drop_types, G_N_ELEMENTS (drop_types));
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}

/* Public API */

/**
 * rp_compose_window_new:
 * @app: the application
 * @draft: (nullable): what to show
 *
 * Returns: (transfer full): a new window
 */
RpComposeWindow *
rp_compose_window_new (RpApplication *app,
                       const RpDraft *draft)
{
  RpComposeWindow *self;

  g_return_val_if_fail (RP_IS_APPLICATION (app), NULL);

  self = g_object_new (RP_TYPE_COMPOSE_WINDOW, "application", app, NULL);
  /* The app keeps its windows; a weak pointer avoids a cycle. */
  self->app = app;
  g_object_add_weak_pointer (G_OBJECT (app), (gpointer *) &self->app);
  load_identities (self, draft != NULL ? draft->from_address : NULL);
  setup_completion (self, self->to_entry);
  setup_completion (self, self->cc_entry);
  setup_completion (self, self->bcc_entry);

  if (draft != NULL)
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->body_view);
      GtkTextIter start;

      set_entry_addresses (self->to_entry, draft->to);
      set_entry_addresses (self->cc_entry, draft->cc);
      set_entry_addresses (self->bcc_entry, draft->bcc);
      gtk_editable_set_text (GTK_EDITABLE (self->subject_entry), draft->subject);
      gtk_text_buffer_set_text (buffer, draft->body, -1);
      /* A reply is written above the quote. */
      gtk_text_buffer_get_start_iter (buffer, &start);
      gtk_text_buffer_place_cursor (buffer, &start);
      for (guint i = 0; i < draft->attachments->len; i++)
        {
          const RpDraftAttachment *a = g_ptr_array_index (draft->attachments, i);
          RpDraftAttachment *copy = g_new0 (RpDraftAttachment, 1);

          copy->name = g_strdup (a->name);
          copy->content_type = g_strdup (a->content_type);
          copy->path = g_strdup (a->path);
          copy->data = a->data != NULL ? g_bytes_ref (a->data) : NULL;
          g_ptr_array_add (self->attachments, copy);
        }
      refresh_attachments (self);
      self->in_reply_to = g_strdup (draft->in_reply_to);
      g_strfreev (self->references);
      self->references = g_strdupv (draft->references);
    }
  if (gtk_editable_get_text (GTK_EDITABLE (self->to_entry))[0] == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->to_entry));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->body_view));

  self->dirty = FALSE;
  g_signal_connect_swapped (self->subject_entry, "changed", G_CALLBACK (on_changed), self);
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->body_view), "changed",
                            G_CALLBACK (on_changed), self);
  schedule_autosave (self);

  return self;
}

/**
 * rp_compose_window_new_for_stored_draft:
 * @app: the application
 * @draft: the draft, as rp_draft_new_from_message() read it
 * @stored_id: the message in a Drafts folder that @draft was read from
 *
 * The window starts out as the owner of @stored_id: saving replaces it,
 * sending or discarding removes it.
 *
 * Returns: (transfer full): a new window
 */
RpComposeWindow *
rp_compose_window_new_for_stored_draft (RpApplication *app,
                                        const RpDraft *draft,
                                        gint64         stored_id)
{
  RpComposeWindow *self;

  g_return_val_if_fail (RP_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (draft != NULL, NULL);
  g_return_val_if_fail (stored_id > 0, NULL);

  self = rp_compose_window_new (app, draft);
  self->saved_draft = stored_id;
  gtk_window_set_title (GTK_WINDOW (self), _("Edit Draft"));

  return self;
}

/**
 * rp_compose_window_set_autosave_interval:
 * @self: a #RpComposeWindow
 * @seconds: the time between automatic saves; 0 for none
 *
 * The next automatic save comes @seconds from now.
 */
void
rp_compose_window_set_autosave_interval (RpComposeWindow *self,
                                         guint            seconds)
{
  g_return_if_fail (RP_IS_COMPOSE_WINDOW (self));

  if (self->autosave_interval == seconds)
    return;

  self->autosave_interval = seconds;
  /* Before rp_compose_window_new() finishes there is nothing to save yet. */
  if (self->app != NULL)
    schedule_autosave (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTOSAVE_INTERVAL]);
}

guint
rp_compose_window_get_autosave_interval (RpComposeWindow *self)
{
  g_return_val_if_fail (RP_IS_COMPOSE_WINDOW (self), 0);

  return self->autosave_interval;
}

RpDraft *
rp_compose_window_dup_draft (RpComposeWindow  *self,
                             GError          **error)
{
  g_return_val_if_fail (RP_IS_COMPOSE_WINDOW (self), NULL);

  return collect_draft (self, TRUE, error);
}

GtkEditable *
rp_compose_window_get_field (RpComposeWindow *self,
                             const char      *name)
{
  g_return_val_if_fail (RP_IS_COMPOSE_WINDOW (self), NULL);

  if (g_strcmp0 (name, "to") == 0)
    return GTK_EDITABLE (self->to_entry);
  if (g_strcmp0 (name, "cc") == 0)
    return GTK_EDITABLE (self->cc_entry);
  if (g_strcmp0 (name, "bcc") == 0)
    return GTK_EDITABLE (self->bcc_entry);
  if (g_strcmp0 (name, "subject") == 0)
    return GTK_EDITABLE (self->subject_entry);

  g_return_val_if_reached (NULL);
}

GtkTextView *
rp_compose_window_get_body_view (RpComposeWindow *self)
{
  g_return_val_if_fail (RP_IS_COMPOSE_WINDOW (self), NULL);

  return self->body_view;
}

gint64
rp_compose_window_get_saved_draft (RpComposeWindow *self)
{
  g_return_val_if_fail (RP_IS_COMPOSE_WINDOW (self), 0);

  return self->saved_draft;
}

const char *
rp_compose_window_get_last_error (RpComposeWindow *self)
{
  g_return_val_if_fail (RP_IS_COMPOSE_WINDOW (self), NULL);

  return self->last_error;
}
