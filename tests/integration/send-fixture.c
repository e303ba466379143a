/* send-fixture.c: what the sending tests share: Postfix and Dovecot, an
 * account that sends through them, and ways to look at the results
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>
#include <sys/wait.h>

#include "send-fixture.h"

RpTestCa *ca;
RpTestDovecot *dovecot;
RpTestSmtpd *smtpd;

/* Auxiliary methods */

static const char *
header_end (const char *message)
{
  const char *end = strstr (message, "\r\n\r\n");

  g_assert_nonnull (end);
  return end;
}

/* Fixture */

/* A new Dovecot user (and so a valid recipient at Postfix); the password
 * is NAME-secret. */
char *
new_user (const char *prefix)
{
  static guint counter;
  char *user = g_strdup_printf ("%s%u", prefix, ++counter);
  g_autofree char *password = g_strconcat (user, "-secret", NULL);

  rp_test_dovecot_add_user (dovecot, user, password);
  return user;
}

char *
address_of (const char *user)
{
  return g_strconcat (user, "@" RP_TEST_DOMAIN, NULL);
}

void
store_password (Fixture          *f,
                const char       *service,
                const RpIdentity *identity,
                const char       *password)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = rp_account_dup_secret_key (f->account, identity);

  g_assert_true (rp_secrets_store_sync (f->secrets, service, key, password, NULL, &error));
  g_assert_no_error (error);
}

void
save (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (rp_store_save_account (f->store, f->account, &error));
  g_assert_no_error (error);
}

void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  RpIdentity *identity;

  f->user = new_user ("sender");
  f->address = address_of (f->user);
  password = g_strconcat (f->user, "-secret", NULL);

  f->store = rp_store_open_sync (NULL, NULL, &error);
  g_assert_no_error (error);
  f->secrets = rp_secrets_new (RP_SECRETS_BACKEND_FILE);

  f->account = rp_account_new ("work");
  g_free (f->account->email);
  f->account->email = g_strdup (f->address);
  g_free (f->account->display_name);
  f->account->display_name = g_strdup ("Sender Account");
  g_free (f->account->pop_host);
  f->account->pop_host = g_strdup ("localhost");
  f->account->pop_port = rp_test_dovecot_get_pop3s_port (dovecot);
  f->account->pop_security = RP_SECURITY_TLS;
  g_free (f->account->pop_user);
  f->account->pop_user = g_strdup (f->user);
  g_free (f->account->smtp_host);
  f->account->smtp_host = g_strdup ("localhost");
  f->account->smtp_port = rp_test_smtpd_get_submission_port (smtpd);
  f->account->smtp_security = RP_SECURITY_STARTTLS;
  g_free (f->account->smtp_user);
  f->account->smtp_user = g_strdup (f->address);
  f->account->ca_file = g_strdup (rp_test_ca_get_ca_file (ca));

  identity = rp_identity_new (f->address);
  identity->is_default = TRUE;
  g_free (identity->display_name);
  identity->display_name = g_strdup ("Sender Person");
  g_ptr_array_add (f->account->identities, identity);
  save (f);

  store_password (f, "smtp", NULL, password);
  store_password (f, "pop3", NULL, password);
}

void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->secrets);
  g_assert_finalize_object (f->store);
  rp_account_free (f->account);
  g_free (f->user);
  g_free (f->address);
}

guint
count_folder (Fixture      *f,
              RpFolderRole  role)
{
  g_autoptr(RpFolderInfo) info = NULL;

  info = rp_store_get_folder (f->store, rp_store_get_special_folder (f->store, f->account->id, role),
                              NULL);
  return info ? info->total : 0;
}

guint
count_outbox_rows (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = rp_outbox_list (f->store, 0, &error);

  g_assert_no_error (error);
  return entries->len;
}

/* One integer from the database, read the way another program would. */
gint64
query_int (Fixture    *f,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_open (rp_store_get_path (f->store), &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

void
exec_sql (Fixture    *f,
          const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (rp_store_get_path (f->store), &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* The messages in @user's maildir, with CRLF line ends as POP3 serves them. */
GPtrArray *
read_maildir (const char *user)
{
  g_autoptr(GPtrArray) files = rp_test_dovecot_list_messages (dovecot, user);
  GPtrArray *messages = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *text = NULL;
      g_autoptr(GError) error = NULL;
      GString *crlf = g_string_new (NULL);

      g_file_get_contents (g_ptr_array_index (files, i), &text, NULL, &error);
      g_assert_no_error (error);
      for (const char *p = text; *p != '\0'; p++)
        {
          if (*p == '\n' && (p == text || p[-1] != '\r'))
            g_string_append_c (crlf, '\r');
          g_string_append_c (crlf, *p);
        }
      g_ptr_array_add (messages, g_string_free (crlf, FALSE));
    }

  return messages;
}

/* Waits for @count deliveries to @user, then a little longer to make sure
 * no further copy arrives. */
GPtrArray *
expect_deliveries (const char *user,
                   guint       count)
{
  GPtrArray *messages;

  if (count > 0)
    g_assert_true (rp_test_smtpd_wait_for_delivery (smtpd, user, count, DELIVERY_TIMEOUT_MS));
  g_usleep (1500 * G_TIME_SPAN_MILLISECOND);
  messages = read_maildir (user);
  g_assert_cmpuint (messages->len, ==, count);

  return messages;
}


/* Whether the header block of @message has a line starting with @name. */
gboolean
has_header (const char *message,
            const char *name)
{
  g_autofree char *headers = g_strndup (message, header_end (message) - message);
  g_autofree char *needle = g_strconcat ("\r\n", name, NULL);
  g_autofree char *first = g_strconcat (name, NULL);

  return g_str_has_prefix (headers, first) || strstr (headers, needle) != NULL;
}

RpDraft *
make_draft (const char *from,
            const char *to,
            const char *subject,
            const char *body)
{
  RpDraft *draft = rp_draft_new (from, "Sender Person");

  rp_draft_add_recipient (draft, RP_RECIPIENT_TO, NULL, to);
  rp_draft_set_subject (draft, subject);
  rp_draft_set_body (draft, body);

  return draft;
}

gint64
queue (Fixture       *f,
       const RpDraft *draft,
       const char    *identity_address)
{
  g_autoptr(GError) error = NULL;
  RpIdentity *identity = rp_account_find_identity (f->account, identity_address);
  gint64 id;

  g_assert_nonnull (identity);
  id = rp_outbox_queue_sync (f->store, f->account, identity, draft, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

RpOutboxEntry *
get_entry (Fixture *f,
           gint64   id)
{
  g_autoptr(GError) error = NULL;
  RpOutboxEntry *entry = rp_outbox_get (f->store, id, &error);

  g_assert_no_error (error);
  return entry;
}

/* Runs rapport-cli with this test's folders; returns its exit status. */
int
run_cli (const char * const  *args,
         char               **out,
         char               **err)
{
  const char *cli = g_getenv ("RAPPORT_CLI");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  /* GLib isolates this test's folders inside the process only; the child
   * gets them through its environment. */
  envp = g_environ_setenv (envp, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  envp = g_environ_setenv (envp, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  envp = g_environ_setenv (envp, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_STDIN_FROM_DEV_NULL,
                               NULL, NULL, out, err, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  g_test_message ("rapport-cli %s: exit %d\n%s%s", args[0], WEXITSTATUS (wait_status),
                  out && *out ? *out : "", err && *err ? *err : "");

  return WEXITSTATUS (wait_status);
}

JsonArray *
cli_outbox_json (JsonNode **root)
{
  const char *args[] = { "outbox", "--json", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (run_cli (args, &out, &err), ==, 0);
  *root = json_from_string (out, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (*root));

  return json_node_get_array (*root);
}

void
send_fixture_start_servers (void)
{
  g_setenv ("RAPPORT_SECRETS", "file", TRUE);
  ca = rp_test_ca_new ();
  dovecot = rp_test_dovecot_new (ca, RP_TEST_CERT_VALID);
  smtpd = rp_test_smtpd_new (ca, RP_TEST_CERT_VALID, dovecot);
}

void
send_fixture_stop_servers (void)
{
  g_clear_pointer (&smtpd, rp_test_smtpd_free);
  g_clear_pointer (&dovecot, rp_test_dovecot_free);
  g_clear_pointer (&ca, rp_test_ca_free);
}
