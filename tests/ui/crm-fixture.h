/* crm-fixture.h: what the CRM window tests share: an application with a
 * seeded store and a main window showing the Inbox beside the sidebar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rp-application.h"
#include "rp-crm.h"
#include "rp-crm-sidebar-private.h"
#include "rp-test-util.h"
#include "rp-window-crm.h"
#include "rp-window-private.h"

G_BEGIN_DECLS

#define DANA "dana.whitfield@brightpath.example"
#define ANNA "anna.berg@example.org"

typedef struct
{
  RpApplication *app;
  RpWindow      *window;
  RpStore       *store;
  gint64         account_id;
  gint64         inbox_id;
  gint64         sent_id;
  gint64         dana_id;      /* Dana's question, in the Inbox */
  gint64         reply_id;     /* our answer to Dana, in Sent */
  gint64         anna_id;      /* Anna's message, in the Inbox */
} Fixture;

/* Sets the gboolean at @user_data; for WAIT_FOR and spin(). */
gboolean      fixture_on_timeout   (gpointer      user_data);

/* Runs the main loop until @cond holds; fails after 10 s. */
#define WAIT_FOR(cond) \
  G_STMT_START { \
    gboolean timed_out_ = FALSE; \
    guint id_ = g_timeout_add_seconds (10, fixture_on_timeout, &timed_out_); \
    while (!(cond) && !timed_out_) \
      g_main_context_iteration (NULL, TRUE); \
    if (!timed_out_) \
      g_source_remove (id_); \
    g_assert_true (cond); \
  } G_STMT_END

/* Each test runs in a subprocess: a registered GtkApplication cannot be
 * replaced by another within one process. */
#define RUN_IN_SUBPROCESS() \
  G_STMT_START { \
    if (!g_test_subprocess ()) \
      { \
        g_test_trap_subprocess (NULL, 90 * G_USEC_PER_SEC, \
                                G_TEST_SUBPROCESS_INHERIT_STDERR); \
        g_test_trap_assert_passed (); \
        return; \
      } \
  } G_STMT_END

/* GTK, libadwaita and the icons, for main() after rp_test_init(). */
void          fixture_init_gtk     (void);
void          spin                 (guint         ms);

/* The application, the store with the account "work" (Jonas's, Dana's and
 * Anna's mail in the Inbox, our answer to Dana in Sent) and a window
 * @width wide showing the Inbox with the sidebar. */
void          fixture_setup_at     (Fixture      *f,
                                    int           width);
void          fixture_setup        (Fixture      *f);
void          fixture_teardown     (Fixture      *f);
gint64        add_message          (Fixture      *f,
                                    gint64        folder_id,
                                    const char   *from,
                                    const char   *to,
                                    const char   *subject,
                                    guint         day,
                                    const char   *body);
/* Anna as a contact with a task, an event and a note; returns her id. */
gint64        add_anna             (Fixture      *f);

RpCrmSidebar *sidebar              (Fixture      *f);
/* Selects @message_id in the message list and waits for the sidebar. */
void          select_message       (Fixture      *f,
                                    gint64        message_id);
void          wait_for_record_page (Fixture      *f);
guint         count_rows           (GtkListBox   *list);

G_END_DECLS
