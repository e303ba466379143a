/* rp-filter-store.c
 *
 * Filter rules in the database (tables filter, filter_condition,
 * filter_action of sql/version-003.sql), and their JSON export for
 * backups. Every write is one transaction on the store's writer, so a
 * rule is never half saved; every rule is validated before it is written,
 * so that what the fetcher loads always compiles.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-filter"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "rp-error.h"
#include "rp-filter-private.h"

#define EXPORT_VERSION 1

/* Auxiliary methods */

static gboolean
step_done (sqlite3_stmt  *stmt,
           sqlite3       *db,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _rp_store_set_sqlite_error (error, db, "filter");
      return FALSE;
    }
  return TRUE;
}

/* Loads the rules (all, or only @only_id), in order. */
static GPtrArray *
load_filters (RpStore  *store,
              gint64    only_id,
              GError  **error)
{
  RpStoreConn *conn = _rp_store_reader_acquire (store, error);
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GHashTable) by_id = NULL;
  gboolean ok = FALSE;

  if (conn == NULL)
    return NULL;

  rules = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_filter_rule_free);
  by_id = g_hash_table_new (g_int64_hash, g_int64_equal);

  /* One read transaction: the three tables from the same moment. */
  if (_rp_store_exec (conn->db, "BEGIN;", error))
    {
      g_auto(RpStmt) filters = _rp_store_prepare (conn->db,
        "SELECT id, name, enabled, match_all, stop FROM filter"
        " WHERE ?1 = 0 OR id = ?1 ORDER BY position, id", error);
      g_auto(RpStmt) conditions = filters == NULL ? NULL : _rp_store_prepare (conn->db,
        "SELECT filter_id, field, header, op, value FROM filter_condition"
        " WHERE ?1 = 0 OR filter_id = ?1 ORDER BY filter_id, position", error);
      g_auto(RpStmt) actions = conditions == NULL ? NULL : _rp_store_prepare (conn->db,
        "SELECT filter_id, type, argument FROM filter_action"
        " WHERE ?1 = 0 OR filter_id = ?1 ORDER BY filter_id, position", error);

      if (actions != NULL)
        {
          sqlite3_bind_int64 (filters, 1, only_id);
          while (sqlite3_step (filters) == SQLITE_ROW)
            {
              RpFilterRule *rule = rp_filter_rule_new ((const char *) sqlite3_column_text (filters, 1));

              rule->id = sqlite3_column_int64 (filters, 0);
              rule->enabled = sqlite3_column_int (filters, 2) != 0;
              rule->match_all = sqlite3_column_int (filters, 3) != 0;
              rule->stop = sqlite3_column_int (filters, 4) != 0;
              g_ptr_array_add (rules, rule);
              g_hash_table_insert (by_id, &rule->id, rule);
            }

          sqlite3_bind_int64 (conditions, 1, only_id);
          while (sqlite3_step (conditions) == SQLITE_ROW)
            {
              gint64 id = sqlite3_column_int64 (conditions, 0);
              RpFilterRule *rule = g_hash_table_lookup (by_id, &id);

              if (rule != NULL)
                rp_filter_rule_add_condition (rule, rp_filter_condition_new (
                  sqlite3_column_int (conditions, 1),
                  (const char *) sqlite3_column_text (conditions, 2),
                  sqlite3_column_int (conditions, 3),
                  (const char *) sqlite3_column_text (conditions, 4)));
            }

          sqlite3_bind_int64 (actions, 1, only_id);
          while (sqlite3_step (actions) == SQLITE_ROW)
            {
              gint64 id = sqlite3_column_int64 (actions, 0);
              RpFilterRule *rule = g_hash_table_lookup (by_id, &id);

              if (rule != NULL)
                rp_filter_rule_add_action (rule, rp_filter_action_new (
                  sqlite3_column_int (actions, 1),
                  (const char *) sqlite3_column_text (actions, 2)));
            }
          ok = TRUE;
        }
      _rp_store_exec (conn->db, "COMMIT;", NULL);
    }

  _rp_store_reader_release (store, conn);
  return ok ? g_steal_pointer (&rules) : NULL;
}

/* Writes @rule inside the writer's open transaction. */
static gboolean
write_filter (sqlite3       *db,
              RpFilterRule  *rule,
              GError       **error)
{
  if (rule->id == 0)
    {
      g_auto(RpStmt) insert = _rp_store_prepare (db,
        "INSERT INTO filter (position, name, enabled, match_all, stop, created)"
        " VALUES ((SELECT ifnull (max (position), 0) + 1 FROM filter), ?1, ?2, ?3, ?4, ?5)",
        error);

      if (insert == NULL)
        return FALSE;
      sqlite3_bind_text (insert, 1, rule->name, -1, SQLITE_STATIC);
      sqlite3_bind_int (insert, 2, rule->enabled);
      sqlite3_bind_int (insert, 3, rule->match_all);
      sqlite3_bind_int (insert, 4, rule->stop);
      sqlite3_bind_int64 (insert, 5, g_get_real_time () / G_USEC_PER_SEC);
      if (!step_done (insert, db, error))
        return FALSE;
      rule->id = sqlite3_last_insert_rowid (db);
    }
  else
    {
      g_auto(RpStmt) update = _rp_store_prepare (db,
        "UPDATE filter SET name = ?2, enabled = ?3, match_all = ?4, stop = ?5 WHERE id = ?1",
        error);
      g_auto(RpStmt) clear_conditions = _rp_store_prepare (db,
        "DELETE FROM filter_condition WHERE filter_id = ?1", error);
      g_auto(RpStmt) clear_actions = _rp_store_prepare (db,
        "DELETE FROM filter_action WHERE filter_id = ?1", error);

      if (update == NULL || clear_conditions == NULL || clear_actions == NULL)
        return FALSE;
      sqlite3_bind_int64 (update, 1, rule->id);
      sqlite3_bind_text (update, 2, rule->name, -1, SQLITE_STATIC);
      sqlite3_bind_int (update, 3, rule->enabled);
      sqlite3_bind_int (update, 4, rule->match_all);
      sqlite3_bind_int (update, 5, rule->stop);
      if (!step_done (update, db, error))
        return FALSE;
      if (sqlite3_changes (db) == 0)
        {
          g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                       _("The filter “%s” no longer exists."), rule->name);
          return FALSE;
        }
      sqlite3_bind_int64 (clear_conditions, 1, rule->id);
      sqlite3_bind_int64 (clear_actions, 1, rule->id);
      if (!step_done (clear_conditions, db, error) || !step_done (clear_actions, db, error))
        return FALSE;
    }

  {
    g_auto(RpStmt) condition = _rp_store_prepare (db,
      "INSERT INTO filter_condition (filter_id, position, field, header, op, value)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
    g_auto(RpStmt) action = condition == NULL ? NULL : _rp_store_prepare (db,
      "INSERT INTO filter_action (filter_id, position, type, argument) VALUES (?1, ?2, ?3, ?4)",
      error);

    if (action == NULL)
      return FALSE;

    for (guint i = 0; i < rule->conditions->len; i++)
      {
        RpFilterCondition *c = g_ptr_array_index (rule->conditions, i);

        sqlite3_bind_int64 (condition, 1, rule->id);
        sqlite3_bind_int (condition, 2, i);
        sqlite3_bind_int (condition, 3, c->field);
        if (c->header != NULL)
          sqlite3_bind_text (condition, 4, c->header, -1, SQLITE_STATIC);
        else
          sqlite3_bind_null (condition, 4);
        sqlite3_bind_int (condition, 5, c->op);
        sqlite3_bind_text (condition, 6, c->value ? c->value : "", -1, SQLITE_STATIC);
        if (!step_done (condition, db, error))
          return FALSE;
      }

    for (guint i = 0; i < rule->actions->len; i++)
      {
        RpFilterAction *a = g_ptr_array_index (rule->actions, i);

        sqlite3_bind_int64 (action, 1, rule->id);
        sqlite3_bind_int (action, 2, i);
        sqlite3_bind_int (action, 3, a->type);
        sqlite3_bind_text (action, 4, a->argument ? a->argument : "", -1, SQLITE_STATIC);
        if (!step_done (action, db, error))
          return FALSE;
      }
  }

  return TRUE;
}

/* Runs @func inside one write transaction on the writer. */
static gboolean
in_transaction (RpStore   *store,
                gboolean (*func) (sqlite3 *db, gpointer data, GError **error),
                gpointer   data,
                GError   **error)
{
  RpStoreConn *conn = _rp_store_writer_acquire (store);
  gboolean ok = _rp_store_exec (conn->db, "BEGIN IMMEDIATE;", error);

  if (ok)
    {
      ok = func (conn->db, data, error) && _rp_store_exec (conn->db, "COMMIT;", error);
      if (!ok)
        _rp_store_exec (conn->db, "ROLLBACK;", NULL);
    }

  _rp_store_writer_release (store, conn);
  return ok;
}

static gboolean
save_func (sqlite3   *db,
           gpointer   data,
           GError   **error)
{
  return write_filter (db, data, error);
}

static gboolean
delete_func (sqlite3   *db,
             gpointer   data,
             GError   **error)
{
  g_auto(RpStmt) stmt = _rp_store_prepare (db, "DELETE FROM filter WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, *(gint64 *) data);
  if (!step_done (stmt, db, error))
    return FALSE;
  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT, _("There is no such filter."));
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  const gint64 *ids;
  guint         n;
} Reorder;

static gboolean
reorder_func (sqlite3   *db,
              gpointer   data,
              GError   **error)
{
  Reorder *r = data;
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) given = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_auto(RpStmt) all = _rp_store_prepare (db, "SELECT id FROM filter ORDER BY position, id",
                                          error);
  g_auto(RpStmt) update = all == NULL ? NULL : _rp_store_prepare (db,
    "UPDATE filter SET position = ?2 WHERE id = ?1", error);
  g_autoptr(GArray) existing = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) known = g_hash_table_new (g_int64_hash, g_int64_equal);

  if (update == NULL)
    return FALSE;

  while (sqlite3_step (all) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (all, 0);

      g_array_append_val (existing, id);
    }
  for (guint i = 0; i < existing->len; i++)
    g_hash_table_add (known, &g_array_index (existing, gint64, i));

  for (guint i = 0; i < r->n; i++)
    {
      if (!g_hash_table_contains (known, &r->ids[i]))
        {
          g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT, _("There is no such filter."));
          return FALSE;
        }
      if (g_hash_table_add (given, (gpointer) &r->ids[i]))
        g_array_append_val (order, r->ids[i]);
    }
  for (guint i = 0; i < existing->len; i++)
    if (!g_hash_table_contains (given, &g_array_index (existing, gint64, i)))
      g_array_append_val (order, g_array_index (existing, gint64, i));

  for (guint i = 0; i < order->len; i++)
    {
      sqlite3_bind_int64 (update, 1, g_array_index (order, gint64, i));
      sqlite3_bind_int (update, 2, i + 1);
      if (!step_done (update, db, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
import_func (sqlite3   *db,
             gpointer   data,
             GError   **error)
{
  GPtrArray *rules = data;

  for (guint i = 0; i < rules->len; i++)
    if (!write_filter (db, g_ptr_array_index (rules, i), error))
      return FALSE;
  return TRUE;
}

/* The member @name of @object when it is a value of @type (a string, a
 * boolean, an integer), else NULL; @present tells whether the member is
 * there at all. Hostile files put anything anywhere, and json-glib's typed
 * getters only complain about the wrong type. */
static JsonNode *
get_typed_member (JsonObject  *object,
                  const char  *name,
                  GType        type,
                  gboolean    *present)
{
  JsonNode *node = json_object_get_member (object, name);

  *present = node != NULL;
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != type)
    return NULL;
  return node;
}

/* The array member @name of @object in @array (NULL when missing); FALSE
 * when the member is there but is not an array. */
static gboolean
get_array_member (JsonObject  *object,
                  const char  *name,
                  JsonArray  **array)
{
  JsonNode *node = json_object_get_member (object, name);

  *array = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  *array = json_node_get_array (node);
  return TRUE;
}

/* The text of element @index of @array, or NULL when it is not text. */
static const char *
get_string_element (JsonArray *array,
                    guint      index)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static RpFilterRule *
invalid_member (RpFilterRule  *rule,
                const char    *member,
                GError       **error)
{
  g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
               _("The filter “%s” has an invalid “%s”."), rule->name, member);
  return NULL;
}

static RpFilterRule *
rule_from_json (JsonObject  *object,
                guint        index,
                GError     **error)
{
  g_autoptr(RpFilterRule) rule = NULL;
  JsonArray *conditions;
  JsonArray *actions;
  JsonNode *name;
  JsonNode *node;
  const char *match = "all";
  gboolean present;

  name = get_typed_member (object, "name", G_TYPE_STRING, &present);
  if (name == NULL)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("Filter %u of the file has no name."), index + 1);
      return NULL;
    }
  rule = rp_filter_rule_new (json_node_get_string (name));

  node = get_typed_member (object, "enabled", G_TYPE_BOOLEAN, &present);
  if (present && node == NULL)
    return invalid_member (rule, "enabled", error);
  rule->enabled = node != NULL ? json_node_get_boolean (node) : TRUE;

  node = get_typed_member (object, "stop", G_TYPE_BOOLEAN, &present);
  if (present && node == NULL)
    return invalid_member (rule, "stop", error);
  rule->stop = node != NULL ? json_node_get_boolean (node) : FALSE;

  node = get_typed_member (object, "match", G_TYPE_STRING, &present);
  if (present && node == NULL)
    return invalid_member (rule, "match", error);
  if (node != NULL)
    match = json_node_get_string (node);
  if (g_strcmp0 (match, "all") != 0 && g_strcmp0 (match, "any") != 0)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("The filter “%s” matches “%s”; write “all” or “any”."), rule->name, match);
      return NULL;
    }
  rule->match_all = g_strcmp0 (match, "all") == 0;

  if (!get_array_member (object, "conditions", &conditions))
    return invalid_member (rule, "conditions", error);
  if (!get_array_member (object, "actions", &actions))
    return invalid_member (rule, "actions", error);

  for (guint i = 0; conditions != NULL && i < json_array_get_length (conditions); i++)
    {
      const char *text = get_string_element (conditions, i);
      RpFilterCondition *condition = text ? rp_filter_condition_parse (text, error) : NULL;

      if (condition == NULL)
        {
          if (text == NULL)
            g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                         _("A condition of the filter “%s” is not text."), rule->name);
          return NULL;
        }
      rp_filter_rule_add_condition (rule, condition);
    }

  for (guint i = 0; actions != NULL && i < json_array_get_length (actions); i++)
    {
      const char *text = get_string_element (actions, i);
      RpFilterAction *action = text ? rp_filter_action_parse (text, error) : NULL;

      if (action == NULL)
        {
          if (text == NULL)
            g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                         _("An action of the filter “%s” is not text."), rule->name);
          return NULL;
        }
      rp_filter_rule_add_action (rule, action);
    }

  if (!rp_filter_rule_validate (rule, error))
    return NULL;

  return g_steal_pointer (&rule);
}

/* Public API */

/**
 * rp_store_list_filters:
 * @store: a #RpStore
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type RpFilterRule): every rule in the
 *   order they run, or %NULL on error
 */
GPtrArray *
rp_store_list_filters (RpStore  *store,
                       GError  **error)
{
  g_return_val_if_fail (RP_IS_STORE (store), NULL);
  return load_filters (store, 0, error);
}

/**
 * rp_store_get_filter:
 * @store: a #RpStore
 * @id: a rule's id
 * @error: return location for an error
 *
 * Returns: (transfer full): the rule, or %NULL with
 *   %RP_ERROR_INVALID_ARGUMENT when there is none with @id
 */
RpFilterRule *
rp_store_get_filter (RpStore  *store,
                     gint64    id,
                     GError  **error)
{
  g_autoptr(GPtrArray) rules = NULL;

  g_return_val_if_fail (RP_IS_STORE (store), NULL);
  g_return_val_if_fail (id > 0, NULL);

  rules = load_filters (store, id, error);
  if (rules == NULL)
    return NULL;
  if (rules->len == 0)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT, _("There is no such filter."));
      return NULL;
    }
  return g_ptr_array_steal_index (rules, 0);
}

/**
 * rp_store_find_filter_by_name:
 * @store: a #RpStore
 * @name: a rule's name (exact)
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the first rule called @name, or
 *   %NULL: without @error when there is none
 */
RpFilterRule *
rp_store_find_filter_by_name (RpStore     *store,
                              const char  *name,
                              GError     **error)
{
  g_autoptr(GPtrArray) rules = NULL;

  g_return_val_if_fail (RP_IS_STORE (store), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  rules = load_filters (store, 0, error);
  for (guint i = 0; rules != NULL && i < rules->len; i++)
    {
      RpFilterRule *rule = g_ptr_array_index (rules, i);

      if (g_strcmp0 (rule->name, name) == 0)
        return rp_filter_rule_copy (rule);
    }
  return NULL;
}

/**
 * rp_store_save_filter:
 * @store: a #RpStore
 * @rule: the rule; its id is set when it is new
 * @error: return location for an error
 *
 * Validates @rule (a bad regular expression fails here, with a message
 * that says so), then inserts it as the last rule or updates it in place.
 *
 * Returns: the rule's id, or 0 on error
 */
gint64
rp_store_save_filter (RpStore       *store,
                      RpFilterRule  *rule,
                      GError       **error)
{
  gint64 old_id;

  g_return_val_if_fail (RP_IS_STORE (store), 0);
  g_return_val_if_fail (rule != NULL, 0);

  if (!rp_filter_rule_validate (rule, error))
    return 0;

  old_id = rule->id;
  if (!in_transaction (store, save_func, rule, error))
    {
      rule->id = old_id;
      return 0;
    }
  return rule->id;
}

/**
 * rp_store_delete_filter:
 * @store: a #RpStore
 * @id: a rule's id
 * @error: return location for an error
 *
 * Returns: %TRUE if the rule was deleted
 */
gboolean
rp_store_delete_filter (RpStore  *store,
                        gint64    id,
                        GError  **error)
{
  g_return_val_if_fail (RP_IS_STORE (store), FALSE);
  return in_transaction (store, delete_func, &id, error);
}

/**
 * rp_store_reorder_filters:
 * @store: a #RpStore
 * @ids: (array length=n): rule ids in their new order
 * @n: how many
 * @error: return location for an error
 *
 * Puts @ids first in this order, then the other rules in their old order
 * (so an editor may pass just the rows it shows). An unknown id fails
 * and changes nothing.
 *
 * Returns: %TRUE on success
 */
gboolean
rp_store_reorder_filters (RpStore       *store,
                          const gint64  *ids,
                          guint          n,
                          GError       **error)
{
  Reorder r = { ids, n };

  g_return_val_if_fail (RP_IS_STORE (store), FALSE);
  g_return_val_if_fail (ids != NULL || n == 0, FALSE);
  return in_transaction (store, reorder_func, &r, error);
}

/**
 * rp_store_has_equivalent_filter:
 * @store: a #RpStore
 * @rule: a rule, saved or not
 * @error: return location for an error
 *
 * What drag-to-Sent and the account wizard ask before they offer a rule,
 * so that the same rule is never created twice.
 *
 * Returns: %TRUE if another stored rule is equivalent to @rule; %FALSE
 *   when none is, or on error
 */
gboolean
rp_store_has_equivalent_filter (RpStore             *store,
                                const RpFilterRule  *rule,
                                GError             **error)
{
  g_autoptr(GPtrArray) rules = NULL;

  g_return_val_if_fail (RP_IS_STORE (store), FALSE);
  g_return_val_if_fail (rule != NULL, FALSE);

  rules = load_filters (store, 0, error);
  for (guint i = 0; rules != NULL && i < rules->len; i++)
    {
      RpFilterRule *other = g_ptr_array_index (rules, i);

      if (other->id != rule->id && rp_filter_rule_equivalent (other, rule))
        return TRUE;
    }
  return FALSE;
}

/**
 * rp_store_export_filters_json:
 * @store: a #RpStore
 * @error: return location for an error
 *
 * Returns: (transfer full): every rule as a pretty-printed JSON document
 *   (see rp-filter.h for its shape), or %NULL on error
 */
char *
rp_store_export_filters_json (RpStore  *store,
                              GError  **error)
{
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (RP_IS_STORE (store), NULL);

  rules = load_filters (store, 0, error);
  if (rules == NULL)
    return NULL;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, EXPORT_VERSION);
  json_builder_set_member_name (builder, "filters");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rules->len; i++)
    {
      RpFilterRule *rule = g_ptr_array_index (rules, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, rule->name);
      json_builder_set_member_name (builder, "enabled");
      json_builder_add_boolean_value (builder, rule->enabled);
      json_builder_set_member_name (builder, "match");
      json_builder_add_string_value (builder, rule->match_all ? "all" : "any");
      json_builder_set_member_name (builder, "stop");
      json_builder_add_boolean_value (builder, rule->stop);
      json_builder_set_member_name (builder, "conditions");
      json_builder_begin_array (builder);
      for (guint j = 0; j < rule->conditions->len; j++)
        {
          g_autofree char *text = rp_filter_condition_to_string (g_ptr_array_index (rule->conditions, j));

          json_builder_add_string_value (builder, text);
        }
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "actions");
      json_builder_begin_array (builder);
      for (guint j = 0; j < rule->actions->len; j++)
        {
          g_autofree char *text = rp_filter_action_to_string (g_ptr_array_index (rule->actions, j));

          json_builder_add_string_value (builder, text);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/**
 * rp_store_import_filters_json:
 * @store: a #RpStore
 * @json: a document written by rp_store_export_filters_json()
 * @error: return location for an error
 *
 * Appends the document's rules after the stored ones, in their order and
 * in one transaction; a rule equivalent to one already stored (or to an
 * earlier one of the document) is skipped, so importing the same backup
 * twice changes nothing. If any rule is invalid, nothing is imported.
 *
 * Returns: %TRUE on success
 */
gboolean
rp_store_import_filters_json (RpStore     *store,
                              const char  *json,
                              GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) existing = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  JsonNode *root;
  JsonNode *version;
  JsonObject *object;
  JsonArray *filters;
  gboolean present;
  g_autoptr(GError) parse_error = NULL;

  g_return_val_if_fail (RP_IS_STORE (store), FALSE);
  g_return_val_if_fail (json != NULL, FALSE);

  if (!json_parser_load_from_data (parser, json, -1, &parse_error))
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("The filter file is not valid JSON: %s"), parse_error->message);
      return FALSE;
    }

  /* An empty document has no root. */
  root = json_parser_get_root (parser);
  object = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  if (object == NULL || !get_array_member (object, "filters", &filters) || filters == NULL)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("The file is not a filter export of Rapport."));
      return FALSE;
    }
  version = get_typed_member (object, "version", G_TYPE_INT64, &present);
  if (present && version == NULL)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("The file is not a filter export of Rapport."));
      return FALSE;
    }
  if (version != NULL && json_node_get_int (version) > EXPORT_VERSION)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("The filter file was written by a newer version of Rapport."));
      return FALSE;
    }

  existing = load_filters (store, 0, error);
  if (existing == NULL)
    return FALSE;

  rules = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_filter_rule_free);
  for (guint i = 0; i < json_array_get_length (filters); i++)
    {
      JsonNode *node = json_array_get_element (filters, i);
      RpFilterRule *rule;
      gboolean duplicate = FALSE;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                       _("Filter %u of the file is not an object."), i + 1);
          return FALSE;
        }
      rule = rule_from_json (json_node_get_object (node), i, error);
      if (rule == NULL)
        return FALSE;

      for (guint j = 0; j < existing->len && !duplicate; j++)
        duplicate = rp_filter_rule_equivalent (g_ptr_array_index (existing, j), rule);
      for (guint j = 0; j < rules->len && !duplicate; j++)
        duplicate = rp_filter_rule_equivalent (g_ptr_array_index (rules, j), rule);

      if (duplicate)
        rp_filter_rule_free (rule);
      else
        g_ptr_array_add (rules, rule);
    }

  return in_transaction (store, import_func, rules, error);
}
