/* rp-cli-account.c: rapport-cli account add|list|set|remove|discover
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "rp-account-store.h"
#include "rp-autoconfig.h"
#include "rp-cli-private.h"

/* The options of "add", shared with "set" (where all are optional). */
typedef struct
{
  char     *email;
  char     *display_name;
  char     *pop;
  char     *pop_security;
  char     *user;
  char     *smtp;
  char     *smtp_security;
  char     *smtp_user;
  gboolean  password_stdin;
  gboolean  keep;
  gboolean  delete_after_fetch;
  int       delete_after_days;
  gboolean  delete_when_deleted;
  gboolean  recent_mode;
  gboolean  no_recent_mode;
  char     *pin_certificate;
  char     *pin_smtp_certificate;
  char     *ca_file;
  int       poll_minutes;
  int       batch_size;
  gboolean  enable;
  gboolean  disable;
  gboolean  json;
} AccountOptions;

static void
account_options_clear (AccountOptions *o)
{
  g_free (o->email);
  g_free (o->display_name);
  g_free (o->pop);
  g_free (o->pop_security);
  g_free (o->user);
  g_free (o->smtp);
  g_free (o->smtp_security);
  g_free (o->smtp_user);
  g_free (o->pin_certificate);
  g_free (o->pin_smtp_certificate);
  g_free (o->ca_file);
}

#define ACCOUNT_ENTRIES(o) \
  { "email", 0, 0, G_OPTION_ARG_STRING, &(o).email, N_("The account’s address"), N_("ADDR") }, \
  { "display-name", 0, 0, G_OPTION_ARG_STRING, &(o).display_name, N_("Your name, as recipients see it"), N_("TEXT") }, \
  { "pop", 0, 0, G_OPTION_ARG_STRING, &(o).pop, N_("The POP3 server"), N_("HOST[:PORT]") }, \
  { "pop-security", 0, 0, G_OPTION_ARG_STRING, &(o).pop_security, N_("tls (default), starttls or none"), N_("MODE") }, \
  { "user", 0, 0, G_OPTION_ARG_STRING, &(o).user, N_("The POP3 user name (default: the address)"), N_("USER") }, \
  { "smtp", 0, 0, G_OPTION_ARG_STRING, &(o).smtp, N_("The SMTP server"), N_("HOST[:PORT]") }, \
  { "smtp-security", 0, 0, G_OPTION_ARG_STRING, &(o).smtp_security, N_("tls (default), starttls or none"), N_("MODE") }, \
  { "smtp-user", 0, 0, G_OPTION_ARG_STRING, &(o).smtp_user, N_("The SMTP user name (default: the POP3 user)"), N_("USER") }, \
  { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &(o).password_stdin, N_("Read the password from standard input"), NULL }, \
  { "keep", 0, 0, G_OPTION_ARG_NONE, &(o).keep, N_("Leave messages on the server (default)"), NULL }, \
  { "delete-after-fetch", 0, 0, G_OPTION_ARG_NONE, &(o).delete_after_fetch, N_("Delete messages from the server once stored here"), NULL }, \
  { "delete-after-days", 0, 0, G_OPTION_ARG_INT, &(o).delete_after_days, N_("Delete messages from the server N days after fetching them"), N_("N") }, \
  { "delete-when-deleted", 0, 0, G_OPTION_ARG_NONE, &(o).delete_when_deleted, N_("Delete messages from the server when deleted here"), NULL }, \
  { "recent-mode", 0, 0, G_OPTION_ARG_NONE, &(o).recent_mode, N_("Gmail: log in as recent:USER"), NULL }, \
  { "pin-certificate", 0, 0, G_OPTION_ARG_STRING, &(o).pin_certificate, N_("Trust the certificate with this SHA-256 fingerprint"), N_("SHA256") }, \
  { "pin-smtp-certificate", 0, 0, G_OPTION_ARG_STRING, &(o).pin_smtp_certificate, N_("Trust the SMTP server’s certificate with this SHA-256 fingerprint"), N_("SHA256") }, \
  { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &(o).ca_file, N_("Also trust the CA certificates in this PEM file"), N_("PEM") }, \
  { "poll-minutes", 0, 0, G_OPTION_ARG_INT, &(o).poll_minutes, N_("Check for mail every N minutes (default 10)"), N_("N") }, \
  { "batch-size", 0, 0, G_OPTION_ARG_INT, &(o).batch_size, N_("Messages per batch of a first download (default 500)"), N_("N") }

/* Auxiliary methods */

/* Stores the normalized fingerprint @text in @slot; an empty @text removes
 * the pin. */
static gboolean
set_pin (char        **slot,
         const char   *text,
         GError      **error)
{
  g_autofree char *normalized = NULL;

  if (*text != '\0' && (normalized = rp_certificate_normalize_fingerprint (text)) == NULL)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a SHA-256 fingerprint"), text);
      return FALSE;
    }
  g_free (*slot);
  *slot = g_steal_pointer (&normalized);
  return TRUE;
}

static guint16
default_port (gboolean   pop,
              RpSecurity security)
{
  if (pop)
    return security == RP_SECURITY_TLS ? 995 : 110;
  return security == RP_SECURITY_TLS ? 465 : 587;
}

/* --pop / --smtp HOST[:PORT] with their --…-security MODE: a new security
 * also means its default port, unless a port is given. */
static gboolean
apply_server (const char  *option,
              const char  *host_port,
              const char  *security_text,
              gboolean     pop,
              char       **host,
              guint16     *port,
              RpSecurity  *security,
              gboolean    *changed,
              GError     **error)
{
  if (security_text != NULL)
    {
      if (!rp_cli_parse_security (security_text, security))
        {
          g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                       _("%s-security takes tls, starttls or none, not “%s”"), option,
                       security_text);
          return FALSE;
        }
      *port = default_port (pop, *security);
      if (changed != NULL)
        *changed = TRUE;
    }

  if (host_port != NULL)
    {
      g_autofree char *new_host = NULL;
      guint16 new_port = default_port (pop, *security);

      if (!rp_cli_parse_host_port (host_port, &new_host, &new_port))
        {
          g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                       _("%s takes HOST or HOST:PORT, not “%s”"), option, host_port);
          return FALSE;
        }
      g_free (*host);
      *host = g_steal_pointer (&new_host);
      *port = new_port;
      if (changed != NULL)
        *changed = TRUE;
    }

  return TRUE;
}

/* Applies the options that were given to @account; on a bad value returns
 * FALSE with @error set. @server_changed says whether a server setting
 * changed (which re-enables an account disabled for connection failures). */
static gboolean
apply_options (AccountOptions  *o,
               RpAccount       *account,
               gboolean        *server_changed,
               GError         **error)
{
  int retention_flags = !!o->keep + !!o->delete_after_fetch + (o->delete_after_days > 0) +
                        !!o->delete_when_deleted;

  *server_changed = FALSE;

  if (retention_flags > 1)
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                           _("Choose one of --keep, --delete-after-fetch, --delete-after-days "
                             "and --delete-when-deleted"));
      return FALSE;
    }
  if (o->delete_after_days < 0 || o->poll_minutes < 0 || o->batch_size < 0)
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                           _("Numbers of days, minutes and messages must be positive"));
      return FALSE;
    }

  if (o->email != NULL)
    {
      if (strchr (o->email, '@') == NULL)
        {
          g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not an email address"), o->email);
          return FALSE;
        }
      g_free (account->email);
      account->email = g_strdup (o->email);
    }
  if (o->display_name != NULL)
    {
      g_free (account->display_name);
      account->display_name = g_strdup (o->display_name);
    }

  if (!apply_server ("--pop", o->pop, o->pop_security, TRUE, &account->pop_host,
                     &account->pop_port, &account->pop_security, server_changed, error))
    return FALSE;
  if (o->user != NULL)
    {
      g_free (account->pop_user);
      account->pop_user = g_strdup (o->user);
      *server_changed = TRUE;
    }

  if (!apply_server ("--smtp", o->smtp, o->smtp_security, FALSE, &account->smtp_host,
                     &account->smtp_port, &account->smtp_security, NULL, error))
    return FALSE;
  if (o->smtp_user != NULL)
    {
      g_free (account->smtp_user);
      account->smtp_user = g_strdup (o->smtp_user);
    }

  if (o->keep)
    account->retention = RP_RETENTION_KEEP;
  if (o->delete_after_fetch)
    account->retention = RP_RETENTION_DELETE_AFTER_FETCH;
  if (o->delete_when_deleted)
    account->retention = RP_RETENTION_DELETE_WHEN_DELETED;
  if (o->delete_after_days > 0)
    {
      account->retention = RP_RETENTION_DELETE_AFTER_DAYS;
      account->retention_days = o->delete_after_days;
    }
  if (o->recent_mode)
    account->recent_mode = TRUE;
  if (o->no_recent_mode)
    account->recent_mode = FALSE;

  if (o->pin_certificate != NULL)
    {
      if (!set_pin (&account->pinned_certificate, o->pin_certificate, error))
        return FALSE;
      *server_changed = TRUE;
    }
  if (o->pin_smtp_certificate != NULL)
    {
      if (!set_pin (&account->smtp_pinned_certificate, o->pin_smtp_certificate, error))
        return FALSE;
      *server_changed = TRUE;
    }
  if (o->ca_file != NULL)
    {
      g_autofree char *absolute = NULL;

      if (*o->ca_file != '\0' && !g_file_test (o->ca_file, G_FILE_TEST_IS_REGULAR))
        {
          g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                       _("The CA file “%s” does not exist"), o->ca_file);
          return FALSE;
        }
      absolute = *o->ca_file ? g_canonicalize_filename (o->ca_file, NULL) : NULL;
      g_free (account->ca_file);
      account->ca_file = g_steal_pointer (&absolute);
      *server_changed = TRUE;
    }
  if (o->poll_minutes > 0)
    account->poll_minutes = o->poll_minutes;
  if (o->batch_size > 0)
    account->batch_size = o->batch_size;

  /* The default identity follows the account's address. */
  if (account->email[0] != '\0')
    {
      RpIdentity *identity = rp_account_get_default_identity (account);

      if (identity == NULL)
        {
          identity = rp_identity_new (account->email);
          identity->is_default = TRUE;
          g_ptr_array_add (account->identities, identity);
        }
      else if (o->email != NULL)
        {
          g_free (identity->address);
          identity->address = g_strdup (account->email);
        }
      if (o->display_name != NULL)
        {
          g_free (identity->display_name);
          identity->display_name = g_strdup (account->display_name);
        }
    }

  return TRUE;
}

static gboolean
store_password (RpAccount  *account,
                const char *password,
                GError    **error)
{
  g_autoptr(RpSecrets) secrets = rp_cli_open_secrets ();
  g_autofree char *key = rp_account_dup_secret_key (account, NULL);

  /* One password for both servers of the account, as most providers have. */
  return rp_secrets_store_sync (secrets, "pop3", key, password, NULL, error) &&
         rp_secrets_store_sync (secrets, "smtp", key, password, NULL, error);
}

/* Discovery, with the CA file the account will trust (a company CA) also
 * trusted for the autoconfig download and the probes. */
static RpAutoconfig *
discover (const char  *address,
          const char  *ca_file,
          GError     **error)
{
  g_autoptr(RpDiscoverer) discoverer = rp_discoverer_new ();

  if (ca_file != NULL && *ca_file != '\0')
    rp_discoverer_set_ca_file (discoverer, ca_file);

  return rp_discoverer_discover_sync (discoverer, address, NULL, error);
}

/* Copies one server of @found into @account. */
static void
apply_discovered (const RpAutoconfig *found,
                  gboolean            pop,
                  RpAccount          *account)
{
  g_autoptr(RpAutoconfig) part = rp_autoconfig_copy (found);

  if (pop)
    g_clear_pointer (&part->smtp_host, g_free);
  else
    g_clear_pointer (&part->pop_host, g_free);
  rp_autoconfig_apply (part, account);
}

/* What discovery found, for people: on standard error when @to_stderr (so
 * that "account add" keeps its output for scripts). */
static void
print_discovered (const RpAutoconfig *found,
                  gboolean            to_stderr)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const char *source = rp_autoconfig_source_to_string (found->source);

  if (found->provider_name != NULL)
    g_string_append_printf (text, "%s %s (%s)\n", _("Found by:"), source, found->provider_name);
  else
    g_string_append_printf (text, "%s %s\n", _("Found by:"), source);
  if (found->pop_host != NULL)
    g_string_append_printf (text, "POP3: %s:%u (%s), %s %s\n", found->pop_host,
                            found->pop_port, rp_cli_security_to_string (found->pop_security),
                            _("user"), found->pop_user);
  g_string_append_printf (text, "SMTP: %s:%u (%s), %s %s\n", found->smtp_host,
                          found->smtp_port, rp_cli_security_to_string (found->smtp_security),
                          _("user"), found->smtp_user);
  if (found->offer_recent_mode)
    g_string_append_printf (text, "%s\n",
                            _("Recent mode (--recent-mode) is available for this provider."));
  if (found->hint != NULL)
    g_string_append_printf (text, "%s %s\n", _("Note:"), found->hint);

  if (to_stderr)
    g_printerr ("%s", text->str);
  else
    g_print ("%s", text->str);
}

static void
add_server_json (JsonBuilder *b,
                 const char  *name,
                 const char  *host,
                 guint16      port,
                 RpSecurity   security,
                 const char  *user)
{
  json_builder_set_member_name (b, name);
  if (host == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  rp_cli_json_string (b, "host", host);
  rp_cli_json_int (b, "port", port);
  rp_cli_json_string (b, "security", rp_cli_security_to_string (security));
  rp_cli_json_string (b, "user", user);
  json_builder_end_object (b);
}

/* Subcommands */

static int
account_add (int    argc,
             char **argv)
{
  AccountOptions o = { 0, };
  GOptionEntry entries[] = { ACCOUNT_ENTRIES (o), { NULL } };
  g_autoptr(RpStore) store = NULL;
  g_autoptr(RpAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  gboolean server_changed;
  int status = RP_CLI_EXIT_OK;

  if (!rp_cli_parse_options ("account add", N_("NAME"), _("Adds a POP3 account."),
                             entries, &argc, &argv, &status))
    goto out;

  if (argc != 2)
    {
      status = rp_cli_usage (_("account add needs exactly one NAME"));
      goto out;
    }
  if (o.email == NULL || !o.password_stdin)
    {
      status = rp_cli_usage (_("account add needs --email and --password-stdin"));
      goto out;
    }

  account = rp_account_new (argv[1]);

  /* Servers not given are discovered; the options then override what
   * was found, so --user or --smtp-security still apply. */
  if (o.pop == NULL || o.smtp == NULL)
    {
      g_autoptr(RpAutoconfig) found = discover (o.email, o.ca_file, &error);

      if (found == NULL)
        {
          g_prefix_error (&error, "%s ", _("Give the servers with --pop and --smtp."));
          status = rp_cli_fail (error);
          goto out;
        }
      print_discovered (found, TRUE);
      if (o.pop == NULL)
        apply_discovered (found, TRUE, account);
      if (o.smtp == NULL)
        apply_discovered (found, FALSE, account);
    }

  if (!apply_options (&o, account, &server_changed, &error))
    {
      status = rp_cli_fail (error);
      goto out;
    }

  password = rp_cli_read_password (&error);
  if (password == NULL)
    {
      status = rp_cli_fail (error);
      goto out;
    }

  store = rp_cli_open_store ();
  if (store == NULL)
    {
      status = RP_CLI_EXIT_FAIL;
      goto out;
    }
  if (rp_store_lookup_account (store, argv[1]) != 0)
    {
      status = rp_cli_usage (_("An account called “%s” exists already"), argv[1]);
      goto out;
    }

  if (!store_password (account, password, &error) ||
      !rp_store_save_account (store, account, &error))
    status = rp_cli_fail (error);

out:
  account_options_clear (&o);
  return status;
}

static void
add_account_json (JsonBuilder     *b,
                  const RpAccount *a)
{
  g_autofree char *last_fetch = rp_cli_format_time (a->last_fetch);

  json_builder_begin_object (b);
  rp_cli_json_string (b, "name", a->name);
  rp_cli_json_string (b, "email", a->email);
  rp_cli_json_bool (b, "enabled", a->enabled);
  rp_cli_json_string (b, "disabled_reason", rp_disabled_reason_to_string (a->disabled_reason));
  rp_cli_json_int (b, "auth_failures", a->auth_failures);
  rp_cli_json_int (b, "connection_failures", a->connection_failures);
  rp_cli_json_string (b, "last_error", a->last_error);
  rp_cli_json_string (b, "last_error_code", a->last_error_code);
  rp_cli_json_string (b, "last_fetch", last_fetch);
  json_builder_set_member_name (b, "pop");
  json_builder_begin_object (b);
  rp_cli_json_string (b, "host", a->pop_host);
  rp_cli_json_int (b, "port", a->pop_port);
  rp_cli_json_string (b, "security", rp_cli_security_to_string (a->pop_security));
  rp_cli_json_string (b, "pinned_certificate", a->pinned_certificate);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "smtp");
  json_builder_begin_object (b);
  rp_cli_json_string (b, "host", a->smtp_host);
  rp_cli_json_int (b, "port", a->smtp_port);
  rp_cli_json_string (b, "security", rp_cli_security_to_string (a->smtp_security));
  rp_cli_json_string (b, "pinned_certificate", a->smtp_pinned_certificate);
  json_builder_end_object (b);
  rp_cli_json_string (b, "retention", rp_retention_to_string (a->retention));
  rp_cli_json_int (b, "retention_days", a->retention_days);
  rp_cli_json_bool (b, "recent_mode", a->recent_mode);
  json_builder_set_member_name (b, "identities");
  json_builder_begin_array (b);
  for (guint i = 0; i < a->identities->len; i++)
    {
      RpIdentity *identity = g_ptr_array_index (a->identities, i);

      json_builder_add_string_value (b, identity->address);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static int
account_list (int    argc,
              char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(RpStore) store = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  int status = RP_CLI_EXIT_OK;

  if (!rp_cli_parse_options ("account list", "", _("Lists the accounts and their state."),
                             entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return rp_cli_usage (_("account list takes no arguments"));

  store = rp_cli_open_store ();
  if (store == NULL)
    return RP_CLI_EXIT_FAIL;
  accounts = rp_store_load_accounts (store, &error);
  if (accounts == NULL)
    return rp_cli_fail (error);

  if (json)
    {
      rp_cli_print_json_array (accounts, (RpCliJsonFunc) add_account_json);
      return RP_CLI_EXIT_OK;
    }

  for (guint i = 0; i < accounts->len; i++)
    {
      RpAccount *a = g_ptr_array_index (accounts, i);
      g_autofree char *last_fetch = rp_cli_format_time (a->last_fetch);

      g_print ("%s\t%s\t%s\t%s\n", a->name, a->email,
               a->enabled ? _("enabled") : _("disabled"),
               last_fetch ? last_fetch : _("never fetched"));
      if (!a->enabled)
        {
          g_autofree char *why = rp_account_describe_disabled (a);

          g_print ("\t%s\n", why);
        }
      if (a->last_error != NULL)
        g_print ("\t%s %s\n", _("Last error:"), a->last_error);
    }

  return RP_CLI_EXIT_OK;
}

static int
account_set (int    argc,
             char **argv)
{
  AccountOptions o = { 0, };
  GOptionEntry entries[] = {
    ACCOUNT_ENTRIES (o),
    { "no-recent-mode", 0, 0, G_OPTION_ARG_NONE, &o.no_recent_mode, N_("Gmail: stop using recent mode"), NULL },
    { "enable", 0, 0, G_OPTION_ARG_NONE, &o.enable, N_("Turn the account back on"), NULL },
    { "disable", 0, 0, G_OPTION_ARG_NONE, &o.disable, N_("Switch the account off"), NULL },
    { NULL }
  };
  g_autoptr(RpStore) store = NULL;
  g_autoptr(RpAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  gboolean server_changed = FALSE;
  gboolean reenable = FALSE;
  int status = RP_CLI_EXIT_OK;

  if (!rp_cli_parse_options ("account set", N_("NAME"), _("Changes an account."),
                             entries, &argc, &argv, &status))
    goto out;
  if (argc != 2)
    {
      status = rp_cli_usage (_("account set needs exactly one NAME"));
      goto out;
    }
  if (o.enable && o.disable)
    {
      status = rp_cli_usage (_("Choose --enable or --disable, not both"));
      goto out;
    }

  if (o.password_stdin)
    {
      password = rp_cli_read_password (&error);
      if (password == NULL)
        {
          status = rp_cli_fail (error);
          goto out;
        }
    }

  store = rp_cli_open_store ();
  if (store == NULL)
    {
      status = RP_CLI_EXIT_FAIL;
      goto out;
    }
  account = rp_store_load_account (store, argv[1], &error);
  if (account == NULL || !apply_options (&o, account, &server_changed, &error))
    {
      status = rp_cli_fail (error);
      goto out;
    }

  if (password != NULL && !store_password (account, password, &error))
    {
      status = rp_cli_fail (error);
      goto out;
    }

  /* A new password lifts an authentication lock; new server settings (or
   * --enable) lift a connection lock. */
  reenable = o.enable ||
             (password != NULL && account->disabled_reason == RP_DISABLED_AUTH) ||
             (server_changed && account->disabled_reason == RP_DISABLED_CONNECTION);

  if (!rp_store_save_account (store, account, &error) ||
      (reenable && !rp_store_enable_account (store, account->id, TRUE, &error)) ||
      (o.disable && !rp_store_enable_account (store, account->id, FALSE, &error)))
    status = rp_cli_fail (error);

out:
  account_options_clear (&o);
  return status;
}

static int
account_remove (int    argc,
                char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(RpStore) store = NULL;
  g_autoptr(RpAccount) account = NULL;
  g_autoptr(RpSecrets) secrets = NULL;
  g_autoptr(GError) error = NULL;
  int status = RP_CLI_EXIT_OK;

  if (!rp_cli_parse_options ("account remove", N_("NAME"),
                             _("Removes an account with all its local mail."),
                             entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return rp_cli_usage (_("account remove needs exactly one NAME"));

  store = rp_cli_open_store ();
  if (store == NULL)
    return RP_CLI_EXIT_FAIL;
  account = rp_store_load_account (store, argv[1], &error);
  if (account == NULL)
    return rp_cli_fail (error);

  secrets = rp_cli_open_secrets ();
  {
    g_autofree char *key = rp_account_dup_secret_key (account, NULL);

    rp_secrets_clear_sync (secrets, "pop3", key, NULL, NULL);
    rp_secrets_clear_sync (secrets, "smtp", key, NULL, NULL);
  }

  if (!rp_store_remove_account (store, account->id, &error))
    return rp_cli_fail (error);

  return RP_CLI_EXIT_OK;
}

static int
account_discover (int    argc,
                  char **argv)
{
  gboolean json = FALSE;
  g_autofree char *ca_file = NULL;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file, N_("Also trust the CA certificates in this PEM file"), N_("PEM") },
    { NULL }
  };
  g_autoptr(RpAutoconfig) found = NULL;
  g_autoptr(GError) error = NULL;
  int status = RP_CLI_EXIT_OK;

  if (!rp_cli_parse_options ("account discover", N_("ADDRESS"),
                             _("Finds the POP3 and SMTP servers of an address."),
                             entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return rp_cli_usage (_("account discover needs exactly one ADDRESS"));

  found = discover (argv[1], ca_file, &error);
  if (found == NULL)
    return rp_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      rp_cli_json_string (b, "address", argv[1]);
      rp_cli_json_string (b, "source", rp_autoconfig_source_to_string (found->source));
      rp_cli_json_string (b, "provider_id", found->provider_id);
      rp_cli_json_string (b, "provider_name", found->provider_name);
      add_server_json (b, "pop", found->pop_host, found->pop_port, found->pop_security,
                       found->pop_user);
      add_server_json (b, "smtp", found->smtp_host, found->smtp_port, found->smtp_security,
                       found->smtp_user);
      rp_cli_json_bool (b, "offer_recent_mode", found->offer_recent_mode);
      rp_cli_json_string (b, "hint", found->hint);
      json_builder_end_object (b);
      rp_cli_print_json (b);
    }
  else
    {
      print_discovered (found, FALSE);
    }

  return RP_CLI_EXIT_OK;
}

int
rp_cli_command_account (int    argc,
                        char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "add"))
    return account_add (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "list"))
    return account_list (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "set"))
    return account_set (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "remove"))
    return account_remove (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "discover"))
    return account_discover (argc - 1, argv + 1);

  return rp_cli_usage (_("Usage: rapport-cli account add|list|set|remove|discover …; "
                         "“rapport-cli account add --help” for the options"));
}
