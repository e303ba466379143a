/* fuzz-filter-json.c: libFuzzer target for filter rules as text
 *
 * Filter exports are shared between users and machines, so an imported
 * file is untrusted; the same CLI syntax is what rapport-cli reads from
 * its command line. Every input is read three ways: as a condition, as
 * an action, and as a JSON export imported into a store (a temporary
 * one, opened once). Besides crashes and sanitizer reports (GLib
 * warnings and criticals abort), the target checks:
 *
 * - parsing gives a value or an RP_ERROR_INVALID_ARGUMENT, never both,
 *   never neither;
 * - what parses turns back into text that parses to the same text, and
 *   has a description;
 * - an import that succeeds leaves only valid rules, and importing the
 *   store's own export again adds nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "rp-error.h"
#include "rp-filter.h"
#include "rp-store.h"

#define CHECK(condition) G_STMT_START { if (!(condition)) abort (); } G_STMT_END

int LLVMFuzzerInitialize    (int            *argc,
                             char         ***argv);
int LLVMFuzzerTestOneInput  (const uint8_t  *data,
                             size_t          size);

static RpStore *store;
static char *store_dir;

/* GLib's own fatal warnings end in a breakpoint trap, which libFuzzer
 * does not catch: a warning or critical aborts here instead, so that the
 * input is saved. */
static GLogWriterOutput
abort_on_warning (GLogLevelFlags   log_level,
                  const GLogField *fields,
                  gsize            n_fields,
                  gpointer         user_data)
{
  GLogWriterOutput result = g_log_writer_standard_streams (log_level, fields, n_fields,
                                                           user_data);

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return result;
}

static void
check_error (GError *error)
{
  CHECK (g_error_matches (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT));
}

static void
check_condition (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RpFilterCondition) condition = rp_filter_condition_parse (text, &error);
  g_autoptr(RpFilterCondition) again = NULL;
  g_autofree char *printed = NULL;
  g_autofree char *reprinted = NULL;
  g_autofree char *description = NULL;

  CHECK ((condition == NULL) != (error == NULL));
  if (condition == NULL)
    {
      check_error (error);
      return;
    }

  printed = rp_filter_condition_to_string (condition);
  again = rp_filter_condition_parse (printed, NULL);
  CHECK (again != NULL);
  reprinted = rp_filter_condition_to_string (again);
  CHECK (g_str_equal (printed, reprinted));
  description = rp_filter_condition_describe (condition);
  CHECK (description != NULL);
}

static void
check_action (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RpFilterAction) action = rp_filter_action_parse (text, &error);
  g_autoptr(RpFilterAction) again = NULL;
  g_autofree char *printed = NULL;
  g_autofree char *reprinted = NULL;
  g_autofree char *description = NULL;

  CHECK ((action == NULL) != (error == NULL));
  if (action == NULL)
    {
      check_error (error);
      return;
    }

  printed = rp_filter_action_to_string (action);
  again = rp_filter_action_parse (printed, NULL);
  CHECK (again != NULL);
  reprinted = rp_filter_action_to_string (again);
  CHECK (g_str_equal (printed, reprinted));
  description = rp_filter_action_describe (action);
  CHECK (description != NULL);
}

static void
clear_store (void)
{
  g_autoptr(GPtrArray) rules = rp_store_list_filters (store, NULL);

  CHECK (rules != NULL);
  for (guint i = 0; i < rules->len; i++)
    {
      RpFilterRule *rule = g_ptr_array_index (rules, i);

      CHECK (rp_store_delete_filter (store, rule->id, NULL));
    }
}

static void
check_import (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autofree char *exported = NULL;
  gboolean ok;

  ok = rp_store_import_filters_json (store, json, &error);
  CHECK (ok == (error == NULL));
  if (!ok)
    {
      check_error (error);
      /* Nothing is imported when anything is wrong. */
      rules = rp_store_list_filters (store, NULL);
      CHECK (rules != NULL && rules->len == 0);
      return;
    }

  rules = rp_store_list_filters (store, NULL);
  CHECK (rules != NULL);
  for (guint i = 0; i < rules->len; i++)
    CHECK (rp_filter_rule_validate (g_ptr_array_index (rules, i), NULL));

  exported = rp_store_export_filters_json (store, NULL);
  CHECK (exported != NULL);
  CHECK (rp_store_import_filters_json (store, exported, NULL));
  again = rp_store_list_filters (store, NULL);
  CHECK (again != NULL && again->len == rules->len);

  clear_store ();
}

static void
remove_store (void)
{
  g_clear_object (&store);
  if (store_dir != NULL)
    {
      g_autoptr(GDir) dir = g_dir_open (store_dir, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (store_dir, name, NULL);

          g_unlink (path);
        }
      g_rmdir (store_dir);
      g_clear_pointer (&store_dir, g_free);
    }
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  g_log_set_writer_func (abort_on_warning, NULL, NULL);

  store_dir = g_dir_make_tmp ("fuzz-filter-json-XXXXXX", &error);
  if (store_dir == NULL)
    g_error ("Cannot make a folder for the store: %s", error->message);
  atexit (remove_store);
  path = g_build_filename (store_dir, "rapport.db", NULL);
  store = rp_store_open_sync (path, NULL, &error);
  if (store == NULL)
    g_error ("Cannot open the store: %s", error->message);

  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_malloc (size + 1);

  memcpy (text, data, size);
  text[size] = '\0';

  check_condition (text);
  check_action (text);
  check_import (text);

  /* The store announces changes from idle callbacks. */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  return 0;
}
