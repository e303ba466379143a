/* rp-smtp.h: an SMTP submission client (RFC 5321 with STARTTLS, AUTH,
 * PIPELINING, SIZE, 8BITMIME and SMTPUTF8)
 *
 * Every _sync call blocks the calling worker thread and honours the
 * timeout and the cancellable; one RpSmtp is used by one thread at a time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rp-transport.h"

G_BEGIN_DECLS

/**
 * RpSmtpAuthMethod:
 * @RP_SMTP_AUTH_AUTO: the strongest mechanism the server offers (see
 *   rp_smtp_login_sync())
 * @RP_SMTP_AUTH_PLAIN: AUTH PLAIN (RFC 4616)
 * @RP_SMTP_AUTH_LOGIN: AUTH LOGIN (the de-facto standard of old servers)
 * @RP_SMTP_AUTH_CRAM_MD5: AUTH CRAM-MD5 (RFC 2195)
 *
 * PERSISTED: stored with the account; never renumber.
 */
typedef enum
{
  RP_SMTP_AUTH_AUTO     = 0,
  RP_SMTP_AUTH_PLAIN    = 1,
  RP_SMTP_AUTH_LOGIN    = 2,
  RP_SMTP_AUTH_CRAM_MD5 = 3,
} RpSmtpAuthMethod;

/**
 * RpSmtpCapabilities:
 *
 * The EHLO extensions the client understands, as advertised by the server
 * after the last EHLO.
 */
typedef enum /*< flags >*/
{
  RP_SMTP_CAP_NONE                = 0,
  RP_SMTP_CAP_SIZE                = 1 << 0,
  RP_SMTP_CAP_8BITMIME            = 1 << 1,
  RP_SMTP_CAP_PIPELINING          = 1 << 2,
  RP_SMTP_CAP_STARTTLS            = 1 << 3,
  RP_SMTP_CAP_AUTH                = 1 << 4,
  RP_SMTP_CAP_SMTPUTF8            = 1 << 5,
  RP_SMTP_CAP_ENHANCEDSTATUSCODES = 1 << 6,
} RpSmtpCapabilities;

/**
 * RpSmtpAuthMechanisms:
 *
 * The SASL mechanisms the client supports and the server offers.
 */
typedef enum /*< flags >*/
{
  RP_SMTP_AUTH_MECH_NONE     = 0,
  RP_SMTP_AUTH_MECH_PLAIN    = 1 << 0,
  RP_SMTP_AUTH_MECH_LOGIN    = 1 << 1,
  RP_SMTP_AUTH_MECH_CRAM_MD5 = 1 << 2,
} RpSmtpAuthMechanisms;

/**
 * RpSmtpRecipientStatus:
 * @address: the recipient as given to rp_smtp_send_sync()
 * @accepted: whether the server accepted it at RCPT TO
 * @code: the reply code to RCPT TO (250, 450, 550, …)
 * @enhanced_code: (nullable): the enhanced status code ("5.1.1"), if any
 * @text: the reply's text, lines joined with "\n"
 *
 * Owned by its #RpSmtpSendResult; read-only.
 */
typedef struct
{
  char     *address;
  gboolean  accepted;
  guint     code;
  char     *enhanced_code;
  char     *text;
} RpSmtpRecipientStatus;

typedef struct _RpSmtpSendResult RpSmtpSendResult;

#define RP_TYPE_SMTP_SEND_RESULT (rp_smtp_send_result_get_type ())

GType                        rp_smtp_send_result_get_type          (void) G_GNUC_CONST;
RpSmtpSendResult            *rp_smtp_send_result_ref               (RpSmtpSendResult *result);
void                         rp_smtp_send_result_unref             (RpSmtpSendResult *result);
guint                        rp_smtp_send_result_get_n_recipients  (RpSmtpSendResult *result);
const RpSmtpRecipientStatus *rp_smtp_send_result_get_recipient     (RpSmtpSendResult *result,
                                                                    guint             index);
const RpSmtpRecipientStatus *rp_smtp_send_result_lookup            (RpSmtpSendResult *result,
                                                                    const char       *address);
guint                        rp_smtp_send_result_get_n_accepted    (RpSmtpSendResult *result);
guint                        rp_smtp_send_result_get_n_refused     (RpSmtpSendResult *result);
/* The server's reply to the end of the message ("2.0.0 Ok: queued as …"). */
const char                  *rp_smtp_send_result_get_reply         (RpSmtpSendResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpSmtpSendResult, rp_smtp_send_result_unref)

#define RP_TYPE_SMTP (rp_smtp_get_type ())

G_DECLARE_FINAL_TYPE (RpSmtp, rp_smtp, RP, SMTP, GObject)

RpSmtp               *rp_smtp_new                    (const char            *host,
                                                      guint16                port,
                                                      RpSecurity             security) G_GNUC_WARN_UNUSED_RESULT;
const char           *rp_smtp_get_host               (RpSmtp                *self);
guint16               rp_smtp_get_port               (RpSmtp                *self);
RpSecurity            rp_smtp_get_security           (RpSmtp                *self);
RpTransport          *rp_smtp_get_transport          (RpSmtp                *self);

/* Configuration, before connecting. */
void                  rp_smtp_set_ca_file            (RpSmtp                *self,
                                                      const char            *pem_path);
void                  rp_smtp_set_pinned_fingerprint (RpSmtp                *self,
                                                      const char            *sha256);
void                  rp_smtp_set_timeout            (RpSmtp                *self,
                                                      guint                  seconds);
void                  rp_smtp_set_trace_enabled      (RpSmtp                *self,
                                                      gboolean               enabled);
void                  rp_smtp_set_ehlo_name          (RpSmtp                *self,
                                                      const char            *name);
const char           *rp_smtp_get_ehlo_name          (RpSmtp                *self);

/* What the server advertised after the last EHLO. */
RpSmtpCapabilities    rp_smtp_get_capabilities       (RpSmtp                *self);
RpSmtpAuthMechanisms  rp_smtp_get_auth_mechanisms    (RpSmtp                *self);
guint64               rp_smtp_get_size_limit         (RpSmtp                *self);
/* The last reply, for a "details" view: "550 5.1.1 <x@y>: …". */
char                 *rp_smtp_dup_last_reply         (RpSmtp                *self) G_GNUC_WARN_UNUSED_RESULT;

gboolean              rp_smtp_connect_sync           (RpSmtp                *self,
                                                      GCancellable          *cancellable,
                                                      GError               **error);
gboolean              rp_smtp_login_sync             (RpSmtp                *self,
                                                      const char            *user,
                                                      const char            *password,
                                                      RpSmtpAuthMethod       method,
                                                      GCancellable          *cancellable,
                                                      GError               **error);
gboolean              rp_smtp_send_sync              (RpSmtp                *self,
                                                      const char            *from,
                                                      const char * const    *recipients,
                                                      GBytes                *message,
                                                      RpSmtpSendResult     **result,
                                                      GCancellable          *cancellable,
                                                      GError               **error);
gboolean              rp_smtp_quit_sync              (RpSmtp                *self,
                                                      GCancellable          *cancellable,
                                                      GError               **error);

G_END_DECLS
