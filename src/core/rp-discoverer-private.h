/* rp-discoverer-private.h: the discovery steps, shared by rp-discoverer*.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rp-autoconfig-private.h"

G_BEGIN_DECLS

/* The standard ports the guessing step probes, in the order of
 * RpDiscoverJob.port_map. */
typedef enum
{
  RP_DISCOVER_PORT_POP3S,       /* 995 */
  RP_DISCOVER_PORT_POP3,        /* 110 */
  RP_DISCOVER_PORT_SUBMISSIONS, /* 465 */
  RP_DISCOVER_PORT_SUBMISSION,  /* 587 */
  RP_DISCOVER_N_PORTS,
} RpDiscoverPort;

/* One discovery, with a snapshot of the discoverer's settings, so that
 * the worker never reads the object while its owner changes it. */
typedef struct
{
  char         *address;
  char         *local_part;
  char         *domain;
  char         *ca_file;
  guint16       https_port;
  guint16       port_map[RP_DISCOVER_N_PORTS];
  guint         total_ms;
  gint64        deadline;        /* monotonic µs: the end of the whole discovery */
} RpDiscoverJob;

/* The guessing step: probes the usual host names on the usual ports in
 * parallel, within @timeout_ms; @cancellable is the step's. Returns NULL
 * without @error set when nothing answered. */
RpAutoconfig *_rp_discoverer_guess_sync (const RpDiscoverJob  *job,
                                         guint                 timeout_ms,
                                         GCancellable         *cancellable,
                                         GError              **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
