/* fuzz-autoconfig-xml.c: libFuzzer target for Thunderbird autoconfig XML
 *
 * The configuration file comes from whatever web server answers for the
 * user's domain (or its ISP database mirror), so every byte is hostile.
 * Besides crashes and sanitizer reports, the target checks what
 * rp-autoconfig-private.h promises for any input:
 *
 * - either a configuration or an RP_ERROR_PROTOCOL or
 *   RP_ERROR_SERVER_PERMANENT error, never both, never neither;
 * - a configuration has a POP3 and an SMTP host (non-empty) and port
 *   (non-zero), and a user name for each; every string is valid UTF-8.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "rp-autoconfig-private.h"
#include "rp-error.h"

#define CHECK(condition) G_STMT_START { if (!(condition)) abort (); } G_STMT_END

int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv);
int LLVMFuzzerTestOneInput (const uint8_t  *data,
                            size_t          size);

/* GLib's own fatal warnings end in a breakpoint trap, which libFuzzer
 * does not catch: a warning or critical aborts here instead, so that the
 * input is saved. */
static GLogWriterOutput
abort_on_warning (GLogLevelFlags   log_level,
                  const GLogField *fields,
                  gsize            n_fields,
                  gpointer         user_data)
{
  GLogWriterOutput result = g_log_writer_standard_streams (log_level, fields, n_fields,
                                                           user_data);

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return result;
}

static void
check_utf8 (const char *text)
{
  CHECK (text == NULL || g_utf8_validate (text, -1, NULL));
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_writer_func (abort_on_warning, NULL, NULL);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* GMarkup reads @length bytes; a copy without a terminating NUL lets
   * ASan catch any read past them. */
  g_autofree char *xml = g_memdup2 (data, size != 0 ? size : 1);
  g_autoptr(GError) error = NULL;
  RpAutoconfig *config;

  config = _rp_autoconfig_parse_xml (xml, size, "jane.doe@example.test", &error);
  CHECK ((config == NULL) != (error == NULL));
  if (config == NULL)
    {
      CHECK (g_error_matches (error, RP_ERROR, RP_ERROR_PROTOCOL) ||
             g_error_matches (error, RP_ERROR, RP_ERROR_SERVER_PERMANENT));
      check_utf8 (error->message);
      return 0;
    }

  CHECK (config->pop_host != NULL && *config->pop_host != '\0');
  CHECK (config->smtp_host != NULL && *config->smtp_host != '\0');
  CHECK (config->pop_port != 0 && config->smtp_port != 0);
  CHECK (config->pop_user != NULL && config->smtp_user != NULL);
  check_utf8 (config->provider_id);
  check_utf8 (config->provider_name);
  check_utf8 (config->pop_host);
  check_utf8 (config->pop_user);
  check_utf8 (config->smtp_host);
  check_utf8 (config->smtp_user);
  check_utf8 (config->hint);
  rp_autoconfig_free (config);

  return 0;
}
