/* send-fixture.h: what the sending tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "rp-core.h"
#include "rp-composer.h"
#include "rp-outbox.h"
#include "rp-test-ca.h"
#include "rp-test-dovecot.h"
#include "rp-test-smtpd.h"
#include "rp-test-util.h"

G_BEGIN_DECLS

#define DELIVERY_TIMEOUT_MS 20000

/* One Postfix and one Dovecot for the whole test program. */
extern RpTestCa *ca;
extern RpTestDovecot *dovecot;
extern RpTestSmtpd *smtpd;

/* Each test: a fresh store (in the test's own XDG folders) with the
 * account "work" of a new Dovecot user, sending through Postfix's
 * submission port (STARTTLS, AUTH), its passwords in the file backend. */
typedef struct
{
  RpStore   *store;
  RpSecrets *secrets;
  RpAccount *account;
  char      *user;
  char      *address;
} Fixture;

void           send_fixture_start_servers (void);
void           send_fixture_stop_servers  (void);
void           fixture_setup              (Fixture             *f,
                                           gconstpointer        data);
void           fixture_teardown           (Fixture             *f,
                                           gconstpointer        data);

/* A new Dovecot user (a valid recipient); the password is NAME-secret. */
char          *new_user                   (const char          *prefix) G_GNUC_WARN_UNUSED_RESULT;
char          *address_of                 (const char          *user) G_GNUC_WARN_UNUSED_RESULT;
void           store_password             (Fixture             *f,
                                           const char          *service,
                                           const RpIdentity    *identity,
                                           const char          *password);
void           save                       (Fixture             *f);
guint          count_folder               (Fixture             *f,
                                           RpFolderRole         role);
guint          count_outbox_rows          (Fixture             *f);
/* One integer from the database, read the way another program would. */
gint64         query_int                  (Fixture             *f,
                                           const char          *sql);
void           exec_sql                   (Fixture             *f,
                                           const char          *sql);
/* The messages in @user's maildir, with CRLF line ends as POP3 serves them. */
GPtrArray     *read_maildir               (const char          *user) G_GNUC_WARN_UNUSED_RESULT;
/* Waits for @count deliveries to @user, then a little longer to make sure
 * no further copy arrives; asserts there are exactly @count. */
GPtrArray     *expect_deliveries          (const char          *user,
                                           guint                count) G_GNUC_WARN_UNUSED_RESULT;
/* Whether the header block of @message has a line starting with @name. */
gboolean       has_header                 (const char          *message,
                                           const char          *name);
RpDraft       *make_draft                 (const char          *from,
                                           const char          *to,
                                           const char          *subject,
                                           const char          *body) G_GNUC_WARN_UNUSED_RESULT;
gint64         queue                      (Fixture             *f,
                                           const RpDraft       *draft,
                                           const char          *identity_address);
RpOutboxEntry *get_entry                  (Fixture             *f,
                                           gint64               id) G_GNUC_WARN_UNUSED_RESULT;
/* Runs rapport-cli with this test's folders; returns its exit status. */
int            run_cli                    (const char * const  *args,
                                           char               **out,
                                           char               **err);
JsonArray     *cli_outbox_json            (JsonNode           **root);

G_END_DECLS
