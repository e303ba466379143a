/* rp-crm-util.c: small helpers shared by the CRM widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rp-crm-util.h"

/* A signature is short: more lines than this at the end of a body are
 * the message itself, not the signature. */
#define SIGNATURE_MAX_LINES 10

/* Auxiliary methods */

static gboolean
is_quote_line (const char *line)
{
  return line[0] == '>' || g_str_has_prefix (line, "On ") || g_str_has_prefix (line, "Am ");
}

/* "-- " by the convention, or "--" where a mailer trimmed it. */
static gboolean
is_separator (const char *line)
{
  return g_str_equal (line, "--") || g_str_equal (line, "-- ") ||
         g_str_equal (line, "--\r") || g_str_equal (line, "-- \r");
}

/* The lines of the signature block of @body, trimmed and non-empty. */
static GPtrArray *
signature_lines (const char *body)
{
  g_auto(GStrv) lines = g_strsplit (body, "\n", -1);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  guint n = g_strv_length (lines);
  guint start = n, end = n;

  /* Whatever is quoted below the reply is someone else's signature. */
  for (guint i = 0; i < n; i++)
    if (is_quote_line (lines[i]))
      {
        end = i;
        break;
      }

  /* The conventional separator makes it certain. */
  for (guint i = 0; i < end; i++)
    if (is_separator (lines[i]))
      start = i + 1;
  if (start == n)
    {
      guint kept = 0;

      /* Without one, the last lines of the last paragraph block. */
      start = end;
      while (start > 0 && kept < SIGNATURE_MAX_LINES)
        {
          const char *line = lines[start - 1];

          start--;
          if (*line != '\0' && *line != '\r')
            kept++;
        }
    }

  for (guint i = start; i < end && out->len < SIGNATURE_MAX_LINES; i++)
    {
      char *line = g_strstrip (g_strdup (lines[i]));

      if (*line == '\0')
        g_free (line);
      else
        g_ptr_array_add (out, line);
    }

  return out;
}

static char *
find_phone (const char *line)
{
  static GRegex *regex;
  g_autoptr(GMatchInfo) match = NULL;

  if (g_once_init_enter (&regex))
    g_once_init_leave (&regex,
                               g_regex_new ("^(?:(?:phone|tel\\.?|telephone|mobile|mob\\.?|cell|"
                                            "telefon|fon|handy|mobil)\\s*:?\\s*)?"
                                            "(\\+?[0-9][0-9 ()/.\\-]{5,}[0-9])$",
                                            G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL));

  if (!g_regex_match (regex, line, 0, &match))
    return NULL;
  return g_match_info_fetch (match, 1);
}

static char *
find_company (const char *line)
{
  static GRegex *labelled, *suffixed;
  g_autoptr(GMatchInfo) match = NULL;

  if (g_once_init_enter (&labelled))
    {
      suffixed = g_regex_new ("^[\\w&.,' -]{1,60}\\b(GmbH|AG|KG|Ltd\\.?|Limited|Inc\\.?|LLC|"
                              "Corp\\.?|Corporation|S\\.A\\.|SARL|SAS|B\\.V\\.|e\\.V\\.|plc)"
                              "(\\s*&\\s*Co\\.?\\s*KG)?$",
                              G_REGEX_OPTIMIZE, 0, NULL);
      g_once_init_leave (&labelled,
                         g_regex_new ("^(?:company|firma|organi[sz]ation)\\s*:\\s*(.{1,80})$",
                                      G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL));
    }

  if (g_regex_match (labelled, line, 0, &match))
    return g_match_info_fetch (match, 1);
  if (g_regex_match (suffixed, line, 0, NULL))
    return g_strdup (line);
  return NULL;
}

static GDateTime *
local_from_unix (gint64   time,
                 gboolean utc_day)
{
  g_autoptr(GDateTime) utc = NULL;

  if (!utc_day)
    return g_date_time_new_from_unix_local (time);

  /* A due day is a calendar day, not an instant: show it as that day
   * wherever the user is. */
  utc = g_date_time_new_from_unix_utc (time);
  if (utc == NULL)
    return NULL;
  return g_date_time_new_local (g_date_time_get_year (utc), g_date_time_get_month (utc),
                                g_date_time_get_day_of_month (utc), 12, 0, 0);
}

/* Public API */

/**
 * rp_crm_signature_parse:
 * @body: a plain-text message body
 * @signature: (out caller-allocates): the result
 *
 * Fills @signature with what the signature of @body says plainly.
 */
void
rp_crm_signature_parse (const char     *body,
                        RpCrmSignature *signature)
{
  g_autoptr(GPtrArray) lines = NULL;

  g_return_if_fail (signature != NULL);

  signature->company = NULL;
  signature->phone = NULL;
  if (body == NULL)
    return;

  lines = signature_lines (body);
  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);

      if (signature->phone == NULL)
        signature->phone = find_phone (line);
      if (signature->company == NULL)
        signature->company = find_company (line);
    }
}

void
rp_crm_signature_clear (RpCrmSignature *signature)
{
  g_clear_pointer (&signature->company, g_free);
  g_clear_pointer (&signature->phone, g_free);
}

char *
rp_crm_format_kind (const RpCrmRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);

  if (record->kind == RP_CRM_KIND_CONTACT)
    return g_strdup (rp_crm_kind_get_display_name (record->kind));

  /* Translators: a lead and its status, as in "Lead · Qualified". */
  return g_strdup_printf (_("%s · %s"), rp_crm_kind_get_display_name (record->kind),
                          rp_crm_lead_status_get_display_name (record->status));
}

char *
rp_crm_format_position (const RpCrmRecord *record)
{
  gboolean has_title, has_company;

  g_return_val_if_fail (record != NULL, NULL);

  has_title = record->job_title != NULL && *record->job_title != '\0';
  has_company = record->company != NULL && *record->company != '\0';
  if (has_title && has_company)
    /* Translators: a job title and a company, as in "Buyer, ACME GmbH". */
    return g_strdup_printf (_("%s, %s"), record->job_title, record->company);
  if (has_title)
    return g_strdup (record->job_title);
  if (has_company)
    return g_strdup (record->company);
  return NULL;
}

char *
rp_crm_format_day (gint64   time,
                   gboolean utc_day)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) dt = local_from_unix (time, utc_day);
  int days;

  if (dt == NULL)
    return g_strdup ("");

  days = g_date_time_get_day_of_year (dt) - g_date_time_get_day_of_year (now);
  if (g_date_time_get_year (dt) == g_date_time_get_year (now))
    {
      if (days == 0)
        return g_strdup (_("Today"));
      if (days == -1)
        return g_strdup (_("Yesterday"));
      if (days == 1)
        return g_strdup (_("Tomorrow"));
      /* Translators: a day this year, as g_date_time_format(): "3 Nov". */
      return g_date_time_format (dt, _("%-d %b"));
    }

  /* Translators: a day in another year, as g_date_time_format(): "3 Nov 2024". */
  return g_date_time_format (dt, _("%-d %b %Y"));
}

char *
rp_crm_format_event_time (const RpCrmEvent *event)
{
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autofree char *day = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  g_return_val_if_fail (event != NULL, NULL);

  start = g_date_time_new_from_unix_local (event->start);
  end = g_date_time_new_from_unix_local (MAX (event->end, event->start));
  if (start == NULL || end == NULL)
    return g_strdup ("");

  day = rp_crm_format_day (event->start, FALSE);
  from = g_date_time_format (start, "%R");
  to = g_date_time_format (end, "%R");
  /* Translators: a day, then the start and end times: "Today, 09:30–10:00". */
  return g_strdup_printf (_("%s, %s–%s"), day, from, to);
}

char *
rp_crm_format_address (RpStore         *store,
                       const RpAddress *address)
{
  g_autoptr(RpCrmRecord) record = NULL;
  RpAddress named;

  g_return_val_if_fail (address != NULL, NULL);

  if (store != NULL && address->address != NULL)
    record = rp_crm_find_record_by_address (store, address->address, NULL);
  if (record == NULL || record->name == NULL || *record->name == '\0')
    return rp_address_format (address);

  /* The name the user gave the person beats whatever their mail says. */
  named.name = record->name;
  named.address = address->address;
  return rp_address_format (&named);
}

void
rp_crm_list_box_clear (GtkListBox *list)
{
  GtkListBoxRow *row;

  g_return_if_fail (GTK_IS_LIST_BOX (list));

  /* Row by row: removing the first child could remove the placeholder. */
  while ((row = gtk_list_box_get_row_at_index (list, 0)) != NULL)
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

GStrv
rp_crm_split_addresses (const char *text)
{
  g_auto(GStrv) parts = g_regex_split_simple ("[,;\\s]+", text != NULL ? text : "", 0, 0);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      g_strv_builder_add (builder, parts[i]);

  return g_strv_builder_end (builder);
}

gint64
rp_crm_calendar_get_day (GtkCalendar *calendar)
{
  g_autoptr(GDateTime) shown = gtk_calendar_get_date (calendar);
  g_autoptr(GDateTime) day = g_date_time_new_utc (g_date_time_get_year (shown),
                                                  g_date_time_get_month (shown),
                                                  g_date_time_get_day_of_month (shown), 0, 0, 0);

  return g_date_time_to_unix (day);
}

void
rp_crm_calendar_set_day (GtkCalendar *calendar,
                         gint64       day)
{
  g_autoptr(GDateTime) local = NULL;

  if (day == 0)
    local = g_date_time_new_now_local ();
  else
    local = local_from_unix (day, TRUE);
  gtk_calendar_select_day (calendar, local);
}

/* The CRM watch */

/* How long a burst of changes may last before the view refreshes: long
 * enough for a filter run's or an import's commits in a row, short
 * enough that an answered invitation shows at once. */
#define WATCH_DELAY_MS 150

struct _RpCrmWatch
{
  GtkWidget        *widget;     /* (not owned) owns the watch */
  guint             what;
  RpCrmRefreshFunc  refresh;
  GSignalGroup     *store_signals;
  guint             timeout_id;
};

static gboolean
watch_timeout (gpointer user_data)
{
  RpCrmWatch *watch = user_data;

  watch->timeout_id = 0;
  /* A hidden view reads everything again when it is shown. */
  if (gtk_widget_get_mapped (watch->widget))
    watch->refresh (watch->widget);
  return G_SOURCE_REMOVE;
}

static void
watch_on_crm_changed (RpStore    *store,
                      guint       what,
                      RpCrmWatch *watch)
{
  if ((what & watch->what) == 0 || watch->timeout_id != 0)
    return;
  watch->timeout_id = g_timeout_add (WATCH_DELAY_MS, watch_timeout, watch);
}

RpCrmWatch *
rp_crm_watch_new (GtkWidget        *widget,
                  guint             what,
                  RpCrmRefreshFunc  refresh)
{
  RpCrmWatch *watch;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (refresh != NULL, NULL);

  watch = g_new0 (RpCrmWatch, 1);
  watch->widget = widget;
  watch->what = what;
  watch->refresh = refresh;
  watch->store_signals = g_signal_group_new (RP_TYPE_STORE);
  g_signal_group_connect (watch->store_signals, "crm-changed",
                          G_CALLBACK (watch_on_crm_changed), watch);
  return watch;
}

void
rp_crm_watch_set_store (RpCrmWatch *watch,
                        RpStore    *store)
{
  g_return_if_fail (watch != NULL);
  g_return_if_fail (store == NULL || RP_IS_STORE (store));

  g_signal_group_set_target (watch->store_signals, store);
}

void
rp_crm_watch_free (RpCrmWatch *watch)
{
  if (watch == NULL)
    return;

  g_clear_handle_id (&watch->timeout_id, g_source_remove);
  g_signal_group_set_target (watch->store_signals, NULL);
  g_clear_object (&watch->store_signals);
  g_free (watch);
}
