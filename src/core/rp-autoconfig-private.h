/* rp-autoconfig-private.h: what the discovery sources share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rp-autoconfig.h"

G_BEGIN_DECLS

/* Splits @address into its local part and its lower-case domain; FALSE if
 * it is not a plausible mail address (no "@", spaces, an empty part, a
 * domain without a dot). */
gboolean      _rp_autoconfig_split_address  (const char   *address,
                                             char        **local_part,
                                             char        **domain);
/* Replaces %EMAILADDRESS%, %EMAILLOCALPART% and %EMAILDOMAIN% in @text. */
char         *_rp_autoconfig_expand         (const char   *text,
                                             const char   *address) G_GNUC_WARN_UNUSED_RESULT;
/* The provider table entry for @domain, resolved for @address, or NULL. */
RpAutoconfig *_rp_autoconfig_lookup_domain  (const char   *address,
                                             const char   *domain) G_GNUC_WARN_UNUSED_RESULT;
/* The provider whose mail exchangers look like @exchange (a host name from
 * an MX record), resolved for @address, or NULL. */
RpAutoconfig *_rp_autoconfig_lookup_mx      (const char   *address,
                                             const char   *exchange) G_GNUC_WARN_UNUSED_RESULT;
/* Parses Thunderbird's autoconfig XML (config-v1.1) and picks its POP3 and
 * SMTP servers, resolved for @address. Fails with RP_ERROR_PROTOCOL for
 * malformed XML and RP_ERROR_SERVER_PERMANENT if it offers no POP3 or no
 * SMTP server. */
RpAutoconfig *_rp_autoconfig_parse_xml      (const char   *xml,
                                             gsize         length,
                                             const char   *address,
                                             GError      **error) G_GNUC_WARN_UNUSED_RESULT;
/* "tls", "starttls", "none" (the provider table's words). */
gboolean      _rp_autoconfig_parse_security (const char   *text,
                                             RpSecurity   *security);

G_END_DECLS
