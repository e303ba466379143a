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

#include "rp-attachment-row.h"
#include "rp-paths.h"

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

/* Callbacks */

static void
open_attachment_cb (GtkButton *button,
                    gpointer   user_data)
{
  RpMessagePart *part = row_part (GTK_WIDGET (button));
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_LIST_BOX_ROW);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (button));
  gint64 message_id = *(gint64 *) g_object_get_data (G_OBJECT (row), "rp-message-id");
  g_autofree char *cache = rp_paths_get_cache_dir ();
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, message_id);
  g_autofree char *dir = g_build_filename (cache, "attachments", id, NULL);
  g_autofree char *name = safe_filename (part->filename);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0
      || !g_file_set_contents_full (path, g_bytes_get_data (part->data, NULL),
                                    g_bytes_get_size (part->data),
                                    G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      g_warning ("Cannot save the attachment to %s: %s", path,
                 error != NULL ? error->message : g_strerror (errno));
      return;
    }

  uri = g_filename_to_uri (path, NULL, NULL);
  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

static void
save_replaced_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_warning ("Cannot save the attachment: %s", error->message);
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

      g_file_replace_contents_bytes_async (file, data, NULL, FALSE, G_FILE_CREATE_NONE, NULL,
                                           save_replaced_cb, NULL);
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
