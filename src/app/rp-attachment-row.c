/* rp-attachment-row.c: one attachment in the reading pane
 *
 * Open saves the decoded part under $XDG_CACHE_HOME/rapport/attachments/ID/
 * and hands it to the desktop; Save asks where to put it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rp-message-view"

#include "config.h"

#include <errno.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "rp-attachment-row.h"
#include "rp-paths.h"

/* Who shows an opened attachment: the desktop's default application,
 * unless a test looks at the file instead. */
static RpAttachmentLauncher launcher;
static gpointer launcher_data;

/* Auxiliary methods */

static char *
safe_filename (const char *name)
{
  g_autofree char *base = g_path_get_basename (name);
  char *safe = g_strdup (base);

  /* The name comes from the sender: no directories, no hidden files. */
  g_strdelimit (safe, "/\\:", '_');
  if (safe[0] == '.' || safe[0] == '\0')
    {
      char *prefixed = g_strconcat ("_", safe, NULL);

      g_free (safe);
      safe = prefixed;
    }

  return safe;
}

static RpMessagePart *
row_part (GtkWidget *widget)
{
  GtkWidget *row = gtk_widget_get_ancestor (widget, GTK_TYPE_LIST_BOX_ROW);

  return g_object_get_data (G_OBJECT (row), "rp-part");
}

static GtkWindow *
widget_window (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
show_error (GtkWindow  *parent,
            const char *heading,
            const char *message)
{
  GtkWidget *dialog = adw_message_dialog_new (parent, heading, message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The copy an application opens lives in the user's private cache
 * (folders 0700, the file 0600), one folder per message: other users must
 * not read it, and the viewer must not be handed the message store. */
static GFile *
write_private_copy (RpMessagePart  *part,
                    gint64          message_id,
                    GError        **error)
{
  g_autofree char *cache = rp_paths_get_cache_dir ();
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, message_id);
  g_autofree char *top = g_build_filename (cache, "attachments", NULL);
  g_autofree char *dir = g_build_filename (top, id, NULL);
  g_autofree char *name = safe_filename (part->filename);
  g_autofree char *path = g_build_filename (dir, name, NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0 || g_chmod (top, 0700) != 0
      || g_chmod (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "%s: %s", dir, g_strerror (saved_errno));
      return NULL;
    }
  if (!g_file_set_contents_full (path, g_bytes_get_data (part->data, NULL),
                                 g_bytes_get_size (part->data),
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return NULL;

  return g_file_new_for_path (path);
}

static void
launch (GtkWindow *parent,
        GFile     *file)
{
  g_autofree char *uri = NULL;

  if (launcher != NULL)
    {
      launcher (parent, file, launcher_data);
      return;
    }

  uri = g_file_get_uri (file);
  gtk_show_uri (parent, uri, GDK_CURRENT_TIME);
}

/* Callbacks */

static void
open_attachment_cb (GtkButton *button,
                    gpointer   user_data)
{
  RpMessagePart *part = row_part (GTK_WIDGET (button));
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_LIST_BOX_ROW);
  gint64 message_id = *(gint64 *) g_object_get_data (G_OBJECT (row), "rp-message-id");
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  file = write_private_copy (part, message_id, &error);
  if (file == NULL)
    {
      show_error (widget_window (GTK_WIDGET (button)), _("Cannot Open the Attachment"),
                  error->message);
      return;
    }

  launch (widget_window (GTK_WIDGET (button)), file);
}

/* What a save needs after its row may be gone: the bytes, and the window
 * to report a failure to (weakly: it may close meanwhile). */
typedef struct
{
  GBytes  *data;
  GWeakRef window;
} SaveData;

static void
save_data_free (SaveData *save)
{
  g_bytes_unref (save->data);
  g_weak_ref_clear (&save->window);
  g_free (save);
}

static void
save_replaced_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      SaveData *save = g_task_get_task_data (task);
      g_autoptr(GtkWindow) window = g_weak_ref_get (&save->window);

      show_error (window, _("Cannot Save the Attachment"), error->message);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
save_bytes_async (GBytes              *data,
                  GtkWindow           *window,
                  GFile               *file,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = g_task_new (NULL, NULL, callback, user_data);
  SaveData *save = g_new0 (SaveData, 1);

  g_task_set_source_tag (task, save_bytes_async);
  save->data = g_bytes_ref (data);
  g_weak_ref_init (&save->window, window);
  g_task_set_task_data (task, save, (GDestroyNotify) save_data_free);
  g_file_replace_contents_bytes_async (file, data, NULL, FALSE, G_FILE_CREATE_NONE, NULL,
                                       save_replaced_cb, task);
}

static void
save_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  GBytes *data = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      save_bytes_async (data, gtk_native_dialog_get_transient_for (dialog), file, NULL, NULL);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
save_attachment_cb (GtkButton *button,
                    gpointer   user_data)
{
  RpMessagePart *part = row_part (GTK_WIDGET (button));
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (button));
  g_autofree char *name = safe_filename (part->filename);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Save Attachment"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  /* The dialog keeps the bytes alive even if another message is shown. */
  g_signal_connect_data (chooser, "response", G_CALLBACK (save_response_cb),
                         g_bytes_ref (part->data), (GClosureNotify) (void (*) (void)) g_bytes_unref, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Public API */

GtkWidget *
rp_attachment_row_new (RpMessagePart *part,
                       gint64         message_id)
{
  g_autofree char *size = NULL;
  g_autofree char *description = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *content_type = NULL;
  g_autoptr(GIcon) icon = NULL;
  gint64 *id;
  GtkWidget *row, *image, *open, *save;

  g_return_val_if_fail (part != NULL, NULL);

  size = g_format_size (g_bytes_get_size (part->data));
  content_type = g_content_type_from_mime_type (part->content_type);
  if (content_type == NULL)
    content_type = g_strdup (part->content_type);
  description = g_content_type_get_description (content_type);
  /* TRANSLATORS: attachment size and type, e.g. "12.3 kB — PDF document". */
  subtitle = g_strdup_printf (_("%s — %s"), size, description);
  icon = g_content_type_get_symbolic_icon (content_type);

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), part->filename);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  image = gtk_image_new_from_gicon (icon);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), image);

  open = gtk_button_new_with_mnemonic (_("_Open"));
  gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
  g_signal_connect (open, "clicked", G_CALLBACK (open_attachment_cb), NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), open);
  save = gtk_button_new_from_icon_name ("document-save-symbolic");
  gtk_widget_set_tooltip_text (save, _("Save As…"));
  gtk_widget_set_valign (save, GTK_ALIGN_CENTER);
  g_signal_connect (save, "clicked", G_CALLBACK (save_attachment_cb), NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), save);

  g_object_set_data (G_OBJECT (row), "rp-part", part);
  id = g_new (gint64, 1);
  *id = message_id;
  g_object_set_data_full (G_OBJECT (row), "rp-message-id", id, g_free);

  return row;
}

/* Private API, for tests */

/**
 * _rp_attachment_row_set_launcher:
 * @func: (nullable): what Open hands the private copy to; %NULL for the
 *   desktop's default application
 * @user_data: passed to @func
 */
void
_rp_attachment_row_set_launcher (RpAttachmentLauncher func,
                                 gpointer             user_data)
{
  launcher = func;
  launcher_data = user_data;
}

/**
 * _rp_attachment_row_save_async:
 * @row: a row made by rp_attachment_row_new()
 * @file: where to save, as if chosen in the Save dialog
 * @callback: called when the file is written
 * @user_data: passed to @callback
 *
 * What the Save dialog does once a file is chosen.
 */
void
_rp_attachment_row_save_async (GtkWidget           *row,
                               GFile               *file,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  RpMessagePart *part;

  g_return_if_fail (ADW_IS_ACTION_ROW (row));
  g_return_if_fail (G_IS_FILE (file));

  part = g_object_get_data (G_OBJECT (row), "rp-part");
  save_bytes_async (part->data, widget_window (row), file, callback, user_data);
}

gboolean
_rp_attachment_row_save_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_async_result_is_tagged (result, save_bytes_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
