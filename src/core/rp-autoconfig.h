/* rp-autoconfig.h: finding an address's POP3 and SMTP servers
 *
 * Discovery asks four sources in order, and the first that answers wins:
 * the provider table shipped in data/providers.json, Thunderbird-style
 * autoconfig XML over HTTPS, RFC 6186 SRV records, and guessing common
 * host names with real connection probes. Each step has its own timeout
 * and the whole stays within the discoverer's total (10 seconds).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rp-account.h"
#include "rp-transport.h"

G_BEGIN_DECLS

/**
 * RpAutoconfigSource:
 * @RP_AUTOCONFIG_SOURCE_NONE: nothing was found; the settings are a guess
 *   without any network check (rp_autoconfig_new_guess())
 * @RP_AUTOCONFIG_SOURCE_PROVIDER: the shipped provider table
 * @RP_AUTOCONFIG_SOURCE_AUTOCONFIG: autoconfig XML over HTTPS
 * @RP_AUTOCONFIG_SOURCE_SRV: RFC 6186 SRV records
 * @RP_AUTOCONFIG_SOURCE_GUESS: host names guessed and confirmed by probes
 *
 * Where a configuration came from.
 */
typedef enum
{
  RP_AUTOCONFIG_SOURCE_NONE,
  RP_AUTOCONFIG_SOURCE_PROVIDER,
  RP_AUTOCONFIG_SOURCE_AUTOCONFIG,
  RP_AUTOCONFIG_SOURCE_SRV,
  RP_AUTOCONFIG_SOURCE_GUESS,
} RpAutoconfigSource;

/**
 * RpAutoconfig:
 *
 * The servers found for one address, as plain data. User names are already
 * resolved for the address (the whole address, or its local part).
 */
typedef struct
{
  RpAutoconfigSource  source;
  char               *provider_id;        /* "gmail", "office365", … or NULL */
  char               *provider_name;      /* "Gmail", or NULL */

  /* NULL only when the provider offers no POP3 at all (iCloud); then
   * @hint says so. */
  char               *pop_host;
  guint16             pop_port;
  RpSecurity          pop_security;
  char               *pop_user;

  char               *smtp_host;
  guint16             smtp_port;
  RpSecurity          smtp_security;
  char               *smtp_user;

  gboolean            offer_recent_mode;  /* Gmail */
  char               *hint;               /* translated note for the user, or NULL */
} RpAutoconfig;

#define RP_TYPE_AUTOCONFIG (rp_autoconfig_get_type ())

GType               rp_autoconfig_get_type         (void) G_GNUC_CONST;
/* The best guess without any network access, for the manual form: the
 * provider table if it knows the domain, else pop./smtp. of the domain. */
RpAutoconfig       *rp_autoconfig_new_guess        (const char               *address) G_GNUC_WARN_UNUSED_RESULT;
RpAutoconfig       *rp_autoconfig_copy             (const RpAutoconfig       *c) G_GNUC_WARN_UNUSED_RESULT;
void                rp_autoconfig_free             (RpAutoconfig             *c);
/* Copies servers, ports, security and user names into @account. */
void                rp_autoconfig_apply            (const RpAutoconfig       *c,
                                                    RpAccount                *account);
const char         *rp_autoconfig_source_to_string (RpAutoconfigSource        source);

/* The provider table: every entry, with "%EMAILADDRESS%"-style user-name
 * templates unresolved, for the table test. */
GPtrArray          *rp_autoconfig_list_providers   (GError                  **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpAutoconfig, rp_autoconfig_free)

/* Discovery */

#define RP_DISCOVERER_DEFAULT_TIMEOUT_MS 10000

#define RP_TYPE_DISCOVERER (rp_discoverer_get_type ())

G_DECLARE_FINAL_TYPE (RpDiscoverer, rp_discoverer, RP, DISCOVERER, GObject)

RpDiscoverer       *rp_discoverer_new              (void) G_GNUC_WARN_UNUSED_RESULT;
/* Tests: trust this CA (PEM) for HTTPS and for the probes. */
void                rp_discoverer_set_ca_file      (RpDiscoverer             *self,
                                                    const char               *ca_file);
/* Tests: fetch autoconfig XML from this port instead of 443. */
void                rp_discoverer_set_https_port   (RpDiscoverer             *self,
                                                    guint16                   port);
/* Tests: the guessing step probes port @actual wherever it means the
 * standard port @standard (995, 110, 465 or 587). The result names
 * @actual, the port that answered, so that an account made from it
 * connects to the test server. */
void                rp_discoverer_map_port         (RpDiscoverer             *self,
                                                    guint16                   standard,
                                                    guint16                   actual);
/* The budget for the whole discovery, in milliseconds (default 10000). */
void                rp_discoverer_set_timeout      (RpDiscoverer             *self,
                                                    guint                     total_ms);

/* Blocks the calling thread for at most the timeout. Fails with
 * RP_ERROR_TIMEOUT (nothing found in time), RP_ERROR_CONNECTION_FAILED
 * (nothing found), RP_ERROR_SERVER_PERMANENT (a known provider without
 * POP3; the message says so), RP_ERROR_INVALID_ARGUMENT (not an address)
 * or RP_ERROR_CANCELLED; the message is translated and says what to do.
 * The async variant runs it in a worker thread. */
RpAutoconfig       *rp_discoverer_discover_sync    (RpDiscoverer             *self,
                                                    const char               *address,
                                                    GCancellable             *cancellable,
                                                    GError                  **error) G_GNUC_WARN_UNUSED_RESULT;
void                rp_discoverer_discover_async   (RpDiscoverer             *self,
                                                    const char               *address,
                                                    GCancellable             *cancellable,
                                                    GAsyncReadyCallback       callback,
                                                    gpointer                  user_data);
RpAutoconfig       *rp_discoverer_discover_finish  (RpDiscoverer             *self,
                                                    GAsyncResult             *result,
                                                    GError                  **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
