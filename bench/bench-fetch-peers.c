/* bench-fetch-peers.c: fetchmail and getmail6 as bench-fetch runs them
 *
 * Both fetch the same Dovecot mailbox as Rapport, over POP3 with implicit
 * TLS and the test CA, keeping the mail on the server and remembering
 * what they fetched (fetchmail's UIDL list, getmail's oldmail file), so
 * that a second run is a no-new-mail poll. Each run's output goes to a log
 * in the client's folder, shown when the client fails.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport-bench"

#include "config.h"

#include <sys/resource.h>
#include <gio/gio.h>

#include "bench-fetch.h"

#define NOBODY      65534
#define DOVECOT_LDA "/usr/lib/dovecot/dovecot-lda"

/* Auxiliary methods */

static guint
count_maildir (const char *maildir)
{
  static const char * const subdirs[] = { "new", "cur" };
  guint count = 0;

  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *path = g_build_filename (maildir, subdirs[i], NULL);
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

      while (dir != NULL && g_dir_read_name (dir) != NULL)
        count++;
    }

  return count;
}

/* Runs a command with its output in @log; returns its wall time and, in
 * @cpu, the CPU time of the command and everything it waited for. */
static double
run_command (const char * const *argv,
             const char * const *env,
             const char         *log,
             int                *exit_status,
             double             *cpu)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  double cpu_start = bench_cpu_seconds (RUSAGE_CHILDREN);
  double start;

  g_subprocess_launcher_set_environ (launcher, (char **) env);
  g_subprocess_launcher_set_stdout_file_path (launcher, log);

  start = bench_now_seconds ();
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (process == NULL || !g_subprocess_wait (process, NULL, &error))
    g_error ("%s: %s", argv[0], error->message);
  start = bench_now_seconds () - start;

  *cpu = bench_cpu_seconds (RUSAGE_CHILDREN) - cpu_start;
  *exit_status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process)
                                                      : -1;
  return start;
}

G_GNUC_NORETURN static void
fail_with_log (const char *client,
               const char *log,
               int         status)
{
  g_autofree char *text = NULL;

  g_file_get_contents (log, &text, NULL, NULL);
  g_printerr ("---- %s (%s) ----\n%s\n----\n", client, log, text != NULL ? text : "");
  g_error ("%s exited with status %d", client, status);
}

/* Public API */

/**
 * bench_run_fetchmail:
 * @b: the benchmark
 * @n: how many messages the mailbox holds
 * @user: the mailbox's POP3 user
 * @lmtp: deliver over LMTP to @b's sink Dovecot, else through dovecot-lda
 * @result: (out caller-allocates): the first download and the best poll
 *
 * Runs fetchmail (--keep, UIDL) once for the first download and then
 * BENCH_POLL_RUNS times more; aborts unless the sink holds exactly @n
 * messages after each.
 */
void
bench_run_fetchmail (Bench       *b,
                     guint        n,
                     const char  *user,
                     gboolean     lmtp,
                     BenchResult *result)
{
  const char *mode = lmtp ? "lmtp" : "mda";
  g_autofree char *local = g_strdup_printf ("fm%s%u", mode, n);
  g_autofree char *client = g_strdup_printf ("fetchmail (%s)", mode);
  g_autofree char *home = g_strdup_printf ("%s/fetchmail-%s-%u", b->work_dir, mode, n);
  g_autofree char *rc_path = g_build_filename (home, "fetchmailrc", NULL);
  g_autofree char *pid_path = g_build_filename (home, "fetchmail.pid", NULL);
  g_autofree char *log = g_build_filename (home, "fetchmail.log", NULL);
  g_autofree char *poll_log = g_build_filename (home, "fetchmail-poll.log", NULL);
  g_autofree char *sink_conf = g_build_filename (rp_test_dovecot_get_dir (b->sink),
                                                 "dovecot.conf", NULL);
  g_autofree char *delivery = NULL;
  g_autofree char *rc = NULL;
  g_autofree char *env_home = g_strconcat ("HOME=", home, NULL);
  g_autofree char *env_fetchmail = g_strconcat ("FETCHMAILHOME=", home, NULL);
  g_autoptr(GPtrArray) files = NULL;
  const char *argv[] = {
    "fetchmail", "-f", rc_path, "--pidfile", pid_path, "--nodetach", "--nosyslog", NULL,
  };
  const char *env[] = {
    "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", env_home, env_fetchmail, NULL,
  };
  int status = 0;
  double cpu = 0;

  rp_test_dovecot_add_user (b->sink, local, BENCH_PASSWORD);
  bench_make_dir (home, 0);

  /* LMTP keeps one connection to Dovecot for the whole run; the MDA is a
   * new dovecot-lda process for every message, as in most setups. */
  if (lmtp)
    delivery = g_strdup_printf ("lmtp smtphost \"%s\" smtpaddress localhost",
                                rp_test_dovecot_get_lmtp_socket (b->sink));
  else
    delivery = g_strdup_printf ("mda \"%s -c %s -d %s\"", DOVECOT_LDA, sink_conf, local);

  /* No bounce messages to anyone: a delivery problem must show in the
   * log and in the count, not as mail sent somewhere else. The rc file
   * holds a password, and fetchmail refuses one others can read. */
  rc = g_strdup_printf ("set no bouncemail\n"
                        "set no softbounce\n"
                        "set no syslog\n"
                        "poll localhost protocol pop3 service %u uidl timeout 120\n"
                        "  user \"%s\" there with password \"%s\" is \"%s\" here\n"
                        "  ssl sslcertck sslcertfile \"%s\"\n"
                        "  keep no rewrite\n"
                        "  %s\n",
                        b->port, user, BENCH_PASSWORD, local, rp_test_ca_get_ca_file (b->ca),
                        delivery);
  bench_write_file (rc_path, rc, 0600, 0);

  result->seconds = run_command (argv, env, log, &status, &result->cpu);
  if (status != 0)
    fail_with_log (client, log, status);
  files = rp_test_dovecot_list_messages (b->sink, local);
  bench_expect_count (client, "delivered", files->len, n);
  g_clear_pointer (&files, g_ptr_array_unref);

  result->poll_seconds = G_MAXDOUBLE;
  for (guint run = 0; run < BENCH_POLL_RUNS; run++)
    {
      double seconds = run_command (argv, env, poll_log, &status, &cpu);

      /* 1 is fetchmail's "no new mail". */
      if (status != 1)
        fail_with_log (client, poll_log, status);
      result->poll_seconds = MIN (result->poll_seconds, seconds);
      files = rp_test_dovecot_list_messages (b->sink, local);
      bench_expect_count (client, "has after the poll", files->len, n);
      g_clear_pointer (&files, g_ptr_array_unref);
    }
}

/**
 * bench_run_getmail:
 * @b: the benchmark
 * @n: how many messages the mailbox holds
 * @user: the mailbox's POP3 user
 * @result: (out caller-allocates): the first download and the best poll
 *
 * Runs getmail6 as nobody into a Maildir of its own, once for the first
 * download and then BENCH_POLL_RUNS times more; aborts unless the Maildir
 * holds exactly @n messages after each.
 */
void
bench_run_getmail (Bench       *b,
                   guint        n,
                   const char  *user,
                   BenchResult *result)
{
  g_autofree char *home = g_strdup_printf ("%s/getmail-%u", b->work_dir, n);
  g_autofree char *maildir = g_build_filename (home, "Maildir", NULL);
  g_autofree char *rc_path = g_build_filename (home, "getmailrc", NULL);
  g_autofree char *log = g_build_filename (home, "getmail.log", NULL);
  g_autofree char *poll_log = g_build_filename (home, "getmail-poll.log", NULL);
  g_autofree char *rc = NULL;
  g_autofree char *env_home = g_strconcat ("HOME=", home, NULL);
  g_autofree char *getmaildir = g_strconcat ("--getmaildir=", home, NULL);
  static const char * const subdirs[] = { "cur", "new", "tmp" };
  /* getmail refuses to deliver as root, and without being held to one CPU
   * it can miss a SIGCHLD and hang. It cannot read the test CA in its
   * private folder, hence the copy. */
  const char *argv[] = {
    "taskset", "-c", "0", "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
    "getmail", getmaildir, "--rcfile=getmailrc", "--quiet", NULL,
  };
  const char *env[] = {
    "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C.UTF-8", env_home, NULL,
  };
  int status = 0;
  double cpu = 0;

  bench_make_dir (home, NOBODY);
  bench_make_dir (maildir, NOBODY);
  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *sub = g_build_filename (maildir, subdirs[i], NULL);

      bench_make_dir (sub, NOBODY);
    }

  rc = g_strdup_printf ("[retriever]\n"
                        "type = SimplePOP3SSLRetriever\n"
                        "server = localhost\n"
                        "port = %u\n"
                        "username = %s\n"
                        "password = %s\n"
                        "ca_certs = %s\n"
                        "\n"
                        "[destination]\n"
                        "type = Maildir\n"
                        "path = %s/\n"
                        "\n"
                        "[options]\n"
                        "read_all = false\n"
                        "delete = false\n"
                        "verbose = 0\n",
                        b->port, user, BENCH_PASSWORD, b->ca_copy, maildir);
  /* read_all = true would ignore the oldmail file and fetch everything
   * again in the poll; in the first run nothing is old, so false fetches
   * exactly the same. */
  bench_write_file (rc_path, rc, 0600, NOBODY);

  result->seconds = run_command (argv, env, log, &status, &result->cpu);
  if (status != 0)
    fail_with_log ("getmail", log, status);
  bench_expect_count ("getmail", "delivered", count_maildir (maildir), n);

  result->poll_seconds = G_MAXDOUBLE;
  for (guint run = 0; run < BENCH_POLL_RUNS; run++)
    {
      double seconds = run_command (argv, env, poll_log, &status, &cpu);

      if (status != 0)
        fail_with_log ("getmail poll", poll_log, status);
      result->poll_seconds = MIN (result->poll_seconds, seconds);
      bench_expect_count ("getmail", "has after the poll", count_maildir (maildir), n);
    }
}
