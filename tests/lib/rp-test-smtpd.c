/* rp-test-smtpd.c: a real Postfix 3.7 instance on free loopback ports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport-test-smtpd"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "rp-test-server.h"
#include "rp-test-smtpd.h"
#include "rp-test-util.h"

#define POSTFIX_MASTER "/usr/lib/postfix/sbin/master"
#define POSTMAP "/usr/sbin/postmap"
#define START_ATTEMPTS 5
#define START_TIMEOUT_MS 10000
#define DEFAULT_SIZE_LIMIT 10240000

struct _RpTestSmtpd
{
  RpTestDovecot *dovecot;  /* Not owned: must outlive this. */

  char *dir;
  char *etc_dir;
  char *queue_dir;
  char *log_path;
  char *output_path;
  char *vmailbox_path;
  char *cert_file;
  char *key_file;

  guint16 submission_port;
  guint16 submissions_port;
  guint16 plain_port;
  gsize size_limit;

  GSubprocess *master;
};

/* Queue folders as post-install creates them: name, owner group (the
 * owner is always the mail owner) and mode. Making them here spares the
 * second that `postfix check` takes. */
static const struct
{
  const char *name;
  gboolean setgid_group;
  int mode;
} queue_dirs[] = {
  { "active", FALSE, 0700 },
  { "bounce", FALSE, 0700 },
  { "corrupt", FALSE, 0700 },
  { "defer", FALSE, 0700 },
  { "deferred", FALSE, 0700 },
  { "flush", FALSE, 0700 },
  { "hold", FALSE, 0700 },
  { "incoming", FALSE, 0700 },
  { "private", FALSE, 0700 },
  { "saved", FALSE, 0700 },
  { "trace", FALSE, 0700 },
  { "maildrop", TRUE, 0730 },
  { "public", TRUE, 0710 },
};

/* Every service runs outside a chroot, since the queue lives in a
 * temporary folder; postlog writes maillog_file. */
static const char master_cf_services[] =
  "pickup     unix       n - n 60   1 pickup\n"
  "cleanup    unix       n - n -    0 cleanup\n"
  "qmgr       unix       n - n 300  1 qmgr\n"
  "tlsmgr     unix       - - n 1000? 1 tlsmgr\n"
  "rewrite    unix       - - n -    - trivial-rewrite\n"
  "bounce     unix       - - n -    0 bounce\n"
  "defer      unix       - - n -    0 bounce\n"
  "trace      unix       - - n -    0 bounce\n"
  "verify     unix       - - n -    1 verify\n"
  "flush      unix       n - n 1000? 0 flush\n"
  "proxymap   unix       - - n -    - proxymap\n"
  "proxywrite unix       - - n -    1 proxymap\n"
  "smtp       unix       - - n -    - smtp\n"
  "relay      unix       - - n -    - smtp\n"
  "showq      unix       n - n -    - showq\n"
  "error      unix       - - n -    - error\n"
  "retry      unix       - - n -    - error\n"
  "discard    unix       - - n -    - discard\n"
  "lmtp       unix       - - n -    - lmtp\n"
  "anvil      unix       - - n -    1 anvil\n"
  "scache     unix       - - n -    1 scache\n"
  "postlog    unix-dgram n - n -    1 postlogd\n";

/* Auxiliary methods */

static void
make_dir (const char *path,
          int         mode,
          uid_t       uid,
          gid_t       gid)
{
  if (g_mkdir (path, mode) != 0 && errno != EEXIST)
    g_error ("Cannot create %s: %s", path, g_strerror (errno));
  if (g_chmod (path, mode) != 0 || chown (path, uid, gid) != 0)
    g_error ("Cannot set the owner and mode of %s: %s", path, g_strerror (errno));
}

/* Postfix's load_file() waits, 300 ms at a time, until a configuration
 * file is more than a second old ("race condition with fast writers"),
 * which would add two seconds to every start and every postmap. The files
 * written here are complete before any Postfix program reads them, so
 * they are back-dated a minute. */
static void
write_file (const char *path,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  struct timespec times[2];

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);

  times[0].tv_sec = g_get_real_time () / G_USEC_PER_SEC - 60;
  times[0].tv_nsec = 0;
  times[1] = times[0];
  if (utimensat (AT_FDCWD, path, times, 0) != 0)
    g_error ("Cannot set the mtime of %s: %s", path, g_strerror (errno));
}

static void
run_postmap (RpTestSmtpd *self,
             const char  *map)
{
  g_autofree char *map_arg = g_strconcat ("hash:", map, NULL);
  const char *argv[] = { POSTMAP, "-c", self->etc_dir, map_arg, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     &out, &err, &wait_status, &error))
    g_error ("Cannot run postmap: %s", error->message);
  if (!g_spawn_check_wait_status (wait_status, &error))
    g_error ("postmap %s failed (%s): %s", map, error->message, err);
}

/* Postfix refuses RCPT TO for addresses in virtual_mailbox_domains that
 * this map does not list. A running smtpd notices that the .db file was
 * replaced (its link count drops to zero) and restarts before its next
 * connection, so a new user is known at once without a reload. */
static void
write_vmailbox (RpTestSmtpd *self)
{
  g_autoptr(GPtrArray) users = rp_test_dovecot_list_users (self->dovecot);
  g_autoptr(GString) map = g_string_new ("");
  g_autofree char *new_path = g_strconcat (self->vmailbox_path, ".new", NULL);
  g_autofree char *new_db = g_strconcat (new_path, ".db", NULL);
  g_autofree char *db = g_strconcat (self->vmailbox_path, ".db", NULL);

  for (guint i = 0; i < users->len; i++)
    g_string_append_printf (map, "%s@" RP_TEST_DOMAIN " %s\n",
                            (const char *) g_ptr_array_index (users, i),
                            (const char *) g_ptr_array_index (users, i));

  write_file (new_path, map->str);
  run_postmap (self, new_path);
  if (g_rename (new_db, db) != 0 || g_rename (new_path, self->vmailbox_path) != 0)
    g_error ("Cannot replace %s: %s", db, g_strerror (errno));
}

static void
users_changed_cb (RpTestDovecot *dovecot,
                  gpointer       user_data)
{
  RpTestSmtpd *self = user_data;

  g_assert (self->dovecot == dovecot);
  write_vmailbox (self);
}

static void
write_config (RpTestSmtpd *self)
{
  g_autoptr(GString) main_cf = g_string_new ("");
  g_autoptr(GString) master_cf = g_string_new ("");
  g_autofree char *main_path = g_build_filename (self->etc_dir, "main.cf", NULL);
  g_autofree char *master_path = g_build_filename (self->etc_dir, "master.cf", NULL);
  g_autofree char *data_dir = g_build_filename (self->dir, "data", NULL);

  g_string_append_printf (main_cf,
                          "compatibility_level = 3.6\n"
                          "queue_directory = %s\n"
                          "data_directory = %s\n"
                          "mail_owner = postfix\n"
                          "setgid_group = postdrop\n"
                          "maillog_file = %s\n"
                          "maillog_file_prefixes = %s\n",
                          self->queue_dir, data_dir, self->log_path, self->dir);

  /* Nothing is delivered locally and nothing leaves the machine: mail for
   * example.test goes to Dovecot over LMTP, and mail for other domains,
   * accepted from authenticated clients, is discarded (rather than
   * bounced into a test user's mailbox). */
  g_string_append (main_cf,
                   "inet_interfaces = 127.0.0.1\n"
                   "inet_protocols = ipv4\n"
                   "myhostname = localhost\n"
                   "mydomain = localdomain\n"
                   "myorigin = localhost\n"
                   "mydestination =\n"
                   "mynetworks = 127.0.0.0/8\n"
                   "relayhost =\n"
                   "alias_maps =\n"
                   "alias_database =\n"
                   "biff = no\n"
                   "smtpd_peername_lookup = no\n"
                   "smtpd_banner = $myhostname ESMTP Postfix\n"
                   "smtpd_error_sleep_time = 0s\n"
                   "queue_run_delay = 1s\n"
                   "minimal_backoff_time = 1s\n"
                   "maximal_backoff_time = 2s\n"
                   "virtual_mailbox_domains = " RP_TEST_DOMAIN "\n"
                   "default_transport = discard:mail to other domains is dropped by the test server\n");
  g_string_append_printf (main_cf,
                          "virtual_mailbox_maps = hash:%s\n"
                          "virtual_transport = lmtp:unix:%s\n"
                          "message_size_limit = %" G_GSIZE_FORMAT "\n",
                          self->vmailbox_path,
                          rp_test_dovecot_get_lmtp_socket (self->dovecot),
                          self->size_limit);

  /* No permit_mynetworks: relaying needs AUTH, even from loopback. */
  g_string_append_printf (main_cf,
                          "smtpd_sasl_type = dovecot\n"
                          "smtpd_sasl_path = inet:127.0.0.1:%u\n"
                          "smtpd_sasl_auth_enable = yes\n"
                          "smtpd_relay_restrictions = permit_sasl_authenticated, "
                          "reject_unauth_destination\n"
                          "smtpd_tls_chain_files = %s, %s\n"
                          "smtpd_tls_security_level = may\n"
                          "smtpd_tls_protocols = >=TLSv1.2\n"
                          "smtpd_tls_mandatory_protocols = >=TLSv1.2\n",
                          rp_test_dovecot_get_auth_port (self->dovecot),
                          self->key_file, self->cert_file);

  g_string_append_printf (master_cf,
                          "127.0.0.1:%u inet n - n - - smtpd"
                          " -o syslog_name=postfix/submission"
                          " -o smtpd_tls_security_level=may"
                          " -o smtpd_tls_auth_only=yes\n"
                          "127.0.0.1:%u inet n - n - - smtpd"
                          " -o syslog_name=postfix/submissions"
                          " -o smtpd_tls_wrappermode=yes"
                          " -o smtpd_tls_security_level=encrypt\n"
                          "127.0.0.1:%u inet n - n - - smtpd"
                          " -o syslog_name=postfix/plain"
                          " -o smtpd_tls_security_level=none"
                          " -o smtpd_tls_auth_only=no\n",
                          self->submission_port, self->submissions_port, self->plain_port);
  g_string_append (master_cf, master_cf_services);

  write_file (main_path, main_cf->str);
  write_file (master_path, master_cf->str);
}

static gboolean
all_ports_answer (RpTestSmtpd *self)
{
  return rp_test_server_port_accepts (self->submission_port) &&
         rp_test_server_port_accepts (self->submissions_port) &&
         rp_test_server_port_accepts (self->plain_port);
}

/* Starts the master on the current ports. Returns FALSE if a port was
 * taken (the caller may retry with other ports); any other failure ends
 * the test. */
static gboolean
try_start (RpTestSmtpd *self)
{
  /* The master runs in the foreground (it never forks itself away), but
   * it changes its effective uid now and then, and the kernel forgets a
   * parent-death signal on such a change. A shell that stays our child
   * keeps the signal and passes it on, so that Postfix still dies with a
   * killed test; stopping the shell stops the master the same way. */
  const char *argv[] = {
    "/bin/sh", "-c",
    "\"$0\" -c \"$1\" -s & pid=$!\n"
    "trap 'kill -TERM $pid 2>/dev/null; wait $pid; exit 0' TERM INT HUP\n"
    "wait $pid\n",
    POSTFIX_MASTER, self->etc_dir, NULL
  };
  gint64 deadline;

  g_assert (self->master == NULL);

  write_config (self);
  self->master = rp_test_server_spawn (argv, self->output_path);

  deadline = g_get_monotonic_time () + START_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  while (g_get_monotonic_time () < deadline)
    {
      if (g_subprocess_get_identifier (self->master) == NULL)
        {
          g_autofree char *out = rp_test_server_read_file (self->output_path);
          g_autofree char *log = rp_test_server_read_file (self->log_path);

          g_clear_object (&self->master);
          /* The master reports a failed bind only to syslog, which a test
           * machine may lack; with our master gone, whatever answers on
           * one of its ports is another process that took it. */
          if (rp_test_server_port_accepts (self->submission_port) ||
              rp_test_server_port_accepts (self->submissions_port) ||
              rp_test_server_port_accepts (self->plain_port))
            return FALSE;
          g_error ("Postfix exited at start:\n%s\n%s", out, log);
        }
      if (all_ports_answer (self))
        return TRUE;
      g_usleep (20 * G_TIME_SPAN_MILLISECOND);
    }

  {
    g_autofree char *out = rp_test_server_read_file (self->output_path);
    g_autofree char *log = rp_test_server_read_file (self->log_path);

    g_error ("Postfix did not answer on its ports within %d ms:\n%s\n%s",
             START_TIMEOUT_MS, out, log);
  }
  return FALSE;
}

static void
choose_ports (RpTestSmtpd *self)
{
  self->submission_port = rp_test_server_find_free_port ();
  self->submissions_port = rp_test_server_find_free_port ();
  self->plain_port = rp_test_server_find_free_port ();
}

/* Public API */

/**
 * rp_test_smtpd_new:
 * @ca: the test CA
 * @cert: which of its certificates Postfix presents
 * @dovecot: the Dovecot that receives the mail and checks the passwords;
 *   it must outlive the returned object
 *
 * Returns: (transfer full): a running Postfix; free with rp_test_smtpd_free()
 */
RpTestSmtpd *
rp_test_smtpd_new (RpTestCa       *ca,
                   RpTestCertKind  cert,
                   RpTestDovecot  *dovecot)
{
  RpTestSmtpd *self;
  struct passwd *owner;
  struct group *setgid_group;
  g_autofree char *data_dir = NULL;
  g_autofree char *pid_dir = NULL;

  g_return_val_if_fail (ca != NULL, NULL);
  g_return_val_if_fail (dovecot != NULL, NULL);

  if (!g_file_test (POSTFIX_MASTER, G_FILE_TEST_IS_EXECUTABLE) ||
      !g_file_test (POSTMAP, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("Postfix is missing (%s, %s): install postfix", POSTFIX_MASTER, POSTMAP);
  if (geteuid () != 0)
    g_error ("Postfix test servers need root: its daemons drop privileges to user postfix");
  owner = getpwnam ("postfix");
  setgid_group = getgrnam ("postdrop");
  if (owner == NULL || setgid_group == NULL)
    g_error ("User postfix or group postdrop is missing: install postfix");

  self = g_new0 (RpTestSmtpd, 1);
  self->dovecot = dovecot;
  self->size_limit = DEFAULT_SIZE_LIMIT;
  self->cert_file = g_strdup (rp_test_ca_get_cert_file (ca, cert));
  self->key_file = g_strdup (rp_test_ca_get_key_file (ca, cert));

  /* The configuration lives apart from the queue: Postfix's own checks
   * expect everything under config_directory to belong to root. */
  self->dir = rp_test_make_tmpdir ("postfix");
  g_chmod (self->dir, 0755);
  self->etc_dir = g_build_filename (self->dir, "etc", NULL);
  self->queue_dir = g_build_filename (self->dir, "queue", NULL);
  self->log_path = g_build_filename (self->dir, "postfix.log", NULL);
  self->output_path = g_build_filename (self->dir, "master.out", NULL);
  self->vmailbox_path = g_build_filename (self->dir, "vmailbox", NULL);
  data_dir = g_build_filename (self->dir, "data", NULL);
  pid_dir = g_build_filename (self->queue_dir, "pid", NULL);

  make_dir (self->etc_dir, 0755, 0, 0);
  make_dir (self->queue_dir, 0755, 0, 0);
  make_dir (pid_dir, 0755, 0, 0);
  make_dir (data_dir, 0700, owner->pw_uid, owner->pw_gid);
  for (guint i = 0; i < G_N_ELEMENTS (queue_dirs); i++)
    {
      g_autofree char *path = g_build_filename (self->queue_dir, queue_dirs[i].name, NULL);

      make_dir (path, queue_dirs[i].mode, owner->pw_uid,
                queue_dirs[i].setgid_group ? setgid_group->gr_gid : 0);
    }

  /* postmap reads main.cf, so there must be one before the first map. */
  choose_ports (self);
  write_config (self);
  write_vmailbox (self);
  rp_test_dovecot_set_users_changed_func (dovecot, users_changed_cb, self);

  for (guint attempt = 0; attempt < START_ATTEMPTS; attempt++)
    {
      if (attempt > 0)
        {
          g_test_message ("Postfix lost a port to another process; trying other ports");
          choose_ports (self);
        }
      if (try_start (self))
        return self;
    }

  g_error ("Postfix could not get free ports in %d attempts", START_ATTEMPTS);
  return NULL;
}

/**
 * rp_test_smtpd_free:
 * @smtpd: (nullable): a Postfix
 *
 * Stops Postfix and removes its folder. Mail still in its queue is lost.
 */
void
rp_test_smtpd_free (RpTestSmtpd *smtpd)
{
  if (smtpd == NULL)
    return;

  rp_test_smtpd_stop (smtpd);
  rp_test_dovecot_set_users_changed_func (smtpd->dovecot, NULL, NULL);
  rp_test_rm_rf (smtpd->dir);

  g_free (smtpd->dir);
  g_free (smtpd->etc_dir);
  g_free (smtpd->queue_dir);
  g_free (smtpd->log_path);
  g_free (smtpd->output_path);
  g_free (smtpd->vmailbox_path);
  g_free (smtpd->cert_file);
  g_free (smtpd->key_file);
  g_free (smtpd);
}

guint16
rp_test_smtpd_get_submission_port (RpTestSmtpd *smtpd)
{
  g_return_val_if_fail (smtpd != NULL, 0);

  return smtpd->submission_port;
}

guint16
rp_test_smtpd_get_submissions_port (RpTestSmtpd *smtpd)
{
  g_return_val_if_fail (smtpd != NULL, 0);

  return smtpd->submissions_port;
}

guint16
rp_test_smtpd_get_plain_port (RpTestSmtpd *smtpd)
{
  g_return_val_if_fail (smtpd != NULL, 0);

  return smtpd->plain_port;
}

/**
 * rp_test_smtpd_stop:
 *
 * Stops Postfix (as `postfix stop` does, with SIGTERM to the master) and
 * waits until its ports refuse connections. Queued mail stays queued.
 */
void
rp_test_smtpd_stop (RpTestSmtpd *smtpd)
{
  gint64 deadline;

  g_return_if_fail (smtpd != NULL);

  if (smtpd->master == NULL)
    return;

  rp_test_server_stop (smtpd->master);
  g_clear_object (&smtpd->master);

  /* The smtpd processes hold the listening sockets too, and leave a
   * moment after their master: until then a restart could not bind. */
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (rp_test_server_port_accepts (smtpd->submission_port) ||
         rp_test_server_port_accepts (smtpd->submissions_port) ||
         rp_test_server_port_accepts (smtpd->plain_port))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Postfix's ports still answer five seconds after it was stopped");
      g_usleep (10 * G_TIME_SPAN_MILLISECOND);
    }
}

/**
 * rp_test_smtpd_start:
 *
 * Starts a stopped Postfix again on the same ports, with the queue it
 * had. Does nothing if it is running.
 */
void
rp_test_smtpd_start (RpTestSmtpd *smtpd)
{
  g_return_if_fail (smtpd != NULL);

  if (smtpd->master != NULL)
    return;

  if (!try_start (smtpd))
    g_error ("Postfix could not get its ports %u, %u and %u back",
             smtpd->submission_port, smtpd->submissions_port, smtpd->plain_port);
}

/**
 * rp_test_smtpd_set_size_limit:
 * @bytes: the new message_size_limit
 *
 * Postfix applies a reload only as each daemon finishes its work, so an
 * idle smtpd could still answer the next connection with the old SIZE.
 * A restart on the same ports makes the change certain.
 */
void
rp_test_smtpd_set_size_limit (RpTestSmtpd *smtpd,
                              gsize        bytes)
{
  gboolean running;

  g_return_if_fail (smtpd != NULL);

  smtpd->size_limit = bytes;
  running = smtpd->master != NULL;
  rp_test_smtpd_stop (smtpd);
  if (running)
    rp_test_smtpd_start (smtpd);
  else
    write_config (smtpd);
}

/**
 * rp_test_smtpd_read_log:
 *
 * Returns: (transfer full): the whole Postfix log so far, once it has
 *   stopped growing
 */
char *
rp_test_smtpd_read_log (RpTestSmtpd *smtpd)
{
  g_return_val_if_fail (smtpd != NULL, NULL);

  rp_test_server_wait_file_settled (smtpd->log_path);
  return rp_test_server_read_file (smtpd->log_path);
}

/**
 * rp_test_smtpd_wait_for_delivery:
 * @user: a Dovecot user
 * @count: how many messages to wait for
 * @timeout_ms: how long to wait at most
 *
 * Returns: whether the user's maildir held at least @count messages
 *   before the time was up
 */
gboolean
rp_test_smtpd_wait_for_delivery (RpTestSmtpd *smtpd,
                                 const char  *user,
                                 guint        count,
                                 guint        timeout_ms)
{
  gint64 deadline;

  g_return_val_if_fail (smtpd != NULL, FALSE);
  g_return_val_if_fail (user != NULL, FALSE);

  deadline = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
  for (;;)
    {
      g_autoptr(GPtrArray) messages = rp_test_dovecot_list_messages (smtpd->dovecot, user);

      if (messages->len >= count)
        return TRUE;
      if (g_get_monotonic_time () >= deadline)
        return FALSE;
      g_usleep (20 * G_TIME_SPAN_MILLISECOND);
    }
}
