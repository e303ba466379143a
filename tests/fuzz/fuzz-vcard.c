/* fuzz-vcard.c: libFuzzer target for the vCard import parser
 *
 * Users import .vcf files from anywhere (other mail clients, phones, web
 * address books), so the parser must stand any bytes. The target feeds
 * the parser behind rp_crm_import_vcard() directly, without a store, and
 * checks what rp-crm-private.h promises for any input:
 *
 * - either an array of records or an RP_ERROR_INVALID_ARGUMENT, never
 *   both, never neither;
 * - every record has an emails array, each address non-empty and without
 *   white space around it; every string is valid UTF-8 without NUL;
 * - kind and lead status are values of their enumerations.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rp-crm-private.h"
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

static void
check_record (const RpCrmRecord *record)
{
  CHECK (record->id == 0);
  CHECK (record->emails != NULL);
  for (guint i = 0; record->emails[i] != NULL; i++)
    {
      const char *address = record->emails[i];
      gsize length = strlen (address);

      CHECK (length > 0);
      CHECK (!g_ascii_isspace (address[0]) && !g_ascii_isspace (address[length - 1]));
      check_utf8 (address);
    }
  check_utf8 (record->name);
  check_utf8 (record->phone);
  check_utf8 (record->company);
  check_utf8 (record->job_title);
  check_utf8 (record->source);
  check_utf8 (record->owner);
  CHECK (rp_crm_kind_to_string (record->kind) != NULL);
  CHECK (rp_crm_lead_status_to_string (record->status) != NULL);
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
  /* The parser reads @length bytes; a copy without a terminating NUL lets
   * ASan catch any read past them. */
  g_autofree char *text = g_memdup2 (data, size != 0 ? size : 1);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;

  records = _rp_crm_parse_vcards (text, size, "contacts.vcf", &error);
  CHECK ((records == NULL) != (error == NULL));
  if (records == NULL)
    {
      CHECK (g_error_matches (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT));
      check_utf8 (error->message);
      return 0;
    }

  for (guint i = 0; i < records->len; i++)
    check_record (g_ptr_array_index (records, i));

  return 0;
}
