/* rp-cli-send.c: rapport-cli send, and rapport-cli outbox [flush|retry|mark-sent]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport-cli"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "rp-cli-private.h"
#include "rp-composer.h"
#include "rp-outbox.h"

/* Auxiliary methods */

static char *
read_stdin (GError **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  char buffer[8192];
  size_t n;

  while ((n = fread (buffer, 1, sizeof buffer, stdin)) > 0)
    g_string_append_len (text, buffer, (gssize) n);

  if (ferror (stdin))
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_FAILED,
                           _("Cannot read the message text from standard input"));
      return NULL;
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* One line on standard error: what happened to the message, then why. */
static int
fail_not_sent (const char   *what,
               const GError *error)
{
  g_autofree char *line = g_strdup_printf ("%s %s", what, error->message);

  g_strdelimit (line, "\r\n", ' ');
  g_printerr ("rapport-cli: %s\n", line);
  return RP_CLI_EXIT_FAIL;
}

/* Adds --to/--cc/--bcc values, each "a@b" or "Name <a@b>". */
static gboolean
add_recipients (RpDraft          *draft,
                RpRecipientKind   kind,
                char            **values,
                GError          **error)
{
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      RpAddress *address = rp_composer_parse_address (values[i], error);

      if (address == NULL)
        return FALSE;
      rp_draft_add_recipient (draft, kind, address->name, address->address);
      rp_address_free (address);
    }

  return TRUE;
}

/* The account and identity that own @address. */
static RpAccount *
find_sender (RpStore     *store,
             const char  *address,
             RpIdentity **identity,
             GError     **error)
{
  g_autoptr(GPtrArray) accounts = rp_store_load_accounts (store, error);

  if (accounts == NULL)
    return NULL;

  for (guint i = 0; i < accounts->len; i++)
    {
      RpAccount *account = g_ptr_array_index (accounts, i);

      *identity = rp_account_find_identity (account, address);
      if (*identity != NULL)
        return g_ptr_array_steal_index (accounts, i);
    }

  g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
               _("No account sends as “%s”; see “rapport-cli account list”"), address);
  return NULL;
}

static void
add_entry_json (JsonBuilder         *b,
                const RpOutboxEntry *entry)
{
  g_autofree char *next_attempt = NULL;
  g_autofree char *queued = rp_cli_format_time (entry->queued);

  if (entry->state == RP_OUTBOX_STATE_QUEUED ||
      entry->state == RP_OUTBOX_STATE_TEMPORARY_FAILURE)
    next_attempt = rp_cli_format_time (entry->next_attempt);

  json_builder_begin_object (b);
  rp_cli_json_int (b, "id", entry->message_id);
  rp_cli_json_string (b, "account", entry->account_name);
  rp_cli_json_string (b, "from", entry->from);
  rp_cli_json_string (b, "to", entry->to);
  rp_cli_json_string (b, "subject", entry->subject);
  rp_cli_json_string (b, "state", rp_outbox_state_to_string (entry->state));
  rp_cli_json_int (b, "attempts", entry->attempts);
  rp_cli_json_string (b, "next_attempt", next_attempt);
  rp_cli_json_string (b, "queued", queued);
  rp_cli_json_string (b, "last_error", entry->last_error);
  json_builder_end_object (b);
}

static gboolean
parse_id (const char *text,
          gint64     *id)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;

  *id = (gint64) value;
  return TRUE;
}

/* Subcommands */

static int
outbox_list (int    argc,
             char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(RpStore) store = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  int status = RP_CLI_EXIT_OK;

  if (!rp_cli_parse_options ("outbox", "[flush|retry ID|mark-sent ID]",
                             _("Lists the messages waiting in the Outbox, or sends them "
                               "(flush: now, whatever their back-off)."),
                             entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return rp_cli_usage (_("outbox takes flush, retry ID or mark-sent ID"));

  store = rp_cli_open_store ();
  if (store == NULL)
    return RP_CLI_EXIT_FAIL;
  list = rp_outbox_list (store, 0, &error);
  if (list == NULL)
    return rp_cli_fail (error);

  if (json)
    {
      rp_cli_print_json_array (list, (RpCliJsonFunc) add_entry_json);
      return RP_CLI_EXIT_OK;
    }

  for (guint i = 0; i < list->len; i++)
    {
      RpOutboxEntry *entry = g_ptr_array_index (list, i);
      g_autofree char *next_attempt = rp_cli_format_time (entry->next_attempt);

      g_print ("%" G_GINT64_FORMAT "\t%s\t%u\t%s\t%s\t%s\n", entry->message_id,
               rp_outbox_state_to_string (entry->state), entry->attempts, entry->from,
               entry->to, entry->subject);
      if (entry->state == RP_OUTBOX_STATE_TEMPORARY_FAILURE && next_attempt != NULL)
        g_print ("\t%s %s\n", _("Next attempt:"), next_attempt);
      if (entry->last_error != NULL)
        {
          g_autofree char *one_line = g_strdup (entry->last_error);

          g_strdelimit (one_line, "\r\n", ' ');
          g_print ("\t%s %s\n", _("Last error:"), one_line);
        }
    }

  return RP_CLI_EXIT_OK;
}

static int
outbox_flush (int    argc,
              char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(RpStore) store = NULL;
  g_autoptr(RpSecrets) secrets = NULL;
  g_autoptr(GError) error = NULL;
  RpOutboxFlushStats stats;
  int status = RP_CLI_EXIT_OK;

  if (!rp_cli_parse_options ("outbox flush", "",
                             _("Sends every queued message now, including those waiting "
                               "to be retried."),
                             entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return rp_cli_usage (_("outbox flush takes no arguments"));

  store = rp_cli_open_store ();
  if (store == NULL)
    return RP_CLI_EXIT_FAIL;
  secrets = rp_cli_open_secrets ();

  if (!rp_outbox_flush_sync (store, secrets, 0, RP_OUTBOX_FLUSH_NOW, &stats, NULL, &error))
    {
      g_autofree char *what = g_strdup_printf (_("%u of %u messages were not sent and stay in "
                                                 "the Outbox."),
                                               stats.failed, stats.attempted);

      return fail_not_sent (what, error);
    }

  return RP_CLI_EXIT_OK;
}

static int
outbox_change (int         argc,
               char      **argv,
               gboolean    retry)
{
  GOptionEntry entries[] = { { NULL } };
  const char *command = retry ? "outbox retry" : "outbox mark-sent";
  g_autoptr(RpStore) store = NULL;
  g_autoptr(GError) error = NULL;
  int status = RP_CLI_EXIT_OK;
  gint64 id;
  gboolean ok;

  if (!rp_cli_parse_options (command, N_("ID"),
                             retry ? _("Queues a failed or possibly sent message again.")
                                   : _("Records that a possibly sent message did arrive "
                                       "(it moves to Sent)."),
                             entries, &argc, &argv, &status))
    return status;
  if (argc != 2 || !parse_id (argv[1], &id))
    return rp_cli_usage (_("%s needs one message ID, as “rapport-cli outbox” lists it"),
                         command);

  store = rp_cli_open_store ();
  if (store == NULL)
    return RP_CLI_EXIT_FAIL;

  ok = retry ? rp_outbox_retry (store, id, &error) : rp_outbox_mark_sent (store, id, &error);
  if (!ok)
    return rp_cli_fail (error);

  return RP_CLI_EXIT_OK;
}

/* Commands */

int
rp_cli_command_send (int    argc,
                     char **argv)
{
  g_autofree char *from = NULL;
  g_auto(GStrv) to = NULL;
  g_auto(GStrv) cc = NULL;
  g_auto(GStrv) bcc = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *body_file = NULL;
  g_auto(GStrv) attach = NULL;
  GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("Send as this address (one of an account’s identities)"), N_("ADDR") },
    { "to", 0, 0, G_OPTION_ARG_STRING_ARRAY, &to, N_("A recipient (repeatable)"), N_("ADDR") },
    { "cc", 0, 0, G_OPTION_ARG_STRING_ARRAY, &cc, N_("A copy recipient (repeatable)"), N_("ADDR") },
    { "bcc", 0, 0, G_OPTION_ARG_STRING_ARRAY, &bcc, N_("A hidden recipient (repeatable)"), N_("ADDR") },
    { "subject", 0, 0, G_OPTION_ARG_STRING, &subject, N_("The subject"), N_("TEXT") },
    { "body-file", 0, 0, G_OPTION_ARG_FILENAME, &body_file, N_("The message text, UTF-8 (default: standard input)"), N_("FILE") },
    { "attach", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &attach, N_("Attach a file (repeatable)"), N_("FILE") },
    { NULL }
  };
  g_autoptr(RpStore) store = NULL;
  g_autoptr(RpSecrets) secrets = NULL;
  g_autoptr(RpAccount) account = NULL;
  g_autoptr(RpDraft) draft = NULL;
  RpAddress *from_address = NULL;
  g_autoptr(RpOutboxEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  RpIdentity *identity = NULL;
  const char *name;
  int status = RP_CLI_EXIT_OK;
  gint64 id;

  if (!rp_cli_parse_options ("send", "",
                             _("Queues a message in the Outbox and sends it. Exits 0 once the "
                               "SMTP server has accepted it; otherwise it stays in the Outbox."),
                             entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return rp_cli_usage (_("send takes no arguments besides its options"));
  if (from == NULL || to == NULL || subject == NULL)
    return rp_cli_usage (_("send needs --from, --to and --subject"));

  from_address = rp_composer_parse_address (from, &error);
  if (from_address == NULL)
    return rp_cli_fail (error);
  g_free (from);
  from = g_strdup (from_address->address);
  rp_address_free (from_address);

  for (guint i = 0; attach != NULL && attach[i] != NULL; i++)
    {
      if (!g_file_test (attach[i], G_FILE_TEST_IS_REGULAR))
        return rp_cli_usage (_("The attachment “%s” is not a file"), attach[i]);
    }

  if (body_file != NULL)
    {
      if (!g_file_get_contents (body_file, &body, NULL, &error))
        return rp_cli_fail (error);
    }
  else if ((body = read_stdin (&error)) == NULL)
    return rp_cli_fail (error);

  store = rp_cli_open_store ();
  if (store == NULL)
    return RP_CLI_EXIT_FAIL;
  account = find_sender (store, from, &identity, &error);
  if (account == NULL)
    return rp_cli_fail (error);

  name = *identity->display_name ? identity->display_name : account->display_name;
  draft = rp_draft_new (identity->address, name);
  rp_draft_set_subject (draft, subject);
  rp_draft_set_body (draft, body);
  for (guint i = 0; attach != NULL && attach[i] != NULL; i++)
    rp_draft_add_attachment_file (draft, attach[i], NULL);
  if (!add_recipients (draft, RP_RECIPIENT_TO, to, &error) ||
      !add_recipients (draft, RP_RECIPIENT_CC, cc, &error) ||
      !add_recipients (draft, RP_RECIPIENT_BCC, bcc, &error))
    return rp_cli_fail (error);

  id = rp_outbox_queue_sync (store, account, identity, draft, NULL, &error);
  if (id == 0)
    return rp_cli_fail (error);

  secrets = rp_cli_open_secrets ();
  if (!rp_outbox_flush_sync (store, secrets, id, RP_OUTBOX_FLUSH_NOW, NULL, NULL, &error))
    return fail_not_sent (_("Not sent; the message stays in the Outbox."), error);

  /* Sent; say so if some recipients were refused. */
  entry = rp_outbox_get (store, id, NULL);
  if (entry != NULL && entry->last_error != NULL)
    {
      g_autofree char *one_line = g_strdup (entry->last_error);

      g_strdelimit (one_line, "\r\n", ' ');
      g_printerr ("rapport-cli: %s\n", one_line);
    }

  return RP_CLI_EXIT_OK;
}

int
rp_cli_command_outbox (int    argc,
                       char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "flush"))
    return outbox_flush (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "retry"))
    return outbox_change (argc - 1, argv + 1, TRUE);
  if (argc >= 2 && g_str_equal (argv[1], "mark-sent"))
    return outbox_change (argc - 1, argv + 1, FALSE);

  return outbox_list (argc, argv);
}
