/* rp-crm-ical.c: events and tasks as iCalendar (RFC 5545), with libical
 *
 * One VCALENDAR holds every event (VEVENT) and task (VTODO). Times are
 * written in UTC; a task's due day is a DATE. The records an item belongs
 * to travel as X-RAPPORT-RECORD properties carrying the record's primary
 * address, which is what links them again on import (for events, their
 * attendees and organiser link too).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-crm"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>

#include "rp-crm-private.h"
#include "rp-error.h"
#include "rp-macros.h"

#define X_RECORD "X-RAPPORT-RECORD"
#define X_PARTSTAT "X-RAPPORT-PARTSTAT"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (icalcomponent, icalcomponent_free)

/* Auxiliary methods */

static void
add_x_property (icalcomponent *component,
                const char    *name,
                const char    *value)
{
  icalproperty *property = icalproperty_new_x (value);

  icalproperty_set_x_name (property, name);
  icalcomponent_add_property (component, property);
}

/* The primary address of each record, for X-RAPPORT-RECORD. */
static void
add_record_properties (icalcomponent  *component,
                       GHashTable     *primary_by_id,
                       const gint64   *ids,
                       guint           n)
{
  for (guint i = 0; i < n; i++)
    {
      const char *address = g_hash_table_lookup (primary_by_id, &ids[i]);

      if (address != NULL)
        add_x_property (component, X_RECORD, address);
    }
}

static struct icaltimetype
utc_time (gint64   t,
          gboolean is_date)
{
  return icaltime_from_timet_with_zone ((time_t) t, is_date, icaltimezone_get_utc_timezone ());
}

static gint64
to_unix (struct icaltimetype t)
{
  if (icaltime_is_null_time (t))
    return 0;
  if (icaltime_is_date (t) || t.zone == NULL)
    return icaltime_as_timet_with_zone (t, icaltimezone_get_utc_timezone ());

  return icaltime_as_timet_with_zone (t, t.zone);
}

static char *
strip_mailto (const char *value)
{
  if (value == NULL)
    return NULL;
  if (g_ascii_strncasecmp (value, "mailto:", 7) == 0)
    value += 7;

  return g_strdup (value);
}

/* Adds the record ids of the X-RAPPORT-RECORD addresses, and with
 * @with_people those of the attendees and organiser, to @ids (once). */
static gboolean
collect_records (RpStore        *store,
                 icalcomponent  *component,
                 gboolean        with_people,
                 GArray         *ids,
                 GError        **error)
{
  const icalproperty_kind kinds[] = { ICAL_X_PROPERTY, ICAL_ATTENDEE_PROPERTY,
                                      ICAL_ORGANIZER_PROPERTY };

  for (guint k = 0; k < (with_people ? G_N_ELEMENTS (kinds) : 1); k++)
    for (icalproperty *p = icalcomponent_get_first_property (component, kinds[k]);
         p != NULL;
         p = icalcomponent_get_next_property (component, kinds[k]))
      {
        g_autofree char *address = NULL;
        GError *local_error = NULL;
        gboolean seen = FALSE;
        gint64 id;

        if (kinds[k] == ICAL_X_PROPERTY)
          {
            if (g_strcmp0 (icalproperty_get_x_name (p), X_RECORD) != 0)
              continue;
            address = g_strdup (icalproperty_get_x (p));
          }
        else
          address = strip_mailto (icalproperty_get_value_as_string (p));

        id = rp_crm_find_record_id_by_address (store, address, &local_error);
        if (local_error != NULL)
          {
            g_propagate_error (error, local_error);
            return FALSE;
          }
        for (guint i = 0; i < ids->len; i++)
          seen = seen || g_array_index (ids, gint64, i) == id;
        if (id != 0 && !seen)
          g_array_append_val (ids, id);
      }

  return TRUE;
}

static gboolean
import_event (RpStore        *store,
              icalcomponent  *component,
              GError        **error)
{
  g_autoptr(RpCrmEvent) event = rp_crm_event_new ();
  g_autoptr(GStrvBuilder) attendees = g_strv_builder_new ();
  const char *uid = icalcomponent_get_uid (component);

  if (uid == NULL || *uid == '\0')
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                           _("An event in the calendar file has no UID"));
      return FALSE;
    }

  event->uid = g_strdup (uid);
  event->title = g_strdup (icalcomponent_get_summary (component));
  event->start = to_unix (icalcomponent_get_dtstart (component));
  event->end = to_unix (icalcomponent_get_dtend (component));
  if (event->end < event->start)
    event->end = event->start;
  event->location = g_strdup (icalcomponent_get_location (component));
  event->sequence = icalcomponent_get_sequence (component);
  event->cancelled = icalcomponent_get_status (component) == ICAL_STATUS_CANCELLED;
  if (event->title == NULL || *event->title == '\0')
    rp_set_str (&event->title, _("(No title)"));

  for (icalproperty *p = icalcomponent_get_first_property (component, ICAL_ATTENDEE_PROPERTY);
       p != NULL;
       p = icalcomponent_get_next_property (component, ICAL_ATTENDEE_PROPERTY))
    {
      g_autofree char *address = strip_mailto (icalproperty_get_attendee (p));

      if (address != NULL && *address != '\0')
        g_strv_builder_add (attendees, address);
    }
  event->attendees = g_strv_builder_end (attendees);

  for (icalproperty *p = icalcomponent_get_first_property (component, ICAL_X_PROPERTY);
       p != NULL;
       p = icalcomponent_get_next_property (component, ICAL_X_PROPERTY))
    if (g_strcmp0 (icalproperty_get_x_name (p), X_PARTSTAT) == 0)
      event->partstat = g_strdup (icalproperty_get_x (p));

  event->record_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (!collect_records (store, component, TRUE, event->record_ids, error))
    return FALSE;

  return rp_crm_save_event (store, event, error) != 0;
}

static gint64
find_task_id (RpStore     *store,
              const char  *uid,
              GError     **error)
{
  g_autoptr(GPtrArray) tasks = rp_crm_list_tasks (store, 0, FALSE, error);

  if (tasks == NULL)
    return -1;
  for (guint i = 0; i < tasks->len; i++)
    {
      RpCrmTask *task = g_ptr_array_index (tasks, i);

      if (g_strcmp0 (task->uid, uid) == 0)
        return task->id;
    }

  return 0;
}

static gboolean
import_task (RpStore        *store,
             icalcomponent  *component,
             GError        **error)
{
  g_autoptr(RpCrmTask) task = rp_crm_task_new ();
  g_autoptr(GArray) records = g_array_new (FALSE, FALSE, sizeof (gint64));
  icalproperty *priority = icalcomponent_get_first_property (component, ICAL_PRIORITY_PROPERTY);
  const char *uid = icalcomponent_get_uid (component);
  gint64 existing;

  task->uid = g_strdup (uid);
  task->title = g_strdup (icalcomponent_get_summary (component));
  if (task->title == NULL || *task->title == '\0')
    rp_set_str (&task->title, _("(No title)"));
  task->due = to_unix (icalcomponent_get_due (component));
  task->priority = priority != NULL ? icalproperty_get_priority (priority) : 0;
  task->done = icalcomponent_get_status (component) == ICAL_STATUS_COMPLETED;
  if (!collect_records (store, component, FALSE, records, error))
    return FALSE;
  if (records->len > 0)
    task->record_id = g_array_index (records, gint64, 0);

  existing = uid != NULL ? find_task_id (store, uid, error) : 0;
  if (existing < 0)
    return FALSE;
  if (existing > 0)
    {
      task->id = existing;
      return rp_crm_update_task (store, task, error);
    }

  return rp_crm_add_task (store, task, error) != 0;
}

/* Public API */

/**
 * rp_crm_export_ical:
 * @path: the file to write
 *
 * Returns: %TRUE on success
 */
gboolean
rp_crm_export_ical (RpStore     *store,
                    const char  *path,
                    GError     **error)
{
  g_autoptr(icalcomponent) calendar = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GHashTable) primary_by_id = NULL;
  struct icaltimetype now = utc_time (g_get_real_time () / G_USEC_PER_SEC, FALSE);
  char *text;
  gboolean ok;

  g_return_val_if_fail (RP_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  events = rp_crm_list_events (store, 0, 0, error);
  tasks = events ? rp_crm_list_tasks (store, 0, FALSE, error) : NULL;
  records = tasks ? rp_crm_list_records (store, -1, NULL, error) : NULL;
  if (records == NULL)
    return FALSE;

  primary_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < records->len; i++)
    {
      RpCrmRecord *record = g_ptr_array_index (records, i);

      if (record->emails[0] != NULL)
        g_hash_table_insert (primary_by_id, &record->id, record->emails[0]);
    }

  calendar = icalcomponent_new_vcalendar ();
  icalcomponent_add_property (calendar, icalproperty_new_version ("2.0"));
  icalcomponent_add_property (calendar, icalproperty_new_prodid ("-//Rapport//Rapport " PACKAGE_VERSION "//EN"));

  for (guint i = 0; i < events->len; i++)
    {
      RpCrmEvent *event = g_ptr_array_index (events, i);
      icalcomponent *component = icalcomponent_new_vevent ();

      icalcomponent_set_uid (component, event->uid);
      icalcomponent_set_dtstamp (component, now);
      icalcomponent_set_sequence (component, event->sequence);
      icalcomponent_set_summary (component, event->title);
      icalcomponent_set_dtstart (component, utc_time (event->start, FALSE));
      icalcomponent_set_dtend (component, utc_time (event->end, FALSE));
      if (event->location != NULL)
        icalcomponent_set_location (component, event->location);
      if (event->cancelled)
        icalcomponent_set_status (component, ICAL_STATUS_CANCELLED);
      for (guint a = 0; event->attendees[a] != NULL; a++)
        {
          g_autofree char *uri = g_strconcat ("mailto:", event->attendees[a], NULL);

          icalcomponent_add_property (component, icalproperty_new_attendee (uri));
        }
      if (event->partstat != NULL)
        add_x_property (component, X_PARTSTAT, event->partstat);
      add_record_properties (component, primary_by_id,
                             (const gint64 *) (void *) event->record_ids->data,
                             event->record_ids->len);
      icalcomponent_add_component (calendar, component);
    }

  for (guint i = 0; i < tasks->len; i++)
    {
      RpCrmTask *task = g_ptr_array_index (tasks, i);
      icalcomponent *component = icalcomponent_new_vtodo ();

      icalcomponent_set_uid (component, task->uid);
      icalcomponent_set_dtstamp (component, now);
      icalcomponent_set_summary (component, task->title);
      if (task->due != 0)
        icalcomponent_set_due (component, utc_time (task->due, TRUE));
      if (task->priority != 0)
        icalcomponent_add_property (component, icalproperty_new_priority (task->priority));
      icalcomponent_set_status (component, task->done ? ICAL_STATUS_COMPLETED
                                                      : ICAL_STATUS_NEEDSACTION);
      if (task->record_id != 0)
        add_record_properties (component, primary_by_id, &task->record_id, 1);
      icalcomponent_add_component (calendar, component);
    }

  text = icalcomponent_as_ical_string_r (calendar);
  ok = g_file_set_contents (path, text, -1, error);
  free (text);

  return ok;
}

/**
 * rp_crm_import_ical:
 * @n_imported: (out) (optional): the number of events and tasks read
 *
 * Returns: %TRUE on success
 */
gboolean
rp_crm_import_ical (RpStore     *store,
                    const char  *path,
                    guint       *n_imported,
                    GError     **error)
{
  g_autoptr(icalcomponent) root = NULL;
  g_autofree char *contents = NULL;
  const icalcomponent_kind kinds[] = { ICAL_VEVENT_COMPONENT, ICAL_VTODO_COMPONENT };
  guint count = 0;

  g_return_val_if_fail (RP_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_get_contents (path, &contents, NULL, error))
    return FALSE;

  root = icalparser_parse_string (contents);
  if (root == NULL)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an iCalendar file"), path);
      return FALSE;
    }

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      if (icalcomponent_isa (root) == kinds[k])
        {
          if (!(k == 0 ? import_event (store, root, error) : import_task (store, root, error)))
            return FALSE;
          count++;
          continue;
        }
      for (icalcomponent *c = icalcomponent_get_first_component (root, kinds[k]);
           c != NULL;
           c = icalcomponent_get_next_component (root, kinds[k]))
        {
          if (!(k == 0 ? import_event (store, c, error) : import_task (store, c, error)))
            return FALSE;
          count++;
        }
    }

  if (count == 0)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("“%s” contains no events or tasks"), path);
      return FALSE;
    }

  if (n_imported != NULL)
    *n_imported = count;
  return TRUE;
}
