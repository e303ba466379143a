/* rp-cli-filter.c: rapport-cli filter add, list, remove, run, export, import
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "rp-cli-private.h"
#include "rp-filter.h"

/* Auxiliary methods */

static void
add_rule_json (JsonBuilder   *builder,
               gconstpointer  item)
{
  const RpFilterRule *rule = item;

  json_builder_begin_object (builder);
  rp_cli_json_int (builder, "id", rule->id);
  rp_cli_json_string (builder, "name", rule->name);
  rp_cli_json_bool (builder, "enabled", rule->enabled);
  rp_cli_json_string (builder, "match", rule->match_all ? "all" : "any");
  rp_cli_json_bool (builder, "stop", rule->stop);
  json_builder_set_member_name (builder, "conditions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rule->conditions->len; i++)
    {
      g_autofree char *text = rp_filter_condition_to_string (g_ptr_array_index (rule->conditions, i));

      json_builder_add_string_value (builder, text);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "actions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rule->actions->len; i++)
    {
      g_autofree char *text = rp_filter_action_to_string (g_ptr_array_index (rule->actions, i));

      json_builder_add_string_value (builder, text);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
print_rule (guint               position,
            const RpFilterRule *rule)
{
  g_autoptr(GString) line = g_string_new (NULL);

  g_string_append_printf (line, "%u. %s", position, rule->name);
  if (!rule->enabled)
    g_string_append_printf (line, " (%s)", _("off"));
  g_string_append_printf (line, "\n   %s", rule->match_all ? _("if all of:") : _("if any of:"));
  for (guint i = 0; i < rule->conditions->len; i++)
    {
      g_autofree char *text = rp_filter_condition_describe (g_ptr_array_index (rule->conditions, i));

      g_string_append_printf (line, "%s %s", i > 0 ? ";" : "", text);
    }
  g_string_append_printf (line, "\n   %s", _("then:"));
  for (guint i = 0; i < rule->actions->len; i++)
    {
      g_autofree char *text = rp_filter_action_describe (g_ptr_array_index (rule->actions, i));

      g_string_append_printf (line, "%s %s", i > 0 ? ";" : "", text);
    }
  if (rule->stop)
    g_string_append_printf (line, "; %s", _("stop processing further rules"));
  g_print ("%s\n", line->str);
}

static int
filter_add (int    argc,
            char **argv)
{
  g_auto(GStrv) conditions = NULL;
  g_auto(GStrv) actions = NULL;
  gboolean any = FALSE;
  gboolean stop = FALSE;
  gboolean disabled = FALSE;
  GOptionEntry entries[] = {
    { "if", 0, 0, G_OPTION_ARG_STRING_ARRAY, &conditions,
      N_("A condition, FIELD:OP:VALUE (repeatable)"), N_("CONDITION") },
    { "any", 0, 0, G_OPTION_ARG_NONE, &any, N_("Match when any condition holds (default: all)"),
      NULL },
    { "then", 0, 0, G_OPTION_ARG_STRING_ARRAY, &actions, N_("An action, ACTION[:ARG] (repeatable)"),
      N_("ACTION") },
    { "stop", 0, 0, G_OPTION_ARG_NONE, &stop, N_("Stop processing further rules"), NULL },
    { "disabled", 0, 0, G_OPTION_ARG_NONE, &disabled, N_("Add the rule switched off"), NULL },
    { NULL }
  };
  g_autoptr(RpStore) store = NULL;
  g_autoptr(RpFilterRule) rule = NULL;
  g_autoptr(RpFilterRule) existing = NULL;
  g_autoptr(GError) error = NULL;
  int status = RP_CLI_EXIT_OK;

  if (!rp_cli_parse_options ("filter add", N_("NAME"),
                             _("Adds a filter rule after the others. Fields: from, to, cc, "
                               "to-or-cc, subject, body, header:NAME, account, has-attachment, "
                               "size, from-identity, sender-in-crm. Operators: contains, "
                               "not-contains, is, begins-with, ends-with, matches, greater, less. "
                               "Actions: move:FOLDER, copy:FOLDER, mark-read, flag, delete, "
                               "forward:ADDRESS, link-crm."),
                             entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return rp_cli_usage (_("filter add needs a NAME"));
  if (conditions == NULL || actions == NULL)
    return rp_cli_usage (_("filter add needs at least one --if and one --then"));

  rule = rp_filter_rule_new (argv[1]);
  rule->match_all = !any;
  rule->stop = stop;
  rule->enabled = !disabled;
  for (guint i = 0; conditions[i] != NULL; i++)
    {
      RpFilterCondition *condition = rp_filter_condition_parse (conditions[i], &error);

      if (condition == NULL)
        return rp_cli_fail (error);
      rp_filter_rule_add_condition (rule, condition);
    }
  for (guint i = 0; actions[i] != NULL; i++)
    {
      RpFilterAction *action = rp_filter_action_parse (actions[i], &error);

      if (action == NULL)
        return rp_cli_fail (error);
      rp_filter_rule_add_action (rule, action);
    }
  if (!rp_filter_rule_validate (rule, &error))
    return rp_cli_fail (error);

  store = rp_cli_open_store ();
  if (store == NULL)
    return RP_CLI_EXIT_FAIL;

  /* "filter remove NAME" must know which rule is meant. */
  existing = rp_store_find_filter_by_name (store, argv[1], &error);
  if (error != NULL)
    return rp_cli_fail (error);
  if (existing != NULL)
    return rp_cli_usage (_("There is a filter called “%s” already."), argv[1]);
  if (rp_store_has_equivalent_filter (store, rule, &error))
    return rp_cli_usage (_("Another filter does the same already."));
  if (error != NULL)
    return rp_cli_fail (error);

  if (rp_store_save_filter (store, rule, &error) == 0)
    return rp_cli_fail (error);

  return RP_CLI_EXIT_OK;
}

static int
filter_list (int    argc,
             char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(RpStore) store = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GError) error = NULL;
  int status = RP_CLI_EXIT_OK;

  if (!rp_cli_parse_options ("filter list", "", _("Lists the filter rules in the order they run."),
                             entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return rp_cli_usage (_("filter list takes no arguments"));

  store = rp_cli_open_store ();
  if (store == NULL)
    return RP_CLI_EXIT_FAIL;

  rules = rp_store_list_filters (store, &error);
  if (rules == NULL)
    return rp_cli_fail (error);

  if (json)
    rp_cli_print_json_array (rules, add_rule_json);
  else
    for (guint i = 0; i < rules->len; i++)
      print_rule (i + 1, g_ptr_array_index (rules, i));

  return RP_CLI_EXIT_OK;
}

static int
filter_remove (int    argc,
               char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(RpStore) store = NULL;
  g_autoptr(RpFilterRule) rule = NULL;
  g_autoptr(GError) error = NULL;
  int status = RP_CLI_EXIT_OK;

  if (!rp_cli_parse_options ("filter remove", N_("NAME"), _("Removes a filter rule."),
                             entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return rp_cli_usage (_("filter remove needs a NAME"));

  store = rp_cli_open_store ();
  if (store == NULL)
    return RP_CLI_EXIT_FAIL;

  rule = rp_store_find_filter_by_name (store, argv[1], &error);
  if (rule == NULL && error != NULL)
    return rp_cli_fail (error);
  if (rule == NULL)
    return rp_cli_usage (_("There is no filter called “%s”."), argv[1]);
  if (!rp_store_delete_filter (store, rule->id, &error))
    return rp_cli_fail (error);

  return RP_CLI_EXIT_OK;
}

static int
filter_run (int    argc,
            char **argv)
{
  g_autofree char *folder = NULL;
  g_autofree char *account = NULL;
  GOptionEntry entries[] = {
    { "folder", 0, 0, G_OPTION_ARG_STRING, &folder,
      N_("Run over this folder (default: every Inbox)"), N_("NAME") },
    { "account", 0, 0, G_OPTION_ARG_STRING, &account,
      N_("The account whose folder is meant"), N_("ACCOUNT") },
    { NULL }
  };
  g_autoptr(RpStore) store = NULL;
  g_autoptr(GError) error = NULL;
  int status = RP_CLI_EXIT_OK;
  gint64 folder_id = 0;
  gint64 account_id = 0;
  guint matched = 0;

  if (!rp_cli_parse_options ("filter run", "",
                             _("Runs the enabled filter rules over the messages of a folder, "
                               "or of every Inbox."),
                             entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return rp_cli_usage (_("filter run takes no arguments"));

  store = rp_cli_open_store ();
  if (store == NULL)
    return RP_CLI_EXIT_FAIL;

  if (account != NULL)
    {
      account_id = rp_store_lookup_account (store, account);
      if (account_id == 0)
        return rp_cli_usage (_("There is no account called “%s”."), account);
    }
  if (folder != NULL)
    {
      folder_id = rp_store_find_folder (store, account_id, folder);
      if (folder_id == 0)
        return rp_cli_usage (_("There is no folder called “%s”."), folder);
    }
  else if (account_id != 0)
    folder_id = rp_store_get_special_folder (store, account_id, RP_FOLDER_ROLE_INBOX);

  if (!rp_filter_run_sync (store, folder_id, NULL, 0, NULL, NULL, &matched, NULL, &error))
    return rp_cli_fail (error);

  g_print (g_dngettext (GETTEXT_PACKAGE, "%u message matched a filter\n",
                        "%u messages matched a filter\n", matched), matched);
  return RP_CLI_EXIT_OK;
}

static int
filter_export (int    argc,
               char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(RpStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  int status = RP_CLI_EXIT_OK;

  if (!rp_cli_parse_options ("filter export", N_("FILE"),
                             _("Writes every filter rule to FILE as JSON (“-”: standard output)."),
                             entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return rp_cli_usage (_("filter export needs a FILE"));

  store = rp_cli_open_store ();
  if (store == NULL)
    return RP_CLI_EXIT_FAIL;

  json = rp_store_export_filters_json (store, &error);
  if (json == NULL)
    return rp_cli_fail (error);

  if (g_str_equal (argv[1], "-"))
    g_print ("%s\n", json);
  else if (!g_file_set_contents (argv[1], json, -1, &error))
    return rp_cli_fail (error);

  return RP_CLI_EXIT_OK;
}

static int
filter_import (int    argc,
               char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(RpStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  int status = RP_CLI_EXIT_OK;

  if (!rp_cli_parse_options ("filter import", N_("FILE"),
                             _("Adds the filter rules of a JSON export after the others; rules "
                               "that exist already are skipped."),
                             entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return rp_cli_usage (_("filter import needs a FILE"));

  if (!g_file_get_contents (argv[1], &json, NULL, &error))
    return rp_cli_fail (error);

  store = rp_cli_open_store ();
  if (store == NULL)
    return RP_CLI_EXIT_FAIL;

  if (!rp_store_import_filters_json (store, json, &error))
    return rp_cli_fail (error);

  return RP_CLI_EXIT_OK;
}

/* Public API */

int
rp_cli_command_filter (int    argc,
                       char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "add"))
    return filter_add (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "list"))
    return filter_list (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "remove"))
    return filter_remove (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "run"))
    return filter_run (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "export"))
    return filter_export (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "import"))
    return filter_import (argc - 1, argv + 1);

  return rp_cli_usage (_("Usage: rapport-cli filter add|list|remove|run|export|import …; "
                         "“rapport-cli filter add --help” for the options"));
}
