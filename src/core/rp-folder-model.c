/* rp-folder-model.c
 *
 * A 100,000-message folder must open at once and scroll without
 * materialising 100,000 objects. The model keeps only the ordered array of
 * message ids (8 bytes each, read from a covering index in a few
 * milliseconds) and builds RpMessageItems a page at a time, on demand,
 * keeping a bounded cache keyed by id. When the store commits, the ids are
 * read again and the difference is announced as one items-changed range
 * (new mail arrives at the top), plus single-row changes for messages whose
 * flags changed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-folder-model"

#include "config.h"

#include "rp-folder-model.h"
#include "rp-store-change.h"
#include "rp-store-private.h"
#include "rp-store-search.h"

#define PAGE_SIZE 64
#define CACHE_MAX 4096
#define SEARCH_LIMIT 10000

typedef enum
{
  SOURCE_FOLDER,
  SOURCE_ROLE,
  SOURCE_SEARCH,
  SOURCE_THREAD,
} SourceKind;

struct _RpFolderModel
{
  GObject        parent_instance;

  RpStore       *store;
  SourceKind     kind;
  gint64         source_id;     /* folder, role or thread */
  char          *query;
  gboolean       conversations;

  GArray        *ids;           /* gint64, in list order */
  GHashTable    *cache;         /* gint64 id → RpMessageItem */

  gboolean       loading;
  GError        *error;
  GCancellable  *search_cancellable;
};

static void rp_folder_model_list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RpFolderModel, rp_folder_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      rp_folder_model_list_model_iface_init))

enum {
  PROP_0,
  PROP_LOADING,
  PROP_N_ITEMS,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

/* Auxiliary methods */

static GArray *
load_ids (RpFolderModel  *self,
          GError        **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  const char *sql = NULL;
  RpStoreConn *conn;
  gboolean ok;

  switch (self->kind)
    {
    case SOURCE_FOLDER:
      sql = self->conversations
        ? "SELECT id, max (date) AS d FROM message WHERE folder_id = ?1"
          " GROUP BY thread_id ORDER BY d DESC, id DESC"
        : "SELECT id FROM message WHERE folder_id = ?1 ORDER BY date DESC, id DESC";
      break;
    case SOURCE_ROLE:
      sql = self->conversations
        ? "SELECT id, max (date) AS d FROM message WHERE folder_id IN"
          " (SELECT id FROM folder WHERE role = ?1) GROUP BY thread_id ORDER BY d DESC, id DESC"
        : "SELECT id FROM message WHERE folder_id IN (SELECT id FROM folder WHERE role = ?1)"
          " ORDER BY date DESC, id DESC";
      break;
    case SOURCE_THREAD:
      sql = "SELECT id FROM message WHERE thread_id = ?1 ORDER BY date, id";
      break;
    case SOURCE_SEARCH:
    default:
      g_assert_not_reached ();
    }

  conn = _rp_store_reader_acquire (self->store, error);
  if (conn == NULL)
    return NULL;

  {
    g_auto(RpStmt) stmt = _rp_store_prepare (conn->db, sql, error);
    int rc = SQLITE_DONE;

    ok = stmt != NULL;
    if (ok)
      {
        sqlite3_bind_int64 (stmt, 1, self->source_id);
        while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
          {
            gint64 id = sqlite3_column_int64 (stmt, 0);

            g_array_append_val (ids, id);
          }
        if (rc != SQLITE_DONE)
          {
            _rp_store_set_sqlite_error (error, conn->db, "list messages");
            ok = FALSE;
          }
      }
  }

  _rp_store_reader_release (self->store, conn);
  return ok ? g_steal_pointer (&ids) : NULL;
}

static void
set_loading (RpFolderModel *self,
             gboolean       loading)
{
  if (self->loading == loading)
    return;

  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* The one place that swaps the id array and tells views what moved. */
static void
replace_ids (RpFolderModel *self,
             GArray        *new_ids,
             const gint64  *changed,
             guint          n_changed)
{
  g_autoptr(GArray) old_ids = g_steal_pointer (&self->ids);
  guint old_n = old_ids->len;
  guint new_n = new_ids->len;
  guint prefix = 0;
  guint suffix = 0;
  guint removed, added;

  self->ids = g_array_ref (new_ids);

  while (prefix < old_n && prefix < new_n &&
         g_array_index (old_ids, gint64, prefix) == g_array_index (new_ids, gint64, prefix))
    prefix++;
  while (suffix < old_n - prefix && suffix < new_n - prefix &&
         g_array_index (old_ids, gint64, old_n - 1 - suffix) ==
         g_array_index (new_ids, gint64, new_n - 1 - suffix))
    suffix++;

  removed = old_n - prefix - suffix;
  added = new_n - prefix - suffix;

  /* Rows whose message changed in place are rebuilt from the store. */
  for (guint i = 0; i < n_changed; i++)
    g_hash_table_remove (self->cache, &changed[i]);

  if (removed > 0 || added > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix, removed, added);

  if (n_changed > 0)
    {
      guint lo = G_MAXUINT, hi = 0;

      for (guint i = 0; i < n_changed; i++)
        {
          int pos = rp_folder_model_find (self, changed[i]);

          if (pos < 0 || ((guint) pos >= prefix && (guint) pos < prefix + added))
            continue;
          lo = MIN (lo, (guint) pos);
          hi = MAX (hi, (guint) pos);
        }
      if (lo <= hi)
        g_list_model_items_changed (G_LIST_MODEL (self), lo, hi - lo + 1, hi - lo + 1);
    }

  if (old_n != new_n)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RpFolderModel *self = RP_FOLDER_MODEL (source_object);
  const char *query = task_data;
  GError *error = NULL;
  GArray *ids;

  ids = rp_store_search_sync (self->store, query, SEARCH_LIMIT, cancellable, &error);
  if (ids == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, ids, (GDestroyNotify) g_array_unref);
}

static void
search_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  RpFolderModel *self = RP_FOLDER_MODEL (object);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  ids = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      (error != NULL && g_task_get_cancellable (G_TASK (result)) != NULL &&
       g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result)))))
    return;

  g_clear_error (&self->error);
  if (ids == NULL)
    {
      self->error = g_steal_pointer (&error);
      ids = g_array_new (FALSE, FALSE, sizeof (gint64));
    }

  replace_ids (self, ids, NULL, 0);
  set_loading (self, FALSE);
}

static void
start_search (RpFolderModel *self)
{
  g_autoptr(GTask) task = NULL;

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  self->search_cancellable = g_cancellable_new ();

  set_loading (self, TRUE);

  task = g_task_new (self, self->search_cancellable, search_done, NULL);
  g_task_set_source_tag (task, start_search);
  g_task_set_task_data (task, g_strdup (self->query), g_free);
  g_task_run_in_thread (task, search_thread);
}

/* Callbacks */

static void
on_store_changed (RpFolderModel *self,
                  RpStoreChange *change,
                  RpStore       *store)
{
  g_autofree gint64 *changed = NULL;
  guint n_changed = 0;
  gboolean relevant;

  switch (self->kind)
    {
    case SOURCE_FOLDER:
      relevant = rp_store_change_has_folder (change, self->source_id);
      break;
    case SOURCE_ROLE:
    case SOURCE_SEARCH:
    case SOURCE_THREAD:
    default:
      /* Which folders have a role, or which rows match a query, is not
       * known here; reloading ids is cheap enough to just do it. */
      relevant = TRUE;
      break;
    }

  changed = rp_store_change_get_messages (change, &n_changed);
  if (!relevant && n_changed == 0)
    return;

  if (self->kind == SOURCE_SEARCH)
    {
      for (guint i = 0; i < n_changed; i++)
        g_hash_table_remove (self->cache, &changed[i]);
      start_search (self);
      return;
    }

  rp_folder_model_reload_with_changes (self, changed, n_changed);
}

/* GListModel */

static GType
rp_folder_model_get_item_type (GListModel *model)
{
  return RP_TYPE_MESSAGE_ITEM;
}

static guint
rp_folder_model_get_n_items (GListModel *model)
{
  return RP_FOLDER_MODEL (model)->ids->len;
}

static gpointer
rp_folder_model_get_item (GListModel *model,
                          guint       position)
{
  RpFolderModel *self = RP_FOLDER_MODEL (model);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;
  guint start, end;
  RpMessageItem *item;

  if (position >= self->ids->len)
    return NULL;

  id = g_array_index (self->ids, gint64, position);
  item = g_hash_table_lookup (self->cache, &id);
  if (item != NULL)
    return g_object_ref (item);

  /* Load the whole page around this row: views ask for neighbours next. */
  start = position / PAGE_SIZE * PAGE_SIZE;
  end = MIN (start + PAGE_SIZE, self->ids->len);

  if (g_hash_table_size (self->cache) + PAGE_SIZE > CACHE_MAX)
    g_hash_table_remove_all (self->cache);

  items = rp_store_load_items (self->store, &g_array_index (self->ids, gint64, start),
                               end - start, self->conversations, &error);
  if (items == NULL)
    {
      g_warning ("Could not load messages: %s", error->message);
      return NULL;
    }

  for (guint i = 0; i < items->len; i++)
    {
      RpMessageItem *loaded = g_ptr_array_index (items, i);
      gint64 *key = g_new (gint64, 1);

      *key = rp_message_item_get_id (loaded);
      g_hash_table_replace (self->cache, key, g_object_ref (loaded));
    }

  item = g_hash_table_lookup (self->cache, &id);
  if (item == NULL)
    {
      /* Deleted between the id list and this page: a placeholder keeps the
       * position valid until the ::changed reload removes it. */
      RpMessageItemData data = { .id = id };

      return rp_message_item_new (&data);
    }

  return g_object_ref (item);
}

static void
rp_folder_model_list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = rp_folder_model_get_item_type;
  iface->get_n_items = rp_folder_model_get_n_items;
  iface->get_item = rp_folder_model_get_item;
}

/* GObject overrides */

static void
rp_folder_model_dispose (GObject *object)
{
  RpFolderModel *self = RP_FOLDER_MODEL (object);

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (rp_folder_model_parent_class)->dispose (object);
}

static void
rp_folder_model_finalize (GObject *object)
{
  RpFolderModel *self = RP_FOLDER_MODEL (object);

  g_clear_pointer (&self->ids, g_array_unref);
  g_clear_pointer (&self->cache, g_hash_table_unref);
  g_clear_pointer (&self->query, g_free);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (rp_folder_model_parent_class)->finalize (object);
}

static void
rp_folder_model_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  RpFolderModel *self = RP_FOLDER_MODEL (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->ids->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rp_folder_model_class_init (RpFolderModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rp_folder_model_dispose;
  object_class->finalize = rp_folder_model_finalize;
  object_class->get_property = rp_folder_model_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rp_folder_model_init (RpFolderModel *self)
{
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->cache = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
}

static RpFolderModel *
rp_folder_model_new (RpStore    *store,
                     SourceKind  kind,
                     gint64      source_id,
                     const char *query)
{
  RpFolderModel *self = g_object_new (RP_TYPE_FOLDER_MODEL, NULL);

  self->store = g_object_ref (store);
  self->kind = kind;
  self->source_id = source_id;
  self->query = g_strdup (query);

  g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed), self,
                           G_CONNECT_SWAPPED);

  if (kind == SOURCE_SEARCH)
    start_search (self);
  else
    rp_folder_model_reload (self);

  return self;
}

/* Public API */

RpFolderModel *
rp_folder_model_new_for_folder (RpStore *store,
                                gint64   folder_id)
{
  g_return_val_if_fail (RP_IS_STORE (store), NULL);

  return rp_folder_model_new (store, SOURCE_FOLDER, folder_id, NULL);
}

RpFolderModel *
rp_folder_model_new_for_role (RpStore      *store,
                              RpFolderRole  role)
{
  g_return_val_if_fail (RP_IS_STORE (store), NULL);
  g_return_val_if_fail (role != RP_FOLDER_ROLE_NONE, NULL);

  return rp_folder_model_new (store, SOURCE_ROLE, role, NULL);
}

RpFolderModel *
rp_folder_model_new_for_search (RpStore    *store,
                                const char *query)
{
  g_return_val_if_fail (RP_IS_STORE (store), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  return rp_folder_model_new (store, SOURCE_SEARCH, 0, query);
}

RpFolderModel *
rp_folder_model_new_for_thread (RpStore *store,
                                gint64   thread_id)
{
  g_return_val_if_fail (RP_IS_STORE (store), NULL);

  return rp_folder_model_new (store, SOURCE_THREAD, thread_id, NULL);
}

void
rp_folder_model_set_conversations (RpFolderModel *self,
                                   gboolean       conversations)
{
  g_return_if_fail (RP_IS_FOLDER_MODEL (self));
  g_return_if_fail (self->kind == SOURCE_FOLDER || self->kind == SOURCE_ROLE);

  conversations = !!conversations;
  if (self->conversations == conversations)
    return;

  self->conversations = conversations;
  /* Items carry thread counts only in conversation mode. */
  g_hash_table_remove_all (self->cache);
  {
    guint n = self->ids->len;

    g_array_set_size (self->ids, 0);
    if (n > 0)
      g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
  }
  rp_folder_model_reload (self);
}

gboolean
rp_folder_model_get_conversations (RpFolderModel *self)
{
  g_return_val_if_fail (RP_IS_FOLDER_MODEL (self), FALSE);

  return self->conversations;
}

gboolean
rp_folder_model_get_loading (RpFolderModel *self)
{
  g_return_val_if_fail (RP_IS_FOLDER_MODEL (self), FALSE);

  return self->loading;
}

/**
 * rp_folder_model_get_error:
 *
 * Returns: (nullable): why the last load failed
 */
const GError *
rp_folder_model_get_error (RpFolderModel *self)
{
  g_return_val_if_fail (RP_IS_FOLDER_MODEL (self), NULL);

  return self->error;
}

int
rp_folder_model_find (RpFolderModel *self,
                      gint64         message_id)
{
  g_return_val_if_fail (RP_IS_FOLDER_MODEL (self), -1);

  for (guint i = 0; i < self->ids->len; i++)
    if (g_array_index (self->ids, gint64, i) == message_id)
      return (int) i;

  return -1;
}

gint64
rp_folder_model_get_id_at (RpFolderModel *self,
                           guint          position)
{
  g_return_val_if_fail (RP_IS_FOLDER_MODEL (self), 0);

  if (position >= self->ids->len)
    return 0;

  return g_array_index (self->ids, gint64, position);
}

void
rp_folder_model_reload_with_changes (RpFolderModel *self,
                                     const gint64  *changed,
                                     guint          n_changed)
{
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (RP_IS_FOLDER_MODEL (self));

  if (self->kind == SOURCE_SEARCH)
    {
      start_search (self);
      return;
    }

  ids = load_ids (self, &error);
  g_clear_error (&self->error);
  if (ids == NULL)
    {
      self->error = g_steal_pointer (&error);
      return;
    }

  replace_ids (self, ids, changed, n_changed);
}

void
rp_folder_model_reload (RpFolderModel *self)
{
  rp_folder_model_reload_with_changes (self, NULL, 0);
}
