/* rp-filter.h: filter rules, their storage, and running them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rp-account.h"
#include "rp-store.h"

G_BEGIN_DECLS

/**
 * RpFilterField:
 *
 * What a condition looks at. PERSISTED: stored in filter_condition.field;
 * never renumber.
 */
typedef enum
{
  RP_FILTER_FIELD_FROM           = 0,
  RP_FILTER_FIELD_TO             = 1,
  RP_FILTER_FIELD_CC             = 2,
  RP_FILTER_FIELD_TO_OR_CC       = 3,
  RP_FILTER_FIELD_SUBJECT        = 4,
  RP_FILTER_FIELD_BODY           = 5,
  RP_FILTER_FIELD_HEADER         = 6,   /* the header named by RpFilterCondition.header */
  RP_FILTER_FIELD_ACCOUNT        = 7,   /* the account's name (text operators) */
  RP_FILTER_FIELD_HAS_ATTACHMENT = 8,   /* no operator or value */
  RP_FILTER_FIELD_SIZE           = 9,   /* bytes; GREATER or LESS; value "100000", "100k", "2M" */
  RP_FILTER_FIELD_FROM_IDENTITY  = 10,  /* sent from one of my identities; no operator or value */
  RP_FILTER_FIELD_SENDER_IN_CRM  = 11,  /* the sender is a CRM contact or lead; no operator or value */
} RpFilterField;

#define RP_FILTER_FIELD_LAST RP_FILTER_FIELD_SENDER_IN_CRM

/**
 * RpFilterOp:
 *
 * How a condition compares; text comparisons ignore case. PERSISTED:
 * stored in filter_condition.op; never renumber.
 */
typedef enum
{
  RP_FILTER_OP_CONTAINS     = 0,
  RP_FILTER_OP_NOT_CONTAINS = 1,
  RP_FILTER_OP_IS           = 2,
  RP_FILTER_OP_BEGINS_WITH  = 3,
  RP_FILTER_OP_ENDS_WITH    = 4,
  RP_FILTER_OP_MATCHES      = 5,   /* a Perl-compatible regular expression; ^ and $ match at each line */
  RP_FILTER_OP_GREATER      = 6,   /* size above */
  RP_FILTER_OP_LESS         = 7,   /* size below */
} RpFilterOp;

#define RP_FILTER_OP_LAST RP_FILTER_OP_LESS

typedef struct
{
  RpFilterField  field;
  char          *header;   /* the header's name for RP_FILTER_FIELD_HEADER, else NULL */
  RpFilterOp     op;
  char          *value;    /* never NULL ("" for fields without a value) */
} RpFilterCondition;

/**
 * RpFilterActionType:
 *
 * PERSISTED: stored in filter_action.type; never renumber.
 */
typedef enum
{
  RP_FILTER_ACTION_MOVE      = 0,   /* argument: folder spec */
  RP_FILTER_ACTION_COPY      = 1,   /* argument: folder spec */
  RP_FILTER_ACTION_MARK_READ = 2,
  RP_FILTER_ACTION_FLAG      = 3,
  RP_FILTER_ACTION_DELETE    = 4,   /* to the account's Trash */
  RP_FILTER_ACTION_FORWARD   = 5,   /* argument: an address */
  RP_FILTER_ACTION_LINK_CRM  = 6,   /* argument: a record id, or "" for the sender's record */
} RpFilterActionType;

#define RP_FILTER_ACTION_LAST RP_FILTER_ACTION_LINK_CRM

/* @argument is a folder spec for MOVE and COPY: "Inbox", "Sent", "Trash"
 * (…any special folder's English or translated name) means that folder of
 * the message's own account; anything else is a user folder's name or
 * "Parent/Child" path, looked up in the message's account first, then in
 * any account. For FORWARD it is an address. Never NULL. */
typedef struct
{
  RpFilterActionType  type;
  char               *argument;
} RpFilterAction;

typedef struct
{
  gint64      id;           /* 0 until saved */
  char       *name;
  gboolean    enabled;
  gboolean    match_all;    /* TRUE: all conditions; FALSE: any */
  gboolean    stop;         /* stop processing further rules when this one matched */
  GPtrArray  *conditions;   /* (element-type RpFilterCondition) */
  GPtrArray  *actions;      /* (element-type RpFilterAction) */
} RpFilterRule;

/* One line of rp_filter_explain(): one condition of the rule. */
typedef struct
{
  guint     index;          /* the condition's position in the rule */
  gboolean  matched;
  char     *description;    /* translated, e.g. "From contains “me@example.com”" */
} RpFilterExplanation;

/* Progress of a run over stored messages; called in the running thread
 * (or, for rp_filter_run_async(), in the caller's main context, a few
 * times a second at most). */
typedef void (*RpFilterProgressFunc) (guint    done,
                                      guint    total,
                                      gpointer user_data);

#define RP_TYPE_FILTER_RULE (rp_filter_rule_get_type ())

/* Rules, conditions and actions as plain data. */
GType               rp_filter_rule_get_type              (void) G_GNUC_CONST;
/* A new enabled rule with "all" matching, no stop, no conditions/actions. */
RpFilterRule       *rp_filter_rule_new                   (const char               *name) G_GNUC_WARN_UNUSED_RESULT;
RpFilterRule       *rp_filter_rule_copy                  (const RpFilterRule       *rule) G_GNUC_WARN_UNUSED_RESULT;
void                rp_filter_rule_free                  (RpFilterRule             *rule);
/* Takes ownership of @condition / @action. */
void                rp_filter_rule_add_condition         (RpFilterRule             *rule,
                                                          RpFilterCondition        *condition);
void                rp_filter_rule_add_action            (RpFilterRule             *rule,
                                                          RpFilterAction           *action);
/* Checks that the rule can run: a name, at least one condition and one
 * action, operators that fit their fields, regular expressions that
 * compile, sizes that parse, arguments where an action needs one. Fails
 * with RP_ERROR_INVALID_ARGUMENT and a translated message naming the problem. */
gboolean            rp_filter_rule_validate              (const RpFilterRule       *rule,
                                                          GError                  **error);
/* TRUE if both rules do the same thing to the same messages: the same
 * matching mode, conditions and actions (in any order, text compared
 * without case), whatever their names, ids and on/off states. */
gboolean            rp_filter_rule_equivalent            (const RpFilterRule       *a,
                                                          const RpFilterRule       *b);

RpFilterCondition  *rp_filter_condition_new              (RpFilterField             field,
                                                          const char               *header,
                                                          RpFilterOp                op,
                                                          const char               *value) G_GNUC_WARN_UNUSED_RESULT;
RpFilterCondition  *rp_filter_condition_copy             (const RpFilterCondition  *condition) G_GNUC_WARN_UNUSED_RESULT;
void                rp_filter_condition_free             (RpFilterCondition        *condition);
/* Parses "FIELD:OP:VALUE" as rapport-cli takes it: "from:contains:me@x",
 * "header:X-Spam:is:yes", "size:greater:2M", "has-attachment",
 * "from-identity", "sender-in-crm". The value is the rest of the text, so
 * it may itself contain ':'. */
RpFilterCondition  *rp_filter_condition_parse            (const char               *text,
                                                          GError                  **error) G_GNUC_WARN_UNUSED_RESULT;
/* The inverse of rp_filter_condition_parse(). */
char               *rp_filter_condition_to_string        (const RpFilterCondition  *condition) G_GNUC_WARN_UNUSED_RESULT;
/* A translated sentence for the user: "Subject contains “invoice”". */
char               *rp_filter_condition_describe         (const RpFilterCondition  *condition) G_GNUC_WARN_UNUSED_RESULT;

RpFilterAction     *rp_filter_action_new                 (RpFilterActionType        type,
                                                          const char               *argument) G_GNUC_WARN_UNUSED_RESULT;
RpFilterAction     *rp_filter_action_copy                (const RpFilterAction     *action) G_GNUC_WARN_UNUSED_RESULT;
void                rp_filter_action_free                (RpFilterAction           *action);
/* Parses "ACTION[:ARG]": "move:Sent", "copy:Archive", "mark-read",
 * "flag", "delete", "forward:boss@example.com", "link-crm[:RECORD-ID]". */
RpFilterAction     *rp_filter_action_parse               (const char               *text,
                                                          GError                  **error) G_GNUC_WARN_UNUSED_RESULT;
char               *rp_filter_action_to_string           (const RpFilterAction     *action) G_GNUC_WARN_UNUSED_RESULT;
/* A translated sentence for the user: "Move to “Sent”". */
char               *rp_filter_action_describe            (const RpFilterAction     *action) G_GNUC_WARN_UNUSED_RESULT;

/* Machine names (as in the CLI syntax and the JSON export) and translated
 * display names (for the editor's drop-downs). from_string returns -1 for
 * an unknown name. */
const char         *rp_filter_field_to_string            (RpFilterField             field);
int                 rp_filter_field_from_string          (const char               *name);
const char         *rp_filter_field_get_display_name     (RpFilterField             field);
const char         *rp_filter_op_to_string               (RpFilterOp                op);
int                 rp_filter_op_from_string             (const char               *name);
const char         *rp_filter_op_get_display_name        (RpFilterOp                op);
const char         *rp_filter_action_type_to_string      (RpFilterActionType        type);
int                 rp_filter_action_type_from_string    (const char               *name);
const char         *rp_filter_action_type_get_display_name (RpFilterActionType      type);
/* Which operators a field takes (the editor offers only these); fields
 * without an operator (has-attachment, from-identity, sender-in-crm) take
 * none, and validate ignores their operator. */
gboolean            rp_filter_field_accepts_op           (RpFilterField             field,
                                                          RpFilterOp                op);
gboolean            rp_filter_field_has_value            (RpFilterField             field);
gboolean            rp_filter_action_type_has_argument   (RpFilterActionType        type);

/* Ready-made rules. "From contains ADDRESS → move to FOLDER_SPEC", named
 * after them (drag-to-Sent and drag to any folder). */
RpFilterRule       *rp_filter_rule_new_move_from         (const char               *address,
                                                          const char               *folder_spec) G_GNUC_WARN_UNUSED_RESULT;
/* "Mail from my own addresses (ACCOUNT) → Sent": account is ACCOUNT and
 * sent from one of my identities → move to Sent, mark read, stop. Offered
 * when an account is added. */
RpFilterRule       *rp_filter_rule_new_own_addresses_to_sent (const RpAccount      *account) G_GNUC_WARN_UNUSED_RESULT;

/* Storage (rp-filter-store.c). Every function is thread-safe. */
/* The rules in the order they run (element-type RpFilterRule). */
GPtrArray          *rp_store_list_filters                (RpStore                  *store,
                                                          GError                  **error) G_GNUC_WARN_UNUSED_RESULT;
RpFilterRule       *rp_store_get_filter                  (RpStore                  *store,
                                                          gint64                    id,
                                                          GError                  **error) G_GNUC_WARN_UNUSED_RESULT;
/* The first rule named @name, or NULL (without error) when none is. */
RpFilterRule       *rp_store_find_filter_by_name         (RpStore                  *store,
                                                          const char               *name,
                                                          GError                  **error) G_GNUC_WARN_UNUSED_RESULT;
/* Validates, then inserts (rule->id == 0: appended last; rule->id is set)
 * or updates (keeping its position). Returns the id, or 0 on error. */
gint64              rp_store_save_filter                 (RpStore                  *store,
                                                          RpFilterRule             *rule,
                                                          GError                  **error);
gboolean            rp_store_delete_filter               (RpStore                  *store,
                                                          gint64                    id,
                                                          GError                  **error);
/* Sets the order: @ids first, in this order; rules not in @ids keep their
 * relative order after them. */
gboolean            rp_store_reorder_filters             (RpStore                  *store,
                                                          const gint64             *ids,
                                                          guint                     n,
                                                          GError                  **error);
/* TRUE if a stored rule is rp_filter_rule_equivalent() to @rule (the rule
 * with @rule's own id does not count). */
gboolean            rp_store_has_equivalent_filter       (RpStore                  *store,
                                                          const RpFilterRule       *rule,
                                                          GError                  **error);
/* Every rule as a JSON document: {"version":1,"filters":[{"name":…,
 * "enabled":…,"match":"all"|"any","stop":…,"conditions":["from:contains:x"],
 * "actions":["move:Sent"]}]}. */
char               *rp_store_export_filters_json         (RpStore                  *store,
                                                          GError                  **error) G_GNUC_WARN_UNUSED_RESULT;
/* Appends the rules of an export, in their order, in one transaction;
 * rules equivalent to a stored one are skipped. Nothing is imported when
 * any rule is invalid. */
gboolean            rp_store_import_filters_json         (RpStore                  *store,
                                                          const char               *json,
                                                          GError                  **error);

/* Running (rp-filter-run.c). */
/* Evaluates each condition of @rule on a stored message, for "test on the
 * selected message" (element-type RpFilterExplanation). */
GPtrArray          *rp_filter_explain                    (RpStore                  *store,
                                                          const RpFilterRule       *rule,
                                                          gint64                    message_id,
                                                          GError                  **error) G_GNUC_WARN_UNUSED_RESULT;
/* TRUE if @rule matches the stored message (whatever its on/off state). */
gboolean            rp_filter_rule_matches_message       (RpStore                  *store,
                                                          const RpFilterRule       *rule,
                                                          gint64                    message_id,
                                                          gboolean                 *matches,
                                                          GError                  **error);
/* "Run filters now": applies every enabled rule, in order, to the
 * messages of @folder_id or, with @folder_id 0, to @ids (@n of them), or,
 * with neither, to every account's Inbox. Blocks; call it in a worker.
 * @n_matched (optional) receives how many messages at least one rule
 * matched. Cancelling stops within a few hundred messages; what the rules
 * decided until then is done. */
gboolean            rp_filter_run_sync                   (RpStore                  *store,
                                                          gint64                    folder_id,
                                                          const gint64             *ids,
                                                          guint                     n,
                                                          RpFilterProgressFunc      progress,
                                                          gpointer                  progress_data,
                                                          guint                    *n_matched,
                                                          GCancellable             *cancellable,
                                                          GError                  **error);
/* The same in a worker thread; @progress is called in the caller's thread
 * default main context (and must stay valid until @callback). */
void                rp_filter_run_async                  (RpStore                  *store,
                                                          gint64                    folder_id,
                                                          const gint64             *ids,
                                                          guint                     n,
                                                          RpFilterProgressFunc      progress,
                                                          gpointer                  progress_data,
                                                          GCancellable             *cancellable,
                                                          GAsyncReadyCallback       callback,
                                                          gpointer                  user_data);
gboolean            rp_filter_run_finish                 (RpStore                  *store,
                                                          GAsyncResult             *result,
                                                          guint                    *n_matched,
                                                          GError                  **error);

void                rp_filter_explanation_free           (RpFilterExplanation      *explanation);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpFilterRule, rp_filter_rule_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpFilterCondition, rp_filter_condition_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpFilterAction, rp_filter_action_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpFilterExplanation, rp_filter_explanation_free)

G_END_DECLS
