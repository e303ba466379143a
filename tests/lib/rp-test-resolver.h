/* rp-test-resolver.h: a GResolver for tests that answers from a table
 *
 * Install it with rp_test_resolver_install() before anything resolves a
 * name: every GIO name lookup (GSocketClient, libsoup, GResolver calls)
 * then goes through it. Names not in the table fail with
 * G_RESOLVER_ERROR_NOT_FOUND, so that a test never leaks to the real DNS.
 * "localhost" always maps to 127.0.0.1. Thread-safe: tables may change
 * while lookups run in other threads.
 *
 * Example:
 *   g_autoptr(RpTestResolver) resolver = rp_test_resolver_new ();
 *   rp_test_resolver_install (resolver);
 *   rp_test_resolver_add_host (resolver, "pop.example.test", "127.0.0.1");
 *   rp_test_resolver_add_srv (resolver, "_pop3s._tcp.example.test",
 *                             "pop.example.test", 995, 0, 1);
 *   …
 *   rp_test_resolver_uninstall (resolver);
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RP_TYPE_TEST_RESOLVER (rp_test_resolver_get_type ())

G_DECLARE_FINAL_TYPE (RpTestResolver, rp_test_resolver, RP, TEST_RESOLVER, GResolver)

RpTestResolver *rp_test_resolver_new       (void) G_GNUC_WARN_UNUSED_RESULT;
/* Makes @self the default resolver (g_resolver_set_default()), keeping the
 * previous one for rp_test_resolver_uninstall(). Also switches GIO to its
 * dummy proxy resolver (GIO_USE_PROXY_RESOLVER=dummy), so call it before
 * anything makes an HTTP connection. */
void            rp_test_resolver_install   (RpTestResolver *self);
/* Restores the resolver that was the default before install. */
void            rp_test_resolver_uninstall (RpTestResolver *self);
/* Maps @name (case-insensitive) to the IP address @address ("127.0.0.1");
 * several calls for one name give several addresses. */
void            rp_test_resolver_add_host  (RpTestResolver *self,
                                            const char     *name,
                                            const char     *address);
/* Adds an SRV record: @rrname is the full query name
 * ("_submission._tcp.example.test"); @target "." means "no service". */
void            rp_test_resolver_add_srv   (RpTestResolver *self,
                                            const char     *rrname,
                                            const char     *target,
                                            guint16         port,
                                            guint16         priority,
                                            guint16         weight);
/* Adds an MX record for @domain. */
void            rp_test_resolver_add_mx    (RpTestResolver *self,
                                            const char     *domain,
                                            const char     *exchange,
                                            guint16         preference);
/* Forgets every host, SRV and MX entry, and the lookup counts. */
void            rp_test_resolver_clear     (RpTestResolver *self);
/* How many lookups (of any kind) asked for @name so far: lets a test check
 * that a source was, or was not, consulted. */
guint           rp_test_resolver_count_lookups (RpTestResolver *self,
                                                const char     *name);

G_END_DECLS
