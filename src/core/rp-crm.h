/* rp-crm.h: contacts, leads, tasks, events and notes beside the mail
 *
 * The CRM lives in the store's database (tables crm_*, schema version 4).
 * Every function takes the store first and a #GError last, may be called
 * from any thread (like the store itself), and never touches GTK.
 *
 * Addresses are compared case-insensitively and stored as given, trimmed.
 * An address belongs to at most one record.
 *
 * Times are Unix seconds. Returned arrays and structs are owned by the
 * caller; free them with the matching _free() or through g_autoptr.
 *
 * Change notification: after every commit that changes records, tasks,
 * events, notes or message links, the store emits
 *
 *   void crm_changed (RpStore *store, guint what, gpointer user_data);
 *
 * ("crm-changed"; @what: the #RpCrmChange flags of what changed). Like
 * #RpStore::changed it is emitted in the main context that was the
 * thread default when the store was opened — never from the thread that
 * committed — and coalesced: commits in a row make one emission with
 * their flags or-ed. It follows the rp_crm_*() writes, the vCard and
 * iCalendar imports, and also mail stored or copied by the store when
 * that linked messages to records (RP_CRM_CHANGE_LINKS); the folders of
 * new mail come with #RpStore::changed as before.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rp-store.h"

G_BEGIN_DECLS

/**
 * RpCrmKind:
 * @RP_CRM_KIND_CONTACT: a contact
 * @RP_CRM_KIND_LEAD: a lead (a possible customer not yet qualified)
 *
 * PERSISTED: stored in crm_record.kind; never renumber.
 */
typedef enum
{
  RP_CRM_KIND_CONTACT = 0,
  RP_CRM_KIND_LEAD    = 1,
} RpCrmKind;

/**
 * RpCrmLeadStatus:
 *
 * The status of a lead; contacts keep whatever status they had as a lead.
 *
 * PERSISTED: stored in crm_record.status; never renumber.
 */
typedef enum
{
  RP_CRM_LEAD_NEW       = 0,
  RP_CRM_LEAD_CONTACTED = 1,
  RP_CRM_LEAD_QUALIFIED = 2,
  RP_CRM_LEAD_LOST      = 3,
} RpCrmLeadStatus;

/**
 * RpCrmChange:
 * @RP_CRM_CHANGE_RECORDS: contacts or leads (fields, addresses, kind)
 * @RP_CRM_CHANGE_TASKS: tasks
 * @RP_CRM_CHANGE_EVENTS: events or their links to records
 * @RP_CRM_CHANGE_NOTES: notes
 * @RP_CRM_CHANGE_LINKS: which messages are linked to which records
 *
 * What a commit changed in the CRM, for #RpStore::crm-changed.
 */
typedef enum
{
  RP_CRM_CHANGE_RECORDS = 1 << 0,
  RP_CRM_CHANGE_TASKS   = 1 << 1,
  RP_CRM_CHANGE_EVENTS  = 1 << 2,
  RP_CRM_CHANGE_NOTES   = 1 << 3,
  RP_CRM_CHANGE_LINKS   = 1 << 4,
} RpCrmChange;

#define RP_CRM_CHANGE_ALL (RP_CRM_CHANGE_RECORDS | RP_CRM_CHANGE_TASKS | RP_CRM_CHANGE_EVENTS | \
                           RP_CRM_CHANGE_NOTES | RP_CRM_CHANGE_LINKS)

/* A contact or lead. @emails: the addresses, first = primary; never NULL
 * in returned records (may be empty). Strings other than @name may be
 * NULL. @created and @updated are filled in by the store. */
typedef struct
{
  gint64           id;
  RpCrmKind        kind;
  char            *name;
  GStrv            emails;
  char            *phone;
  char            *company;
  char            *job_title;
  RpCrmLeadStatus  status;
  char            *source;
  char            *owner;
  gint64           created;
  gint64           updated;
} RpCrmRecord;

/* A task. @record_id and @message_id are 0 when there is none. @due is the
 * start of the due day (Unix time, UTC midnight), 0 for no due date.
 * @priority follows iCalendar: 0 undefined, 1 highest … 9 lowest.
 * @uid is the iCalendar UID (filled in by the store when NULL). */
typedef struct
{
  gint64    id;
  gint64    record_id;
  gint64    message_id;
  char     *title;
  gint64    due;
  int       priority;
  gboolean  done;
  char     *uid;
} RpCrmTask;

/* A calendar event. @attendees: addresses (NULL-terminated, may be NULL
 * on input). @uid: the iCalendar UID, filled in by the store when NULL;
 * @sequence: its SEQUENCE. @partstat: our answer to an invitation
 * ("ACCEPTED", "TENTATIVE", "DECLINED", "NEEDS-ACTION"), or NULL for our
 * own events. @record_ids: the linked records (element-type gint64; NULL
 * on input means none). @message_id: the invitation's message, or 0. */
typedef struct
{
  gint64    id;
  char     *title;
  gint64    start;
  gint64    end;
  char     *location;
  GStrv     attendees;
  char     *uid;
  int       sequence;
  gboolean  cancelled;
  char     *partstat;
  GArray   *record_ids;
  gint64    message_id;
} RpCrmEvent;

/* A note on a record, optionally made from a message (0 = none). */
typedef struct
{
  gint64  id;
  gint64  record_id;
  gint64  message_id;
  char   *text;
  gint64  created;
} RpCrmNote;

/* One message in a record's timeline. @sent: the message is in a folder
 * with the Sent role (computed when read, so moving it changes this);
 * otherwise it counts as received. */
typedef struct
{
  gint64    message_id;
  gint64    date;
  char     *subject;
  char     *folder_name;
  gboolean  sent;
} RpCrmTimelineEntry;

/* An address completion. @kind: an #RpCrmKind for CRM records, -1 for an
 * address collected from mail. @name and @company may be NULL. */
typedef struct
{
  char *address;
  char *name;
  char *company;
  int   kind;
} RpCrmCompletion;

/* Constructors, copies and destructors. _new() returns a zeroed struct
 * (with empty @emails for records); _free() accepts NULL. */
RpCrmRecord        *rp_crm_record_new          (void) G_GNUC_WARN_UNUSED_RESULT;
RpCrmRecord        *rp_crm_record_copy         (const RpCrmRecord        *record) G_GNUC_WARN_UNUSED_RESULT;
void                rp_crm_record_free         (RpCrmRecord              *record);
RpCrmTask          *rp_crm_task_new            (void) G_GNUC_WARN_UNUSED_RESULT;
RpCrmTask          *rp_crm_task_copy           (const RpCrmTask          *task) G_GNUC_WARN_UNUSED_RESULT;
void                rp_crm_task_free           (RpCrmTask                *task);
RpCrmEvent         *rp_crm_event_new           (void) G_GNUC_WARN_UNUSED_RESULT;
RpCrmEvent         *rp_crm_event_copy          (const RpCrmEvent         *event) G_GNUC_WARN_UNUSED_RESULT;
void                rp_crm_event_free          (RpCrmEvent               *event);
RpCrmNote          *rp_crm_note_new            (void) G_GNUC_WARN_UNUSED_RESULT;
RpCrmNote          *rp_crm_note_copy           (const RpCrmNote          *note) G_GNUC_WARN_UNUSED_RESULT;
void                rp_crm_note_free           (RpCrmNote                *note);
RpCrmTimelineEntry *rp_crm_timeline_entry_copy (const RpCrmTimelineEntry *entry) G_GNUC_WARN_UNUSED_RESULT;
void                rp_crm_timeline_entry_free (RpCrmTimelineEntry       *entry);
RpCrmCompletion    *rp_crm_completion_copy     (const RpCrmCompletion    *completion) G_GNUC_WARN_UNUSED_RESULT;
void                rp_crm_completion_free     (RpCrmCompletion          *completion);

/* "contact"/"lead" and "new"/"contacted"/"qualified"/"lost" (for files
 * and the CLI; never translated), and back: FALSE for an unknown word. */
const char *rp_crm_kind_to_string          (RpCrmKind         kind);
gboolean    rp_crm_kind_from_string        (const char       *text,
                                            RpCrmKind        *kind);
const char *rp_crm_lead_status_to_string   (RpCrmLeadStatus   status);
gboolean    rp_crm_lead_status_from_string (const char       *text,
                                            RpCrmLeadStatus  *status);
/* Translated, for the UI ("Contact", "Qualified", …). */
const char *rp_crm_kind_get_display_name        (RpCrmKind        kind);
const char *rp_crm_lead_status_get_display_name (RpCrmLeadStatus  status);

/* Records */

/* Adds @record (its id, created and updated are set on success) and links
 * every stored message with one of its addresses in From, To or Cc — in
 * the same transaction. An address that already belongs to another record
 * is an RP_ERROR_INVALID_ARGUMENT. Returns the new id, or 0 with @error. */
gint64       rp_crm_add_record                (RpStore            *store,
                                               RpCrmRecord        *record,
                                               GError            **error);
/* Rewrites the record with @record->id: fields and addresses (addresses
 * removed lose their message links, new ones are back-filled). */
gboolean     rp_crm_update_record             (RpStore            *store,
                                               const RpCrmRecord  *record,
                                               GError            **error);
/* Deletes a record with its addresses, message links, tasks and notes;
 * events stay in the calendar, unlinked from it. */
gboolean     rp_crm_delete_record             (RpStore            *store,
                                               gint64              record_id,
                                               GError            **error);
/* Adds an address to a record and back-fills its message links. Adding
 * an address the record already has is not an error. */
gboolean     rp_crm_add_address               (RpStore            *store,
                                               gint64              record_id,
                                               const char         *address,
                                               GError            **error);
/* Turns a lead into a contact; links, tasks, notes, events, status and
 * created time stay. Converting a contact is an RP_ERROR_INVALID_ARGUMENT. */
gboolean     rp_crm_convert_lead              (RpStore            *store,
                                               gint64              record_id,
                                               GError            **error);
/* Returns NULL with RP_ERROR_INVALID_ARGUMENT for an unknown id. */
RpCrmRecord *rp_crm_get_record                (RpStore            *store,
                                               gint64              record_id,
                                               GError            **error) G_GNUC_WARN_UNUSED_RESULT;
/* The record with @address, or NULL — without an error — when the
 * address is unknown (check @error to tell a failure apart). */
RpCrmRecord *rp_crm_find_record_by_address    (RpStore            *store,
                                               const char         *address,
                                               GError            **error) G_GNUC_WARN_UNUSED_RESULT;
/* The same, only the id: 0 when unknown (or on error, with @error set).
 * One indexed lookup. */
gint64       rp_crm_find_record_id_by_address (RpStore            *store,
                                               const char         *address,
                                               GError            **error);
gboolean     rp_crm_is_known_address          (RpStore            *store,
                                               const char         *address,
                                               GError            **error);
/* Records of @kind (an #RpCrmKind, or -1 for all) whose name, company or
 * an address contains @search (case-insensitive; NULL or "" for all),
 * sorted by name. (element-type RpCrmRecord) */
GPtrArray   *rp_crm_list_records              (RpStore            *store,
                                               int                 kind,
                                               const char         *search,
                                               GError            **error) G_GNUC_WARN_UNUSED_RESULT;
/* The records a message is linked to, in id order. (element-type gint64) */
GArray      *rp_crm_get_message_records       (RpStore            *store,
                                               gint64              message_id,
                                               GError            **error) G_GNUC_WARN_UNUSED_RESULT;

/* Mail */

/* The messages linked to a record, newest first, at most @limit of them
 * (0: all). (element-type RpCrmTimelineEntry) */
GPtrArray   *rp_crm_get_timeline              (RpStore            *store,
                                               gint64              record_id,
                                               guint               limit,
                                               GError            **error) G_GNUC_WARN_UNUSED_RESULT;
/* Links a message to a record by hand (linking twice is not an error). */
gboolean     rp_crm_link_message              (RpStore            *store,
                                               gint64              message_id,
                                               gint64              record_id,
                                               GError            **error);

/* Tasks */

/* Adds @task (its id, and its uid when NULL, are set). Returns the id, or
 * 0 with @error set. */
gint64       rp_crm_add_task                  (RpStore            *store,
                                               RpCrmTask          *task,
                                               GError            **error);
gboolean     rp_crm_update_task               (RpStore            *store,
                                               const RpCrmTask    *task,
                                               GError            **error);
gboolean     rp_crm_delete_task               (RpStore            *store,
                                               gint64              task_id,
                                               GError            **error);
/* Tasks of @record_id (0: of all records, and those of none), sorted by
 * due date (none last), then priority, then id; @open_only leaves out done
 * ones. (element-type RpCrmTask) */
GPtrArray   *rp_crm_list_tasks                (RpStore            *store,
                                               gint64              record_id,
                                               gboolean            open_only,
                                               GError            **error) G_GNUC_WARN_UNUSED_RESULT;

/* Notes */

/* Adds @note (its id, and created when 0, are set); returns the id. */
gint64       rp_crm_add_note                  (RpStore            *store,
                                               RpCrmNote          *note,
                                               GError            **error);
gboolean     rp_crm_delete_note               (RpStore            *store,
                                               gint64              note_id,
                                               GError            **error);
/* The notes of a record (0: all), newest first, at most @limit (0: all).
 * (element-type RpCrmNote) */
GPtrArray   *rp_crm_list_notes                (RpStore            *store,
                                               gint64              record_id,
                                               guint               limit,
                                               GError            **error) G_GNUC_WARN_UNUSED_RESULT;

/* Events */

/* Inserts @event, or updates the event with the same uid (all fields,
 * record links replaced by @event->record_ids when that is not NULL).
 * Sets @event->id (and uid when NULL); returns the id or 0 with @error. */
gint64       rp_crm_save_event                (RpStore            *store,
                                               RpCrmEvent         *event,
                                               GError            **error);
gboolean     rp_crm_delete_event              (RpStore            *store,
                                               gint64              event_id,
                                               GError            **error);
/* NULL without an error when no event has @uid. */
RpCrmEvent  *rp_crm_find_event_by_uid         (RpStore            *store,
                                               const char         *uid,
                                               GError            **error) G_GNUC_WARN_UNUSED_RESULT;
/* Events linked to @record_id (0: all events) that end at or after @from
 * (0: all), by start time. Cancelled events are included (check the
 * field). (element-type RpCrmEvent) */
GPtrArray   *rp_crm_list_events               (RpStore            *store,
                                               gint64              record_id,
                                               gint64              from,
                                               GError            **error) G_GNUC_WARN_UNUSED_RESULT;

/* Completion */

/* Completions for what the user typed in an address field: CRM records
 * whose name (any word), company or address starts with @prefix first,
 * then addresses collected from mail that are not CRM addresses; each
 * group ranked by how recently and how often the address was used (mail
 * the user sent weighs three times; the weight of a use halves every 90
 * days), addresses never used last, by address. Case-insensitive; at most
 * @limit. A few milliseconds at most, whatever the number of matches.
 * (element-type RpCrmCompletion) */
GPtrArray   *rp_crm_complete                  (RpStore            *store,
                                               const char         *prefix,
                                               guint               limit,
                                               GError            **error) G_GNUC_WARN_UNUSED_RESULT;

/* Import and export */

/* Writes every record as vCard 4.0 (RFC 6350) to @path. */
gboolean     rp_crm_export_vcard              (RpStore            *store,
                                               const char         *path,
                                               GError            **error);
/* Reads vCards (3.0 or 4.0) from @path: a card whose address belongs to
 * a record updates that record, other cards become new records (kind from
 * X-RAPPORT-KIND, contact by default). Sets @n_imported (nullable) to the
 * number of cards read. */
gboolean     rp_crm_import_vcard              (RpStore            *store,
                                               const char         *path,
                                               guint              *n_imported,
                                               GError            **error);
/* Writes every event (VEVENT) and task (VTODO) as one iCalendar file. */
gboolean     rp_crm_export_ical               (RpStore            *store,
                                               const char         *path,
                                               GError            **error);
/* Reads VEVENTs and VTODOs from @path; an event or task whose UID is
 * known is updated. Attendees and the organiser link events to records
 * with those addresses; X-RAPPORT-RECORD (an address) links tasks. */
gboolean     rp_crm_import_ical               (RpStore            *store,
                                               const char         *path,
                                               guint              *n_imported,
                                               GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpCrmRecord, rp_crm_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpCrmTask, rp_crm_task_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpCrmEvent, rp_crm_event_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpCrmNote, rp_crm_note_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpCrmTimelineEntry, rp_crm_timeline_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpCrmCompletion, rp_crm_completion_free)

G_END_DECLS
