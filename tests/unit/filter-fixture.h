/* filter-fixture.h: what the filter tests share (test-filter.c, the
 * rules themselves; test-filter-run.c, the rules applied to mail): a
 * store with the account "work" and its folders, and helpers to add
 * messages and rules and to look at the messages afterwards
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <string.h>

#include "rp-core.h"
#include "rp-crm.h"
#include "rp-filter.h"
#include "rp-filter-private.h"
#include "rp-outbox.h"
#include "rp-test-util.h"

G_BEGIN_DECLS

typedef struct
{
  char      *dir;
  RpStore   *store;
  RpAccount *account;
  gint64     inbox;
  gint64     sent;
  gint64     trash;
} Fixture;

/* A message with a unique Message-ID; @cc, @extra_headers may be NULL. */
GBytes        *build_message    (const char   *from,
                                 const char   *to,
                                 const char   *cc,
                                 const char   *subject,
                                 const char   *extra_headers,
                                 const char   *body,
                                 gboolean      attachment);
/* Stores @raw (and unrefs it) in @folder; returns the message's id. */
gint64         add_message      (Fixture      *f,
                                 gint64        folder,
                                 GBytes       *raw);
/* A plain message from @from to the user, in the Inbox. */
gint64         add_simple       (Fixture      *f,
                                 const char   *from,
                                 const char   *subject);
/* A rule of one condition and one action, in their text forms. */
RpFilterRule  *rule_from        (const char   *name,
                                 const char   *condition,
                                 const char   *action);
gint64         save             (Fixture      *f,
                                 RpFilterRule *rule);
/* Saves a new rule and frees it. */
gint64         add_rule         (Fixture      *f,
                                 RpFilterRule *rule);
RpMessageItem *get_item         (Fixture      *f,
                                 gint64        id);
gint64         folder_of        (Fixture      *f,
                                 gint64        id);
guint          flags_of         (Fixture      *f,
                                 gint64        id);
/* Sets the flags behind the store's back, as another client might. */
void           set_flags_sql    (Fixture      *f,
                                 gint64        message_id,
                                 guint         flags);
/* Whether @condition matches the stored message, both as the editor's
 * test and as "Run filters now" see it (see filter-fixture.c). */
gboolean       matches          (Fixture      *f,
                                 const char   *condition,
                                 gint64        message_id);
guint          count_in         (Fixture      *f,
                                 gint64        folder);
/* Runs the saved rules over the Inbox; @expect_matched messages match. */
void           run_inbox        (Fixture      *f,
                                 guint         expect_matched);

void           fixture_setup    (Fixture       *f,
                                 gconstpointer  data);
void           fixture_teardown (Fixture       *f,
                                 gconstpointer  data);

G_END_DECLS
