/* rp-crm-sidebar-private.h: what the sidebar loads, and what its tests
 * look at
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rp-crm-sidebar.h"
#include "rp-crm-util.h"

G_BEGIN_DECLS

/* Everything the sidebar shows for one message and one person, loaded in
 * a worker thread and then only read on the main thread. */
typedef struct
{
  gint64          message_id;
  char           *subject;    /* never NULL */
  GPtrArray      *people;     /* (element-type RpAddress) From, To, Cc; own addresses left out */
  guint           person;     /* the index shown in @people */
  RpCrmRecord    *record;     /* NULL: the person is not in the CRM */
  GPtrArray      *timeline;   /* (element-type RpCrmTimelineEntry) or NULL */
  GPtrArray      *tasks;      /* (element-type RpCrmTask) open ones, or NULL */
  GPtrArray      *events;     /* (element-type RpCrmEvent) upcoming, or NULL */
  GPtrArray      *notes;      /* (element-type RpCrmNote) recent, or NULL */
  RpCrmSignature  signature;  /* for an unknown sender: what their signature says */
} RpCrmSidebarData;

/* Loads the data for @message_id, showing @person (an address, or NULL for
 * the first other person of the message). Blocking; any thread. */
RpCrmSidebarData *_rp_crm_sidebar_data_load      (RpStore          *store,
                                                  gint64            message_id,
                                                  const char       *person,
                                                  GCancellable     *cancellable,
                                                  GError          **error)
                                                  G_GNUC_WARN_UNUSED_RESULT;
void              _rp_crm_sidebar_data_free      (RpCrmSidebarData *data);
/* The person shown, or NULL when the message has nobody else. */
const RpAddress  *_rp_crm_sidebar_data_get_person (const RpCrmSidebarData *data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpCrmSidebarData, _rp_crm_sidebar_data_free)

/* For tests. "empty", "unknown", "record" or "form". */
const char       *_rp_crm_sidebar_get_page        (RpCrmSidebar *self);
/* Whether a load is running. */
gboolean          _rp_crm_sidebar_is_loading      (RpCrmSidebar *self);
/* The data shown (NULL on the empty page). */
const RpCrmSidebarData *_rp_crm_sidebar_get_data  (RpCrmSidebar *self);
/* The form shown on the "form" page, or NULL. */
GtkWidget        *_rp_crm_sidebar_get_form        (RpCrmSidebar *self);
GtkListBox       *_rp_crm_sidebar_get_timeline    (RpCrmSidebar *self);
GtkListBox       *_rp_crm_sidebar_get_tasks       (RpCrmSidebar *self);
GtkListBox       *_rp_crm_sidebar_get_events      (RpCrmSidebar *self);
GtkListBox       *_rp_crm_sidebar_get_notes       (RpCrmSidebar *self);
/* How many loads the sidebar started since it was made. */
guint             _rp_crm_sidebar_get_n_loads     (RpCrmSidebar *self);

G_END_DECLS
