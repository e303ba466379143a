/* rp-account.h: an account's settings, identities and state, as plain data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "rp-transport.h"

G_BEGIN_DECLS

/**
 * RpRetention:
 *
 * What happens to messages on the POP3 server. PERSISTED: never renumber.
 */
typedef enum
{
  RP_RETENTION_KEEP               = 0,
  RP_RETENTION_DELETE_AFTER_FETCH = 1,
  RP_RETENTION_DELETE_AFTER_DAYS  = 2,
  RP_RETENTION_DELETE_WHEN_DELETED = 3,
} RpRetention;

/**
 * RpDisabledReason:
 *
 * PERSISTED: never renumber.
 */
typedef enum
{
  RP_DISABLED_NONE       = 0,
  RP_DISABLED_AUTH       = 1,  /* until the password is changed */
  RP_DISABLED_CONNECTION = 2,  /* until the account is edited or re-enabled */
  RP_DISABLED_USER       = 3,
} RpDisabledReason;

/* The failure policy. */
#define RP_ACCOUNT_MAX_AUTH_FAILURES 10
#define RP_ACCOUNT_MAX_CONNECTION_FAILURES 50

typedef struct
{
  gint64      id;
  char       *address;
  char       *display_name;
  gboolean    is_default;
  /* NULL: through the account's SMTP server. */
  char       *smtp_host;
  guint16     smtp_port;
  RpSecurity  smtp_security;
  char       *smtp_user;
  char       *pinned_certificate;
  gboolean    cc_self;
  gboolean    bcc_self;
} RpIdentity;

typedef struct
{
  gint64            id;
  char             *name;
  char             *email;
  char             *display_name;

  char             *pop_host;
  guint16           pop_port;
  RpSecurity        pop_security;
  char             *pop_user;
  int               pop_auth;       /* RpPop3AuthMethod */

  char             *smtp_host;
  guint16           smtp_port;
  RpSecurity        smtp_security;
  char             *smtp_user;

  RpRetention       retention;
  guint             retention_days;
  gboolean          recent_mode;
  /* SHA-256 pins of certificates the user trusted: the POP3 server's,
   * and the SMTP server's. An account without an SMTP pin (from before
   * schema version 5) uses the POP3 pin for an SMTP server on the same
   * host. */
  char             *pinned_certificate;
  char             *smtp_pinned_certificate;
  char             *ca_file;
  guint             poll_minutes;
  guint             batch_size;

  /* State, kept by the fetcher. */
  gboolean          enabled;
  RpDisabledReason  disabled_reason;
  guint             auth_failures;
  guint             connection_failures;
  char             *last_error;
  char             *last_error_code;
  gint64            last_fetch;
  gint64            retry_after;

  GPtrArray        *identities;     /* (element-type RpIdentity) */
} RpAccount;

#define RP_TYPE_ACCOUNT (rp_account_get_type ())

GType        rp_account_get_type              (void) G_GNUC_CONST;
RpAccount   *rp_account_new                   (const char       *name) G_GNUC_WARN_UNUSED_RESULT;
RpAccount   *rp_account_copy                  (const RpAccount  *account) G_GNUC_WARN_UNUSED_RESULT;
void         rp_account_free                  (RpAccount        *account);
RpIdentity  *rp_identity_new                  (const char       *address) G_GNUC_WARN_UNUSED_RESULT;
RpIdentity  *rp_identity_copy                 (const RpIdentity *identity) G_GNUC_WARN_UNUSED_RESULT;
void         rp_identity_free                 (RpIdentity       *identity);
/* The identity for @address (case-insensitive), or NULL. */
RpIdentity  *rp_account_find_identity         (const RpAccount  *account,
                                               const char       *address);
RpIdentity  *rp_account_get_default_identity  (const RpAccount  *account);
/* TRUE if @address is one of the account's identities or its email. */
gboolean     rp_account_is_own_address        (const RpAccount  *account,
                                               const char       *address);
/* The pin for the account's own SMTP server: its SMTP pin, else (for
 * accounts from before there was one) the POP3 pin when both servers are
 * the same host; NULL for none. */
const char  *rp_account_get_smtp_pin          (const RpAccount  *account);
/* The key under which the account's passwords are kept. */
char        *rp_account_dup_secret_key        (const RpAccount  *account,
                                               const RpIdentity *identity) G_GNUC_WARN_UNUSED_RESULT;
const char  *rp_retention_to_string           (RpRetention       retention);
const char  *rp_disabled_reason_to_string     (RpDisabledReason  reason);
/* A translated sentence for the user: why the account is disabled and
 * what to do. */
char        *rp_account_describe_disabled     (const RpAccount  *account) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpAccount, rp_account_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpIdentity, rp_identity_free)

G_END_DECLS
