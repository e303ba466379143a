/* rp-store-change.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-store"

#include "config.h"

#include "rp-store-change.h"

struct _RpStoreChange
{
  gatomicrefcount  ref_count;
  gboolean         all;
  GArray          *folders;   /* gint64, unique */
  GHashTable      *messages;  /* set of gint64 */
};

G_DEFINE_BOXED_TYPE (RpStoreChange, rp_store_change, rp_store_change_ref, rp_store_change_unref)

RpStoreChange *
rp_store_change_new (void)
{
  RpStoreChange *change = g_new0 (RpStoreChange, 1);

  g_atomic_ref_count_init (&change->ref_count);
  change->folders = g_array_new (FALSE, FALSE, sizeof (gint64));
  change->messages = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  return change;
}

RpStoreChange *
rp_store_change_ref (RpStoreChange *change)
{
  g_return_val_if_fail (change != NULL, NULL);

  g_atomic_ref_count_inc (&change->ref_count);
  return change;
}

void
rp_store_change_unref (RpStoreChange *change)
{
  g_return_if_fail (change != NULL);

  if (g_atomic_ref_count_dec (&change->ref_count))
    {
      g_array_unref (change->folders);
      g_hash_table_unref (change->messages);
      g_free (change);
    }
}

void
rp_store_change_add_folder (RpStoreChange *change,
                            gint64         folder_id)
{
  g_return_if_fail (change != NULL);

  if (folder_id == 0)
    {
      change->all = TRUE;
      return;
    }

  for (guint i = 0; i < change->folders->len; i++)
    if (g_array_index (change->folders, gint64, i) == folder_id)
      return;

  g_array_append_val (change->folders, folder_id);
}

void
rp_store_change_add_message (RpStoreChange *change,
                             gint64         message_id)
{
  g_return_if_fail (change != NULL);

  g_hash_table_add (change->messages, g_memdup2 (&message_id, sizeof message_id));
}

void
rp_store_change_merge (RpStoreChange *change,
                       RpStoreChange *other)
{
  GHashTableIter iter;
  gpointer key;

  g_return_if_fail (change != NULL);
  g_return_if_fail (other != NULL);

  change->all |= other->all;
  for (guint i = 0; i < other->folders->len; i++)
    rp_store_change_add_folder (change, g_array_index (other->folders, gint64, i));

  g_hash_table_iter_init (&iter, other->messages);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    rp_store_change_add_message (change, *(gint64 *) key);
}

/**
 * rp_store_change_has_folder:
 *
 * Returns: %TRUE if @folder_id changed (always, when every folder did)
 */
gboolean
rp_store_change_has_folder (RpStoreChange *change,
                            gint64         folder_id)
{
  g_return_val_if_fail (change != NULL, FALSE);

  if (change->all)
    return TRUE;

  for (guint i = 0; i < change->folders->len; i++)
    if (g_array_index (change->folders, gint64, i) == folder_id)
      return TRUE;

  return FALSE;
}

gboolean
rp_store_change_is_all (RpStoreChange *change)
{
  g_return_val_if_fail (change != NULL, FALSE);

  return change->all;
}

/**
 * rp_store_change_get_messages:
 * @n: (out): the number of ids
 *
 * Returns: (transfer container): the ids of changed messages, unordered;
 *   free with g_free()
 */
gint64 *
rp_store_change_get_messages (RpStoreChange *change,
                              guint         *n)
{
  GHashTableIter iter;
  gpointer key;
  gint64 *ids;
  guint i = 0;

  g_return_val_if_fail (change != NULL, NULL);

  ids = g_new (gint64, g_hash_table_size (change->messages) + 1);
  g_hash_table_iter_init (&iter, change->messages);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    ids[i++] = *(gint64 *) key;

  *n = i;
  return ids;
}
