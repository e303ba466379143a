/* rp-test-dovecot.c: a real Dovecot 2.3 POP3 server on free loopback ports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport-test-dovecot"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "rp-test-dovecot.h"
#include "rp-test-server.h"
#include "rp-test-util.h"

#define DOVECOT_BINARY "/usr/sbin/dovecot"
#define START_ATTEMPTS 5
#define START_TIMEOUT_MS 10000
/* Dovecot runs mail processes as this uid when we are root, because it
 * refuses to touch mail as root; "nobody" exists everywhere. */
#define MAIL_UID_WHEN_ROOT 65534

/* Services that may log in: POP3 clients and Postfix's SASL (smtp). */
static const char * const auth_services[] = { "pop3", "smtp" };

struct _RpTestDovecot
{
  char *dir;
  char *conf_path;
  char *log_path;
  char *stderr_path;
  char *users_dir;
  char *base_dir;
  char *lmtp_socket;
  char *cert_file;
  char *key_file;

  guint16 pop3s_port;
  guint16 pop3_port;
  guint16 pop3_plain_port;
  guint16 auth_port;

  GSubprocess *process;

  /* User name → password. */
  GHashTable *users;
  uid_t mail_uid;
  gid_t mail_gid;

  RpTestDovecotUsersChanged users_changed;
  gpointer users_changed_data;

  guint deliveries;
};

/* Auxiliary methods */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
make_dir (const char *path,
          int         mode,
          uid_t       uid,
          gid_t       gid)
{
  if (g_mkdir_with_parents (path, mode) != 0)
    g_error ("Cannot create %s: %s", path, g_strerror (errno));
  /* g_mkdir_with_parents() leaves an existing folder's mode as it is and
   * the umask trims a new one; both are fixed here. */
  if (g_chmod (path, mode) != 0)
    g_error ("Cannot chmod %s: %s", path, g_strerror (errno));
  if (chown (path, uid, gid) != 0)
    g_error ("Cannot chown %s: %s", path, g_strerror (errno));
}

/* One passwd-file per user, named after the user: Dovecot's passwd-file
 * driver looks at a file at most once per second, so a user added to a
 * shared file just after a login would stay unknown for up to a second,
 * while a file it has never read is read at once. A replaced password
 * still goes through that once-per-second check, which
 * rp_test_dovecot_add_user() waits out. */
static void
write_user_file (RpTestDovecot *self,
                 const char    *name,
                 const char    *user,
                 const char    *password,
                 const char    *extra_fields,
                 gboolean       replaced)
{
  g_autofree char *path = g_build_filename (self->users_dir, name, NULL);
  g_autofree char *home = g_build_filename (self->dir, "home", user, NULL);
  g_autofree char *line = NULL;
  g_autoptr(GError) error = NULL;

  line = g_strdup_printf ("%s:{PLAIN}%s:%u:%u::%s::%s\n",
                          name, password, (guint) self->mail_uid,
                          (guint) self->mail_gid, home, extra_fields);
  g_file_set_contents (path, line, -1, &error);
  g_assert_no_error (error);

  if (replaced)
    {
      /* Dovecot compares mtime and size only, and a new password of the
       * same length written in the second of the old file's mtime would
       * look unchanged. One second ahead differs from every earlier
       * version, because each replacement waits for the next second. */
      struct timespec times[2];

      times[0].tv_sec = g_get_real_time () / G_USEC_PER_SEC + 1;
      times[0].tv_nsec = 0;
      times[1] = times[0];
      if (utimensat (AT_FDCWD, path, times, 0) != 0)
        g_error ("Cannot set the mtime of %s: %s", path, g_strerror (errno));
    }
}

static char *
build_config (RpTestDovecot *self)
{
  GString *conf = g_string_new ("");
  g_autofree char *instance = g_path_get_basename (self->dir);
  g_autofree char *state_dir = g_build_filename (self->dir, "state", NULL);
  g_autofree char *mail_dir = g_build_filename (self->dir, "mail", NULL);
  const char *login_chroot = geteuid () == 0 ? "login" : "";

  g_string_append_printf (conf,
                          "instance_name = %s\n"
                          "base_dir = %s\n"
                          "state_dir = %s\n"
                          "log_path = %s\n"
                          "info_log_path = %s\n",
                          instance, self->base_dir, state_dir, self->log_path,
                          self->log_path);

  if (geteuid () != 0)
    {
      struct passwd *pw = getpwuid (geteuid ());

      g_assert_nonnull (pw);
      g_string_append_printf (conf,
                              "default_internal_user = %s\n"
                              "default_login_user = %s\n"
                              "first_valid_uid = %u\n",
                              pw->pw_name, pw->pw_name, (guint) geteuid ());
    }

  g_string_append (conf,
                   "protocols = pop3 lmtp\n"
                   "listen = 127.0.0.1\n"
                   "ssl = yes\n"
                   "ssl_min_protocol = TLSv1.2\n");
  g_string_append_printf (conf,
                          "ssl_cert = <%s\n"
                          "ssl_key = <%s\n",
                          self->cert_file, self->key_file);

  /* Plain-text logins are what the "no TLS" tests are about. */
  g_string_append (conf,
                   "disable_plaintext_auth = no\n"
                   "auth_mechanisms = plain login apop\n"
                   "auth_verbose = yes\n"
                   "auth_failure_delay = 0\n"
                   "auth_username_chars = "
                   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01234567890.-_@+\n"
                   "auth_username_translation = :+\n"
                   /* The name the client logged in with, before any
                    * translation: tests of Gmail's recent mode check it. */
                   "login_log_format_elements = user=<%u> method=%m rip=%r lip=%l mpid=%e %c "
                   "session=<%{session}> login=<%{orig_user}>\n"
                   "pop3_uidl_format = %08Xu%08Xv\n");
  /* %n drops the domain, so that LMTP's alice@example.test and POP3's
   * alice share one mailbox. The passdb goes through a folder named after the service (%s), a
   * symbolic link to the users' folder, so that an unknown POP3 user's log
   * line ("missing passwd file: …/passwd-pop3/NAME") can be told from an
   * SMTP one for rp_test_dovecot_count_login_attempts(). */
  g_string_append_printf (conf,
                          "mail_location = maildir:%s/%%n/Maildir\n"
                          "passdb {\n"
                          "  driver = passwd-file\n"
                          "  args = username_format=%%n %s-%%s/%%n\n"
                          "}\n"
                          "userdb {\n"
                          "  driver = passwd-file\n"
                          "  args = username_format=%%n %s/%%n\n"
                          "}\n",
                          mail_dir, self->users_dir, self->users_dir);

  /* Login processes chroot into base_dir/login, which only root can do. */
  g_string_append_printf (conf,
                          "service pop3-login {\n"
                          "  chroot = %s\n"
                          "  inet_listener pop3 {\n"
                          "    address = 127.0.0.1\n"
                          "    port = %u\n"
                          "  }\n"
                          "  inet_listener pop3s {\n"
                          "    address = 127.0.0.1\n"
                          "    port = %u\n"
                          "    ssl = yes\n"
                          "  }\n"
                          "}\n",
                          login_chroot, self->pop3_port, self->pop3s_port);

  /* A listener cannot turn STLS off while ssl = yes, and local {} blocks
   * match addresses, not ports. A second login service whose process
   * overrides the setting on its command line serves the port where TLS is
   * not offered at all. */
  g_string_append_printf (conf,
                          "service pop3-login-plain {\n"
                          "  executable = pop3-login -o ssl=no\n"
                          "  protocol = pop3\n"
                          "  type = login\n"
                          "  service_count = 1\n"
                          "  chroot = %s\n"
                          "  user = $default_login_user\n"
                          "  inet_listener pop3-plain {\n"
                          "    address = 127.0.0.1\n"
                          "    port = %u\n"
                          "  }\n"
                          "}\n",
                          login_chroot, self->pop3_plain_port);

  /* The socket is base_dir/lmtp; Postfix's lmtp client runs as user
   * postfix, hence the mode. */
  g_string_append_printf (conf,
                          "service lmtp {\n"
                          "  unix_listener lmtp {\n"
                          "    mode = 0666\n"
                          "  }\n"
                          "}\n"
                          /* Without this listener the auth process
                           * skips its per-IP penalty, which otherwise
                           * holds every login from 127.0.0.1 back by 2 to
                           * 15 s after a failed one: tests of wrong
                           * passwords would slow the suite down. */
                          "service anvil {\n"
                          "  unix_listener anvil-auth-penalty {\n"
                          "    mode = 0\n"
                          "  }\n"
                          "}\n"
                          "service auth {\n"
                          "  inet_listener {\n"
                          "    address = 127.0.0.1\n"
                          "    port = %u\n"
                          "  }\n"
                          "}\n",
                          self->auth_port);

  return g_string_free (conf, FALSE);
}

static gboolean
all_ports_answer (RpTestDovecot *self)
{
  return rp_test_server_port_accepts (self->pop3s_port) &&
         rp_test_server_port_accepts (self->pop3_port) &&
         rp_test_server_port_accepts (self->pop3_plain_port) &&
         rp_test_server_port_accepts (self->auth_port) &&
         g_file_test (self->lmtp_socket, G_FILE_TEST_EXISTS);
}

/* Starts Dovecot once on fresh ports. Returns FALSE if it lost a port
 * race (the caller retries with other ports); any other failure ends the
 * test. */
static gboolean
try_start (RpTestDovecot *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *conf = NULL;
  const char *argv[] = { DOVECOT_BINARY, "-F", "-c", self->conf_path, NULL };
  gint64 deadline;

  self->pop3s_port = rp_test_server_find_free_port ();
  self->pop3_port = rp_test_server_find_free_port ();
  self->pop3_plain_port = rp_test_server_find_free_port ();
  self->auth_port = rp_test_server_find_free_port ();

  conf = build_config (self);
  g_file_set_contents (self->conf_path, conf, -1, &error);
  g_assert_no_error (error);

  self->process = rp_test_server_spawn (argv, self->stderr_path);

  deadline = g_get_monotonic_time () + START_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  while (g_get_monotonic_time () < deadline)
    {
      if (g_subprocess_get_identifier (self->process) == NULL)
        {
          g_autofree char *err = rp_test_server_read_file (self->stderr_path);
          g_autofree char *log = rp_test_server_read_file (self->log_path);

          g_clear_object (&self->process);
          /* With our Dovecot gone, whatever answers on one of its ports
           * is another process that took it in the meantime. */
          if (strstr (err, "Address already in use") != NULL ||
              rp_test_server_port_accepts (self->pop3s_port) ||
              rp_test_server_port_accepts (self->pop3_port) ||
              rp_test_server_port_accepts (self->pop3_plain_port) ||
              rp_test_server_port_accepts (self->auth_port))
            return FALSE;
          g_error ("Dovecot exited at start:\n%s\n%s", err, log);
        }
      if (all_ports_answer (self))
        return TRUE;
      g_usleep (20 * G_TIME_SPAN_MILLISECOND);
    }

  {
    g_autofree char *err = rp_test_server_read_file (self->stderr_path);
    g_autofree char *log = rp_test_server_read_file (self->log_path);

    g_error ("Dovecot did not answer on its ports within %d ms:\n%s\n%s",
             START_TIMEOUT_MS, err, log);
  }
  return FALSE;
}

static guint
count_matches (const char *text,
               const char *pattern)
{
  g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  guint count = 0;

  g_assert_nonnull (regex);
  g_regex_match (regex, text, 0, &match);
  while (g_match_info_matches (match))
    {
      count++;
      g_match_info_next (match, NULL);
    }
  return count;
}

/* Public API */

/**
 * rp_test_dovecot_new:
 * @ca: the test CA
 * @cert: which of its certificates Dovecot presents
 *
 * Returns: (transfer full): a running Dovecot; free with rp_test_dovecot_free()
 */
RpTestDovecot *
rp_test_dovecot_new (RpTestCa       *ca,
                     RpTestCertKind  cert)
{
  RpTestDovecot *self;
  g_autofree char *home_dir = NULL;
  g_autofree char *mail_dir = NULL;
  g_autofree char *state_dir = NULL;

  g_return_val_if_fail (ca != NULL, NULL);

  if (!g_file_test (DOVECOT_BINARY, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("%s is missing: install dovecot-core, dovecot-pop3d and dovecot-lmtpd",
             DOVECOT_BINARY);

  self = g_new0 (RpTestDovecot, 1);
  self->users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (geteuid () == 0)
    {
      self->mail_uid = MAIL_UID_WHEN_ROOT;
      self->mail_gid = MAIL_UID_WHEN_ROOT;
    }
  else
    {
      self->mail_uid = geteuid ();
      self->mail_gid = getegid ();
    }

  self->dir = rp_test_make_tmpdir ("dovecot");
  /* Mail processes (uid nobody) and Postfix's lmtp client (uid postfix)
   * need to reach into this folder. */
  g_chmod (self->dir, 0755);
  self->conf_path = g_build_filename (self->dir, "dovecot.conf", NULL);
  self->log_path = g_build_filename (self->dir, "dovecot.log", NULL);
  self->stderr_path = g_build_filename (self->dir, "dovecot.stderr", NULL);
  self->users_dir = g_build_filename (self->dir, "passwd", NULL);

  self->base_dir = g_build_filename (self->dir, "run", NULL);
  self->lmtp_socket = g_build_filename (self->base_dir, "lmtp", NULL);
  self->cert_file = g_strdup (rp_test_ca_get_cert_file (ca, cert));
  self->key_file = g_strdup (rp_test_ca_get_key_file (ca, cert));

  home_dir = g_build_filename (self->dir, "home", NULL);
  mail_dir = g_build_filename (self->dir, "mail", NULL);
  state_dir = g_build_filename (self->dir, "state", NULL);
  make_dir (home_dir, 0755, geteuid (), getegid ());
  make_dir (mail_dir, 0755, geteuid (), getegid ());
  make_dir (state_dir, 0755, geteuid (), getegid ());
  make_dir (self->users_dir, 0755, geteuid (), getegid ());
  for (guint i = 0; i < G_N_ELEMENTS (auth_services); i++)
    {
      g_autofree char *link = g_strdup_printf ("%s-%s", self->users_dir, auth_services[i]);

      if (symlink ("passwd", link) != 0)
        g_error ("Cannot create %s: %s", link, g_strerror (errno));
    }

  for (guint attempt = 0; attempt < START_ATTEMPTS; attempt++)
    {
      if (try_start (self))
        return self;
      g_test_message ("Dovecot lost a port to another process; trying other ports");
    }

  g_error ("Dovecot could not get free ports in %d attempts", START_ATTEMPTS);
  return NULL;
}

/**
 * rp_test_dovecot_free:
 * @dovecot: (nullable): a Dovecot
 *
 * Stops Dovecot and removes its folder.
 */
void
rp_test_dovecot_free (RpTestDovecot *dovecot)
{
  if (dovecot == NULL)
    return;

  if (dovecot->process != NULL)
    rp_test_server_stop (dovecot->process);
  g_clear_object (&dovecot->process);

  rp_test_rm_rf (dovecot->dir);
  g_hash_table_unref (dovecot->users);
  g_free (dovecot->dir);
  g_free (dovecot->conf_path);
  g_free (dovecot->log_path);
  g_free (dovecot->stderr_path);
  g_free (dovecot->users_dir);
  g_free (dovecot->base_dir);
  g_free (dovecot->lmtp_socket);
  g_free (dovecot->cert_file);
  g_free (dovecot->key_file);
  g_free (dovecot);
}

/**
 * rp_test_dovecot_add_user:
 * @user: a name of lower-case letters, digits, '.', '-' and '_'
 * @password: no ':' and no line break (passwd-file's separators)
 *
 * Adds or replaces a user and creates their (empty) maildir; the user
 * can log in at once (POP3 as USER or as recent:USER, SMTP through
 * Postfix's SASL) and receives mail at USER@example.test. Replacing a
 * password waits up to a second, until Dovecot will look at it again.
 */
void
rp_test_dovecot_add_user (RpTestDovecot *dovecot,
                          const char    *user,
                          const char    *password)
{
  g_autofree char *home = NULL;
  g_autofree char *user_mail_dir = NULL;
  g_autofree char *maildir = NULL;
  static const char * const subdirs[] = { "cur", "new", "tmp" };
  const char *old_password;

  g_return_if_fail (dovecot != NULL);
  g_return_if_fail (user != NULL && *user != '\0');
  /* Dovecot folds login names to lower case (auth_username_format %Lu)
   * before it looks for the file named after the user. */
  g_return_if_fail (strspn (user, "abcdefghijklmnopqrstuvwxyz0123456789.-_") == strlen (user));
  g_return_if_fail (password != NULL && strpbrk (password, ":\r\n") == NULL);

  home = g_build_filename (dovecot->dir, "home", user, NULL);
  user_mail_dir = g_build_filename (dovecot->dir, "mail", user, NULL);
  maildir = g_build_filename (user_mail_dir, "Maildir", NULL);
  make_dir (home, 0700, dovecot->mail_uid, dovecot->mail_gid);
  make_dir (user_mail_dir, 0700, dovecot->mail_uid, dovecot->mail_gid);
  make_dir (maildir, 0700, dovecot->mail_uid, dovecot->mail_gid);
  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *sub = g_build_filename (maildir, subdirs[i], NULL);

      make_dir (sub, 0700, dovecot->mail_uid, dovecot->mail_gid);
    }

  old_password = g_hash_table_lookup (dovecot->users, user);
  if (g_strcmp0 (old_password, password) != 0)
    {
      g_autofree char *recent_name = g_strconcat ("recent+", user, NULL);
      g_autofree char *user_field = g_strconcat ("user=", user, NULL);
      gboolean replaced = old_password != NULL;

      write_user_file (dovecot, user, user, password, "", replaced);
      /* Gmail's "recent mode": logging in as recent:USER reaches USER's
       * mailbox. auth_username_translation turns the ':' into '+' (a
       * passwd-file name cannot hold a ':'), and the user= extra field
       * makes the session USER's. */
      write_user_file (dovecot, recent_name, user, password, user_field, replaced);
      g_hash_table_replace (dovecot->users, g_strdup (user), g_strdup (password));

      if (replaced)
        {
          /* Dovecot may have looked at the old file in this very second
           * and would not look again before the next. */
          gint64 now = g_get_real_time ();

          g_usleep (G_USEC_PER_SEC - now % G_USEC_PER_SEC + 10 * G_TIME_SPAN_MILLISECOND);
        }
    }

  if (dovecot->users_changed != NULL)
    dovecot->users_changed (dovecot, dovecot->users_changed_data);
}

/**
 * rp_test_dovecot_list_users:
 *
 * Returns: (transfer full) (element-type utf8): every user name, sorted
 */
GPtrArray *
rp_test_dovecot_list_users (RpTestDovecot *dovecot)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (dovecot != NULL, names);

  g_hash_table_iter_init (&iter, dovecot->users);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (names, g_strdup (key));
  g_ptr_array_sort (names, compare_strings);

  return names;
}

/**
 * rp_test_dovecot_set_users_changed_func:
 * @func: (nullable): called after each rp_test_dovecot_add_user()
 */
void
rp_test_dovecot_set_users_changed_func (RpTestDovecot            *dovecot,
                                        RpTestDovecotUsersChanged func,
                                        gpointer                  user_data)
{
  g_return_if_fail (dovecot != NULL);

  dovecot->users_changed = func;
  dovecot->users_changed_data = user_data;
}

guint16
rp_test_dovecot_get_pop3s_port (RpTestDovecot *dovecot)
{
  g_return_val_if_fail (dovecot != NULL, 0);

  return dovecot->pop3s_port;
}

guint16
rp_test_dovecot_get_pop3_port (RpTestDovecot *dovecot)
{
  g_return_val_if_fail (dovecot != NULL, 0);

  return dovecot->pop3_port;
}

guint16
rp_test_dovecot_get_pop3_plain_port (RpTestDovecot *dovecot)
{
  g_return_val_if_fail (dovecot != NULL, 0);

  return dovecot->pop3_plain_port;
}

const char *
rp_test_dovecot_get_dir (RpTestDovecot *dovecot)
{
  g_return_val_if_fail (dovecot != NULL, NULL);

  return dovecot->dir;
}

const char *
rp_test_dovecot_get_lmtp_socket (RpTestDovecot *dovecot)
{
  g_return_val_if_fail (dovecot != NULL, NULL);

  return dovecot->lmtp_socket;
}

guint16
rp_test_dovecot_get_auth_port (RpTestDovecot *dovecot)
{
  g_return_val_if_fail (dovecot != NULL, 0);

  return dovecot->auth_port;
}

/**
 * rp_test_dovecot_get_maildir:
 *
 * Returns: (transfer full): the user's Maildir folder
 */
char *
rp_test_dovecot_get_maildir (RpTestDovecot *dovecot,
                             const char    *user)
{
  g_return_val_if_fail (dovecot != NULL, NULL);
  g_return_val_if_fail (user != NULL, NULL);

  return g_build_filename (dovecot->dir, "mail", user, "Maildir", NULL);
}

/**
 * rp_test_dovecot_deliver:
 * @data: the message, byte for byte (CRLF line ends keep POP3 sizes exact)
 *
 * Writes the message into tmp/ and renames it into new/, as maildir
 * delivery does. The name carries no S= size, so Dovecot measures the
 * file itself.
 *
 * Returns: (transfer full): the path of the delivered file
 */
char *
rp_test_dovecot_deliver (RpTestDovecot *dovecot,
                         const char    *user,
                         const char    *data,
                         gsize          length)
{
  g_autofree char *maildir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *tmp_path = NULL;
  g_autoptr(GError) error = NULL;
  char *new_path;
  gint64 now = g_get_real_time ();

  g_return_val_if_fail (dovecot != NULL, NULL);
  g_return_val_if_fail (g_hash_table_contains (dovecot->users, user), NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  maildir = rp_test_dovecot_get_maildir (dovecot, user);
  name = g_strdup_printf ("%" G_GINT64_FORMAT ".M%" G_GINT64_FORMAT "P%dQ%u.rapport-test",
                          now / G_USEC_PER_SEC, now % G_USEC_PER_SEC, (int) getpid (),
                          ++dovecot->deliveries);
  tmp_path = g_build_filename (maildir, "tmp", name, NULL);
  new_path = g_build_filename (maildir, "new", name, NULL);

  g_file_set_contents (tmp_path, data, length, &error);
  g_assert_no_error (error);
  if (chown (tmp_path, dovecot->mail_uid, dovecot->mail_gid) != 0)
    g_error ("Cannot chown %s: %s", tmp_path, g_strerror (errno));
  if (g_rename (tmp_path, new_path) != 0)
    g_error ("Cannot move %s to new/: %s", tmp_path, g_strerror (errno));

  return new_path;
}

static void
add_messages_in (GPtrArray  *paths,
                 const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (paths, g_build_filename (dir, name, NULL));
}

/**
 * rp_test_dovecot_list_messages:
 *
 * Returns: (transfer full) (element-type filename): every message file in
 *   the user's new/ and cur/, sorted by path
 */
GPtrArray *
rp_test_dovecot_list_messages (RpTestDovecot *dovecot,
                               const char    *user)
{
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *maildir = NULL;
  g_autofree char *new_dir = NULL;
  g_autofree char *cur_dir = NULL;

  g_return_val_if_fail (dovecot != NULL, paths);
  g_return_val_if_fail (user != NULL, paths);

  maildir = rp_test_dovecot_get_maildir (dovecot, user);
  new_dir = g_build_filename (maildir, "new", NULL);
  cur_dir = g_build_filename (maildir, "cur", NULL);
  add_messages_in (paths, new_dir);
  add_messages_in (paths, cur_dir);
  g_ptr_array_sort (paths, compare_strings);

  return paths;
}

/**
 * rp_test_dovecot_read_log:
 *
 * Waits until Dovecot has written what its processes logged so far.
 *
 * Returns: (transfer full): the whole log
 */
char *
rp_test_dovecot_read_log (RpTestDovecot *dovecot)
{
  g_return_val_if_fail (dovecot != NULL, NULL);

  rp_test_server_wait_file_settled (dovecot->log_path);
  return rp_test_server_read_file (dovecot->log_path);
}

/**
 * rp_test_dovecot_count_logins:
 *
 * Returns: how many POP3 logins succeeded (the login processes' "Login:"
 *   lines, from every POP3 port)
 */
guint
rp_test_dovecot_count_logins (RpTestDovecot *dovecot)
{
  g_autofree char *log = NULL;

  g_return_val_if_fail (dovecot != NULL, 0);

  log = rp_test_dovecot_read_log (dovecot);
  return count_matches (log, "^.* pop3-login[a-z-]*: Info: Login: ");
}

/**
 * rp_test_dovecot_count_login_attempts:
 *
 * Failed attempts are counted from the auth process, one line per
 * rejected password or unknown user, at the moment of the attempt (the
 * login process only sums them up when the client disconnects). A wrong
 * password is a POP3 attempt when its line carries a login session id
 * (<…>), which Postfix's SASL requests lack; an unknown POP3 user is a
 * lookup in the passwd-pop3 folder.
 *
 * Returns: successful plus failed POP3 logins
 */
guint
rp_test_dovecot_count_login_attempts (RpTestDovecot *dovecot)
{
  g_autofree char *log = NULL;

  g_return_val_if_fail (dovecot != NULL, 0);

  log = rp_test_dovecot_read_log (dovecot);
  return count_matches (log, "^.* pop3-login[a-z-]*: Info: Login: ") +
         count_matches (log, "^.* auth: Info: [a-z0-9-]+\\([^)]*<[^>]+>\\): "
                             "(Password mismatch|unknown user)") +
         count_matches (log, "^.* auth: Info: missing passwd file: .*/passwd-pop3/");
}
