/* rp-test-server.h: what the real-server fixtures (Dovecot, Postfix)
 * share: free ports, child processes that die with the test, logs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A loopback TCP port that nothing listened on a moment ago (bound to
 * port 0 and closed again); the caller retries if another process takes
 * it in between. */
guint16      rp_test_server_find_free_port     (void);
/* Whether something accepts connections on 127.0.0.1:@port. */
gboolean     rp_test_server_port_accepts       (guint16             port);
/* Runs @argv as a child that gets SIGTERM when the calling thread ends (so
 * that a test killed mid-way leaves no server behind), with stdout and
 * stderr going to @output_path. Aborts the test if it cannot start. Start
 * servers from the main thread: a worker thread that ends takes its
 * servers with it. */
GSubprocess *rp_test_server_spawn              (const char * const *argv,
                                                const char         *output_path) G_GNUC_WARN_UNUSED_RESULT;
/* SIGTERM, then SIGKILL after five seconds; returns once the child has
 * exited. */
void         rp_test_server_stop               (GSubprocess        *process);
/* Waits (up to two seconds) until the file has stopped growing: servers
 * hand log lines to a logging process that writes them a moment later. */
void         rp_test_server_wait_file_settled  (const char         *path);
/* The file's contents, or "" if it does not exist. */
char        *rp_test_server_read_file          (const char         *path) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
