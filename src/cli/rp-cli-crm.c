/* rp-cli-crm.c: rapport-cli crm — contacts, leads, tasks, events, notes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "rp-cli-private.h"
#include "rp-crm.h"

/* Auxiliary methods */

static RpCrmRecord *
find_record (RpStore     *store,
             const char  *address,
             GError     **error)
{
  RpCrmRecord *record = rp_crm_find_record_by_address (store, address, error);

  if (record == NULL && (error == NULL || *error == NULL))
    g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                 _("No contact or lead has the address “%s”"), address);

  return record;
}

static gboolean
parse_day (const char  *text,
           gint64      *day,
           GError     **error)
{
  int y, m, d;
  char end;
  g_autoptr(GDateTime) dt = NULL;

  if (sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &end) == 3)
    dt = g_date_time_new_utc (y, m, d, 0, 0, 0);
  if (dt == NULL)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a date (YYYY-MM-DD)"), text);
      return FALSE;
    }

  *day = g_date_time_to_unix (dt);
  return TRUE;
}

static gboolean
parse_time (const char  *text,
            gint64      *time,
            GError     **error)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = text ? g_date_time_new_from_iso8601 (text, utc) : NULL;

  if (dt == NULL)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a time (ISO 8601, such as 2024-05-01T14:00:00Z)"),
                   text ? text : "");
      return FALSE;
    }

  *time = g_date_time_to_unix (dt);
  return TRUE;
}

static void
json_time (JsonBuilder *builder,
           const char  *name,
           gint64       time)
{
  g_autofree char *text = rp_cli_format_time (time);

  json_builder_set_member_name (builder, name);
  if (text != NULL)
    json_builder_add_string_value (builder, text);
  else
    json_builder_add_null_value (builder);
}

static void
json_day (JsonBuilder *builder,
          const char  *name,
          gint64       day)
{
  g_autoptr(GDateTime) dt = day != 0 ? g_date_time_new_from_unix_utc (day) : NULL;
  g_autofree char *text = dt ? g_date_time_format (dt, "%Y-%m-%d") : NULL;

  json_builder_set_member_name (builder, name);
  if (text != NULL)
    json_builder_add_string_value (builder, text);
  else
    json_builder_add_null_value (builder);
}

static void
json_record (JsonBuilder   *builder,
             gconstpointer  item)
{
  const RpCrmRecord *record = item;

  json_builder_begin_object (builder);
  rp_cli_json_int (builder, "id", record->id);
  rp_cli_json_string (builder, "kind", rp_crm_kind_to_string (record->kind));
  rp_cli_json_string (builder, "name", record->name);
  json_builder_set_member_name (builder, "emails");
  json_builder_begin_array (builder);
  for (guint i = 0; record->emails[i] != NULL; i++)
    json_builder_add_string_value (builder, record->emails[i]);
  json_builder_end_array (builder);
  rp_cli_json_string (builder, "phone", record->phone);
  rp_cli_json_string (builder, "company", record->company);
  rp_cli_json_string (builder, "job_title", record->job_title);
  rp_cli_json_string (builder, "status", rp_crm_lead_status_to_string (record->status));
  rp_cli_json_string (builder, "source", record->source);
  rp_cli_json_string (builder, "owner", record->owner);
  json_time (builder, "created", record->created);
  json_time (builder, "updated", record->updated);
}

static int
print_record (const RpCrmRecord *record)
{
  g_print ("%s <%s>\t%s", record->name, record->emails[0] ? record->emails[0] : "",
           rp_crm_kind_to_string (record->kind));
  if (record->kind == RP_CRM_KIND_LEAD)
    g_print (" (%s)", rp_crm_lead_status_to_string (record->status));
  g_print ("\t%s\n", record->company ? record->company : "");
  return RP_CLI_EXIT_OK;
}

/* crm contact add / crm lead add */

static int
record_add (RpCrmKind   kind,
            int         argc,
            char      **argv)
{
  g_autofree char *name = NULL;
  g_autofree char *company = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *job_title = NULL;
  g_autofree char *status_text = NULL;
  g_autofree char *source = NULL;
  GOptionEntry contact_entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The person’s name"), N_("TEXT") },
    { "company", 0, 0, G_OPTION_ARG_STRING, &company, N_("The company"), N_("TEXT") },
    { "phone", 0, 0, G_OPTION_ARG_STRING, &phone, N_("The phone number"), N_("TEXT") },
    { "title", 0, 0, G_OPTION_ARG_STRING, &job_title, N_("The job title"), N_("TEXT") },
    { "source", 0, 0, G_OPTION_ARG_STRING, &source, N_("Where the record came from"), N_("TEXT") },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status_text,
      N_("new, contacted, qualified or lost (leads)"), N_("STATUS") },
    { NULL }
  };
  g_autoptr(RpStore) store = NULL;
  g_autoptr(RpCrmRecord) record = rp_crm_record_new ();
  g_autoptr(GError) error = NULL;
  int status = RP_CLI_EXIT_OK;

  if (kind == RP_CRM_KIND_CONTACT)
    contact_entries[5].long_name = NULL;
  if (!rp_cli_parse_options (kind == RP_CRM_KIND_LEAD ? "crm lead add" : "crm contact add",
                             N_("EMAIL"),
                             kind == RP_CRM_KIND_LEAD ? _("Adds a lead and links its mail.")
                                                      : _("Adds a contact and links its mail."),
                             contact_entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return rp_cli_usage (_("Give one email address"));

  record->kind = kind;
  if (status_text != NULL && !rp_crm_lead_status_from_string (status_text, &record->status))
    return rp_cli_usage (_("Unknown status “%s” (new, contacted, qualified, lost)"), status_text);
  record->name = g_strdup (name ? name : "");
  record->company = g_steal_pointer (&company);
  record->phone = g_steal_pointer (&phone);
  record->job_title = g_steal_pointer (&job_title);
  record->source = g_steal_pointer (&source);
  g_strfreev (record->emails);
  record->emails = g_strdupv ((char *[]) { argv[1], NULL });

  store = rp_cli_open_store ();
  if (store == NULL)
    return RP_CLI_EXIT_FAIL;
  if (rp_crm_add_record (store, record, &error) == 0)
    return rp_cli_fail (error);

  g_print ("%" G_GINT64_FORMAT "\n", record->id);
  return RP_CLI_EXIT_OK;
}

/* crm convert */

static int
crm_convert (int    argc,
             char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(RpStore) store = NULL;
  g_autoptr(RpCrmRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  int status = RP_CLI_EXIT_OK;

  if (!rp_cli_parse_options ("crm convert", N_("EMAIL"),
                             _("Turns a lead into a contact; its history stays."),
                             entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return rp_cli_usage (_("Give one email address"));

  store = rp_cli_open_store ();
  if (store == NULL)
    return RP_CLI_EXIT_FAIL;
  record = find_record (store, argv[1], &error);
  if (record == NULL || !rp_crm_convert_lead (store, record->id, &error))
    return rp_cli_fail (error);

  return RP_CLI_EXIT_OK;
}

/* crm delete */

static int
crm_delete (int    argc,
            char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(RpStore) store = NULL;
  g_autoptr(RpCrmRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  int status = RP_CLI_EXIT_OK;

  if (!rp_cli_parse_options ("crm delete", N_("EMAIL"),
                             _("Deletes a contact or lead with its tasks and notes."),
                             entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return rp_cli_usage (_("Give one email address"));

  store = rp_cli_open_store ();
  if (store == NULL)
    return RP_CLI_EXIT_FAIL;
  record = find_record (store, argv[1], &error);
  if (record == NULL || !rp_crm_delete_record (store, record->id, &error))
    return rp_cli_fail (error);

  return RP_CLI_EXIT_OK;
}

/* crm show */

static void
json_show (const RpCrmRecord *record,
           GPtrArray         *timeline,
           GPtrArray         *tasks,
           GPtrArray         *events,
           GPtrArray         *notes)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_record (builder, record);

  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  for (guint i = 0; i < timeline->len; i++)
    {
      RpCrmTimelineEntry *entry = g_ptr_array_index (timeline, i);

      json_builder_begin_object (builder);
      rp_cli_json_int (builder, "id", entry->message_id);
      json_time (builder, "date", entry->date);
      rp_cli_json_string (builder, "subject", entry->subject);
      rp_cli_json_string (builder, "folder", entry->folder_name);
      rp_cli_json_string (builder, "direction", entry->sent ? "sent" : "received");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "tasks");
  json_builder_begin_array (builder);
  for (guint i = 0; i < tasks->len; i++)
    {
      RpCrmTask *task = g_ptr_array_index (tasks, i);

      json_builder_begin_object (builder);
      rp_cli_json_int (builder, "id", task->id);
      rp_cli_json_string (builder, "title", task->title);
      json_day (builder, "due", task->due);
      rp_cli_json_int (builder, "priority", task->priority);
      rp_cli_json_bool (builder, "done", task->done);
      rp_cli_json_int (builder, "message", task->message_id);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  for (guint i = 0; i < events->len; i++)
    {
      RpCrmEvent *event = g_ptr_array_index (events, i);

      json_builder_begin_object (builder);
      rp_cli_json_int (builder, "id", event->id);
      rp_cli_json_string (builder, "title", event->title);
      json_time (builder, "start", event->start);
      json_time (builder, "end", event->end);
      rp_cli_json_string (builder, "location", event->location);
      rp_cli_json_string (builder, "uid", event->uid);
      rp_cli_json_bool (builder, "cancelled", event->cancelled);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "notes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < notes->len; i++)
    {
      RpCrmNote *note = g_ptr_array_index (notes, i);

      json_builder_begin_object (builder);
      rp_cli_json_int (builder, "id", note->id);
      rp_cli_json_string (builder, "text", note->text);
      json_time (builder, "created", note->created);
      rp_cli_json_int (builder, "message", note->message_id);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_end_object (builder);
  rp_cli_print_json (builder);
}

static int
crm_show (int    argc,
          char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(RpStore) store = NULL;
  g_autoptr(RpCrmRecord) record = NULL;
  g_autoptr(GPtrArray) timeline = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GError) error = NULL;
  int status = RP_CLI_EXIT_OK;

  if (!rp_cli_parse_options ("crm show", N_("EMAIL"),
                             _("Shows a contact or lead with its mail, tasks, events and notes."),
                             entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return rp_cli_usage (_("Give one email address"));

  store = rp_cli_open_store ();
  if (store == NULL)
    return RP_CLI_EXIT_FAIL;
  if ((record = find_record (store, argv[1], &error)) == NULL ||
      (timeline = rp_crm_get_timeline (store, record->id, 0, &error)) == NULL ||
      (tasks = rp_crm_list_tasks (store, record->id, FALSE, &error)) == NULL ||
      (events = rp_crm_list_events (store, record->id, 0, &error)) == NULL ||
      (notes = rp_crm_list_notes (store, record->id, 0, &error)) == NULL)
    return rp_cli_fail (error);

  if (json)
    {
      json_show (record, timeline, tasks, events, notes);
      return RP_CLI_EXIT_OK;
    }

  print_record (record);
  for (guint i = 0; i < timeline->len; i++)
    {
      RpCrmTimelineEntry *entry = g_ptr_array_index (timeline, i);
      g_autofree char *date = rp_cli_format_time (entry->date);

      g_print ("message %" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\n", entry->message_id,
               date ? date : "", entry->sent ? "sent" : "received", entry->folder_name,
               entry->subject);
    }
  for (guint i = 0; i < tasks->len; i++)
    {
      RpCrmTask *task = g_ptr_array_index (tasks, i);

      g_print ("task %" G_GINT64_FORMAT "\t%s\t%s\n", task->id, task->done ? "done" : "open",
               task->title);
    }
  for (guint i = 0; i < events->len; i++)
    {
      RpCrmEvent *event = g_ptr_array_index (events, i);
      g_autofree char *start = rp_cli_format_time (event->start);

      g_print ("event %" G_GINT64_FORMAT "\t%s\t%s\n", event->id, start, event->title);
    }
  for (guint i = 0; i < notes->len; i++)
    {
      RpCrmNote *note = g_ptr_array_index (notes, i);

      g_print ("note %" G_GINT64_FORMAT "\t%s\n", note->id, note->text);
    }

  return RP_CLI_EXIT_OK;
}

/* crm list */

static int
crm_list (int    argc,
          char **argv)
{
  gboolean json = FALSE;
  g_autofree char *kind_text = NULL;
  g_autofree char *search = NULL;
  GOptionEntry entries[] = {
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind_text, N_("contact or lead"), N_("KIND") },
    { "search", 0, 0, G_OPTION_ARG_STRING, &search,
      N_("Only records whose name, company or address contains TEXT"), N_("TEXT") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(RpStore) store = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  int status = RP_CLI_EXIT_OK;
  RpCrmKind kind;

  if (!rp_cli_parse_options ("crm list", "", _("Lists contacts and leads by name."),
                             entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return rp_cli_usage (_("Unexpected argument “%s”"), argv[1]);
  if (kind_text != NULL && !rp_crm_kind_from_string (kind_text, &kind))
    return rp_cli_usage (_("Unknown kind “%s” (contact, lead)"), kind_text);

  store = rp_cli_open_store ();
  if (store == NULL)
    return RP_CLI_EXIT_FAIL;
  records = rp_crm_list_records (store, kind_text ? (int) kind : -1, search, &error);
  if (records == NULL)
    return rp_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < records->len; i++)
        {
          json_record (builder, g_ptr_array_index (records, i));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      rp_cli_print_json (builder);
      return RP_CLI_EXIT_OK;
    }

  for (guint i = 0; i < records->len; i++)
    print_record (g_ptr_array_index (records, i));
  return RP_CLI_EXIT_OK;
}

/* crm task add, crm event add, crm note add */

static int
crm_item_add (const char  *what,
              int          argc,
              char       **argv)
{
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;
  g_autofree char *due = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  g_autofree char *location = NULL;
  gint64 message_id = 0;
  int priority = 0;
  GOptionEntry task_entries[] = {
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, N_("The title"), N_("TEXT") },
    { "due", 0, 0, G_OPTION_ARG_STRING, &due, N_("The due day"), N_("YYYY-MM-DD") },
    { "priority", 0, 0, G_OPTION_ARG_INT, &priority, N_("1 (highest) to 9 (lowest)"), N_("N") },
    { "message", 0, 0, G_OPTION_ARG_INT64, &message_id, N_("The message it came from"), N_("ID") },
    { NULL }
  };
  GOptionEntry event_entries[] = {
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, N_("The title"), N_("TEXT") },
    { "start", 0, 0, G_OPTION_ARG_STRING, &start, N_("The start"), N_("ISO8601") },
    { "end", 0, 0, G_OPTION_ARG_STRING, &end, N_("The end"), N_("ISO8601") },
    { "location", 0, 0, G_OPTION_ARG_STRING, &location, N_("The place"), N_("TEXT") },
    { NULL }
  };
  GOptionEntry note_entries[] = {
    { "text", 0, 0, G_OPTION_ARG_STRING, &text, N_("The note"), N_("TEXT") },
    { "message", 0, 0, G_OPTION_ARG_INT64, &message_id, N_("The message it came from"), N_("ID") },
    { NULL }
  };
  g_autoptr(RpStore) store = NULL;
  g_autoptr(RpCrmRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *command = g_strdup_printf ("crm %s add", what);
  int status = RP_CLI_EXIT_OK;
  gint64 id = 0;

  if (!rp_cli_parse_options (command, N_("EMAIL"),
                             g_str_equal (what, "task") ? _("Adds a task to a contact or lead.")
                             : g_str_equal (what, "event") ? _("Adds an event with a contact or lead.")
                             : _("Adds a note to a contact or lead."),
                             g_str_equal (what, "task") ? task_entries
                             : g_str_equal (what, "event") ? event_entries : note_entries,
                             &argc, &argv, &status))
    return status;
  if (argc != 2)
    return rp_cli_usage (_("Give one email address"));
  if (!g_str_equal (what, "note") && title == NULL)
    return rp_cli_usage (_("--title is required"));
  if (g_str_equal (what, "note") && text == NULL)
    return rp_cli_usage (_("--text is required"));
  if (g_str_equal (what, "event") && (start == NULL || end == NULL))
    return rp_cli_usage (_("--start and --end are required"));

  store = rp_cli_open_store ();
  if (store == NULL)
    return RP_CLI_EXIT_FAIL;
  record = find_record (store, argv[1], &error);
  if (record == NULL)
    return rp_cli_fail (error);

  if (g_str_equal (what, "task"))
    {
      g_autoptr(RpCrmTask) task = rp_crm_task_new ();

      task->record_id = record->id;
      task->message_id = message_id;
      task->title = g_steal_pointer (&title);
      task->priority = priority;
      if (due != NULL && !parse_day (due, &task->due, &error))
        return rp_cli_fail (error);
      id = rp_crm_add_task (store, task, &error);
    }
  else if (g_str_equal (what, "event"))
    {
      g_autoptr(RpCrmEvent) event = rp_crm_event_new ();

      event->title = g_steal_pointer (&title);
      event->location = g_steal_pointer (&location);
      event->attendees = g_strdupv (record->emails);
      event->record_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_val (event->record_ids, record->id);
      if (!parse_time (start, &event->start, &error) || !parse_time (end, &event->end, &error))
        return rp_cli_fail (error);
      id = rp_crm_save_event (store, event, &error);
    }
  else
    {
      g_autoptr(RpCrmNote) note = rp_crm_note_new ();

      note->record_id = record->id;
      note->message_id = message_id;
      note->text = g_steal_pointer (&text);
      id = rp_crm_add_note (store, note, &error);
    }
  if (id == 0)
    return rp_cli_fail (error);

  g_print ("%" G_GINT64_FORMAT "\n", id);
  return RP_CLI_EXIT_OK;
}

/* crm import, crm export */

static int
crm_transfer (gboolean   import,
              int        argc,
              char     **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(RpStore) store = NULL;
  g_autoptr(GError) error = NULL;
  int status = RP_CLI_EXIT_OK;
  gboolean ical;
  gboolean ok;
  guint n = 0;

  if (!rp_cli_parse_options (import ? "crm import" : "crm export", N_("FILE.vcf|FILE.ics"),
                             import ? _("Imports contacts (vCard) or events and tasks (iCalendar).")
                                    : _("Exports contacts (vCard 4.0) or events and tasks (iCalendar)."),
                             entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return rp_cli_usage (_("Give one file name ending in .vcf or .ics"));
  ical = g_str_has_suffix (argv[1], ".ics") || g_str_has_suffix (argv[1], ".ICS");
  if (!ical && !g_str_has_suffix (argv[1], ".vcf") && !g_str_has_suffix (argv[1], ".VCF"))
    return rp_cli_usage (_("Give one file name ending in .vcf or .ics"));

  store = rp_cli_open_store ();
  if (store == NULL)
    return RP_CLI_EXIT_FAIL;

  if (import)
    ok = ical ? rp_crm_import_ical (store, argv[1], &n, &error)
              : rp_crm_import_vcard (store, argv[1], &n, &error);
  else
    ok = ical ? rp_crm_export_ical (store, argv[1], &error)
              : rp_crm_export_vcard (store, argv[1], &error);
  if (!ok)
    return rp_cli_fail (error);

  if (import)
    g_print ("%u\n", n);
  return RP_CLI_EXIT_OK;
}

/* Public API */

int
rp_cli_command_crm (int    argc,
                    char **argv)
{
  if (argc >= 3 && g_str_equal (argv[1], "contact") && g_str_equal (argv[2], "add"))
    return record_add (RP_CRM_KIND_CONTACT, argc - 2, argv + 2);
  if (argc >= 3 && g_str_equal (argv[1], "lead") && g_str_equal (argv[2], "add"))
    return record_add (RP_CRM_KIND_LEAD, argc - 2, argv + 2);
  if (argc >= 3 && (g_str_equal (argv[1], "task") || g_str_equal (argv[1], "event") ||
                    g_str_equal (argv[1], "note")) && g_str_equal (argv[2], "add"))
    return crm_item_add (argv[1], argc - 2, argv + 2);
  if (argc >= 2 && g_str_equal (argv[1], "convert"))
    return crm_convert (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "delete"))
    return crm_delete (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "show"))
    return crm_show (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "list"))
    return crm_list (argc - 1, argv + 1);
  if (argc >= 2 && (g_str_equal (argv[1], "import") || g_str_equal (argv[1], "export")))
    return crm_transfer (g_str_equal (argv[1], "import"), argc - 1, argv + 1);

  return rp_cli_usage (_("Usage: rapport-cli crm contact add|lead add|convert|delete|show|list|"
                         "task add|event add|note add|import|export …; "
                         "“rapport-cli crm list --help” for the options"));
}
