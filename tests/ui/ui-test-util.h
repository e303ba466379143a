/* ui-test-util.h: shared set-up and helpers for the in-process UI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rp-application.h"
#include "rp-test-util.h"
#include "rp-window.h"

G_BEGIN_DECLS

/* A condition for rp_ui_test_wait_until(). */
typedef gboolean (*RpUiTestCondition) (gpointer data);

void            rp_ui_test_init                (int                *argc,
                                                char             ***argv);
gboolean        rp_ui_test_set_flag            (gpointer            flag);
void            rp_ui_test_spin                (guint               ms);
void            rp_ui_test_wait_until          (RpUiTestCondition   condition,
                                                gpointer            data,
                                                guint               timeout_ms);
void            rp_ui_test_save_screenshot     (GtkWidget          *widget,
                                                const char         *name);
gpointer        rp_ui_test_template_child      (gpointer            widget,
                                                GType               type,
                                                const char         *name);
RpApplication  *rp_ui_test_new_application     (void) G_GNUC_WARN_UNUSED_RESULT;
RpWindow       *rp_ui_test_present_window      (RpApplication      *app);
/* What the test's notification server was told (see
 * rp_ui_test_own_notifications()). */
typedef struct
{
  guint  n_notify;
  char  *summary;   /* of the last notification */
  char  *body;
} RpUiTestNotifications;

RpUiTestNotifications *rp_ui_test_own_notifications (void);
void            rp_ui_test_use_german          (void);

/* Runs the main loop until @cond, any C expression, holds; fails the test
 * when it still does not after @seconds. A macro, not a function, so
 * that the expression is evaluated afresh on every iteration and the
 * failure message names it. */
#define RP_UI_TEST_WAIT_FOR(cond, seconds) \
  G_STMT_START { \
    gboolean rp_timed_out_ = FALSE; \
    guint rp_timeout_id_ = g_timeout_add_seconds ((seconds), rp_ui_test_set_flag, \
                                                  &rp_timed_out_); \
    while (!(cond) && !rp_timed_out_) \
      g_main_context_iteration (NULL, TRUE); \
    if (!rp_timed_out_) \
      g_source_remove (rp_timeout_id_); \
    g_assert_true (cond); \
  } G_STMT_END

/* A GApplication stays exported on the session bus while anything holds
 * it, so a test that registers one runs itself again in a fresh child
 * process: the parent only checks that the child passed. */
#define RP_UI_TEST_RUN_IN_SUBPROCESS() \
  G_STMT_START { \
    if (!g_test_subprocess ()) \
      { \
        g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, \
                                G_TEST_SUBPROCESS_INHERIT_STDERR); \
        g_test_trap_assert_passed (); \
        return; \
      } \
  } G_STMT_END

G_END_DECLS
