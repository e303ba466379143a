/* test-pop3.c: RpPop3 against a real Dovecot 2.3
 *
 * Dovecot keeps maildir files with LF line endings and serves them with
 * CRLF, adding a final CRLF to a message that lacks a final newline. The
 * expected bytes of a message are therefore its file with every LF turned
 * into CRLF, plus CRLF when the file does not end with LF (see
 * expected_from_file()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "rp-core.h"
#include "rp-pop3-private.h"
#include "rp-test-dovecot.h"
#include "rp-test-util.h"

/* A space and a non-ASCII letter: PASS takes the rest of the line, and
 * every method must carry UTF-8 unchanged. */
#define PASSWORD "s3cret pässword"

typedef struct
{
  RpSecurity       security;
  RpPop3AuthMethod method;
  RpPop3AuthMethod expected;
} AuthCase;

static RpTestCa *test_ca;
static RpTestDovecot *dovecot;
static guint user_counter;

/* Auxiliary methods */

/* Every test gets fresh users. They are all added before the first login:
 * Dovecot's passwd-file driver looks at its file at most once a second, so
 * a user added right after another login may not be known yet. */
#define N_USERS 64

static char *
new_user (void)
{
  g_assert_cmpuint (user_counter, <, N_USERS);

  return g_strdup_printf ("user%u", ++user_counter);
}

static void
add_users (void)
{
  for (guint i = 1; i <= N_USERS; i++)
    {
      g_autofree char *user = g_strdup_printf ("user%u", i);

      rp_test_dovecot_add_user (dovecot, user, PASSWORD);
    }
}

static guint16
port_for (RpSecurity security)
{
  switch (security)
    {
    case RP_SECURITY_TLS:
      return rp_test_dovecot_get_pop3s_port (dovecot);
    case RP_SECURITY_STARTTLS:
      return rp_test_dovecot_get_pop3_port (dovecot);
    case RP_SECURITY_NONE:
    default:
      return rp_test_dovecot_get_pop3_plain_port (dovecot);
    }
}

static RpPop3 *
connect_pop3 (RpSecurity security)
{
  g_autoptr(GError) error = NULL;
  RpPop3 *pop3 = rp_pop3_new ("localhost", port_for (security), security);

  rp_pop3_set_ca_file (pop3, rp_test_ca_get_ca_file (test_ca));
  rp_pop3_set_timeout (pop3, 30);
  g_assert_true (rp_pop3_connect_sync (pop3, NULL, &error));
  g_assert_no_error (error);

  return pop3;
}

static RpPop3 *
login_pop3 (RpSecurity  security,
            const char *user)
{
  g_autoptr(GError) error = NULL;
  RpPop3 *pop3 = connect_pop3 (security);

  rp_pop3_login_sync (pop3, user, PASSWORD, RP_POP3_AUTH_AUTO, NULL, &error);
  g_assert_no_error (error);

  return pop3;
}

static void
quit (RpPop3 *pop3)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (rp_pop3_quit_sync (pop3, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (rp_pop3_is_connected (pop3));
}

/* What Dovecot serves for a maildir file: LF becomes CRLF, and a message
 * without a final newline gets one. */
static GBytes *
expected_from_bytes (const char *data,
                     gsize       len)
{
  GString *out = g_string_sized_new (len + len / 20 + 2);

  for (gsize i = 0; i < len; i++)
    {
      if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r'))
        g_string_append_c (out, '\r');
      g_string_append_c (out, data[i]);
    }
  if (len == 0 || data[len - 1] != '\n')
    g_string_append (out, "\r\n");

  return g_string_free_to_bytes (out);
}

static GBytes *
expected_from_file (const char *path)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);

  return expected_from_bytes (data, len);
}

/* SHA-256 of the expected bytes of every message file of @user. */
static GHashTable *
expected_hashes (const char *user)
{
  g_autoptr(GPtrArray) paths = rp_test_dovecot_list_messages (dovecot, user);
  GHashTable *hashes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < paths->len; i++)
    {
      g_autoptr(GBytes) expected = expected_from_file (g_ptr_array_index (paths, i));
      char *sha = rp_test_sha256_bytes (expected);

      /* Every test message is unique (it carries its index). */
      g_assert_false (g_hash_table_contains (hashes, sha));
      g_hash_table_add (hashes, sha);
    }

  return hashes;
}

static char *
deliver_simple (const char *user,
                guint       index)
{
  g_autofree char *text = g_strdup_printf ("From: sender@example.test\n"
                                           "To: %s@example.test\n"
                                           "Subject: message %u\n"
                                           "X-Index: %u\n"
                                           "\n"
                                           "Body line one of %u.\n"
                                           "Body line two.\n"
                                           "Body line three.\n",
                                           user, index, index, index);

  return rp_test_dovecot_deliver (dovecot, user, text, strlen (text));
}

/* A deterministic message of varied shape: short and long lines, lines
 * beyond RFC 5322's 998 octets, lines starting with dots and a lone dot
 * (which Dovecot must stuff), and sometimes no final newline. */
static GString *
make_message (GRand      *rand,
              const char *user,
              guint       index)
{
  GString *text = g_string_new (NULL);
  guint target;

  if (index % 40 == 3)
    target = g_rand_int_range (rand, 100 * 1024, 300 * 1024);
  else
    target = g_rand_int_range (rand, 200, 20 * 1024);

  g_string_append_printf (text,
                          "From: Sender <sender@example.test>\n"
                          "To: %s@example.test\n"
                          "Subject: varied message %u\n"
                          "X-Index: %u\n"
                          "\n",
                          user, index, index);

  while (text->len < target)
    {
      guint kind = g_rand_int_range (rand, 0, 20);
      guint len = kind == 0 ? g_rand_int_range (rand, 999, 5000) : g_rand_int_range (rand, 0, 90);

      if (kind == 1)
        g_string_append (text, ".");
      else if (kind == 2)
        g_string_append (text, "..");
      for (guint i = 0; i < len; i++)
        g_string_append_c (text, (char) g_rand_int_range (rand, 0x20, 0x7f));
      g_string_append_c (text, '\n');
      if (kind == 3)
        g_string_append (text, ".\n");
    }

  if (index % 50 == 7)
    {
      g_string_append (text, "no newline at the end");
      if (index % 100 == 7)
        g_string_append (text, "\n..");
    }

  return text;
}

typedef struct
{
  GHashTable *expected;
  guint       count;
  guint       stop_at;
  guint       last_msgno;
  gboolean    in_order;
} RetrState;

static gboolean
check_message (guint     msgno,
               GBytes   *message,
               gpointer  user_data,
               GError  **error)
{
  RetrState *state = user_data;
  g_autofree char *sha = rp_test_sha256_bytes (message);

  if (msgno <= state->last_msgno)
    state->in_order = FALSE;
  state->last_msgno = msgno;
  state->count++;

  g_assert_true (g_hash_table_remove (state->expected, sha));

  if (state->stop_at != 0 && state->count == state->stop_at)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_STORE, "stop here");
      return FALSE;
    }

  return TRUE;
}

static void
fill_varied (const char *user,
             guint       n)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240229);

  for (guint i = 1; i <= n; i++)
    {
      g_autoptr(GString) text = make_message (rand, user, i);

      g_free (rp_test_dovecot_deliver (dovecot, user, text->str, text->len));
    }
}

static guint *
all_msgnos (GArray *infos)
{
  guint *msgnos = g_new (guint, MAX (infos->len, 1));

  for (guint i = 0; i < infos->len; i++)
    msgnos[i] = g_array_index (infos, RpPop3MessageInfo, i).msgno;

  return msgnos;
}

/* Tests */

static void
test_auth (gconstpointer data)
{
  const AuthCase *auth = data;
  g_autofree char *user = new_user ();
  g_autoptr(RpPop3) pop3 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *trace = NULL;
  g_autofree char *plain = g_strdup_printf ("%c%s%c%s", 0, user, 0, PASSWORD);
  g_autofree char *plain64 = NULL;
  g_autofree char *password64 = g_base64_encode ((const guchar *) PASSWORD, strlen (PASSWORD));
  guint logins = rp_test_dovecot_count_logins (dovecot);
  guint count = 0;
  guint64 size = 0;

  g_free (deliver_simple (user, 1));
  plain64 = g_base64_encode ((const guchar *) plain, strlen (user) + 2 + strlen (PASSWORD));

  pop3 = rp_pop3_new ("localhost", port_for (auth->security), auth->security);
  rp_pop3_set_ca_file (pop3, rp_test_ca_get_ca_file (test_ca));
  rp_pop3_set_trace_enabled (pop3, TRUE);
  g_assert_true (rp_pop3_connect_sync (pop3, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (rp_transport_is_tls (rp_pop3_get_transport (pop3)), ==,
                   auth->security != RP_SECURITY_NONE);
  g_assert_true (rp_pop3_get_capabilities (pop3) & RP_POP3_CAPABILITY_CAPA);
  g_assert_true (rp_pop3_get_capabilities (pop3) & RP_POP3_CAPABILITY_APOP);
  /* After STLS the capabilities were read again: STLS is gone. */
  g_assert_false (auth->security != RP_SECURITY_NONE &&
                  (rp_pop3_get_capabilities (pop3) & RP_POP3_CAPABILITY_STLS));

  g_assert_true (rp_pop3_login_sync (pop3, user, PASSWORD, auth->method, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rp_pop3_get_auth_method (pop3), ==, auth->expected);

  g_assert_true (rp_pop3_stat_sync (pop3, &count, &size, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpuint (size, >, 100);
  quit (pop3);

  g_assert_cmpuint (rp_test_dovecot_count_logins (dovecot), ==, logins + 1);

  trace = rp_pop3_dup_trace (pop3);
  g_assert_nonnull (strstr (trace, "STAT"));
  g_assert_null (strstr (trace, PASSWORD));
  g_assert_null (strstr (trace, "s3cret"));
  g_assert_null (strstr (trace, plain64));
  g_assert_null (strstr (trace, password64));
}

static void
test_starttls_unavailable (void)
{
  g_autofree char *user = new_user ();
  g_autoptr(RpPop3) pop3 = rp_pop3_new ("localhost", rp_test_dovecot_get_pop3_plain_port (dovecot),
                                        RP_SECURITY_STARTTLS);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) login_error = NULL;
  g_autofree char *trace = NULL;
  guint attempts = rp_test_dovecot_count_login_attempts (dovecot);

  rp_pop3_set_trace_enabled (pop3, TRUE);
  g_assert_false (rp_pop3_connect_sync (pop3, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_TLS_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "does not offer encryption"));
  g_assert_false (rp_pop3_is_connected (pop3));

  /* There is no way to log in now, and nothing was tried. */
  g_assert_false (rp_pop3_login_sync (pop3, user, PASSWORD, RP_POP3_AUTH_AUTO, NULL, &login_error));
  g_assert_error (login_error, RP_ERROR, RP_ERROR_CONNECTION_FAILED);

  trace = rp_pop3_dup_trace (pop3);
  g_assert_nonnull (strstr (trace, "C: CAPA"));
  g_assert_null (strstr (trace, "C: USER"));
  g_assert_null (strstr (trace, "C: AUTH"));
  g_assert_null (strstr (trace, "C: PASS"));
  g_assert_null (strstr (trace, "C: APOP"));
  g_assert_null (strstr (trace, "C: STLS"));
  g_assert_cmpuint (rp_test_dovecot_count_login_attempts (dovecot), ==, attempts);
}

/* Dovecot slows every further failed login from the same address down
 * (its anvil "auth penalty": 2, 4, 8 … seconds), so only two methods are
 * refused here; tests/integration/test-pop3-hostile.c maps the refusal of
 * every method. */
static void
test_auth_failed (gconstpointer data)
{
  const AuthCase *auth = data;
  g_autofree char *user = new_user ();
  g_autofree char *log = NULL;
  g_autofree char *aborted = NULL;
  g_autoptr(RpPop3) pop3 = connect_pop3 (auth->security);
  g_autoptr(GError) error = NULL;
  guint attempts = rp_test_dovecot_count_login_attempts (dovecot);

  g_assert_false (rp_pop3_login_sync (pop3, user, "not the password", auth->method, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_AUTH_FAILED);
  g_assert_cmpint (rp_pop3_get_auth_method (pop3), ==, RP_POP3_AUTH_AUTO);
  g_assert_nonnull (strstr (error->message, user));
  g_assert_null (strstr (error->message, "not the password"));
  g_assert_true (g_str_has_prefix (rp_pop3_get_last_reply (pop3), "-ERR [AUTH]"));
  /* The server's own words are in the message, for the details view. */
  g_assert_nonnull (strstr (error->message, rp_pop3_get_last_reply (pop3)));

  /* One attempt only, and the session can still say goodbye. */
  quit (pop3);

  /* Dovecot's auth process logs a failed APOP only when the login process
   * sums the session up at its end. */
  log = rp_test_dovecot_read_log (dovecot);
  aborted = g_strdup_printf ("\\(auth failed, 1 attempts in [0-9]+ secs\\): user=<%s>, method=%s,",
                             user, auth->expected == RP_POP3_AUTH_APOP ? "APOP" : "PLAIN");
  g_assert_true (g_regex_match_simple (aborted, log, 0, 0));
  if (auth->expected != RP_POP3_AUTH_APOP)
    g_assert_cmpuint (rp_test_dovecot_count_login_attempts (dovecot), ==, attempts + 1);
}

static void
test_certificate_refused (void)
{
  g_autoptr(RpPop3) pop3 = rp_pop3_new ("localhost", rp_test_dovecot_get_pop3s_port (dovecot),
                                        RP_SECURITY_TLS);
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = rp_test_ca_get_fingerprint (test_ca, RP_TEST_CERT_VALID);
  RpCertificate *certificate;

  /* Without the test CA the server's certificate is unknown. */
  g_assert_false (rp_pop3_connect_sync (pop3, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_TLS_CERTIFICATE);
  certificate = rp_transport_get_peer_certificate (rp_pop3_get_transport (pop3));
  g_assert_nonnull (certificate);
  g_assert_cmpstr (rp_certificate_get_fingerprint (certificate), ==, fingerprint);
  g_clear_error (&error);

  /* Pinning what the user accepted lets the same session connect. */
  rp_pop3_set_pinned_fingerprint (pop3, fingerprint);
  g_assert_true (rp_pop3_connect_sync (pop3, NULL, &error));
  g_assert_no_error (error);
  quit (pop3);
}

static void
test_uidl_list (void)
{
  g_autofree char *user = new_user ();
  g_autoptr(RpPop3) pop3 = NULL;
  g_autoptr(GArray) list = NULL;
  g_autoptr(GArray) uidl = NULL;
  g_autoptr(GArray) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) sizes = g_hash_table_new (g_direct_hash, g_direct_equal);
  guint64 total = 0;
  guint count = 0;
  guint64 stat_size = 0;

  for (guint i = 1; i <= 5; i++)
    {
      g_autofree char *path = deliver_simple (user, i);
      g_autoptr(GBytes) expected = expected_from_file (path);

      g_hash_table_add (sizes, GSIZE_TO_POINTER (g_bytes_get_size (expected)));
      total += g_bytes_get_size (expected);
    }

  pop3 = login_pop3 (RP_SECURITY_TLS, user);

  list = rp_pop3_list_sync (pop3, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 5);
  for (guint i = 0; i < list->len; i++)
    {
      const RpPop3MessageInfo *info = &g_array_index (list, RpPop3MessageInfo, i);

      g_assert_cmpuint (info->msgno, ==, i + 1);
      g_assert_null (info->uid);
      g_assert_true (g_hash_table_contains (sizes, GSIZE_TO_POINTER (info->size)));
    }

  g_assert_true (rp_pop3_stat_sync (pop3, &count, &stat_size, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 5);
  g_assert_cmpuint (stat_size, ==, total);

  uidl = rp_pop3_uidl_sync (pop3, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (uidl->len, ==, 5);
  for (guint i = 0; i < uidl->len; i++)
    {
      const RpPop3MessageInfo *info = &g_array_index (uidl, RpPop3MessageInfo, i);

      g_assert_cmpuint (info->msgno, ==, i + 1);
      g_assert_cmpuint (info->size, ==, g_array_index (list, RpPop3MessageInfo, i).size);
      /* pop3_uidl_format = %08Xu%08Xv: sixteen hex digits. */
      g_assert_cmpuint (strlen (info->uid), ==, 16);
      for (guint j = 0; j < i; j++)
        g_assert_cmpstr (info->uid, !=, g_array_index (uidl, RpPop3MessageInfo, j).uid);
    }
  quit (pop3);

  /* The ids are stable across sessions, and the same without pipelining. */
  pop3 = login_pop3 (RP_SECURITY_STARTTLS, user);
  _rp_pop3_set_pipelining_enabled (pop3, FALSE);
  again = rp_pop3_uidl_sync (pop3, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, 5);
  for (guint i = 0; i < again->len; i++)
    g_assert_cmpstr (g_array_index (again, RpPop3MessageInfo, i).uid, ==,
                     g_array_index (uidl, RpPop3MessageInfo, i).uid);
  quit (pop3);
}

static void
test_retr_top (void)
{
  const char text[] = "From: sender@example.test\n"
                      "Subject: top\n"
                      "\n"
                      "first\n"
                      ".\n"
                      "..third\n"
                      "fourth\n";
  g_autofree char *user = new_user ();
  g_autofree char *path = rp_test_dovecot_deliver (dovecot, user, text, sizeof text - 1);
  g_autoptr(GBytes) expected = expected_from_file (path);
  g_autoptr(RpPop3) pop3 = login_pop3 (RP_SECURITY_TLS, user);
  g_autoptr(GBytes) message = NULL;
  g_autoptr(GBytes) header = NULL;
  g_autoptr(GBytes) two = NULL;
  g_autoptr(GBytes) missing = NULL;
  g_autoptr(GError) error = NULL;
  const char expected_two[] = "From: sender@example.test\r\nSubject: top\r\n\r\nfirst\r\n.\r\n";

  message = rp_pop3_retr_sync (pop3, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (message, expected));

  header = rp_pop3_top_sync (pop3, 1, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (header, NULL), g_bytes_get_size (header),
                   "From: sender@example.test\r\nSubject: top\r\n\r\n", 43);

  two = rp_pop3_top_sync (pop3, 1, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (two, NULL), g_bytes_get_size (two),
                   expected_two, sizeof expected_two - 1);

  /* A refused RETR is the server's permanent answer; the session goes on. */
  missing = rp_pop3_retr_sync (pop3, 99, NULL, &error);
  g_assert_null (missing);
  g_assert_error (error, RP_ERROR, RP_ERROR_SERVER_PERMANENT);
  g_assert_nonnull (strstr (error->message, "RETR"));
  g_clear_error (&error);
  g_assert_true (rp_pop3_noop_sync (pop3, NULL, &error));
  g_assert_no_error (error);
  quit (pop3);
}

static void
run_retr_many (RpSecurity security,
               gboolean   pipelining,
               guint      n)
{
  g_autofree char *user = new_user ();
  g_autoptr(RpPop3) pop3 = NULL;
  g_autoptr(GArray) infos = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint *msgnos = NULL;
  g_autofree char *trace = NULL;
  RetrState state = { 0, };

  fill_varied (user, n);
  state.expected = expected_hashes (user);
  state.in_order = TRUE;
  g_assert_cmpuint (g_hash_table_size (state.expected), ==, n);

  pop3 = login_pop3 (security, user);
  rp_pop3_set_trace_enabled (pop3, TRUE);
  _rp_pop3_set_pipelining_enabled (pop3, pipelining);
  g_assert_true (rp_pop3_get_capabilities (pop3) & RP_POP3_CAPABILITY_PIPELINING);

  infos = rp_pop3_uidl_sync (pop3, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (infos->len, ==, n);
  msgnos = all_msgnos (infos);

  g_assert_true (rp_pop3_retr_many_sync (pop3, msgnos, infos->len, check_message, &state,
                                         NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (state.count, ==, n);
  g_assert_true (state.in_order);
  /* Every file was matched by exactly one download. */
  g_assert_cmpuint (g_hash_table_size (state.expected), ==, 0);

  /* The trace shows whether commands went out back to back. */
  trace = rp_pop3_dup_trace (pop3);
  g_assert_cmpint (strstr (trace, "C: RETR 1\nC: RETR 2\n") != NULL, ==, pipelining);
  quit (pop3);
  g_hash_table_unref (state.expected);
}

static void
test_retr_many_pipelined (void)
{
  run_retr_many (RP_SECURITY_TLS, TRUE, 200);
}

static void
test_retr_many_serial (void)
{
  run_retr_many (RP_SECURITY_NONE, FALSE, 40);
}

static void
test_retr_many_stop (void)
{
  g_autofree char *user = new_user ();
  g_autoptr(RpPop3) pop3 = NULL;
  g_autoptr(GArray) infos = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autofree char *after_sha = NULL;
  g_autofree guint *msgnos = NULL;
  RetrState state = { 0, };

  fill_varied (user, 60);
  state.expected = expected_hashes (user);
  state.in_order = TRUE;
  state.stop_at = 5;

  pop3 = login_pop3 (RP_SECURITY_TLS, user);
  infos = rp_pop3_list_sync (pop3, NULL, &error);
  g_assert_no_error (error);
  msgnos = all_msgnos (infos);

  /* The callback's error comes back, no later message is delivered, and
   * the replies in flight are drained: the session stays usable. */
  g_assert_false (rp_pop3_retr_many_sync (pop3, msgnos, infos->len, check_message, &state,
                                          NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_STORE);
  g_clear_error (&error);
  g_assert_cmpuint (state.count, ==, 5);
  g_assert_true (rp_pop3_is_connected (pop3));

  after = rp_pop3_retr_sync (pop3, 60, NULL, &error);
  g_assert_no_error (error);
  after_sha = rp_test_sha256_bytes (after);
  g_assert_true (g_hash_table_contains (state.expected, after_sha));
  quit (pop3);
  g_hash_table_unref (state.expected);
}

static guint
count_files (const char *user)
{
  g_autoptr(GPtrArray) paths = rp_test_dovecot_list_messages (dovecot, user);

  return paths->len;
}

static void
test_dele (void)
{
  g_autofree char *user = new_user ();
  g_autoptr(RpPop3) pop3 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) doomed = NULL;
  g_autoptr(GHashTable) remaining = NULL;
  g_autofree char *doomed_sha = NULL;
  guint count = 0;

  for (guint i = 1; i <= 3; i++)
    g_free (deliver_simple (user, i));

  /* Marked, then the connection drops: nothing is deleted. */
  pop3 = login_pop3 (RP_SECURITY_TLS, user);
  g_assert_true (rp_pop3_dele_sync (pop3, 2, NULL, &error));
  g_assert_no_error (error);
  rp_pop3_close (pop3);
  g_clear_object (&pop3);
  pop3 = login_pop3 (RP_SECURITY_TLS, user);
  g_assert_true (rp_pop3_stat_sync (pop3, &count, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 3);
  g_assert_cmpuint (count_files (user), ==, 3);

  /* Marked, then RSET: nothing is deleted at QUIT. */
  g_assert_true (rp_pop3_dele_sync (pop3, 2, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (rp_pop3_rset_sync (pop3, NULL, &error));
  g_assert_no_error (error);
  quit (pop3);
  g_clear_object (&pop3);
  g_assert_cmpuint (count_files (user), ==, 3);

  /* Marked and QUIT: that one file is gone, the others stay. */
  pop3 = login_pop3 (RP_SECURITY_TLS, user);
  doomed = rp_pop3_retr_sync (pop3, 2, NULL, &error);
  g_assert_no_error (error);
  doomed_sha = rp_test_sha256_bytes (doomed);
  g_assert_true (rp_pop3_dele_sync (pop3, 2, NULL, &error));
  g_assert_no_error (error);
  /* Before QUIT the file is still there. */
  g_assert_cmpuint (count_files (user), ==, 3);
  quit (pop3);

  remaining = expected_hashes (user);
  g_assert_cmpuint (g_hash_table_size (remaining), ==, 2);
  g_assert_false (g_hash_table_contains (remaining, doomed_sha));
}

static void
test_dele_many (void)
{
  g_autofree char *user = new_user ();
  g_autoptr(RpPop3) pop3 = NULL;
  g_autoptr(GError) error = NULL;
  guint doomed[40];
  guint bad[] = { 1, 2, 999, 3 };

  for (guint i = 1; i <= 80; i++)
    g_free (deliver_simple (user, i));
  for (guint i = 0; i < G_N_ELEMENTS (doomed); i++)
    doomed[i] = 2 * i + 1;

  pop3 = login_pop3 (RP_SECURITY_TLS, user);
  g_assert_true (rp_pop3_dele_many_sync (pop3, doomed, G_N_ELEMENTS (doomed), NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_files (user), ==, 80);
  quit (pop3);
  g_clear_object (&pop3);
  g_assert_cmpuint (count_files (user), ==, 40);

  /* A refusal in the middle of a pipelined batch stops it; the session
   * stays in step, and without QUIT nothing is deleted. */
  pop3 = login_pop3 (RP_SECURITY_TLS, user);
  g_assert_false (rp_pop3_dele_many_sync (pop3, bad, G_N_ELEMENTS (bad), NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_SERVER_PERMANENT);
  g_clear_error (&error);
  g_assert_true (rp_pop3_noop_sync (pop3, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (rp_pop3_rset_sync (pop3, NULL, &error));
  g_assert_no_error (error);
  quit (pop3);
  g_assert_cmpuint (count_files (user), ==, 40);
}

/* The fixture has no setting for pop3_lock_session (off by default in
 * Dovecot 2.3, which then lets two sessions share a maildrop). This test
 * runs last, appends the setting to the fixture's configuration and makes
 * Dovecot reload it. */
static void
enable_session_lock (void)
{
  g_autofree char *conf = g_build_filename (rp_test_dovecot_get_dir (dovecot), "dovecot.conf",
                                            NULL);
  g_autofree char *contents = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *lock = "\nprotocol pop3 {\n  pop3_lock_session = yes\n}\n";
  const char *argv[] = { "doveadm", "-c", conf, "reload", NULL };
  int status = 0;

  g_file_get_contents (conf, &contents, NULL, &error);
  g_assert_no_error (error);
  if (strstr (contents, "pop3_lock_session = yes") != NULL)
    return;

  contents = g_strconcat (g_steal_pointer (&contents), lock, NULL);
  g_file_set_contents (conf, contents, -1, &error);
  g_assert_no_error (error);

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("doveadm reload failed: %s", err);

  /* The reload replaces the pop3 processes; wait until a new session
   * sees the new setting, which takes a moment. */
  g_usleep (G_USEC_PER_SEC);
}

static void
test_in_use (void)
{
  g_autofree char *user = new_user ();
  g_autoptr(RpPop3) first = NULL;
  g_autoptr(RpPop3) second = NULL;
  g_autoptr(GError) error = NULL;

  g_free (deliver_simple (user, 1));
  enable_session_lock ();

  /* Dovecot waits about ten seconds for the lock before it answers. */
  first = login_pop3 (RP_SECURITY_TLS, user);
  second = connect_pop3 (RP_SECURITY_TLS);
  g_assert_false (rp_pop3_login_sync (second, user, PASSWORD, RP_POP3_AUTH_AUTO, NULL, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_MAILBOX_IN_USE);
  g_assert_true (rp_error_is_temporary (error));
  g_assert_true (g_str_has_prefix (rp_pop3_get_last_reply (second), "-ERR [IN-USE]"));
  g_clear_error (&error);
  rp_pop3_close (second);

  /* Once the first session ends, the mailbox is free again. */
  quit (first);
  g_clear_object (&second);
  second = login_pop3 (RP_SECURITY_TLS, user);
  quit (second);
}

int
main (int    argc,
      char **argv)
{
  static const AuthCase auth_cases[] = {
    { RP_SECURITY_TLS, RP_POP3_AUTH_AUTO, RP_POP3_AUTH_PLAIN },
    { RP_SECURITY_TLS, RP_POP3_AUTH_USER, RP_POP3_AUTH_USER },
    { RP_SECURITY_TLS, RP_POP3_AUTH_PLAIN, RP_POP3_AUTH_PLAIN },
    { RP_SECURITY_TLS, RP_POP3_AUTH_LOGIN, RP_POP3_AUTH_LOGIN },
    { RP_SECURITY_TLS, RP_POP3_AUTH_APOP, RP_POP3_AUTH_APOP },
    { RP_SECURITY_STARTTLS, RP_POP3_AUTH_AUTO, RP_POP3_AUTH_PLAIN },
    { RP_SECURITY_STARTTLS, RP_POP3_AUTH_USER, RP_POP3_AUTH_USER },
    { RP_SECURITY_STARTTLS, RP_POP3_AUTH_PLAIN, RP_POP3_AUTH_PLAIN },
    { RP_SECURITY_STARTTLS, RP_POP3_AUTH_LOGIN, RP_POP3_AUTH_LOGIN },
    { RP_SECURITY_STARTTLS, RP_POP3_AUTH_APOP, RP_POP3_AUTH_APOP },
    { RP_SECURITY_NONE, RP_POP3_AUTH_AUTO, RP_POP3_AUTH_APOP },
    { RP_SECURITY_NONE, RP_POP3_AUTH_USER, RP_POP3_AUTH_USER },
    { RP_SECURITY_NONE, RP_POP3_AUTH_PLAIN, RP_POP3_AUTH_PLAIN },
    { RP_SECURITY_NONE, RP_POP3_AUTH_LOGIN, RP_POP3_AUTH_LOGIN },
    { RP_SECURITY_NONE, RP_POP3_AUTH_APOP, RP_POP3_AUTH_APOP },
  };
  static const char *security_names[] = { "tls", "starttls", "plain" };
  static const char *method_names[] = { "auto", "user", "apop", "plain", "login" };
  int result;

  rp_test_init (&argc, &argv);

  test_ca = rp_test_ca_new ();
  dovecot = rp_test_dovecot_new (test_ca, RP_TEST_CERT_VALID);
  add_users ();

  for (guint i = 0; i < G_N_ELEMENTS (auth_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/pop3/auth/%s/%s",
                                               security_names[auth_cases[i].security],
                                               method_names[auth_cases[i].method]);

      g_test_add_data_func (path, &auth_cases[i], test_auth);
    }
  g_test_add_data_func ("/core/pop3/auth-failed/tls/auto", &auth_cases[0], test_auth_failed);
  g_test_add_data_func ("/core/pop3/auth-failed/plain/apop", &auth_cases[14], test_auth_failed);
  /* Last: it changes the server's configuration. */
  g_test_add_func ("/core/pop3/session-lock/in-use", test_in_use);
  g_test_add_func ("/core/pop3/starttls-unavailable", test_starttls_unavailable);
  g_test_add_func ("/core/pop3/certificate-refused", test_certificate_refused);
  g_test_add_func ("/core/pop3/uidl-list", test_uidl_list);
  g_test_add_func ("/core/pop3/retr-top", test_retr_top);
  g_test_add_func ("/core/pop3/retr-many-pipelined", test_retr_many_pipelined);
  g_test_add_func ("/core/pop3/retr-many-serial", test_retr_many_serial);
  g_test_add_func ("/core/pop3/retr-many-stop", test_retr_many_stop);
  g_test_add_func ("/core/pop3/dele", test_dele);
  g_test_add_func ("/core/pop3/dele-many", test_dele_many);

  result = g_test_run ();

  rp_test_dovecot_free (dovecot);
  rp_test_ca_free (test_ca);

  return result;
}
