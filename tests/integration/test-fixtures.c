/* test-fixtures.c: proves the real-server fixtures of tests/lib with raw
 * sockets and the openssl command, independently of Rapport's own
 * transport
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-fixtures"

#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "rp-test-ca.h"
#include "rp-test-dovecot.h"
#include "rp-test-server.h"
#include "rp-test-smtpd.h"
#include "rp-test-util.h"

/* One CA, Dovecot and Postfix serve every test but the parallel one: each
 * test uses its own user, so they do not see each other's mail. */
static RpTestCa *ca;
static RpTestDovecot *dovecot;
static RpTestSmtpd *smtpd;

/* A message whose lines need dot-stuffing on the wire, with CRLF line
 * ends so that POP3 sizes and bytes match the file exactly. */
static const char message[] =
  "From: Bob <bob@example.test>\r\n"
  "To: Alice <alice@example.test>\r\n"
  "Date: Sat, 28 Nov 2026 10:00:00 +0000\r\n"
  "Subject: dots\r\n"
  "Message-ID: <fixture-1@example.test>\r\n"
  "\r\n"
  ".\r\n"
  "..two dots\r\n"
  ".leading dot\r\n"
  "end\r\n";

typedef struct
{
  GSocketClient *client;
  GSocketConnection *connection;
  GDataInputStream *in;
  GOutputStream *out;
} LineClient;

/* Auxiliary methods */

static void
line_client_free (LineClient *self)
{
  g_clear_object (&self->in);
  g_clear_object (&self->connection);
  g_clear_object (&self->client);
  g_free (self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LineClient, line_client_free)

static LineClient *
line_client_new (guint16 port)
{
  g_autoptr(GError) error = NULL;
  LineClient *self = g_new0 (LineClient, 1);

  self->client = g_socket_client_new ();
  g_socket_client_set_timeout (self->client, 15);
  g_socket_client_set_enable_proxy (self->client, FALSE);
  self->connection = g_socket_client_connect_to_host (self->client, "127.0.0.1", port,
                                                      NULL, &error);
  g_assert_no_error (error);
  self->in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (self->connection)));
  g_data_input_stream_set_newline_type (self->in, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
  self->out = g_io_stream_get_output_stream (G_IO_STREAM (self->connection));

  return self;
}

static char *
line_client_read (LineClient *self)
{
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line (self->in, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (line);
  return line;
}

static void
line_client_send (LineClient *self,
                  const char *line)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = g_strconcat (line, "\r\n", NULL);

  g_output_stream_write_all (self->out, data, strlen (data), NULL, NULL, &error);
  g_assert_no_error (error);
}

/* Sends @line and returns the first line of the reply. */
static char *
line_client_command (LineClient *self,
                     const char *line)
{
  line_client_send (self, line);
  return line_client_read (self);
}

/* Reads a POP3 multi-line body up to the terminating ".", undoing the
 * dot-stuffing and putting the CRLF line ends back. */
static GString *
pop3_read_multiline (LineClient *self)
{
  GString *body = g_string_new ("");

  for (;;)
    {
      g_autofree char *line = line_client_read (self);

      if (g_str_equal (line, "."))
        break;
      g_string_append (body, line[0] == '.' ? line + 1 : line);
      g_string_append (body, "\r\n");
    }
  return body;
}

static LineClient *
pop3_login (guint16     port,
            const char *user,
            const char *password)
{
  LineClient *client = line_client_new (port);
  g_autofree char *greeting = line_client_read (client);
  g_autofree char *user_cmd = g_strdup_printf ("USER %s", user);
  g_autofree char *pass_cmd = g_strdup_printf ("PASS %s", password);
  g_autofree char *reply = NULL;

  g_assert_true (g_str_has_prefix (greeting, "+OK"));
  g_free (line_client_command (client, user_cmd));
  reply = line_client_command (client, pass_cmd);
  g_assert_cmpstr (reply, ==, "+OK Logged in.");

  return client;
}

static char *
pop3_capa (guint16 port)
{
  g_autoptr(LineClient) client = line_client_new (port);
  g_autofree char *greeting = line_client_read (client);
  g_autofree char *reply = NULL;
  GString *capa;

  g_assert_true (g_str_has_prefix (greeting, "+OK"));
  reply = line_client_command (client, "CAPA");
  g_assert_true (g_str_has_prefix (reply, "+OK"));
  capa = pop3_read_multiline (client);
  g_free (line_client_command (client, "QUIT"));

  return g_string_free (capa, FALSE);
}

/* Runs a command; returns its exit status and fills @output with stdout
 * and stderr together. */
static int
run_command (const char * const *argv,
             const char         *input,
             char              **output)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_MERGE);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, output, NULL, &error);
  g_assert_no_error (error);

  return g_subprocess_get_exit_status (process);
}

static guint
count_lines_with_prefix (const char *text,
                         const char *prefix)
{
  g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);
  guint count = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      count++;
  return count;
}

/* Reads an SMTP reply, every line of it; returns it whole, lines joined
 * with "\n". */
static char *
smtp_read_reply (LineClient *self)
{
  GString *reply = g_string_new ("");

  for (;;)
    {
      g_autofree char *line = line_client_read (self);

      g_assert_cmpuint (strlen (line), >=, 3);
      g_string_append (reply, line);
      if (line[3] != '-')
        break;
      g_string_append_c (reply, '\n');
    }
  return g_string_free (reply, FALSE);
}

static char *
smtp_command (LineClient *self,
              const char *line)
{
  line_client_send (self, line);
  return smtp_read_reply (self);
}

static void
smtp_expect (LineClient *self,
             const char *line,
             const char *code)
{
  g_autofree char *reply = smtp_command (self, line);

  /* Credentials stay out of the test log, even test ones. */
  g_test_message ("SMTP %s -> %s", g_str_has_prefix (line, "AUTH") ? "AUTH …" : line, reply);
  g_assert_true (g_str_has_prefix (reply, code));
}

static LineClient *
smtp_connect (guint16  port,
              char   **ehlo_reply)
{
  LineClient *client = line_client_new (port);
  g_autofree char *greeting = smtp_read_reply (client);

  g_assert_cmpstr (greeting, ==, "220 localhost ESMTP Postfix");
  *ehlo_reply = smtp_command (client, "EHLO client.example.test");
  g_assert_true (g_str_has_prefix (*ehlo_reply, "250"));

  return client;
}

static void
smtp_auth_plain (LineClient *self,
                 const char *user,
                 const char *password)
{
  g_autoptr(GString) token = g_string_new (NULL);
  g_autofree char *token64 = NULL;
  g_autofree char *command = NULL;

  g_string_append (token, user);
  g_string_append_c (token, '\0');
  g_string_append (token, user);
  g_string_append_c (token, '\0');
  g_string_append (token, password);
  token64 = g_base64_encode ((const guchar *) token->str, token->len);
  command = g_strconcat ("AUTH PLAIN ", token64, NULL);
  smtp_expect (self, command, "235 ");
}

/* Sends @data (CRLF line ends, no final dot) with dot-stuffing. */
static void
smtp_send_data (LineClient *self,
                const char *data)
{
  g_auto(GStrv) lines = g_strsplit (data, "\r\n", -1);
  g_autofree char *reply = NULL;

  smtp_expect (self, "DATA", "354 ");
  /* The split leaves an empty string after the last CRLF. */
  for (guint i = 0; lines[i] != NULL && lines[i + 1] != NULL; i++)
    {
      g_autofree char *stuffed = g_strconcat (lines[i][0] == '.' ? "." : "", lines[i], NULL);

      line_client_send (self, stuffed);
    }
  reply = smtp_command (self, ".");
  g_assert_true (g_str_has_prefix (reply, "250 2.0.0 Ok: queued as "));
}

static char *
crlf_to_lf (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, "\r\n", -1);

  return g_strjoinv ("\n", parts);
}

/* Tests: the CA */

static void
test_ca_verify (void)
{
  static const struct
  {
    RpTestCertKind kind;
    gboolean trusted;
    const char *error;
  } cases[] = {
    { RP_TEST_CERT_VALID, TRUE, NULL },
    { RP_TEST_CERT_VALID_2, TRUE, NULL },
    { RP_TEST_CERT_SELF_SIGNED, FALSE, "self-signed certificate" },
    { RP_TEST_CERT_EXPIRED, FALSE, "certificate has expired" },
    { RP_TEST_CERT_NOT_YET_VALID, FALSE, "certificate is not yet valid" },
    { RP_TEST_CERT_WRONG_HOST, FALSE, "hostname mismatch" },
    { RP_TEST_CERT_OTHER_CA, FALSE, "unable to get local issuer certificate" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *cert = rp_test_ca_get_cert_file (ca, cases[i].kind);
      const char *argv[] = {
        "openssl", "verify", "-CAfile", rp_test_ca_get_ca_file (ca),
        "-verify_hostname", "localhost", "-verify_ip", "127.0.0.1", cert, NULL
      };
      g_autofree char *output = NULL;
      int status = run_command (argv, NULL, &output);

      g_test_message ("kind %d: %s", cases[i].kind, output);
      if (cases[i].trusted)
        {
          g_assert_cmpint (status, ==, 0);
          g_assert_nonnull (strstr (output, ": OK"));
        }
      else
        {
          g_assert_cmpint (status, !=, 0);
          g_assert_nonnull (strstr (output, cases[i].error));
        }
    }
}

static void
test_ca_fingerprints (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (int kind = RP_TEST_CERT_VALID; kind <= RP_TEST_CERT_VALID_2; kind++)
    {
      const char *argv[] = {
        "openssl", "x509", "-noout", "-fingerprint", "-sha256",
        "-in", rp_test_ca_get_cert_file (ca, kind), NULL
      };
      g_autofree char *output = NULL;
      g_autofree char *fingerprint = rp_test_ca_get_fingerprint (ca, kind);
      g_autoptr(GString) expected = NULL;
      const char *hex;

      g_assert_cmpint (run_command (argv, NULL, &output), ==, 0);
      hex = strchr (output, '=');
      g_assert_nonnull (hex);
      expected = g_string_new (NULL);
      for (hex++; *hex != '\0' && *hex != '\n'; hex++)
        if (*hex != ':')
          g_string_append_c (expected, g_ascii_tolower (*hex));

      g_assert_cmpuint (strlen (fingerprint), ==, 64);
      g_assert_cmpstr (fingerprint, ==, expected->str);
      /* Every kind is a different certificate. */
      g_assert_true (g_hash_table_add (seen, g_steal_pointer (&fingerprint)));
    }
}

/* Tests: Dovecot */

static void
test_dovecot_capa (void)
{
  g_autofree char *stls_capa = pop3_capa (rp_test_dovecot_get_pop3_port (dovecot));
  g_autofree char *plain_capa = pop3_capa (rp_test_dovecot_get_pop3_plain_port (dovecot));

  g_assert_cmpuint (count_lines_with_prefix (stls_capa, "STLS"), ==, 1);
  g_assert_cmpuint (count_lines_with_prefix (stls_capa, "UIDL"), ==, 1);
  g_assert_cmpuint (count_lines_with_prefix (plain_capa, "STLS"), ==, 0);
  g_assert_cmpuint (count_lines_with_prefix (plain_capa, "UIDL"), ==, 1);
  g_assert_cmpuint (count_lines_with_prefix (plain_capa, "USER"), ==, 1);
}

static void
test_dovecot_retr (void)
{
  g_autofree char *path = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *expected_stat = NULL;
  g_autofree char *expected_list = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(LineClient) client = NULL;
  g_autoptr(GString) list = NULL;
  g_autoptr(GString) body = NULL;
  g_autoptr(GString) uidl = NULL;
  guint logins_before;
  guint attempts_before;

  rp_test_dovecot_add_user (dovecot, "retr", "retr-secret");
  logins_before = rp_test_dovecot_count_logins (dovecot);
  attempts_before = rp_test_dovecot_count_login_attempts (dovecot);

  path = rp_test_dovecot_deliver (dovecot, "retr", message, strlen (message));
  files = rp_test_dovecot_list_messages (dovecot, "retr");
  g_assert_cmpuint (files->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (files, 0), ==, path);

  client = pop3_login (rp_test_dovecot_get_pop3_plain_port (dovecot), "retr", "retr-secret");

  expected_stat = g_strdup_printf ("+OK 1 %zu", strlen (message));
  reply = line_client_command (client, "STAT");
  g_assert_cmpstr (reply, ==, expected_stat);
  g_clear_pointer (&reply, g_free);

  reply = line_client_command (client, "LIST");
  g_assert_true (g_str_has_prefix (reply, "+OK"));
  list = pop3_read_multiline (client);
  expected_list = g_strdup_printf ("1 %zu\r\n", strlen (message));
  g_assert_cmpstr (list->str, ==, expected_list);
  g_clear_pointer (&reply, g_free);

  reply = line_client_command (client, "UIDL");
  g_assert_true (g_str_has_prefix (reply, "+OK"));
  uidl = pop3_read_multiline (client);
  /* pop3_uidl_format = %08Xu%08Xv: UID 1, then the UIDVALIDITY (Dovecot
   * writes the hex digits in lower case). */
  g_assert_true (g_regex_match_simple ("^1 00000001[0-9a-fA-F]{8}\r\n$", uidl->str, 0, 0));
  g_clear_pointer (&reply, g_free);

  reply = line_client_command (client, "RETR 1");
  g_assert_true (g_str_has_prefix (reply, "+OK"));
  body = pop3_read_multiline (client);
  g_assert_cmpstr (body->str, ==, message);
  g_clear_pointer (&reply, g_free);

  reply = line_client_command (client, "QUIT");
  g_assert_true (g_str_has_prefix (reply, "+OK"));

  g_assert_cmpuint (rp_test_dovecot_count_logins (dovecot), ==, logins_before + 1);
  g_assert_cmpuint (rp_test_dovecot_count_login_attempts (dovecot), ==, attempts_before + 1);
}

static void
test_dovecot_wrong_password (void)
{
  g_autoptr(LineClient) client = NULL;
  g_autofree char *greeting = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *log = NULL;
  guint logins_before;
  guint attempts_before;

  rp_test_dovecot_add_user (dovecot, "wrongpw", "right");
  logins_before = rp_test_dovecot_count_logins (dovecot);
  attempts_before = rp_test_dovecot_count_login_attempts (dovecot);

  client = line_client_new (rp_test_dovecot_get_pop3_plain_port (dovecot));
  greeting = line_client_read (client);
  g_free (line_client_command (client, "USER wrongpw"));
  reply = line_client_command (client, "PASS wrong");
  g_assert_true (g_str_has_prefix (reply, "-ERR"));
  g_clear_pointer (&reply, g_free);

  /* Counted at once, before the client disconnects. */
  g_assert_cmpuint (rp_test_dovecot_count_logins (dovecot), ==, logins_before);
  g_assert_cmpuint (rp_test_dovecot_count_login_attempts (dovecot), ==, attempts_before + 1);

  g_free (line_client_command (client, "QUIT"));
  g_clear_pointer (&client, line_client_free);

  /* A retry on a new connection (Dovecot's login process holds back a
   * second try on the same connection by several seconds), and an
   * unknown user, count too. */
  client = pop3_login (rp_test_dovecot_get_pop3_plain_port (dovecot), "wrongpw", "right");
  g_free (line_client_command (client, "QUIT"));
  g_clear_pointer (&client, line_client_free);

  client = line_client_new (rp_test_dovecot_get_pop3_plain_port (dovecot));
  g_free (line_client_read (client));
  g_free (line_client_command (client, "USER nosuchuser"));
  reply = line_client_command (client, "PASS whatever");
  g_assert_true (g_str_has_prefix (reply, "-ERR"));
  g_free (line_client_command (client, "QUIT"));

  g_assert_cmpuint (rp_test_dovecot_count_logins (dovecot), ==, logins_before + 1);
  g_assert_cmpuint (rp_test_dovecot_count_login_attempts (dovecot), ==, attempts_before + 3);

  log = rp_test_dovecot_read_log (dovecot);
  g_assert_nonnull (strstr (log, "passwd-file(wrongpw,127.0.0.1,"));
  /* The password itself is never logged. */
  g_assert_null (strstr (log, "PASS wrong"));
}

static void
test_dovecot_password_change (void)
{
  g_autoptr(LineClient) client = NULL;
  g_autofree char *reply = NULL;

  /* Same length, same second: the users file must still be reread. */
  rp_test_dovecot_add_user (dovecot, "changer", "aaaa");
  client = pop3_login (rp_test_dovecot_get_pop3_plain_port (dovecot), "changer", "aaaa");
  g_free (line_client_command (client, "QUIT"));
  g_clear_pointer (&client, line_client_free);

  rp_test_dovecot_add_user (dovecot, "changer", "bbbb");

  client = line_client_new (rp_test_dovecot_get_pop3_plain_port (dovecot));
  g_free (line_client_read (client));
  g_free (line_client_command (client, "USER changer"));
  reply = line_client_command (client, "PASS aaaa");
  g_assert_true (g_str_has_prefix (reply, "-ERR"));
  g_free (line_client_command (client, "QUIT"));
  g_clear_pointer (&client, line_client_free);

  client = pop3_login (rp_test_dovecot_get_pop3_plain_port (dovecot), "changer", "bbbb");
  g_free (line_client_command (client, "QUIT"));
}

static void
test_dovecot_recent_mode (void)
{
  g_autoptr(LineClient) client = NULL;
  g_autofree char *path = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *log = NULL;
  g_autofree char *expected_stat = g_strdup_printf ("+OK 1 %zu", strlen (message));

  rp_test_dovecot_add_user (dovecot, "recentuser", "pw");
  path = rp_test_dovecot_deliver (dovecot, "recentuser", message, strlen (message));

  client = pop3_login (rp_test_dovecot_get_pop3_plain_port (dovecot),
                       "recent:recentuser", "pw");
  reply = line_client_command (client, "STAT");
  g_assert_cmpstr (reply, ==, expected_stat);
  g_free (line_client_command (client, "QUIT"));

  log = rp_test_dovecot_read_log (dovecot);
  g_assert_nonnull (strstr (log, "Login: user=<recentuser>"));
}

static void
test_dovecot_apop (void)
{
  g_autoptr(LineClient) client = NULL;
  g_autofree char *greeting = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *command = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *salted = NULL;
  const char *start;
  const char *end;

  rp_test_dovecot_add_user (dovecot, "apopuser", "apop-pw");

  client = line_client_new (rp_test_dovecot_get_pop3_plain_port (dovecot));
  greeting = line_client_read (client);
  start = strchr (greeting, '<');
  end = strrchr (greeting, '>');
  g_assert_nonnull (start);
  g_assert_nonnull (end);
  salted = g_strdup_printf ("%.*sapop-pw", (int) (end - start + 1), start);
  digest = g_compute_checksum_for_string (G_CHECKSUM_MD5, salted, -1);
  command = g_strdup_printf ("APOP apopuser %s", digest);
  reply = line_client_command (client, command);
  g_assert_cmpstr (reply, ==, "+OK Logged in.");
  g_free (line_client_command (client, "QUIT"));
}

static void
check_pop3_tls (guint16     port,
                gboolean    starttls,
                const char *ca_file,
                gboolean    expect_ok)
{
  g_autofree char *connect = g_strdup_printf ("127.0.0.1:%u", port);
  const char *argv[] = {
    "openssl", "s_client", "-connect", connect, "-CAfile", ca_file,
    "-verify_return_error", "-verify_hostname", "localhost", "-quiet",
    /* Without STARTTLS the list ends here. */
    starttls ? "-starttls" : NULL, "pop3", NULL
  };
  g_autofree char *output = NULL;
  int status = run_command (argv, "CAPA\r\nQUIT\r\n", &output);

  g_test_message ("s_client on %u: %s", port, output);
  if (expect_ok)
    {
      g_assert_cmpint (status, ==, 0);
      /* Implicit TLS shows the greeting; after STLS it was read by
       * s_client itself, so the CAPA reply shows the session works. */
      g_assert_nonnull (strstr (output, starttls ? "\nUIDL" : "+OK Dovecot (Debian) ready."));
      g_assert_nonnull (strstr (output, "+OK Logging out"));
    }
  else
    {
      g_assert_cmpint (status, !=, 0);
      g_assert_nonnull (strstr (output, "verify error"));
    }
}

static void
test_dovecot_tls (void)
{
  check_pop3_tls (rp_test_dovecot_get_pop3s_port (dovecot), FALSE,
                  rp_test_ca_get_ca_file (ca), TRUE);
  check_pop3_tls (rp_test_dovecot_get_pop3_port (dovecot), TRUE,
                  rp_test_ca_get_ca_file (ca), TRUE);
  /* Against another trust anchor the same server must fail, or the
   * success above proves nothing. */
  check_pop3_tls (rp_test_dovecot_get_pop3s_port (dovecot), FALSE,
                  rp_test_ca_get_cert_file (ca, RP_TEST_CERT_SELF_SIGNED), FALSE);
}

/* Tests: Postfix */

static void
check_delivered (RpTestDovecot *server,
                 const char    *user,
                 const char    *data)
{
  g_autoptr(GPtrArray) files = rp_test_dovecot_list_messages (server, user);
  g_autofree char *contents = NULL;
  g_autofree char *expected = crlf_to_lf (data);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (files->len, ==, 1);
  g_file_get_contents (g_ptr_array_index (files, 0), &contents, NULL, &error);
  g_assert_no_error (error);
  /* Dovecot stores LF line ends, and Postfix and Dovecot put their trace
   * headers (Return-Path, Delivered-To, Received) in front; everything
   * the client sent follows them byte for byte. */
  g_assert_cmpuint (strlen (contents), >, strlen (expected));
  g_assert_cmpstr (contents + strlen (contents) - strlen (expected), ==, expected);
  g_assert_true (g_str_has_prefix (contents, "Return-Path: <bob@" RP_TEST_DOMAIN ">\n"));
}

static void
test_smtpd_deliver (void)
{
  g_autoptr(LineClient) client = NULL;
  g_autofree char *ehlo = NULL;
  g_autofree char *log = NULL;

  rp_test_dovecot_add_user (dovecot, "alice", "alice-pw");

  client = smtp_connect (rp_test_smtpd_get_plain_port (smtpd), &ehlo);
  g_assert_nonnull (strstr (ehlo, "250-AUTH PLAIN LOGIN"));
  g_assert_null (strstr (ehlo, "STARTTLS"));
  smtp_auth_plain (client, "alice", "alice-pw");
  smtp_expect (client, "MAIL FROM:<bob@" RP_TEST_DOMAIN ">", "250 ");
  smtp_expect (client, "RCPT TO:<alice@" RP_TEST_DOMAIN ">", "250 ");
  smtp_send_data (client, message);
  smtp_expect (client, "QUIT", "221 ");

  g_assert_true (rp_test_smtpd_wait_for_delivery (smtpd, "alice", 1, 10000));
  check_delivered (dovecot, "alice", message);

  log = rp_test_smtpd_read_log (smtpd);
  g_assert_nonnull (strstr (log, "sasl_method=PLAIN, sasl_username=alice"));
  g_assert_nonnull (strstr (log, "status=sent"));
}

static void
test_smtpd_reject (void)
{
  g_autoptr(LineClient) client = NULL;
  g_autofree char *ehlo = NULL;

  rp_test_dovecot_add_user (dovecot, "rejecter", "pw");

  client = smtp_connect (rp_test_smtpd_get_plain_port (smtpd), &ehlo);
  smtp_expect (client, "MAIL FROM:<bob@" RP_TEST_DOMAIN ">", "250 ");
  smtp_expect (client, "RCPT TO:<nobody@" RP_TEST_DOMAIN ">", "550 5.1.1 ");
  /* Relaying without AUTH is refused, even from loopback. */
  smtp_expect (client, "RCPT TO:<someone@outside.test>", "554 5.7.1 ");
  smtp_expect (client, "RCPT TO:<rejecter@" RP_TEST_DOMAIN ">", "250 ");
  smtp_expect (client, "QUIT", "221 ");
  g_clear_pointer (&client, line_client_free);
  g_clear_pointer (&ehlo, g_free);

  /* A user added now is a valid recipient at once, and a wrong password
   * is refused. */
  rp_test_dovecot_add_user (dovecot, "newcomer", "pw");
  client = smtp_connect (rp_test_smtpd_get_plain_port (smtpd), &ehlo);
  smtp_expect (client, "MAIL FROM:<bob@" RP_TEST_DOMAIN ">", "250 ");
  smtp_expect (client, "RCPT TO:<newcomer@" RP_TEST_DOMAIN ">", "250 ");
  smtp_expect (client, "RSET", "250 ");
  smtp_expect (client, "AUTH PLAIN AG5ld2NvbWVyAHdyb25n", "535 ");
  /* With AUTH, mail to other domains is accepted (and dropped). */
  smtp_auth_plain (client, "newcomer", "pw");
  smtp_expect (client, "MAIL FROM:<newcomer@" RP_TEST_DOMAIN ">", "250 ");
  smtp_expect (client, "RCPT TO:<someone@outside.test>", "250 ");
  smtp_expect (client, "QUIT", "221 ");
}

static void
check_smtp_tls (guint16     port,
                gboolean    starttls)
{
  g_autofree char *connect = g_strdup_printf ("127.0.0.1:%u", port);
  const char *argv[] = {
    "openssl", "s_client", "-connect", connect, "-CAfile", rp_test_ca_get_ca_file (ca),
    "-verify_return_error", "-verify_hostname", "localhost", "-quiet", "-crlf",
    /* Without STARTTLS the list ends here. */
    starttls ? "-starttls" : NULL, "smtp", NULL
  };
  g_autofree char *output = NULL;
  int status = run_command (argv, "EHLO tls.example.test\nQUIT\n", &output);

  g_test_message ("s_client on %u: %s", port, output);
  g_assert_cmpint (status, ==, 0);
  if (!starttls)
    g_assert_nonnull (strstr (output, "220 localhost ESMTP Postfix"));
  /* Inside TLS, AUTH is offered on both ports. */
  g_assert_nonnull (strstr (output, "250-AUTH PLAIN LOGIN"));
  g_assert_nonnull (strstr (output, "221 2.0.0 Bye"));
}

static void
test_smtpd_tls (void)
{
  g_autoptr(LineClient) client = NULL;
  g_autofree char *ehlo = NULL;

  /* Before STARTTLS, submission offers TLS but no AUTH. */
  client = smtp_connect (rp_test_smtpd_get_submission_port (smtpd), &ehlo);
  g_assert_nonnull (strstr (ehlo, "250-STARTTLS"));
  g_assert_null (strstr (ehlo, "AUTH"));
  smtp_expect (client, "QUIT", "221 ");

  check_smtp_tls (rp_test_smtpd_get_submission_port (smtpd), TRUE);
  check_smtp_tls (rp_test_smtpd_get_submissions_port (smtpd), FALSE);
}

static void
test_smtpd_stop_start (void)
{
  guint16 port = rp_test_smtpd_get_plain_port (smtpd);
  g_autoptr(LineClient) client = NULL;
  g_autofree char *ehlo = NULL;

  rp_test_smtpd_stop (smtpd);
  g_assert_false (rp_test_server_port_accepts (port));
  g_assert_false (rp_test_server_port_accepts (rp_test_smtpd_get_submission_port (smtpd)));

  rp_test_smtpd_start (smtpd);
  g_assert_cmpuint (rp_test_smtpd_get_plain_port (smtpd), ==, port);
  client = smtp_connect (port, &ehlo);
  smtp_expect (client, "QUIT", "221 ");
}

static void
test_smtpd_size_limit (void)
{
  g_autoptr(LineClient) client = NULL;
  g_autofree char *ehlo = NULL;

  rp_test_smtpd_set_size_limit (smtpd, 2000);
  client = smtp_connect (rp_test_smtpd_get_plain_port (smtpd), &ehlo);
  g_assert_nonnull (strstr (ehlo, "250-SIZE 2000\n"));
  smtp_expect (client, "MAIL FROM:<bob@" RP_TEST_DOMAIN "> SIZE=5000", "552 ");
  smtp_expect (client, "QUIT", "221 ");
  g_clear_pointer (&client, line_client_free);
  g_clear_pointer (&ehlo, g_free);

  rp_test_smtpd_set_size_limit (smtpd, 10240000);
  client = smtp_connect (rp_test_smtpd_get_plain_port (smtpd), &ehlo);
  g_assert_nonnull (strstr (ehlo, "250-SIZE 10240000\n"));
  smtp_expect (client, "QUIT", "221 ");
}

/* Tests: several servers at once */

static void
send_to (RpTestSmtpd *server,
         const char  *user,
         const char  *data)
{
  g_autoptr(LineClient) client = NULL;
  g_autofree char *ehlo = NULL;
  g_autofree char *rcpt = g_strdup_printf ("RCPT TO:<%s@" RP_TEST_DOMAIN ">", user);

  client = smtp_connect (rp_test_smtpd_get_plain_port (server), &ehlo);
  smtp_expect (client, "MAIL FROM:<bob@" RP_TEST_DOMAIN ">", "250 ");
  smtp_expect (client, rcpt, "250 ");
  smtp_send_data (client, data);
  smtp_expect (client, "QUIT", "221 ");
}

static void
test_parallel (void)
{
  g_autoptr(RpTestDovecot) dovecot_a = rp_test_dovecot_new (ca, RP_TEST_CERT_VALID_2);
  g_autoptr(RpTestDovecot) dovecot_b = rp_test_dovecot_new (ca, RP_TEST_CERT_VALID);
  g_autoptr(RpTestSmtpd) smtpd_a = rp_test_smtpd_new (ca, RP_TEST_CERT_VALID, dovecot_a);
  g_autoptr(RpTestSmtpd) smtpd_b = rp_test_smtpd_new (ca, RP_TEST_CERT_VALID, dovecot_b);
  g_autoptr(GHashTable) ports = g_hash_table_new (NULL, NULL);
  RpTestDovecot *dovecots[] = { dovecot, dovecot_a, dovecot_b };
  RpTestSmtpd *smtpds[] = { smtpd, smtpd_a, smtpd_b };
  /* Complete headers, so that Postfix adds none after them. */
  static const char message_a[] =
    "From: bob@example.test\r\nDate: Sat, 28 Nov 2026 10:00:00 +0000\r\n"
    "Message-ID: <a@example.test>\r\nSubject: for a\r\n\r\nA\r\n";
  static const char message_b[] =
    "From: bob@example.test\r\nDate: Sat, 28 Nov 2026 10:00:00 +0000\r\n"
    "Message-ID: <b@example.test>\r\nSubject: for b\r\n\r\nB\r\n";

  /* Fifteen listeners, no two on one port. */
  for (guint i = 0; i < G_N_ELEMENTS (dovecots); i++)
    {
      guint16 all[] = {
        rp_test_dovecot_get_pop3s_port (dovecots[i]),
        rp_test_dovecot_get_pop3_port (dovecots[i]),
        rp_test_dovecot_get_pop3_plain_port (dovecots[i]),
        rp_test_dovecot_get_auth_port (dovecots[i]),
        rp_test_smtpd_get_submission_port (smtpds[i]),
        rp_test_smtpd_get_submissions_port (smtpds[i]),
        rp_test_smtpd_get_plain_port (smtpds[i]),
      };

      for (guint j = 0; j < G_N_ELEMENTS (all); j++)
        g_assert_true (g_hash_table_add (ports, GUINT_TO_POINTER ((guint) all[j])));
    }

  /* The same user name on both pairs; each message reaches its own. */
  rp_test_dovecot_add_user (dovecot_a, "twin", "pw");
  rp_test_dovecot_add_user (dovecot_b, "twin", "pw");
  send_to (smtpd_a, "twin", message_a);
  send_to (smtpd_b, "twin", message_b);
  g_assert_true (rp_test_smtpd_wait_for_delivery (smtpd_a, "twin", 1, 10000));
  g_assert_true (rp_test_smtpd_wait_for_delivery (smtpd_b, "twin", 1, 10000));
  check_delivered (dovecot_a, "twin", message_a);
  check_delivered (dovecot_b, "twin", message_b);

  /* Freeing one pair leaves the other working. */
  g_clear_pointer (&smtpd_a, rp_test_smtpd_free);
  g_clear_pointer (&dovecot_a, rp_test_dovecot_free);
  {
    g_autoptr(LineClient) client = pop3_login (rp_test_dovecot_get_pop3_plain_port (dovecot_b),
                                               "twin", "pw");
    g_autofree char *reply = line_client_command (client, "STAT");

    g_assert_true (g_str_has_prefix (reply, "+OK 1 "));
    g_free (line_client_command (client, "QUIT"));
  }
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  rp_test_init (&argc, &argv);

  ca = rp_test_ca_new ();
  dovecot = rp_test_dovecot_new (ca, RP_TEST_CERT_VALID);
  smtpd = rp_test_smtpd_new (ca, RP_TEST_CERT_VALID, dovecot);

  g_test_add_func ("/fixtures/ca/verify", test_ca_verify);
  g_test_add_func ("/fixtures/ca/fingerprints", test_ca_fingerprints);
  g_test_add_func ("/fixtures/dovecot/capa", test_dovecot_capa);
  g_test_add_func ("/fixtures/dovecot/retr", test_dovecot_retr);
  g_test_add_func ("/fixtures/dovecot/wrong-password", test_dovecot_wrong_password);
  g_test_add_func ("/fixtures/dovecot/password-change", test_dovecot_password_change);
  g_test_add_func ("/fixtures/dovecot/recent-mode", test_dovecot_recent_mode);
  g_test_add_func ("/fixtures/dovecot/apop", test_dovecot_apop);
  g_test_add_func ("/fixtures/dovecot/tls", test_dovecot_tls);
  g_test_add_func ("/fixtures/smtpd/deliver", test_smtpd_deliver);
  g_test_add_func ("/fixtures/smtpd/reject", test_smtpd_reject);
  g_test_add_func ("/fixtures/smtpd/tls", test_smtpd_tls);
  g_test_add_func ("/fixtures/smtpd/stop-start", test_smtpd_stop_start);
  g_test_add_func ("/fixtures/smtpd/size-limit", test_smtpd_size_limit);
  g_test_add_func ("/fixtures/parallel", test_parallel);

  ret = g_test_run ();

  g_clear_pointer (&smtpd, rp_test_smtpd_free);
  g_clear_pointer (&dovecot, rp_test_dovecot_free);
  g_clear_pointer (&ca, rp_test_ca_free);

  return ret;
}
