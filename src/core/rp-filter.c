/* rp-filter.c
 *
 * Filter rules as plain data: building, copying, parsing the CLI syntax
 * ("from:contains:me@example.com", "move:Sent"), describing them for the
 * user, validating them and comparing them. Storage is in
 * rp-filter-store.c, matching in rp-filter-match.c, running over stored
 * mail in rp-filter-run.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-filter"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>

#include "rp-composer.h"
#include "rp-error.h"
#include "rp-filter.h"
#include "rp-filter-private.h"

G_DEFINE_BOXED_TYPE (RpFilterRule, rp_filter_rule, rp_filter_rule_copy, rp_filter_rule_free)

/* Machine names, in enum order: the CLI syntax and the JSON export. */
static const char * const field_names[] = {
  "from", "to", "cc", "to-or-cc", "subject", "body", "header", "account",
  "has-attachment", "size", "from-identity", "sender-in-crm",
};
static const char * const field_display_names[] = {
  N_("From"), N_("To"), N_("Cc"), N_("To or Cc"), N_("Subject"), N_("Body"),
  N_("Header"), N_("Account"), N_("Has an attachment"), N_("Size"),
  N_("Sent from one of my identities"), N_("Sender is a CRM contact or lead"),
};
static const char * const op_names[] = {
  "contains", "not-contains", "is", "begins-with", "ends-with", "matches",
  "greater", "less",
};
static const char * const op_display_names[] = {
  N_("contains"), N_("does not contain"), N_("is"), N_("begins with"), N_("ends with"),
  N_("matches the regular expression"), N_("is larger than"), N_("is smaller than"),
};
static const char * const action_names[] = {
  "move", "copy", "mark-read", "flag", "delete", "forward", "link-crm",
};
static const char * const action_display_names[] = {
  N_("Move to folder"), N_("Copy to folder"), N_("Mark as read"), N_("Flag"),
  N_("Delete"), N_("Forward to"), N_("Link to a CRM record"),
};

G_STATIC_ASSERT (G_N_ELEMENTS (field_names) == RP_FILTER_FIELD_LAST + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (field_display_names) == RP_FILTER_FIELD_LAST + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (op_names) == RP_FILTER_OP_LAST + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (op_display_names) == RP_FILTER_OP_LAST + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (action_names) == RP_FILTER_ACTION_LAST + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (action_display_names) == RP_FILTER_ACTION_LAST + 1);

/* Auxiliary methods */

static int
lookup_name (const char * const *names,
             guint               n,
             const char         *name)
{
  if (name == NULL)
    return -1;

  for (guint i = 0; i < n; i++)
    if (g_ascii_strcasecmp (names[i], name) == 0)
      return (int) i;

  return -1;
}

static gboolean
field_is_text (RpFilterField field)
{
  return field <= RP_FILTER_FIELD_ACCOUNT;
}

gboolean
_rp_filter_header_name_is_valid (const char *name)
{
  if (name == NULL || *name == '\0')
    return FALSE;

  for (const char *p = name; *p; p++)
    if (*p <= ' ' || *p >= 127 || *p == ':')
      return FALSE;

  return TRUE;
}

static gboolean
condition_equivalent (const RpFilterCondition *a,
                      const RpFilterCondition *b)
{
  if (a->field != b->field)
    return FALSE;

  if (!rp_filter_field_has_value (a->field))
    return TRUE;

  if (a->op != b->op)
    return FALSE;

  if (a->field == RP_FILTER_FIELD_HEADER &&
      g_ascii_strcasecmp (a->header ? a->header : "", b->header ? b->header : "") != 0)
    return FALSE;

  if (a->field == RP_FILTER_FIELD_SIZE)
    {
      guint64 sa = 0, sb = 0;

      return _rp_filter_parse_size (a->value, &sa) && _rp_filter_parse_size (b->value, &sb) &&
             sa == sb;
    }

  {
    g_autofree char *fa = g_utf8_casefold (a->value, -1);
    g_autofree char *fb = g_utf8_casefold (b->value, -1);

    return g_strcmp0 (g_strstrip (fa), g_strstrip (fb)) == 0;
  }
}

static gboolean
action_equivalent (const RpFilterAction *a,
                   const RpFilterAction *b)
{
  g_autofree char *fa = NULL;
  g_autofree char *fb = NULL;

  if (a->type != b->type)
    return FALSE;

  if (!rp_filter_action_type_has_argument (a->type) && a->type != RP_FILTER_ACTION_LINK_CRM)
    return TRUE;

  fa = g_utf8_casefold (a->argument, -1);
  fb = g_utf8_casefold (b->argument, -1);
  return g_strcmp0 (g_strstrip (fa), g_strstrip (fb)) == 0;
}

/* Every element of @a has a partner in @b and vice versa; duplicates
 * inside one rule change nothing about what it does. */
static gboolean
same_set (GPtrArray *a,
          GPtrArray *b,
          gboolean (*equal) (gconstpointer, gconstpointer))
{
  for (int pass = 0; pass < 2; pass++)
    {
      GPtrArray *x = pass == 0 ? a : b;
      GPtrArray *y = pass == 0 ? b : a;

      for (guint i = 0; i < x->len; i++)
        {
          gboolean found = FALSE;

          for (guint j = 0; j < y->len && !found; j++)
            found = equal (g_ptr_array_index (x, i), g_ptr_array_index (y, j));
          if (!found)
            return FALSE;
        }
    }

  return TRUE;
}

static gboolean
invalid (GError     **error,
         const char  *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError     **error,
         const char  *format,
         ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT, message);
  return FALSE;
}

static gboolean
validate_condition (const RpFilterRule      *rule,
                    const RpFilterCondition *condition,
                    GError                 **error)
{
  if ((guint) condition->field > RP_FILTER_FIELD_LAST)
    return invalid (error, _("The filter “%s” has a condition of an unknown kind."), rule->name);

  if (!rp_filter_field_has_value (condition->field))
    return TRUE;

  if ((guint) condition->op > RP_FILTER_OP_LAST ||
      !rp_filter_field_accepts_op (condition->field, condition->op))
    return invalid (error, _("In the filter “%s”, “%s” cannot be combined with “%s”."), rule->name,
                    rp_filter_field_get_display_name (condition->field),
                    rp_filter_op_get_display_name (CLAMP (condition->op, 0, RP_FILTER_OP_LAST)));

  if (condition->field == RP_FILTER_FIELD_HEADER &&
      !_rp_filter_header_name_is_valid (condition->header))
    return invalid (error, _("The filter “%s” needs the name of a header, such as “X-Spam-Flag”."),
                    rule->name);

  if (condition->field == RP_FILTER_FIELD_SIZE)
    {
      guint64 size;

      if (!_rp_filter_parse_size (condition->value, &size))
        return invalid (error, _("In the filter “%s”, “%s” is not a size. Write a number of bytes, "
                                 "or one with k or M, such as 200k."),
                        rule->name, condition->value ? condition->value : "");
      return TRUE;
    }

  if (condition->value == NULL ||
      (*condition->value == '\0' && condition->op != RP_FILTER_OP_IS))
    return invalid (error, _("A condition of the filter “%s” has no text to look for."), rule->name);

  if (condition->op == RP_FILTER_OP_MATCHES)
    {
      g_autoptr(GError) regex_error = NULL;
      g_autoptr(GRegex) regex = g_regex_new (condition->value, G_REGEX_CASELESS, 0, &regex_error);

      if (regex == NULL)
        return invalid (error, _("The regular expression “%s” of the filter “%s” is not valid: %s"),
                        condition->value, rule->name, regex_error->message);
    }

  return TRUE;
}

static gboolean
validate_action (const RpFilterRule   *rule,
                 const RpFilterAction *action,
                 GError              **error)
{
  const char *argument = action->argument ? action->argument : "";

  if ((guint) action->type > RP_FILTER_ACTION_LAST)
    return invalid (error, _("The filter “%s” has an action of an unknown kind."), rule->name);

  switch (action->type)
    {
    case RP_FILTER_ACTION_MOVE:
    case RP_FILTER_ACTION_COPY:
      if (*argument == '\0')
        return invalid (error, _("The filter “%s” needs a folder to move or copy to."), rule->name);
      break;

    case RP_FILTER_ACTION_FORWARD:
      if (!rp_composer_address_is_valid (argument))
        return invalid (error, _("The filter “%s” cannot forward to “%s”: that is not an email "
                                 "address."), rule->name, argument);
      break;

    case RP_FILTER_ACTION_LINK_CRM:
      if (*argument != '\0')
        {
          char *end = NULL;
          gint64 id = g_ascii_strtoll (argument, &end, 10);

          if (id <= 0 || end == NULL || *end != '\0')
            return invalid (error, _("In the filter “%s”, “%s” is not the number of a CRM "
                                     "record."), rule->name, argument);
        }
      break;

    case RP_FILTER_ACTION_MARK_READ:
    case RP_FILTER_ACTION_FLAG:
    case RP_FILTER_ACTION_DELETE:
    default:
      break;
    }

  return TRUE;
}

/* Internal API */

/* "12345", "200k", "2 MB", "1G": binary multiples, as file managers show
 * message sizes. */
gboolean
_rp_filter_parse_size (const char *text,
                       guint64    *size)
{
  char *end = NULL;
  guint64 value;
  guint64 unit = 1;

  if (text == NULL)
    return FALSE;

  while (g_ascii_isspace (*text))
    text++;
  if (!g_ascii_isdigit (*text))
    return FALSE;

  value = g_ascii_strtoull (text, &end, 10);
  while (g_ascii_isspace (*end))
    end++;

  switch (g_ascii_tolower (*end))
    {
    case 'k': unit = 1024; end++; break;
    case 'm': unit = 1024 * 1024; end++; break;
    case 'g': unit = 1024 * 1024 * 1024; end++; break;
    default: break;
    }
  if (g_ascii_tolower (*end) == 'b')
    end++;
  if (*end != '\0' || value > G_MAXUINT64 / unit)
    return FALSE;

  *size = value * unit;
  return TRUE;
}

/* Public API */

/**
 * rp_filter_field_to_string:
 * @field: a field
 *
 * Returns: the field's machine name ("to-or-cc"), as in the CLI and JSON
 */
const char *
rp_filter_field_to_string (RpFilterField field)
{
  g_return_val_if_fail ((guint) field <= RP_FILTER_FIELD_LAST, NULL);
  return field_names[field];
}

/**
 * rp_filter_field_from_string:
 * @name: a machine name, any case
 *
 * Returns: the #RpFilterField, or -1 when unknown
 */
int
rp_filter_field_from_string (const char *name)
{
  /* "from-me" reads better on a command line; both are accepted. */
  if (name != NULL && g_ascii_strcasecmp (name, "from-me") == 0)
    return RP_FILTER_FIELD_FROM_IDENTITY;
  return lookup_name (field_names, G_N_ELEMENTS (field_names), name);
}

/**
 * rp_filter_field_get_display_name:
 * @field: a field
 *
 * Returns: the translated name for the editor ("To or Cc")
 */
const char *
rp_filter_field_get_display_name (RpFilterField field)
{
  g_return_val_if_fail ((guint) field <= RP_FILTER_FIELD_LAST, NULL);
  return _(field_display_names[field]);
}

/**
 * rp_filter_op_to_string:
 * @op: an operator
 *
 * Returns: the operator's machine name ("not-contains")
 */
const char *
rp_filter_op_to_string (RpFilterOp op)
{
  g_return_val_if_fail ((guint) op <= RP_FILTER_OP_LAST, NULL);
  return op_names[op];
}

/**
 * rp_filter_op_from_string:
 * @name: a machine name, any case
 *
 * Returns: the #RpFilterOp, or -1 when unknown
 */
int
rp_filter_op_from_string (const char *name)
{
  if (name != NULL && (g_ascii_strcasecmp (name, "above") == 0 ||
                       g_ascii_strcasecmp (name, "larger") == 0))
    return RP_FILTER_OP_GREATER;
  if (name != NULL && (g_ascii_strcasecmp (name, "below") == 0 ||
                       g_ascii_strcasecmp (name, "smaller") == 0))
    return RP_FILTER_OP_LESS;
  return lookup_name (op_names, G_N_ELEMENTS (op_names), name);
}

/**
 * rp_filter_op_get_display_name:
 * @op: an operator
 *
 * Returns: the translated name for the editor ("does not contain")
 */
const char *
rp_filter_op_get_display_name (RpFilterOp op)
{
  g_return_val_if_fail ((guint) op <= RP_FILTER_OP_LAST, NULL);
  return _(op_display_names[op]);
}

/**
 * rp_filter_action_type_to_string:
 * @type: an action type
 *
 * Returns: the action's machine name ("mark-read")
 */
const char *
rp_filter_action_type_to_string (RpFilterActionType type)
{
  g_return_val_if_fail ((guint) type <= RP_FILTER_ACTION_LAST, NULL);
  return action_names[type];
}

/**
 * rp_filter_action_type_from_string:
 * @name: a machine name, any case
 *
 * Returns: the #RpFilterActionType, or -1 when unknown
 */
int
rp_filter_action_type_from_string (const char *name)
{
  return lookup_name (action_names, G_N_ELEMENTS (action_names), name);
}

/**
 * rp_filter_action_type_get_display_name:
 * @type: an action type
 *
 * Returns: the translated name for the editor ("Copy to folder")
 */
const char *
rp_filter_action_type_get_display_name (RpFilterActionType type)
{
  g_return_val_if_fail ((guint) type <= RP_FILTER_ACTION_LAST, NULL);
  return _(action_display_names[type]);
}

/**
 * rp_filter_field_accepts_op:
 * @field: a field
 * @op: an operator
 *
 * Text fields take the text operators, the size takes larger/smaller, and
 * the yes-or-no fields take none.
 *
 * Returns: %TRUE if a condition on @field may use @op
 */
gboolean
rp_filter_field_accepts_op (RpFilterField field,
                            RpFilterOp    op)
{
  if (field_is_text (field))
    return op <= RP_FILTER_OP_MATCHES;
  if (field == RP_FILTER_FIELD_SIZE)
    return op == RP_FILTER_OP_GREATER || op == RP_FILTER_OP_LESS;
  return FALSE;
}

/**
 * rp_filter_field_has_value:
 * @field: a field
 *
 * Returns: %TRUE if conditions on @field take an operator and a value
 *   (%FALSE for has-attachment, from-identity and sender-in-crm)
 */
gboolean
rp_filter_field_has_value (RpFilterField field)
{
  return field_is_text (field) || field == RP_FILTER_FIELD_SIZE;
}

/**
 * rp_filter_action_type_has_argument:
 * @type: an action type
 *
 * Returns: %TRUE if the action needs an argument (a folder or an address)
 */
gboolean
rp_filter_action_type_has_argument (RpFilterActionType type)
{
  return type == RP_FILTER_ACTION_MOVE || type == RP_FILTER_ACTION_COPY ||
         type == RP_FILTER_ACTION_FORWARD;
}

/**
 * rp_filter_condition_new:
 * @field: what to look at
 * @header: (nullable): the header's name, for %RP_FILTER_FIELD_HEADER
 * @op: how to compare
 * @value: (nullable): what to compare with
 *
 * Returns: (transfer full): a new condition
 */
RpFilterCondition *
rp_filter_condition_new (RpFilterField  field,
                         const char    *header,
                         RpFilterOp     op,
                         const char    *value)
{
  RpFilterCondition *condition = g_new0 (RpFilterCondition, 1);

  condition->field = field;
  condition->header = field == RP_FILTER_FIELD_HEADER ? g_strdup (header) : NULL;
  condition->op = rp_filter_field_has_value (field) ? op : RP_FILTER_OP_IS;
  condition->value = g_strdup (rp_filter_field_has_value (field) && value ? value : "");
  return condition;
}

/**
 * rp_filter_condition_copy:
 * @condition: a condition
 *
 * Returns: (transfer full): a deep copy
 */
RpFilterCondition *
rp_filter_condition_copy (const RpFilterCondition *condition)
{
  g_return_val_if_fail (condition != NULL, NULL);
  return rp_filter_condition_new (condition->field, condition->header, condition->op,
                                  condition->value);
}

/**
 * rp_filter_condition_free:
 * @condition: (nullable): a condition
 */
void
rp_filter_condition_free (RpFilterCondition *condition)
{
  if (condition == NULL)
    return;
  g_free (condition->header);
  g_free (condition->value);
  g_free (condition);
}

/**
 * rp_filter_action_new:
 * @type: what to do
 * @argument: (nullable): the folder spec, address or record id
 *
 * Returns: (transfer full): a new action
 */
RpFilterAction *
rp_filter_action_new (RpFilterActionType  type,
                      const char         *argument)
{
  RpFilterAction *action = g_new0 (RpFilterAction, 1);

  action->type = type;
  action->argument = g_strdup (argument ? argument : "");
  return action;
}

/**
 * rp_filter_action_copy:
 * @action: an action
 *
 * Returns: (transfer full): a deep copy
 */
RpFilterAction *
rp_filter_action_copy (const RpFilterAction *action)
{
  g_return_val_if_fail (action != NULL, NULL);
  return rp_filter_action_new (action->type, action->argument);
}

/**
 * rp_filter_action_free:
 * @action: (nullable): an action
 */
void
rp_filter_action_free (RpFilterAction *action)
{
  if (action == NULL)
    return;
  g_free (action->argument);
  g_free (action);
}

/**
 * rp_filter_rule_new:
 * @name: the rule's name
 *
 * Returns: (transfer full): an enabled rule matching all of its (yet
 *   absent) conditions, not stopping further rules
 */
RpFilterRule *
rp_filter_rule_new (const char *name)
{
  RpFilterRule *rule = g_new0 (RpFilterRule, 1);

  rule->name = g_strdup (name ? name : "");
  rule->enabled = TRUE;
  rule->match_all = TRUE;
  rule->conditions = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_filter_condition_free);
  rule->actions = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_filter_action_free);
  return rule;
}

/**
 * rp_filter_rule_copy:
 * @rule: a rule
 *
 * Returns: (transfer full): a deep copy, with the same id
 */
RpFilterRule *
rp_filter_rule_copy (const RpFilterRule *rule)
{
  RpFilterRule *copy;

  g_return_val_if_fail (rule != NULL, NULL);

  copy = rp_filter_rule_new (rule->name);
  copy->id = rule->id;
  copy->enabled = rule->enabled;
  copy->match_all = rule->match_all;
  copy->stop = rule->stop;
  for (guint i = 0; i < rule->conditions->len; i++)
    g_ptr_array_add (copy->conditions, rp_filter_condition_copy (g_ptr_array_index (rule->conditions, i)));
  for (guint i = 0; i < rule->actions->len; i++)
    g_ptr_array_add (copy->actions, rp_filter_action_copy (g_ptr_array_index (rule->actions, i)));
  return copy;
}

/**
 * rp_filter_rule_free:
 * @rule: (nullable): a rule
 */
void
rp_filter_rule_free (RpFilterRule *rule)
{
  if (rule == NULL)
    return;
  g_free (rule->name);
  g_ptr_array_unref (rule->conditions);
  g_ptr_array_unref (rule->actions);
  g_free (rule);
}

/**
 * rp_filter_rule_add_condition:
 * @rule: a rule
 * @condition: (transfer full): a condition
 */
void
rp_filter_rule_add_condition (RpFilterRule      *rule,
                              RpFilterCondition *condition)
{
  g_return_if_fail (rule != NULL);
  g_return_if_fail (condition != NULL);
  g_ptr_array_add (rule->conditions, condition);
}

/**
 * rp_filter_rule_add_action:
 * @rule: a rule
 * @action: (transfer full): an action
 */
void
rp_filter_rule_add_action (RpFilterRule   *rule,
                           RpFilterAction *action)
{
  g_return_if_fail (rule != NULL);
  g_return_if_fail (action != NULL);
  g_ptr_array_add (rule->actions, action);
}

/**
 * rp_filter_rule_validate:
 * @rule: a rule
 * @error: return location for an error
 *
 * Checks everything that would keep the rule from running as the user
 * means it, so that a mistake shows when the rule is saved, not silently
 * at the next fetch.
 *
 * Returns: %TRUE if valid; else %FALSE with %RP_ERROR_INVALID_ARGUMENT and
 *   a translated message naming the rule and the problem
 */
gboolean
rp_filter_rule_validate (const RpFilterRule  *rule,
                         GError             **error)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (rule != NULL, FALSE);

  name = g_strstrip (g_strdup (rule->name ? rule->name : ""));
  if (*name == '\0')
    return invalid (error, _("A filter needs a name."));
  if (rule->conditions->len == 0)
    return invalid (error, _("The filter “%s” needs at least one condition."), rule->name);
  if (rule->actions->len == 0)
    return invalid (error, _("The filter “%s” needs at least one action."), rule->name);

  for (guint i = 0; i < rule->conditions->len; i++)
    if (!validate_condition (rule, g_ptr_array_index (rule->conditions, i), error))
      return FALSE;
  for (guint i = 0; i < rule->actions->len; i++)
    if (!validate_action (rule, g_ptr_array_index (rule->actions, i), error))
      return FALSE;

  return TRUE;
}

/**
 * rp_filter_rule_equivalent:
 * @a: a rule
 * @b: another rule
 *
 * Compares what the rules do, not what they are called: the same
 * conditions and actions in any order, text without case. With at most
 * one condition each, "all" and "any" are the same thing.
 *
 * Returns: %TRUE if @a and @b act the same on every message
 */
gboolean
rp_filter_rule_equivalent (const RpFilterRule *a,
                           const RpFilterRule *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  if (a->match_all != b->match_all && (a->conditions->len > 1 || b->conditions->len > 1))
    return FALSE;

  return same_set (a->conditions, b->conditions, (gpointer) condition_equivalent) &&
         same_set (a->actions, b->actions, (gpointer) action_equivalent);
}

/**
 * rp_filter_rule_new_move_from:
 * @address: a sender's address
 * @folder_spec: where to move the sender's mail ("Sent", a folder name)
 *
 * The rule drag-and-drop offers: From contains @address → move to
 * @folder_spec, then stop, so that no later rule takes the message
 * somewhere else than the user showed.
 *
 * Returns: (transfer full): a new, unsaved rule
 */
RpFilterRule *
rp_filter_rule_new_move_from (const char *address,
                              const char *folder_spec)
{
  RpFilterRule *rule;
  g_autofree char *name = NULL;

  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (folder_spec != NULL, NULL);

  /* Translators: a filter's name: "Mail from a@b.example to Sent" */
  name = g_strdup_printf (_("Mail from %s to %s"), address, folder_spec);
  rule = rp_filter_rule_new (name);
  rule->stop = TRUE;
  rp_filter_rule_add_condition (rule, rp_filter_condition_new (RP_FILTER_FIELD_FROM, NULL,
                                                               RP_FILTER_OP_CONTAINS, address));
  rp_filter_rule_add_action (rule, rp_filter_action_new (RP_FILTER_ACTION_MOVE, folder_spec));
  return rule;
}

/**
 * rp_filter_rule_new_own_addresses_to_sent:
 * @account: the account just added
 *
 * The rule the account wizard offers: mail of @account sent from one of
 * the user's own addresses (a webmail or phone copy, a Bcc to oneself)
 * goes to that account's Sent, read, and no further rule runs on it.
 *
 * Returns: (transfer full): a new, unsaved rule
 */
RpFilterRule *
rp_filter_rule_new_own_addresses_to_sent (const RpAccount *account)
{
  RpFilterRule *rule;
  g_autofree char *name = NULL;

  g_return_val_if_fail (account != NULL, NULL);
  g_return_val_if_fail (account->name != NULL, NULL);

  /* Translators: a filter's name; %s is the account's name */
  name = g_strdup_printf (_("My own mail in %s to Sent"), account->name);
  rule = rp_filter_rule_new (name);
  rule->stop = TRUE;
  rp_filter_rule_add_condition (rule, rp_filter_condition_new (RP_FILTER_FIELD_ACCOUNT, NULL,
                                                               RP_FILTER_OP_IS, account->name));
  rp_filter_rule_add_condition (rule, rp_filter_condition_new (RP_FILTER_FIELD_FROM_IDENTITY,
                                                               NULL, RP_FILTER_OP_IS, NULL));
  rp_filter_rule_add_action (rule, rp_filter_action_new (RP_FILTER_ACTION_MOVE, "Sent"));
  rp_filter_rule_add_action (rule, rp_filter_action_new (RP_FILTER_ACTION_MARK_READ, NULL));
  return rule;
}

/**
 * rp_filter_explanation_free:
 * @explanation: (nullable): an explanation
 */
void
rp_filter_explanation_free (RpFilterExplanation *explanation)
{
  if (explanation == NULL)
    return;
  g_free (explanation->description);
  g_free (explanation);
}
