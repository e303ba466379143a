/* rp-cli-private.h: what the rapport-cli command files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "rp-core.h"

G_BEGIN_DECLS

enum {
  RP_CLI_EXIT_OK    = 0,
  RP_CLI_EXIT_FAIL  = 1,
  RP_CLI_EXIT_USAGE = 2,
};

/* Opens the store under the XDG data dir; prints the error and returns
 * NULL on failure. */
RpStore   *rp_cli_open_store      (void) G_GNUC_WARN_UNUSED_RESULT;
RpSecrets *rp_cli_open_secrets    (void) G_GNUC_WARN_UNUSED_RESULT;
/* Prints "rapport-cli: MESSAGE" on one line and returns the exit code for
 * @error: 2 for usage errors, 1 for everything else. */
int        rp_cli_fail            (const GError *error);
int        rp_cli_usage           (const char   *format,
                                   ...) G_GNUC_PRINTF (1, 2);
/* Parses @argv with @entries; on error prints it and returns FALSE.
 * Leaves the positional arguments in @argv. */
gboolean   rp_cli_parse_options   (const char    *command,
                                   const char    *parameter_string,
                                   const char    *summary,
                                   GOptionEntry  *entries,
                                   int           *argc,
                                   char        ***argv,
                                   int           *exit_code);
void       rp_cli_print_json      (JsonBuilder   *builder);
/* One member of the object being built. */
void       rp_cli_json_string     (JsonBuilder   *builder,
                                   const char    *name,
                                   const char    *value);
void       rp_cli_json_int        (JsonBuilder   *builder,
                                   const char    *name,
                                   gint64         value);
void       rp_cli_json_bool       (JsonBuilder   *builder,
                                   const char    *name,
                                   gboolean       value);
/* Prints @items as a JSON array, each element written by @add. */
typedef void (*RpCliJsonFunc) (JsonBuilder *builder,
                               gconstpointer item);
void       rp_cli_print_json_array (GPtrArray    *items,
                                    RpCliJsonFunc add);
/* Reads a password from standard input (up to the first newline). */
char      *rp_cli_read_password   (GError       **error) G_GNUC_WARN_UNUSED_RESULT;
/* "host[:port]" */
gboolean   rp_cli_parse_host_port (const char    *text,
                                   char         **host,
                                   guint16       *port);
gboolean   rp_cli_parse_security  (const char    *text,
                                   RpSecurity    *security);
const char *rp_cli_security_to_string (RpSecurity security);
char      *rp_cli_format_time     (gint64         unix_time) G_GNUC_WARN_UNUSED_RESULT;

int rp_cli_command_account (int argc, char **argv);
int rp_cli_command_fetch   (int argc, char **argv);
int rp_cli_command_folders (int argc, char **argv);
int rp_cli_command_list    (int argc, char **argv);
int rp_cli_command_show    (int argc, char **argv);
int rp_cli_command_search  (int argc, char **argv);
int rp_cli_command_move    (int argc, char **argv);
int rp_cli_command_send    (int argc, char **argv);
int rp_cli_command_outbox  (int argc, char **argv);
int rp_cli_command_filter  (int argc, char **argv);
int rp_cli_command_crm     (int argc, char **argv);

G_END_DECLS
