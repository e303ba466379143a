/* rp-test-peer.h: a small scripted, hostile peer for what real servers
 * will not do on purpose: dropped connections, malformed and oversized
 * replies, replies split at every byte, plaintext injected after STLS,
 * a server that stops answering.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "rp-test-ca.h"

G_BEGIN_DECLS

typedef struct _RpTestPeer RpTestPeer;

/* Listens on a free loopback port; serves one connection per
 * rp_test_peer_run() script, in its own thread. */
RpTestPeer *rp_test_peer_new        (void);
void        rp_test_peer_free       (RpTestPeer *peer);
guint16     rp_test_peer_get_port   (RpTestPeer *peer);

/* A script is a list of steps, one per line:
 *   SEND <text>          send text + CRLF (escapes: \r \n \0 \\ \xHH)
 *   SEND_RAW <text>      send text without CRLF (same escapes)
 *   SEND_BYTEWISE <text> send text + CRLF one byte per write, with a flush
 *                        and a 1 ms pause between bytes
 *   SEND_FILE <path>     send a file's bytes as they are
 *   EXPECT <prefix>      read a line; the step fails unless it starts with prefix
 *   RECV                 read and ignore a line
 *   STARTTLS <cert-kind> start TLS as server with that RpTestCertKind (number)
 *   SLEEP <ms>
 *   HANG                 stop answering until the client goes away
 *   CLOSE                close the connection
 * The script runs in a thread when a client connects. */
void        rp_test_peer_run        (RpTestPeer  *peer,
                                     RpTestCa    *ca,
                                     const char  *script);
/* Waits for the script to end; returns FALSE and sets @error_out to a
 * description if a step failed (for example, an EXPECT did not match). */
gboolean    rp_test_peer_wait       (RpTestPeer  *peer,
                                     char       **error_out);
/* Everything the client sent, in order. */
char       *rp_test_peer_dup_received (RpTestPeer *peer) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpTestPeer, rp_test_peer_free)

G_END_DECLS
