/* rp-cli.c: rapport-cli, the Rapport engine from a shell
 *
 * The command line is a stable contract: scripts depend on the commands,
 * their options, their JSON and their exit codes (0 success, 1 operational
 * failure, 2 usage error).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport-cli"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <glib/gi18n.h>

#include "rp-core.h"

enum {
  EXIT_OK    = 0,
  EXIT_FAIL  = 1,
  EXIT_USAGE = 2,
};

typedef int (*RpCliCommandFunc) (int    argc,
                                 char **argv);

typedef struct
{
  const char       *name;
  const char       *synopsis;
  RpCliCommandFunc  func;
} RpCliCommand;

/* Commands */

static int
command_paths (int    argc,
               char **argv)
{
  g_autofree char *data = rp_paths_get_data_dir ();
  g_autofree char *config = rp_paths_get_config_dir ();
  g_autofree char *cache = rp_paths_get_cache_dir ();

  if (argc != 1)
    {
      g_printerr (_("Usage: %s\n"), "rapport-cli paths");
      return EXIT_USAGE;
    }

  g_print ("data\t%s\nconfig\t%s\ncache\t%s\n", data, config, cache);
  return EXIT_OK;
}

static const RpCliCommand commands[] = {
  { "paths", N_("Print where Rapport keeps its data, settings and cache"), command_paths },
};

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
  fprintf (stream, "\n%s\n", _("Exit status: 0 success, 1 operational failure, 2 usage error."));
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
      return EXIT_USAGE;
    }

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      print_help (stdout);
      return EXIT_OK;
    }

  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("rapport-cli %s\n", PACKAGE_VERSION);
      return EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (argv[1], commands[i].name))
        return commands[i].func (argc - 1, argv + 1);
    }

  g_printerr (_("rapport-cli: unknown command “%s”; see “rapport-cli --help”\n"), argv[1]);
  return EXIT_USAGE;
}
