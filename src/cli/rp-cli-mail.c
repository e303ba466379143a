/* rp-cli-mail.c: rapport-cli fetch, folders, list, show, search, move
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport-cli"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "rp-account-store.h"
#include "rp-cli-private.h"
#include "rp-fetcher.h"
#include "rp-folder-model.h"
#include "rp-message-item.h"
#include "rp-store-search.h"

/* fetch */

typedef struct
{
  RpFetcher    *fetcher;
  char         *name;
  RpFetchStats  stats;
  GError       *error;
} FetchJob;

static gpointer
fetch_job_run (gpointer data)
{
  FetchJob *job = data;

  rp_fetcher_fetch_sync (job->fetcher, job->name, &job->stats, NULL, NULL, NULL, &job->error);
  return NULL;
}

int
rp_cli_command_fetch (int    argc,
                      char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(RpStore) store = NULL;
  g_autoptr(RpSecrets) secrets = NULL;
  g_autoptr(RpFetcher) fetcher = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree FetchJob *jobs = NULL;
  g_autofree GThread **threads = NULL;
  g_autoptr(GError) error = NULL;
  int status = RP_CLI_EXIT_OK;

  if (!rp_cli_parse_options ("fetch", N_("[NAME…]"),
                             _("Fetches new mail of the named accounts, or of all."),
                             entries, &argc, &argv, &status))
    return status;

  store = rp_cli_open_store ();
  if (store == NULL)
    return RP_CLI_EXIT_FAIL;

  if (argc > 1)
    {
      for (int i = 1; i < argc; i++)
        g_ptr_array_add (names, g_strdup (argv[i]));
    }
  else
    {
      g_autoptr(GPtrArray) accounts = rp_store_load_accounts (store, &error);

      if (accounts == NULL)
        return rp_cli_fail (error);
      for (guint i = 0; i < accounts->len; i++)
        g_ptr_array_add (names, g_strdup (((RpAccount *) g_ptr_array_index (accounts, i))->name));
    }

  secrets = rp_cli_open_secrets ();
  fetcher = rp_fetcher_new (store, secrets);

  /* Accounts are fetched concurrently: one slow server does not hold up
   * the others. */
  jobs = g_new0 (FetchJob, names->len);
  threads = g_new0 (GThread *, names->len);
  for (guint i = 0; i < names->len; i++)
    {
      jobs[i].fetcher = fetcher;
      jobs[i].name = g_ptr_array_index (names, i);
      threads[i] = g_thread_new ("rp-cli-fetch", fetch_job_run, &jobs[i]);
    }
  for (guint i = 0; i < names->len; i++)
    g_thread_join (threads[i]);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < names->len; i++)
        {
          json_builder_begin_object (b);
          rp_cli_json_string (b, "account", jobs[i].name);
          rp_cli_json_int (b, "new", jobs[i].stats.new_messages);
          rp_cli_json_int (b, "bytes", (gint64) jobs[i].stats.bytes);
          rp_cli_json_int (b, "duplicates", jobs[i].stats.duplicates);
          rp_cli_json_int (b, "deleted_on_server", jobs[i].stats.deleted_on_server);
          rp_cli_json_string (b, "error", jobs[i].error ? jobs[i].error->message : NULL);
          rp_cli_json_string (b, "error_code", jobs[i].error && jobs[i].error->domain == RP_ERROR
                                              ? rp_error_code_to_string (jobs[i].error->code)
                                              : jobs[i].error ? "failed" : NULL);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      rp_cli_print_json (b);
    }

  for (guint i = 0; i < names->len; i++)
    {
      if (jobs[i].error != NULL)
        {
          g_autofree char *one_line = g_strdup (jobs[i].error->message);

          g_strdelimit (one_line, "\r\n", ' ');
          g_printerr ("rapport-cli: %s: %s\n", jobs[i].name, one_line);
          status = jobs[i].error->domain == RP_ERROR &&
                   jobs[i].error->code == RP_ERROR_INVALID_ARGUMENT
                   ? RP_CLI_EXIT_USAGE : RP_CLI_EXIT_FAIL;
          g_clear_error (&jobs[i].error);
        }
      else if (!json)
        g_print (_("%s: %u new (%.1f kB)\n"), jobs[i].name, jobs[i].stats.new_messages,
                 jobs[i].stats.bytes / 1000.0);
    }

  return status;
}

/* folders */

static char *
account_name_of (GPtrArray *accounts,
                 gint64     account_id)
{
  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      RpAccount *a = g_ptr_array_index (accounts, i);

      if (a->id == account_id)
        return g_strdup (a->name);
    }

  return g_strdup ("");
}

static char *
folder_path (GPtrArray *folders,
             gint64     folder_id)
{
  for (guint i = 0; i < folders->len; i++)
    {
      RpFolderInfo *f = g_ptr_array_index (folders, i);

      if (f->id == folder_id)
        {
          g_autofree char *parent = f->parent_id ? folder_path (folders, f->parent_id) : NULL;

          return parent ? g_strconcat (parent, "/", f->name, NULL) : g_strdup (f->name);
        }
    }

  return g_strdup ("");
}

int
rp_cli_command_folders (int    argc,
                        char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(RpStore) store = NULL;
  g_autoptr(GPtrArray) folders = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  int status = RP_CLI_EXIT_OK;

  if (!rp_cli_parse_options ("folders", "", _("Lists every folder."), entries, &argc, &argv,
                             &status))
    return status;

  store = rp_cli_open_store ();
  if (store == NULL)
    return RP_CLI_EXIT_FAIL;
  folders = rp_store_list_folders (store, &error);
  if (folders == NULL)
    return rp_cli_fail (error);
  accounts = rp_store_load_accounts (store, NULL);

  json_builder_begin_array (b);
  for (guint i = 0; i < folders->len; i++)
    {
      RpFolderInfo *f = g_ptr_array_index (folders, i);
      g_autofree char *account = account_name_of (accounts, f->account_id);
      g_autofree char *path = folder_path (folders, f->id);

      if (json)
        {
          json_builder_begin_object (b);
          rp_cli_json_int (b, "id", f->id);
          rp_cli_json_string (b, "account", account);
          rp_cli_json_string (b, "name", path);
          rp_cli_json_string (b, "role", rp_folder_role_to_string (f->role));
          rp_cli_json_int (b, "total", f->total);
          rp_cli_json_int (b, "unread", f->unread);
          json_builder_end_object (b);
        }
      else
        g_print ("%s\t%s\t%u\t%u\n", account, path, f->total, f->unread);
    }
  json_builder_end_array (b);

  if (json)
    rp_cli_print_json (b);

  return RP_CLI_EXIT_OK;
}

/* list, search */

static const char *
flags_string (RpMessageFlags flags,
              char           buf[8])
{
  char *p = buf;

  if (flags & RP_MESSAGE_FLAG_SEEN) *p++ = 'S';
  if (flags & RP_MESSAGE_FLAG_FLAGGED) *p++ = 'F';
  if (flags & RP_MESSAGE_FLAG_ANSWERED) *p++ = 'A';
  if (flags & RP_MESSAGE_FLAG_FORWARDED) *p++ = 'W';
  if (flags & RP_MESSAGE_FLAG_DRAFT) *p++ = 'D';
  *p = '\0';
  return buf;
}

static void
print_items (RpStore   *store,
             GPtrArray *items,
             gboolean   json)
{
  g_autoptr(GPtrArray) folders = rp_store_list_folders (store, NULL);
  g_autoptr(GPtrArray) accounts = rp_store_load_accounts (store, NULL);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_array (b);
  for (guint i = 0; i < items->len; i++)
    {
      RpMessageItem *item = g_ptr_array_index (items, i);
      g_autofree char *account = account_name_of (accounts, rp_message_item_get_account_id (item));
      g_autofree char *folder = folder_path (folders, rp_message_item_get_folder_id (item));
      g_autofree char *date = rp_cli_format_time (rp_message_item_get_date (item));
      const char *from = rp_message_item_get_from_address (item);
      char flags[8];

      flags_string (rp_message_item_get_flags (item), flags);

      if (!json)
        {
          g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\t%s\n", rp_message_item_get_id (item),
                   folder, date ? date : "", from ? from : "", rp_message_item_get_subject (item),
                   flags);
          continue;
        }

      json_builder_begin_object (b);
      rp_cli_json_int (b, "id", rp_message_item_get_id (item));
      rp_cli_json_string (b, "account", account);
      rp_cli_json_string (b, "folder", folder);
      rp_cli_json_string (b, "from", from);
      rp_cli_json_string (b, "from_name", rp_message_item_get_from_name (item));
      rp_cli_json_string (b, "to", rp_message_item_get_to_text (item));
      rp_cli_json_string (b, "subject", rp_message_item_get_subject (item));
      rp_cli_json_string (b, "date", date);
      rp_cli_json_int (b, "size", rp_message_item_get_size (item));
      rp_cli_json_string (b, "flags", flags);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  if (json)
    rp_cli_print_json (b);
}

int
rp_cli_command_list (int    argc,
                     char **argv)
{
  g_autofree char *folder_name = NULL;
  g_autofree char *account_name = NULL;
  gboolean json = FALSE;
  int limit = 50;
  GOptionEntry entries[] = {
    { "folder", 0, 0, G_OPTION_ARG_STRING, &folder_name, N_("The folder (default: Inbox)"), N_("NAME") },
    { "account", 0, 0, G_OPTION_ARG_STRING, &account_name, N_("Only this account"), N_("NAME") },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("At most N messages (default 50; 0: all)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(RpStore) store = NULL;
  g_autoptr(RpFolderModel) model = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  gint64 account_id = 0;
  int status = RP_CLI_EXIT_OK;
  guint n;

  if (!rp_cli_parse_options ("list", "", _("Lists the messages of a folder, newest first."),
                             entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return rp_cli_usage (_("list takes no arguments besides its options"));
  if (limit < 0)
    return rp_cli_usage (_("--limit must not be negative"));

  store = rp_cli_open_store ();
  if (store == NULL)
    return RP_CLI_EXIT_FAIL;

  if (account_name != NULL)
    {
      account_id = rp_store_lookup_account (store, account_name);
      if (account_id == 0)
        return rp_cli_usage (_("There is no account called “%s”."), account_name);
    }

  if (folder_name == NULL && account_id == 0)
    model = rp_folder_model_new_for_role (store, RP_FOLDER_ROLE_INBOX);
  else
    {
      gint64 folder_id = rp_store_find_folder (store, account_id,
                                               folder_name ? folder_name : "Inbox");
      RpFolderRole role = RP_FOLDER_ROLE_NONE;

      if (folder_id == 0)
        return rp_cli_usage (_("There is no folder called “%s”."), folder_name);

      /* A special folder without --account means the unified view. */
      if (account_id == 0)
        {
          g_autoptr(RpFolderInfo) info = rp_store_get_folder (store, folder_id, NULL);

          role = info ? info->role : RP_FOLDER_ROLE_NONE;
        }
      model = role != RP_FOLDER_ROLE_NONE ? rp_folder_model_new_for_role (store, role)
                                          : rp_folder_model_new_for_folder (store, folder_id);
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  if (limit > 0)
    n = MIN (n, (guint) limit);
  for (guint i = 0; i < n; i++)
    {
      gint64 id = rp_folder_model_get_id_at (model, i);

      g_array_append_val (ids, id);
    }

  items = rp_store_load_items (store, ids->len ? &g_array_index (ids, gint64, 0) : NULL, ids->len, FALSE,
                              &error);
  if (items == NULL)
    return rp_cli_fail (error);

  print_items (store, items, json);
  return RP_CLI_EXIT_OK;
}

int
rp_cli_command_search (int    argc,
                       char **argv)
{
  gboolean json = FALSE;
  int limit = 100;
  GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("At most N results (default 100)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(RpStore) store = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *query = NULL;
  int status = RP_CLI_EXIT_OK;

  if (!rp_cli_parse_options ("search", N_("QUERY"),
                             _("Searches all mail. QUERY takes words, \"phrases\", from:, to:, "
                               "subject:, has:attachment, before:, after:, folder:, is:unread."),
                             entries, &argc, &argv, &status))
    return status;
  if (argc < 2)
    return rp_cli_usage (_("search needs a QUERY"));
  if (limit <= 0)
    return rp_cli_usage (_("--limit must be positive"));

  query = g_strjoinv (" ", argv + 1);
  store = rp_cli_open_store ();
  if (store == NULL)
    return RP_CLI_EXIT_FAIL;

  ids = rp_store_search_sync (store, query, limit, NULL, &error);
  if (ids == NULL)
    return rp_cli_fail (error);
  items = rp_store_load_items (store, ids->len ? &g_array_index (ids, gint64, 0) : NULL, ids->len, FALSE,
                              &error);
  if (items == NULL)
    return rp_cli_fail (error);

  print_items (store, items, json);
  return RP_CLI_EXIT_OK;
}

/* show, move */

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

int
rp_cli_command_show (int    argc,
                     char **argv)
{
  gboolean raw = FALSE;
  GOptionEntry entries[] = {
    { "raw", 0, 0, G_OPTION_ARG_NONE, &raw, N_("Print the stored bytes exactly"), NULL },
    { NULL }
  };
  g_autoptr(RpStore) store = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  int status = RP_CLI_EXIT_OK;
  gint64 id;

  if (!rp_cli_parse_options ("show", N_("ID"), _("Shows a message."), entries, &argc, &argv,
                             &status))
    return status;
  if (argc != 2 || !parse_id (argv[1], &id))
    return rp_cli_usage (_("show needs one message ID"));

  store = rp_cli_open_store ();
  if (store == NULL)
    return RP_CLI_EXIT_FAIL;

  bytes = rp_store_get_raw (store, id, &error);
  if (bytes == NULL)
    return rp_cli_fail (error);

  if (raw)
    {
      gsize size;
      const char *data = g_bytes_get_data (bytes, &size);

      if (fwrite (data, 1, size, stdout) != size || fflush (stdout) != 0)
        return RP_CLI_EXIT_FAIL;
      return RP_CLI_EXIT_OK;
    }

  {
    g_autoptr(RpMessageSummary) summary = rp_message_summary_parse (bytes, 0);
    g_autofree char *from = summary->from ? rp_address_format (summary->from) : g_strdup ("");
    g_autofree char *date = rp_cli_format_time (summary->date);

    g_print (_("From: %s\n"), from);
    for (guint i = 0; i < summary->to->len; i++)
      {
        g_autofree char *to = rp_address_format (g_ptr_array_index (summary->to, i));

        g_print (_("To: %s\n"), to);
      }
    for (guint i = 0; i < summary->cc->len; i++)
      {
        g_autofree char *cc = rp_address_format (g_ptr_array_index (summary->cc, i));

        g_print (_("Cc: %s\n"), cc);
      }
    g_print (_("Subject: %s\n"), summary->subject);
    g_print (_("Date: %s\n"), date ? date : "");
    for (guint i = 0; i < summary->attachments->len; i++)
      {
        RpAttachment *a = g_ptr_array_index (summary->attachments, i);

        g_print (_("Attachment: %s (%s, %lu bytes)\n"),
                 a->filename ? a->filename : "", a->content_type, (gulong) a->size);
      }
    g_print ("\n%s\n", summary->body_text);
  }

  return RP_CLI_EXIT_OK;
}

int
rp_cli_command_move (int    argc,
                     char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(RpStore) store = NULL;
  g_autoptr(RpMessageItem) item = NULL;
  g_autoptr(GError) error = NULL;
  int status = RP_CLI_EXIT_OK;
  gint64 id, folder_id;

  if (!rp_cli_parse_options ("move", N_("ID FOLDER"), _("Moves a message to a folder."),
                             entries, &argc, &argv, &status))
    return status;
  if (argc != 3 || !parse_id (argv[1], &id))
    return rp_cli_usage (_("move needs a message ID and a FOLDER"));

  store = rp_cli_open_store ();
  if (store == NULL)
    return RP_CLI_EXIT_FAIL;

  item = rp_store_get_item (store, id, &error);
  if (item == NULL)
    return rp_cli_fail (error);

  /* The folder of the message's own account first, then any. */
  folder_id = rp_store_find_folder (store, rp_message_item_get_account_id (item), argv[2]);
  if (folder_id == 0)
    folder_id = rp_store_find_folder (store, 0, argv[2]);
  if (folder_id == 0)
    return rp_cli_usage (_("There is no folder called “%s”."), argv[2]);

  if (!rp_store_move_messages (store, &id, 1, folder_id, &error))
    return rp_cli_fail (error);

  return RP_CLI_EXIT_OK;
}
