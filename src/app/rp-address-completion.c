/* rp-address-completion.c: address completion in the compose window
 *
 * A GtkEntryCompletion (the one GTK 4.8 offers for a plain entry) whose
 * model is refilled from rp_crm_complete() on every change; its own
 * matching is off, since the CRM already matched the last address of the
 * field, not the whole text. A second cell shows the company and the
 * kind of record under each address.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rp-address-completion.h"
#include "rp-crm.h"

#define COMPLETION_LIMIT 8
/* Typing one character would list half the address book. */
#define MIN_KEY_LENGTH 2

G_GNUC_BEGIN_IGNORE_DEPRECATIONS

/* Auxiliary methods */

static GtkEntryCompletion *
get_completion (GtkEntry *entry)
{
  return gtk_entry_get_completion (entry);
}

/* The last address of the field, being typed. */
static char *
dup_token (const char *text)
{
  const char *comma = strrchr (text, ',');

  return g_strstrip (g_strdup (comma != NULL ? comma + 1 : text));
}

static char *
format_detail (const RpCrmCompletion *completion)
{
  const char *kind = NULL;

  if (completion->kind == RP_CRM_KIND_CONTACT || completion->kind == RP_CRM_KIND_LEAD)
    kind = rp_crm_kind_get_display_name (completion->kind);

  if (completion->company != NULL && *completion->company != '\0' && kind != NULL)
    /* Translators: a company and the kind of CRM record: "ACME GmbH · Lead". */
    return g_strdup_printf (_("%s · %s"), completion->company, kind);
  if (kind != NULL)
    return g_strdup (kind);
  return g_strdup (completion->company != NULL ? completion->company : "");
}

/* Callbacks */

static gboolean
match_all (GtkEntryCompletion *completion,
           const char         *key,
           GtkTreeIter        *iter,
           gpointer            user_data)
{
  return TRUE;
}

static gboolean
on_match_selected (GtkEntryCompletion *completion,
                   GtkTreeModel       *model,
                   GtkTreeIter        *iter,
                   gpointer            user_data)
{
  GtkEditable *editable = GTK_EDITABLE (gtk_entry_completion_get_entry (completion));
  const char *text = gtk_editable_get_text (editable);
  const char *comma = strrchr (text, ',');
  g_autofree char *chosen = NULL;
  g_autofree char *kept = comma != NULL ? g_strndup (text, comma - text + 1) : g_strdup ("");
  g_autofree char *result = NULL;

  gtk_tree_model_get (model, iter, RP_ADDRESS_COMPLETION_COLUMN_TEXT, &chosen, -1);
  result = g_strconcat (kept, kept[0] != '\0' ? " " : "", chosen, ", ", NULL);
  gtk_editable_set_text (editable, result);
  gtk_editable_set_position (editable, -1);

  return TRUE;
}

static void
on_changed (GtkEntry *entry,
            gpointer  user_data)
{
  rp_address_completion_update (entry);
}

/* Public API */

void
rp_address_completion_attach (GtkEntry *entry,
                              RpStore  *store)
{
  GtkEntryCompletion *completion;
  g_autoptr(GtkListStore) model = NULL;
  GtkCellRenderer *cell;

  g_return_if_fail (GTK_IS_ENTRY (entry));
  g_return_if_fail (store == NULL || RP_IS_STORE (store));

  completion = gtk_entry_completion_new ();
  model = gtk_list_store_new (RP_ADDRESS_COMPLETION_N_COLUMNS, G_TYPE_STRING, G_TYPE_STRING,
                              G_TYPE_INT);
  gtk_entry_completion_set_model (completion, GTK_TREE_MODEL (model));
  gtk_entry_completion_set_match_func (completion, match_all, NULL, NULL);
  gtk_entry_completion_set_minimum_key_length (completion, MIN_KEY_LENGTH);

  /* The address on the left, what the CRM knows dimmed on the right. */
  cell = gtk_cell_renderer_text_new ();
  g_object_set (cell, "ellipsize", PANGO_ELLIPSIZE_END, NULL);
  gtk_cell_layout_pack_start (GTK_CELL_LAYOUT (completion), cell, TRUE);
  gtk_cell_layout_add_attribute (GTK_CELL_LAYOUT (completion), cell, "text",
                                 RP_ADDRESS_COMPLETION_COLUMN_TEXT);
  cell = gtk_cell_renderer_text_new ();
  g_object_set (cell, "xalign", 1.0, "foreground-rgba", &(GdkRGBA) { 0.5, 0.5, 0.5, 1.0 },
                "scale", PANGO_SCALE_SMALL, NULL);
  gtk_cell_layout_pack_end (GTK_CELL_LAYOUT (completion), cell, FALSE);
  gtk_cell_layout_add_attribute (GTK_CELL_LAYOUT (completion), cell, "text",
                                 RP_ADDRESS_COMPLETION_COLUMN_DETAIL);

  g_signal_connect (completion, "match-selected", G_CALLBACK (on_match_selected), NULL);
  gtk_entry_set_completion (entry, completion);
  g_object_unref (completion);

  if (store != NULL)
    g_object_set_data_full (G_OBJECT (entry), "rp-completion-store", g_object_ref (store),
                            g_object_unref);
  g_signal_connect (entry, "changed", G_CALLBACK (on_changed), NULL);
}

guint
rp_address_completion_update (GtkEntry *entry)
{
  GtkEntryCompletion *completion;
  GtkListStore *model;
  RpStore *store;
  g_autofree char *token = NULL;
  g_autoptr(GPtrArray) matches = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (GTK_IS_ENTRY (entry), 0);

  completion = get_completion (entry);
  g_return_val_if_fail (completion != NULL, 0);
  model = GTK_LIST_STORE (gtk_entry_completion_get_model (completion));
  store = g_object_get_data (G_OBJECT (entry), "rp-completion-store");
  token = dup_token (gtk_editable_get_text (GTK_EDITABLE (entry)));

  gtk_list_store_clear (model);
  if (store == NULL || g_utf8_strlen (token, -1) < MIN_KEY_LENGTH)
    return 0;

  matches = rp_crm_complete (store, token, COMPLETION_LIMIT, &error);
  if (matches == NULL)
    {
      g_warning ("Address completion failed: %s", error->message);
      return 0;
    }

  for (guint i = 0; i < matches->len; i++)
    {
      const RpCrmCompletion *match = g_ptr_array_index (matches, i);
      RpAddress address = { match->name, match->address };
      g_autofree char *text = rp_address_format (&address);
      g_autofree char *detail = format_detail (match);

      gtk_list_store_insert_with_values (model, NULL, -1,
                                         RP_ADDRESS_COMPLETION_COLUMN_TEXT, text,
                                         RP_ADDRESS_COMPLETION_COLUMN_DETAIL, detail,
                                         RP_ADDRESS_COMPLETION_COLUMN_KIND, match->kind,
                                         -1);
    }

  return matches->len;
}

G_GNUC_END_IGNORE_DEPRECATIONS
