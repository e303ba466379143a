/* rp-test-https.h: a real HTTPS server on loopback for autoconfig tests
 *
 * A Python http.server wrapped in TLS, with a certificate for the given
 * host names signed by the test CA. One server plays several sites: the
 * request's Host header chooses the folder the file comes from. Combine it
 * with RpTestResolver mapping those names to 127.0.0.1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "rp-test-ca.h"

G_BEGIN_DECLS

typedef struct _RpTestHttps RpTestHttps;

/* Starts the server on a free loopback port, with a certificate for every
 * name in @hostnames (NULL-terminated) signed by @ca. Waits until it
 * answers; aborts the test if it cannot start. */
RpTestHttps *rp_test_https_new          (RpTestCa            *ca,
                                         const char * const  *hostnames);
void         rp_test_https_free         (RpTestHttps         *https);
guint16      rp_test_https_get_port     (RpTestHttps         *https);
/* Serves @contents for https://@host:PORT@path (any query string). */
void         rp_test_https_add_file     (RpTestHttps         *https,
                                         const char          *host,
                                         const char          *path,
                                         const char          *contents);
/* Answers requests for @path on @host with "302 Found" to @location. */
void         rp_test_https_add_redirect (RpTestHttps         *https,
                                         const char          *host,
                                         const char          *path,
                                         const char          *location);
/* Requests for @path on @host never get an answer. */
void         rp_test_https_add_hang     (RpTestHttps         *https,
                                         const char          *host,
                                         const char          *path);
/* Forgets every file, redirect and hang, and the request log. */
void         rp_test_https_clear        (RpTestHttps         *https);
/* Every request so far, in order, as "HOST PATH?QUERY". */
GPtrArray   *rp_test_https_get_requests (RpTestHttps         *https) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpTestHttps, rp_test_https_free)

G_END_DECLS
