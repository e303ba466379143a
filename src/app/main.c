/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "rp-application.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(RpApplication) app = NULL;
  const char *localedir = LOCALEDIR;

  /* Uninstalled runs (the run script, the tests) use the catalogs built
   * in the build tree. */
  if (g_getenv ("RAPPORT_LOCALEDIR") != NULL)
    localedir = g_getenv ("RAPPORT_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = rp_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
