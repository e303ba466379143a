/* rp-filter-parse.c
 *
 * Conditions and actions as text: the CLI syntax ("from:contains:x",
 * "header:X-Spam:is:yes", "move:Sent"), which the JSON export uses too,
 * and the translated sentences the editor and "filter list" show.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-filter"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rp-error.h"
#include "rp-filter-private.h"

/* Public API */

/**
 * rp_filter_condition_parse:
 * @text: "FIELD:OP:VALUE", "header:NAME:OP:VALUE", or a bare field name
 *   for the yes-or-no fields
 * @error: return location for an error
 *
 * Parses the CLI syntax. The value is the rest of @text after the
 * operator, so it may contain ':' itself.
 *
 * Returns: (transfer full): the condition, or %NULL with
 *   %RP_ERROR_INVALID_ARGUMENT
 */
RpFilterCondition *
rp_filter_condition_parse (const char  *text,
                           GError     **error)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *header = NULL;
  const char *op_text;
  const char *value;
  int field;
  int op;
  guint next = 1;

  g_return_val_if_fail (text != NULL, NULL);

  parts = g_strsplit (text, ":", 3);
  field = rp_filter_field_from_string (parts[0]);
  if (field < 0)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a condition: unknown field “%s”. Known fields: %s."), text,
                   parts[0], "from, to, cc, to-or-cc, subject, body, header, account, "
                   "has-attachment, size, from-identity, sender-in-crm");
      return NULL;
    }

  if (!rp_filter_field_has_value (field))
    {
      if (parts[1] != NULL)
        {
          g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not a condition: “%s” takes no operator or value."), text,
                       parts[0]);
          return NULL;
        }
      return rp_filter_condition_new (field, NULL, RP_FILTER_OP_IS, "");
    }

  if (field == RP_FILTER_FIELD_HEADER)
    {
      /* header:NAME:OP:VALUE has one part more. */
      g_strfreev (parts);
      parts = g_strsplit (text, ":", 4);
      header = g_strdup (parts[1]);
      if (!_rp_filter_header_name_is_valid (header))
        {
          g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not a condition: write header:NAME:OPERATOR:VALUE."), text);
          return NULL;
        }
      next = 2;
    }

  /* In range: parts[next - 1] is a field or a valid header name. */
  op_text = parts[next];
  value = op_text != NULL ? parts[next + 1] : NULL;
  op = rp_filter_op_from_string (op_text);
  if (op < 0 || value == NULL)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a condition: write FIELD:OPERATOR:VALUE with an operator of: "
                     "%s."), text,
                   field == RP_FILTER_FIELD_SIZE ? "greater, less" :
                   "contains, not-contains, is, begins-with, ends-with, matches");
      return NULL;
    }

  return rp_filter_condition_new (field, header, op, value);
}

/**
 * rp_filter_condition_to_string:
 * @condition: a condition
 *
 * Returns: (transfer full): the condition in the syntax
 *   rp_filter_condition_parse() reads
 */
char *
rp_filter_condition_to_string (const RpFilterCondition *condition)
{
  g_return_val_if_fail (condition != NULL, NULL);

  if (!rp_filter_field_has_value (condition->field))
    return g_strdup (rp_filter_field_to_string (condition->field));
  if (condition->field == RP_FILTER_FIELD_HEADER)
    return g_strdup_printf ("header:%s:%s:%s", condition->header ? condition->header : "",
                            rp_filter_op_to_string (condition->op), condition->value);
  return g_strdup_printf ("%s:%s:%s", rp_filter_field_to_string (condition->field),
                          rp_filter_op_to_string (condition->op), condition->value);
}

/**
 * rp_filter_condition_describe:
 * @condition: a condition
 *
 * Returns: (transfer full): a translated description for the user, such
 *   as “Subject contains “invoice””
 */
char *
rp_filter_condition_describe (const RpFilterCondition *condition)
{
  g_return_val_if_fail (condition != NULL, NULL);

  if (!rp_filter_field_has_value (condition->field))
    return g_strdup (rp_filter_field_get_display_name (condition->field));

  if (condition->field == RP_FILTER_FIELD_SIZE)
    /* Translators: "Size is larger than 200k" */
    return g_strdup_printf (_("%s %s %s"), rp_filter_field_get_display_name (condition->field),
                            rp_filter_op_get_display_name (condition->op), condition->value);

  if (condition->field == RP_FILTER_FIELD_HEADER)
    /* Translators: "Header “X-Spam” is “yes”" */
    return g_strdup_printf (_("Header “%s” %s “%s”"), condition->header ? condition->header : "",
                            rp_filter_op_get_display_name (condition->op), condition->value);

  /* Translators: "From contains “me@example.com”" */
  return g_strdup_printf (_("%s %s “%s”"), rp_filter_field_get_display_name (condition->field),
                          rp_filter_op_get_display_name (condition->op), condition->value);
}

/**
 * rp_filter_action_parse:
 * @text: "ACTION[:ARG]"
 * @error: return location for an error
 *
 * Parses the CLI syntax: "move:Sent", "copy:Archive/2024", "mark-read",
 * "flag", "delete", "forward:a@example.com", "link-crm" or "link-crm:12".
 *
 * Returns: (transfer full): the action, or %NULL with
 *   %RP_ERROR_INVALID_ARGUMENT
 */
RpFilterAction *
rp_filter_action_parse (const char  *text,
                        GError     **error)
{
  g_auto(GStrv) parts = NULL;
  int type;

  g_return_val_if_fail (text != NULL, NULL);

  parts = g_strsplit (text, ":", 2);
  type = rp_filter_action_type_from_string (parts[0]);
  if (type < 0)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an action. Known actions: %s."), text,
                   "move:FOLDER, copy:FOLDER, mark-read, flag, delete, forward:ADDRESS, "
                   "link-crm[:RECORD]");
      return NULL;
    }

  if (rp_filter_action_type_has_argument (type) && (parts[1] == NULL || *parts[1] == '\0'))
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("The action “%s” needs an argument: %s:%s."), parts[0], parts[0],
                   type == RP_FILTER_ACTION_FORWARD ? "ADDRESS" : "FOLDER");
      return NULL;
    }

  if (!rp_filter_action_type_has_argument (type) && type != RP_FILTER_ACTION_LINK_CRM &&
      parts[1] != NULL)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("The action “%s” takes no argument."), parts[0]);
      return NULL;
    }

  return rp_filter_action_new (type, parts[1]);
}

/**
 * rp_filter_action_to_string:
 * @action: an action
 *
 * Returns: (transfer full): the action in the syntax
 *   rp_filter_action_parse() reads
 */
char *
rp_filter_action_to_string (const RpFilterAction *action)
{
  g_return_val_if_fail (action != NULL, NULL);

  if (action->argument == NULL || *action->argument == '\0')
    return g_strdup (rp_filter_action_type_to_string (action->type));
  return g_strdup_printf ("%s:%s", rp_filter_action_type_to_string (action->type),
                          action->argument);
}

/**
 * rp_filter_action_describe:
 * @action: an action
 *
 * Returns: (transfer full): a translated description, such as
 *   “Move to “Sent””
 */
char *
rp_filter_action_describe (const RpFilterAction *action)
{
  g_return_val_if_fail (action != NULL, NULL);

  switch (action->type)
    {
    case RP_FILTER_ACTION_MOVE:
      return g_strdup_printf (_("Move to “%s”"), action->argument);
    case RP_FILTER_ACTION_COPY:
      return g_strdup_printf (_("Copy to “%s”"), action->argument);
    case RP_FILTER_ACTION_FORWARD:
      return g_strdup_printf (_("Forward to %s"), action->argument);
    case RP_FILTER_ACTION_LINK_CRM:
      if (*action->argument != '\0')
        return g_strdup_printf (_("Link to CRM record %s"), action->argument);
      return g_strdup (_("Link to the sender’s CRM record"));
    case RP_FILTER_ACTION_MARK_READ:
    case RP_FILTER_ACTION_FLAG:
    case RP_FILTER_ACTION_DELETE:
    default:
      return g_strdup (rp_filter_action_type_get_display_name (action->type));
    }
}
