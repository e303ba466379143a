/* rp-filter-private.h: compiled filter rules, shared by the fetcher, the
 * filter runner and the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rp-filter.h"
#include "rp-store-private.h"

G_BEGIN_DECLS

/* The columns _rp_filter_message_init_row() reads, in this order, from
 * a "SELECT " RP_FILTER_MESSAGE_COLUMNS " FROM message …" statement. */
#define RP_FILTER_MESSAGE_COLUMNS \
  "id, account_id, folder_id, from_name, from_address, to_text, cc_text, subject, size," \
  " has_attachment, flags, date"
#define RP_FILTER_MESSAGE_N_COLUMNS 12

/* What a filter looks at in a message. Filled either from a message being
 * fetched (summary and raw bytes, no id yet) or from a stored row; what
 * is expensive (body, headers, single addresses) is loaded or computed on
 * first use and cached, as is every case-folded text. */
typedef struct
{
  RpStore                 *store;
  gint64                   id;              /* 0 while fetching */
  gint64                   account_id;
  gint64                   folder_id;
  const RpMessageSummary  *summary;         /* while fetching, else NULL */
  GBytes                  *raw;             /* owned; loaded on demand for stored mail */
  char                    *from_name;
  char                    *from_address;
  char                    *to_text;
  char                    *cc_text;
  char                    *subject;
  guint64                  size;
  gboolean                 has_attachment;
  RpMessageFlags           flags;
  gint64                   date;

  /* Computed on demand (owned). */
  char                    *text[RP_FILTER_FIELD_LAST + 1];
  char                    *folded[RP_FILTER_FIELD_LAST + 1];
  GPtrArray               *candidates[RP_FILTER_FIELD_LAST + 1];  /* folded single addresses and names */
  GHashTable              *headers;         /* folded name → decoded values joined by "\n", or NULL */
  GHashTable              *folded_headers;  /* folded name → folded value */

  /* What the set's index found in the folded texts (rp-filter-index.c). */
  gconstpointer            found_for;       /* the RpFilterSet of @found */
  guint8                  *found;           /* slot → the value occurs */
  guint32                  scanned;         /* 1 << field: scanned */
} RpFilterMessage;

/* Where a message goes and what else happens to it, by every rule that
 * matched it. The last move or delete decides the folder. */
typedef struct
{
  guint           n_rules_matched;
  const char     *move_to;     /* a folder spec, or NULL */
  gboolean        to_trash;
  RpMessageFlags  set_flags;
  GPtrArray      *deferred;    /* (element-type RpFilterAction) borrowed: copy, forward, link */
} RpFilterOutcome;

typedef struct _RpFilterSet RpFilterSet;
typedef struct _RpFilterIndex RpFilterIndex;

/* Compiled rules (rp-filter-match.c); its actions run in rp-filter-actions.c. */
struct _RpFilterSet
{
  RpStore     *store;
  GArray      *rules;         /* CompiledRule, in order */
  GHashTable  *own_addresses; /* folded address → itself: every identity of every account */
  GHashTable  *accounts;      /* account id → RpAccount */
  GHashTable  *folders;       /* FolderKey → folder id */
  GHashTable  *crm_known;     /* folded address → GINT_TO_POINTER (1 known, 2 unknown) */
  gboolean     needs_body;    /* a rule looks at the body */
  gboolean     needs_headers; /* a rule looks at a named header */
  RpFilterIndex *index;       /* the values of the text conditions */
};

gboolean      _rp_filter_parse_size          (const char         *text,
                                              guint64            *size);
/* A header name is RFC 5322 printable ASCII without ':' or space. */
gboolean      _rp_filter_header_name_is_valid (const char        *name);

void          _rp_filter_message_init_fetched (RpFilterMessage   *msg,
                                               RpStore           *store,
                                               gint64             account_id,
                                               const RpMessageSummary *summary,
                                               GBytes            *raw);
void          _rp_filter_message_init_row    (RpFilterMessage    *msg,
                                              RpStore            *store,
                                              sqlite3_stmt       *stmt);
/* Loads a stored message; FALSE with RP_ERROR_INVALID_ARGUMENT when there
 * is none with @id. */
gboolean      _rp_filter_message_load        (RpFilterMessage    *msg,
                                              RpStore            *store,
                                              gint64              id,
                                              GError            **error);
void          _rp_filter_message_clear       (RpFilterMessage    *msg);

/* Compiles @rules (only the enabled ones unless @include_disabled):
 * regular expressions, case-folded needles and sizes once, and the
 * accounts' own addresses. Fails on an invalid rule. */
RpFilterSet  *_rp_filter_set_new             (RpStore            *store,
                                              GPtrArray          *rules,
                                              gboolean            include_disabled,
                                              GError            **error);
/* The stored, enabled rules, compiled. */
RpFilterSet  *_rp_filter_set_load            (RpStore            *store,
                                              GError            **error);
void          _rp_filter_set_free            (RpFilterSet        *set);
guint         _rp_filter_set_get_n_rules     (RpFilterSet        *set);
/* Runs every rule on @msg, in order, honouring "stop". @outcome must be
 * cleared with _rp_filter_outcome_clear(). */
void          _rp_filter_set_evaluate        (RpFilterSet        *set,
                                              RpFilterMessage    *msg,
                                              RpFilterOutcome    *outcome);
/* Whether condition @index of rule @rule_index matches (for explaining). */
gboolean      _rp_filter_set_condition_matches (RpFilterSet      *set,
                                                guint             rule_index,
                                                guint             index,
                                                RpFilterMessage  *msg);
/* The folder of @spec for a message of @account_id: a special folder of
 * that account, a user folder in it or (by name) in any account; created
 * in the account when missing. Cached. */
gint64        _rp_filter_set_resolve_folder  (RpFilterSet        *set,
                                              gint64              account_id,
                                              const char         *spec,
                                              GError            **error);
/* The fetcher's hook: decides folder and flags of @msg before it is
 * stored. Returns the actions to run once it is committed (copy, forward,
 * link), or NULL. */
GPtrArray    *_rp_filter_set_classify        (RpFilterSet        *set,
                                              const RpAccount    *account,
                                              RpStoreNewMessage  *msg);
/* Runs copy, forward and link actions on the stored message @message_id
 * (from @from_address, of @account_id). Failures are logged and counted
 * in the return value, never fatal: the message is stored either way. */
guint         _rp_filter_set_run_deferred    (RpFilterSet        *set,
                                              gint64              account_id,
                                              gint64              message_id,
                                              const char         *from_address,
                                              GPtrArray          *deferred);
void          _rp_filter_outcome_clear       (RpFilterOutcome    *outcome);

/* The values of text conditions, by field (rp-filter-index.c). Add every
 * value, finish, then scan a message's folded field text once: @found
 * (one byte per slot) gets TRUE for each value of the field that occurs. */
RpFilterIndex *_rp_filter_index_new          (void);
void          _rp_filter_index_free          (RpFilterIndex      *index);
gboolean      _rp_filter_index_field_is_indexed (RpFilterField    field);
/* Returns the slot of @folded_value, which must outlive @index. */
int           _rp_filter_index_add           (RpFilterIndex      *index,
                                              RpFilterField       field,
                                              const char         *folded_value);
void          _rp_filter_index_finish        (RpFilterIndex      *index);
guint         _rp_filter_index_get_n_slots   (RpFilterIndex      *index);
void          _rp_filter_index_scan          (RpFilterIndex      *index,
                                              RpFilterField       field,
                                              const char         *folded_text,
                                              guint8             *found);

G_END_DECLS
