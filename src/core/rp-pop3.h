/* rp-pop3.h: a POP3 client (RFC 1939, CAPA and PIPELINING from RFC 2449,
 * STLS from RFC 2595, SASL from RFC 5034, response codes from RFC 3206)
 *
 * Every call blocks the calling worker thread and takes a GCancellable; the
 * timeout set with rp_pop3_set_timeout() applies to each read and write.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rp-transport.h"

G_BEGIN_DECLS

/**
 * RpPop3AuthMethod:
 * @RP_POP3_AUTH_AUTO: the strongest method the server offers (see
 *   rp_pop3_login_sync() for the order)
 * @RP_POP3_AUTH_USER: USER and PASS (RFC 1939)
 * @RP_POP3_AUTH_APOP: APOP, an MD5 digest of the greeting's timestamp and the
 *   password (RFC 1939)
 * @RP_POP3_AUTH_PLAIN: SASL PLAIN with an initial response (RFC 4616, 5034)
 * @RP_POP3_AUTH_LOGIN: SASL LOGIN, user name and password as two challenges
 *
 * PERSISTED: stored in account settings; never renumber.
 */
typedef enum
{
  RP_POP3_AUTH_AUTO  = 0,
  RP_POP3_AUTH_USER  = 1,
  RP_POP3_AUTH_APOP  = 2,
  RP_POP3_AUTH_PLAIN = 3,
  RP_POP3_AUTH_LOGIN = 4,
} RpPop3AuthMethod;

/**
 * RpPop3Capabilities:
 * @RP_POP3_CAPABILITY_NONE: nothing known
 * @RP_POP3_CAPABILITY_CAPA: the server answered CAPA (RFC 2449)
 * @RP_POP3_CAPABILITY_TOP: TOP
 * @RP_POP3_CAPABILITY_USER: USER and PASS
 * @RP_POP3_CAPABILITY_UIDL: UIDL
 * @RP_POP3_CAPABILITY_PIPELINING: commands may be sent without waiting
 * @RP_POP3_CAPABILITY_STLS: STLS (RFC 2595)
 * @RP_POP3_CAPABILITY_RESP_CODES: -ERR replies carry [CODES]
 * @RP_POP3_CAPABILITY_AUTH_RESP_CODE: the [AUTH] code (RFC 3206)
 * @RP_POP3_CAPABILITY_SASL_PLAIN: AUTH PLAIN
 * @RP_POP3_CAPABILITY_SASL_LOGIN: AUTH LOGIN
 * @RP_POP3_CAPABILITY_APOP: the greeting carried an APOP timestamp
 *
 * What the server announced, in the current security state: after STLS the
 * capabilities are read again, as RFC 2595 requires.
 */
typedef enum /*< flags >*/
{
  RP_POP3_CAPABILITY_NONE           = 0,
  RP_POP3_CAPABILITY_CAPA           = 1 << 0,
  RP_POP3_CAPABILITY_TOP            = 1 << 1,
  RP_POP3_CAPABILITY_USER           = 1 << 2,
  RP_POP3_CAPABILITY_UIDL           = 1 << 3,
  RP_POP3_CAPABILITY_PIPELINING     = 1 << 4,
  RP_POP3_CAPABILITY_STLS           = 1 << 5,
  RP_POP3_CAPABILITY_RESP_CODES     = 1 << 6,
  RP_POP3_CAPABILITY_AUTH_RESP_CODE = 1 << 7,
  RP_POP3_CAPABILITY_SASL_PLAIN     = 1 << 8,
  RP_POP3_CAPABILITY_SASL_LOGIN     = 1 << 9,
  RP_POP3_CAPABILITY_APOP           = 1 << 10,
} RpPop3Capabilities;

/**
 * RpPop3MessageInfo:
 * @msgno: the message number in this session, from 1
 * @size: the size in octets the server announced
 * @uid: (nullable): the unique id from UIDL; %NULL from rp_pop3_list_sync()
 *
 * One message of the maildrop. Arrays of these own their @uid strings and
 * free them with the array.
 */
typedef struct
{
  guint    msgno;
  guint64  size;
  char    *uid;
} RpPop3MessageInfo;

/**
 * RpPop3RetrFunc:
 * @msgno: the message number
 * @message: the message bytes, exactly as the server sent them after
 *   dot-unstuffing; the callee may keep a reference
 * @user_data: the data given to rp_pop3_retr_many_sync()
 * @error: return location for a #GError
 *
 * Receives one message of a batch, in the order the numbers were given.
 *
 * Returns: %TRUE to go on; %FALSE with @error set to stop the batch
 */
typedef gboolean (*RpPop3RetrFunc) (guint     msgno,
                                    GBytes   *message,
                                    gpointer  user_data,
                                    GError  **error);

#define RP_TYPE_POP3 (rp_pop3_get_type ())

G_DECLARE_FINAL_TYPE (RpPop3, rp_pop3, RP, POP3, GObject)

RpPop3             *rp_pop3_new                     (const char          *host,
                                                     guint16              port,
                                                     RpSecurity           security) G_GNUC_WARN_UNUSED_RESULT;
const char         *rp_pop3_get_host                (RpPop3              *self);
guint16             rp_pop3_get_port                (RpPop3              *self);
RpSecurity          rp_pop3_get_security            (RpPop3              *self);

void                rp_pop3_set_timeout             (RpPop3              *self,
                                                     guint                seconds);
void                rp_pop3_set_ca_file             (RpPop3              *self,
                                                     const char          *pem_path);
void                rp_pop3_set_pinned_fingerprint  (RpPop3              *self,
                                                     const char          *sha256);
void                rp_pop3_set_trace_enabled       (RpPop3              *self,
                                                     gboolean             enabled);
char               *rp_pop3_dup_trace               (RpPop3              *self) G_GNUC_WARN_UNUSED_RESULT;
RpTransport        *rp_pop3_get_transport           (RpPop3              *self);
RpPop3Capabilities  rp_pop3_get_capabilities        (RpPop3              *self);
RpPop3AuthMethod    rp_pop3_get_auth_method         (RpPop3              *self);
const char         *rp_pop3_get_last_reply          (RpPop3              *self);
gboolean            rp_pop3_is_connected            (RpPop3              *self);

gboolean            rp_pop3_connect_sync            (RpPop3              *self,
                                                     GCancellable        *cancellable,
                                                     GError             **error);
gboolean            rp_pop3_login_sync              (RpPop3              *self,
                                                     const char          *user,
                                                     const char          *password,
                                                     RpPop3AuthMethod     method,
                                                     GCancellable        *cancellable,
                                                     GError             **error);
gboolean            rp_pop3_stat_sync               (RpPop3              *self,
                                                     guint               *count,
                                                     guint64             *size,
                                                     GCancellable        *cancellable,
                                                     GError             **error);
GArray             *rp_pop3_list_sync               (RpPop3              *self,
                                                     GCancellable        *cancellable,
                                                     GError             **error) G_GNUC_WARN_UNUSED_RESULT;
GArray             *rp_pop3_uidl_sync               (RpPop3              *self,
                                                     GCancellable        *cancellable,
                                                     GError             **error) G_GNUC_WARN_UNUSED_RESULT;
GBytes             *rp_pop3_retr_sync               (RpPop3              *self,
                                                     guint                msgno,
                                                     GCancellable        *cancellable,
                                                     GError             **error) G_GNUC_WARN_UNUSED_RESULT;
GBytes             *rp_pop3_top_sync                (RpPop3              *self,
                                                     guint                msgno,
                                                     guint                lines,
                                                     GCancellable        *cancellable,
                                                     GError             **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean            rp_pop3_retr_many_sync          (RpPop3              *self,
                                                     const guint         *msgnos,
                                                     guint                n_msgnos,
                                                     RpPop3RetrFunc       func,
                                                     gpointer             user_data,
                                                     GCancellable        *cancellable,
                                                     GError             **error);
gboolean            rp_pop3_dele_sync               (RpPop3              *self,
                                                     guint                msgno,
                                                     GCancellable        *cancellable,
                                                     GError             **error);
gboolean            rp_pop3_dele_many_sync          (RpPop3              *self,
                                                     const guint         *msgnos,
                                                     guint                n_msgnos,
                                                     GCancellable        *cancellable,
                                                     GError             **error);
gboolean            rp_pop3_rset_sync               (RpPop3              *self,
                                                     GCancellable        *cancellable,
                                                     GError             **error);
gboolean            rp_pop3_noop_sync               (RpPop3              *self,
                                                     GCancellable        *cancellable,
                                                     GError             **error);
gboolean            rp_pop3_quit_sync               (RpPop3              *self,
                                                     GCancellable        *cancellable,
                                                     GError             **error);
void                rp_pop3_close                   (RpPop3              *self);

G_END_DECLS
