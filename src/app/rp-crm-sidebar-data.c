/* rp-crm-sidebar-data.c: what the CRM sidebar shows, loaded off the main
 * thread
 *
 * The message is parsed again here (the reading pane parses its own copy)
 * because the sidebar needs every address of From, To and Cc and, for an
 * unknown sender, the signature in the body.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport"

#include "config.h"

#include "rp-crm-sidebar-private.h"

/* How much of the history the sidebar shows; the CRM page has the rest. */
#define TIMELINE_LIMIT 25
#define NOTES_LIMIT 5

/* Auxiliary methods */

static RpAddress *
address_copy (const RpAddress *address)
{
  RpAddress *copy = g_new0 (RpAddress, 1);

  copy->name = g_strdup (address->name);
  copy->address = g_strdup (address->address);
  return copy;
}

static gboolean
is_own_address (GPtrArray  *accounts,
                const char *address)
{
  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    if (rp_account_is_own_address (g_ptr_array_index (accounts, i), address))
      return TRUE;
  return FALSE;
}

static void
add_people (GPtrArray  *people,
            GHashTable *seen,
            GPtrArray  *accounts,
            GPtrArray  *addresses)
{
  for (guint i = 0; i < addresses->len; i++)
    {
      const RpAddress *address = g_ptr_array_index (addresses, i);
      g_autofree char *key = NULL;

      if (address->address == NULL || *address->address == '\0')
        continue;
      key = g_ascii_strdown (address->address, -1);
      if (g_hash_table_contains (seen, key) || is_own_address (accounts, address->address))
        continue;
      g_hash_table_add (seen, g_steal_pointer (&key));
      g_ptr_array_add (people, address_copy (address));
    }
}

/* Internal API */

RpCrmSidebarData *
_rp_crm_sidebar_data_load (RpStore       *store,
                           gint64         message_id,
                           const char    *person,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(RpCrmSidebarData) data = g_new0 (RpCrmSidebarData, 1);
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(RpMessageSummary) summary = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) from = g_ptr_array_new ();
  const RpAddress *shown;

  g_assert (RP_IS_STORE (store));

  data->message_id = message_id;
  data->people = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_address_free);

  raw = rp_store_get_raw (store, message_id, error);
  if (raw == NULL)
    return NULL;
  summary = rp_message_summary_parse (raw, 0);
  data->subject = g_strdup (summary->subject);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  /* The user's own addresses are never the person of interest: in Sent
   * mail the sidebar shows the first recipient. */
  accounts = rp_store_load_accounts (store, NULL);
  if (summary->from != NULL)
    g_ptr_array_add (from, summary->from);
  add_people (data->people, seen, accounts, from);
  add_people (data->people, seen, accounts, summary->to);
  add_people (data->people, seen, accounts, summary->cc);

  for (guint i = 0; person != NULL && i < data->people->len; i++)
    {
      const RpAddress *address = g_ptr_array_index (data->people, i);

      if (g_ascii_strcasecmp (address->address, person) == 0)
        data->person = i;
    }

  shown = _rp_crm_sidebar_data_get_person (data);
  if (shown == NULL)
    return g_steal_pointer (&data);

  data->record = rp_crm_find_record_by_address (store, shown->address, error);
  if (data->record == NULL)
    {
      if (error != NULL && *error != NULL)
        return NULL;
      /* Only the sender signs the message. */
      if (summary->from != NULL && summary->from->address != NULL &&
          g_ascii_strcasecmp (summary->from->address, shown->address) == 0)
        rp_crm_signature_parse (summary->body_text, &data->signature);
      return g_steal_pointer (&data);
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  data->timeline = rp_crm_get_timeline (store, data->record->id, TIMELINE_LIMIT, error);
  if (data->timeline == NULL)
    return NULL;
  data->tasks = rp_crm_list_tasks (store, data->record->id, TRUE, error);
  if (data->tasks == NULL)
    return NULL;
  data->events = rp_crm_list_events (store, data->record->id, g_get_real_time () / G_USEC_PER_SEC,
                                     error);
  if (data->events == NULL)
    return NULL;
  data->notes = rp_crm_list_notes (store, data->record->id, NOTES_LIMIT, error);
  if (data->notes == NULL)
    return NULL;

  return g_steal_pointer (&data);
}

void
_rp_crm_sidebar_data_free (RpCrmSidebarData *data)
{
  if (data == NULL)
    return;

  g_free (data->subject);
  g_clear_pointer (&data->people, g_ptr_array_unref);
  g_clear_pointer (&data->record, rp_crm_record_free);
  g_clear_pointer (&data->timeline, g_ptr_array_unref);
  g_clear_pointer (&data->tasks, g_ptr_array_unref);
  g_clear_pointer (&data->events, g_ptr_array_unref);
  g_clear_pointer (&data->notes, g_ptr_array_unref);
  rp_crm_signature_clear (&data->signature);
  g_free (data);
}

const RpAddress *
_rp_crm_sidebar_data_get_person (const RpCrmSidebarData *data)
{
  if (data == NULL || data->person >= data->people->len)
    return NULL;
  return g_ptr_array_index (data->people, data->person);
}
