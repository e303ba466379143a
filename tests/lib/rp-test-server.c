/* rp-test-server.c: what the real-server fixtures share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport-test-server"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>

#include <glib/gstdio.h>

#include "rp-test-server.h"

/* Auxiliary methods */

static void
child_setup (gpointer user_data)
{
  /* A test that crashes or is killed by meson's timeout must not leave a
   * server running: the kernel sends SIGTERM to the child when the thread
   * that started it ends. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* Public API */

/**
 * rp_test_server_find_free_port:
 *
 * Returns: a loopback TCP port that nothing listened on a moment ago
 */
guint16
rp_test_server_find_free_port (void)
{
  struct sockaddr_in addr = { 0 };
  socklen_t len = sizeof addr;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  guint16 port;

  g_assert_cmpint (fd, >=, 0);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (bind (fd, (struct sockaddr *) &addr, sizeof addr) != 0 ||
      getsockname (fd, (struct sockaddr *) &addr, &len) != 0)
    g_error ("Cannot find a free port: %s", g_strerror (errno));
  port = ntohs (addr.sin_port);
  close (fd);

  return port;
}

/**
 * rp_test_server_port_accepts:
 * @port: a loopback TCP port
 *
 * Returns: whether a connection to 127.0.0.1:@port is accepted
 */
gboolean
rp_test_server_port_accepts (guint16 port)
{
  struct sockaddr_in addr = { 0 };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  gboolean ok;

  g_assert_cmpint (fd, >=, 0);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  addr.sin_port = htons (port);
  ok = connect (fd, (struct sockaddr *) &addr, sizeof addr) == 0;
  close (fd);

  return ok;
}

/**
 * rp_test_server_spawn:
 * @argv: the command
 * @output_path: file that receives the command's stdout and stderr
 *
 * Returns: (transfer full): the running child
 */
GSubprocess *
rp_test_server_spawn (const char * const *argv,
                      const char         *output_path)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_return_val_if_fail (argv != NULL && argv[0] != NULL, NULL);
  g_return_val_if_fail (output_path != NULL, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_stdout_file_path (launcher, output_path);
  g_subprocess_launcher_set_stderr_file_path (launcher, output_path);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);

  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (process == NULL)
    g_error ("Cannot start %s: %s", argv[0], error->message);

  return process;
}

/**
 * rp_test_server_stop:
 * @process: a child started by rp_test_server_spawn()
 *
 * Sends SIGTERM, and SIGKILL if the child is still there five seconds
 * later; returns once it has exited.
 */
void
rp_test_server_stop (GSubprocess *process)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  g_return_if_fail (G_IS_SUBPROCESS (process));

  g_subprocess_send_signal (process, SIGTERM);
  while (g_subprocess_get_identifier (process) != NULL &&
         g_get_monotonic_time () < deadline)
    g_usleep (10 * G_TIME_SPAN_MILLISECOND);
  if (g_subprocess_get_identifier (process) != NULL)
    g_subprocess_force_exit (process);
  g_subprocess_wait (process, NULL, NULL);
}

/**
 * rp_test_server_wait_file_settled:
 * @path: a log file
 *
 * Returns once the file's size has not changed for 150 ms, or after two
 * seconds.
 */
void
rp_test_server_wait_file_settled (const char *path)
{
  gint64 deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  goffset last_size = -1;
  guint stable_rounds = 0;

  g_return_if_fail (path != NULL);

  while (stable_rounds < 6 && g_get_monotonic_time () < deadline)
    {
      GStatBuf st;
      goffset size = g_stat (path, &st) == 0 ? st.st_size : 0;

      if (size == last_size)
        stable_rounds++;
      else
        stable_rounds = 0;
      last_size = size;
      g_usleep (25 * G_TIME_SPAN_MILLISECOND);
    }
}

/**
 * rp_test_server_read_file:
 * @path: a file
 *
 * Returns: (transfer full): its contents, or "" if it cannot be read
 */
char *
rp_test_server_read_file (const char *path)
{
  char *contents = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return g_strdup ("");
  return contents;
}
