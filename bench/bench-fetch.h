/* bench-fetch.h: what bench-fetch.c shares with bench-fetch-peers.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "rp-test-ca.h"
#include "rp-test-dovecot.h"

G_BEGIN_DECLS

#define BENCH_PASSWORD  "bench-password"
/* A poll is short and the machine noisy: each client polls this often and
 * the best time counts. */
#define BENCH_POLL_RUNS 3

typedef struct
{
  double seconds;
  double cpu;              /* the client's own CPU time */
  double poll_seconds;     /* < 0: no poll for this client */
  double network_seconds;  /* Rapport: when the last messages arrived */
} BenchResult;

typedef struct
{
  RpTestCa      *ca;
  RpTestDovecot *server;   /* serves the mailboxes every client fetches */
  RpTestDovecot *sink;     /* fetchmail delivers into this one */
  char          *work_dir;
  char          *ca_copy;  /* the CA, readable by nobody (for getmail) */
  guint16        port;
  char          *cipher;   /* what Dovecot negotiates, "TLSv1.3 TLS_AES_…" */
} Bench;

double bench_now_seconds   (void);
/* getrusage() user + system time for RUSAGE_SELF, _THREAD or _CHILDREN. */
double bench_cpu_seconds   (int          who);
/* Aborts the benchmark when a client did not get every message. */
void   bench_expect_count  (const char  *client,
                            const char  *what,
                            guint        got,
                            guint        expected);
void   bench_write_file    (const char  *path,
                            const char  *contents,
                            int          mode,
                            uid_t        owner);
void   bench_make_dir      (const char  *path,
                            uid_t        owner);

/* fetchmail over LMTP to @bench's sink (@lmtp) or through dovecot-lda. */
void   bench_run_fetchmail (Bench       *bench,
                            guint        n,
                            const char  *user,
                            gboolean     lmtp,
                            BenchResult *result);
void   bench_run_getmail   (Bench       *bench,
                            guint        n,
                            const char  *user,
                            BenchResult *result);

G_END_DECLS
