/* rp-cli.c: rapport-cli, the Rapport engine from a shell
 *
 * The command line is a stable contract: scripts depend on the commands,
 * their options, their JSON and their exit codes (0 success, 1 operational
 * failure, 2 usage error). Errors are one line on standard error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport-cli"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "rp-cli-private.h"

typedef int (*RpCliCommandFunc) (int    argc,
                                 char **argv);

typedef struct
{
  const char       *name;
  const char       *synopsis;
  RpCliCommandFunc  func;
} RpCliCommand;

static int command_paths (int argc, char **argv);

static const RpCliCommand commands[] = {
  { "account", N_("Add, list, change and remove accounts"), rp_cli_command_account },
  { "fetch", N_("Fetch new mail of all or the named accounts"), rp_cli_command_fetch },
  { "folders", N_("List folders with message and unread counts"), rp_cli_command_folders },
  { "list", N_("List messages of a folder"), rp_cli_command_list },
  { "show", N_("Show a message (--raw: its stored bytes)"), rp_cli_command_show },
  { "search", N_("Search all mail"), rp_cli_command_search },
  { "move", N_("Move a message to a folder"), rp_cli_command_move },
  { "send", N_("Compose a message, queue it in the Outbox and send it"), rp_cli_command_send },
  { "outbox", N_("List the Outbox; “outbox flush” sends it now"), rp_cli_command_outbox },
  { "crm", N_("Contacts, leads, tasks, events and notes"), rp_cli_command_crm },
  { "filter", N_("Add, list, remove, run, export and import filter rules"), rp_cli_command_filter },
  { "paths", N_("Print where Rapport keeps its data, settings and cache"), command_paths },
};

/* Shared helpers */

RpStore *
rp_cli_open_store (void)
{
  g_autoptr(GError) error = NULL;
  RpStore *store = rp_store_open_sync (NULL, NULL, &error);

  if (store == NULL)
    rp_cli_fail (error);

  return store;
}

RpSecrets *
rp_cli_open_secrets (void)
{
  return rp_secrets_new (RP_SECRETS_BACKEND_AUTO);
}

int
rp_cli_fail (const GError *error)
{
  g_autofree char *one_line = g_strdup (error->message);

  /* One line, so that scripts can read it. */
  g_strdelimit (one_line, "\r\n", ' ');
  g_printerr ("rapport-cli: %s\n", one_line);

  if (error->domain == G_OPTION_ERROR)
    return RP_CLI_EXIT_USAGE;
  if (error->domain == RP_ERROR && error->code == RP_ERROR_INVALID_ARGUMENT)
    return RP_CLI_EXIT_USAGE;

  return RP_CLI_EXIT_FAIL;
}

int
rp_cli_usage (const char *format,
              ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("rapport-cli: %s\n", message);
  return RP_CLI_EXIT_USAGE;
}

gboolean
rp_cli_parse_options (const char    *command,
                      const char    *parameter_string,
                      const char    *summary,
                      GOptionEntry  *entries,
                      int           *argc,
                      char        ***argv,
                      int           *exit_code)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameter_string);
  g_autoptr(GError) error = NULL;
  g_autofree char *prgname = g_strdup_printf ("rapport-cli %s", command);

  g_set_prgname (prgname);
  g_option_context_set_summary (context, summary);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *exit_code = rp_cli_fail (error);
      return FALSE;
    }

  return TRUE;
}

void
rp_cli_print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

void
rp_cli_json_string (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

void
rp_cli_json_int (JsonBuilder *builder,
                 const char  *name,
                 gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

void
rp_cli_json_bool (JsonBuilder *builder,
                  const char  *name,
                  gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

void
rp_cli_print_json_array (GPtrArray     *items,
                         RpCliJsonFunc  add)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < items->len; i++)
    add (builder, g_ptr_array_index (items, i));
  json_builder_end_array (builder);
  rp_cli_print_json (builder);
}

char *
rp_cli_read_password (GError **error)
{
  g_autoptr(GString) password = g_string_new (NULL);
  int c;

  while ((c = getchar ()) != EOF && c != '\n')
    g_string_append_c (password, (char) c);
  if (password->len > 0 && password->str[password->len - 1] == '\r')
    g_string_truncate (password, password->len - 1);

  if (password->len == 0)
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                           _("--password-stdin read no password from standard input"));
      return NULL;
    }

  return g_string_free (g_steal_pointer (&password), FALSE);
}

gboolean
rp_cli_parse_host_port (const char  *text,
                        char       **host,
                        guint16     *port)
{
  const char *colon;

  if (text == NULL || *text == '\0')
    return FALSE;

  /* [v6::addr]:port */
  if (text[0] == '[')
    {
      const char *end = strchr (text, ']');

      if (end == NULL)
        return FALSE;
      *host = g_strndup (text + 1, end - text - 1);
      if (end[1] == ':')
        {
          guint64 value;

          if (!g_ascii_string_to_unsigned (end + 2, 10, 1, 65535, &value, NULL))
            return FALSE;
          *port = (guint16) value;
        }
      return TRUE;
    }

  colon = strrchr (text, ':');
  if (colon != NULL && strchr (text, ':') == colon)
    {
      guint64 value;

      if (!g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &value, NULL))
        return FALSE;
      *host = g_strndup (text, colon - text);
      *port = (guint16) value;
      return **host != '\0';
    }

  *host = g_strdup (text);
  return TRUE;
}

gboolean
rp_cli_parse_security (const char *text,
                       RpSecurity *security)
{
  if (g_strcmp0 (text, "tls") == 0)
    *security = RP_SECURITY_TLS;
  else if (g_strcmp0 (text, "starttls") == 0)
    *security = RP_SECURITY_STARTTLS;
  else if (g_strcmp0 (text, "none") == 0)
    *security = RP_SECURITY_NONE;
  else
    return FALSE;

  return TRUE;
}

const char *
rp_cli_security_to_string (RpSecurity security)
{
  switch (security)
    {
    case RP_SECURITY_TLS:      return "tls";
    case RP_SECURITY_STARTTLS: return "starttls";
    case RP_SECURITY_NONE:     return "none";
    default:                   return "tls";
    }
}

char *
rp_cli_format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = NULL;

  if (unix_time <= 0)
    return NULL;

  dt = g_date_time_new_from_unix_utc (unix_time);
  return dt ? g_date_time_format_iso8601 (dt) : NULL;
}

/* Commands */

static int
command_paths (int    argc,
               char **argv)
{
  g_autofree char *data = rp_paths_get_data_dir ();
  g_autofree char *config = rp_paths_get_config_dir ();
  g_autofree char *cache = rp_paths_get_cache_dir ();

  if (argc != 1)
    return rp_cli_usage (_("Usage: %s"), "rapport-cli paths");

  g_print ("data\t%s\nconfig\t%s\ncache\t%s\n", data, config, cache);
  return RP_CLI_EXIT_OK;
}

/* Auxiliary methods */

static void
print_help (FILE *stream)
{
  fprintf (stream, "%s\n\n", _("Usage: rapport-cli [--help] [--version] COMMAND [ARGS…]"));
  fprintf (stream, "%s\n\n", _("Rapport’s mail engine from the command line."));
  fprintf (stream, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-10s %s\n", commands[i].name, _(commands[i].synopsis));
  fprintf (stream, "\n%s\n", _("Options:"));
  fprintf (stream, "  %-10s %s\n", "--help", _("Show this help and exit"));
  fprintf (stream, "  %-10s %s\n", "--version", _("Show the version and exit"));
  fprintf (stream, "\n%s\n", _("“rapport-cli COMMAND --help” describes a command’s options."));
  fprintf (stream, "%s\n", _("Exit status: 0 success, 1 operational failure, 2 usage error."));
}

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("RAPPORT_LOCALEDIR");

  /* Uninstalled runs (tests) use the catalogs built in the build tree. */
  if (localedir == NULL)
    localedir = LOCALEDIR;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      print_help (stderr);
      return RP_CLI_EXIT_USAGE;
    }

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      print_help (stdout);
      return RP_CLI_EXIT_OK;
    }

  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("rapport-cli %s\n", PACKAGE_VERSION);
      return RP_CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (argv[1], commands[i].name))
        return commands[i].func (argc - 1, argv + 1);
    }

  g_printerr (_("rapport-cli: unknown command “%s”; see “rapport-cli --help”\n"), argv[1]);
  return RP_CLI_EXIT_USAGE;
}
