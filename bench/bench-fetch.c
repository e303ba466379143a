/* bench-fetch.c: the first download of a mailbox, Rapport against
 * fetchmail, getmail and the raw TLS transfer of the same bytes
 *
 *   bench-fetch [--no-peers] [N …]   (default 1000 10000)
 *
 * For each N, generates N deterministic messages of realistic sizes (a
 * median around 8 KB, about one in a hundred between 100 KB and 2 MB) into
 * the maildir of a real Dovecot 2.3 (tests/lib), which serves them over
 * POP3 with implicit TLS and the test CA. Then, in one run, side by side on
 * the same mailbox:
 *
 *   raw TLS         an OpenSSL server thread on loopback sends as many
 *                   bytes as the messages have on the wire (CRLF) to an
 *                   OpenSSL client, which only counts them;
 *   RpPop3 alone    not a client but the floor Dovecot sets: one RpPop3
 *                   session (UIDL, pipelined RETR) that only counts the
 *                   messages; Rapport minus this is the store's share;
 *   Rapport         rp_fetcher_fetch_sync() into a fresh store: UIDL,
 *                   pipelined RETR, parse, store, index, fsync per batch;
 *   fetchmail/LMTP  fetchmail --keep with UIDs, delivering over LMTP to a
 *                   second Dovecot (one connection for all messages);
 *   fetchmail/MDA   the same through dovecot-lda, one process per message;
 *   getmail         getmail6's SimplePOP3SSLRetriever into a Maildir.
 *
 * Each client is run again right after its first download, when nothing
 * is new: the no-new-mail poll (best of three). Every client must end up
 * with exactly N messages (counted in its maildir or store) and fetch none
 * in the poll; otherwise the benchmark aborts. One warm-up POP3 session
 * first lets Dovecot build its index, so that nobody pays for it.
 *
 * --no-peers leaves fetchmail and getmail out, to profile Rapport alone
 * (perf record on this binary then sees nothing else).
 *
 * Must run as root (getmail refuses to deliver as root and is run as
 * nobody; Dovecot's mail processes run as nobody too). Timings are wall
 * clock; "client CPU" is the CPU time of the client's own processes
 * (Rapport: this process; the others: the command and its children, such
 * as dovecot-lda), never Dovecot's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport-bench"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <openssl/ssl.h>

#include "rp-core.h"
#include "rp-test-ca.h"
#include "rp-test-dovecot.h"
#include "rp-test-util.h"

#include "bench-fetch.h"

#define IO_CHUNK (64 * 1024)

/* The first download must be this much faster than the faster peer, and
 * at most this much slower than the raw TLS transfer. */
#define TARGET_VS_PEER 3.0
#define TARGET_VS_RAW  1.5

typedef enum
{
  CLIENT_RAW,
  CLIENT_POP3_ONLY,
  CLIENT_RAPPORT,
  CLIENT_FETCHMAIL_LMTP,
  CLIENT_FETCHMAIL_MDA,
  CLIENT_GETMAIL,
  N_CLIENTS,
} Client;

static const char * const client_names[N_CLIENTS] = {
  "raw TLS (OpenSSL, loopback)",
  "(RpPop3 alone, nothing stored)",
  "Rapport (rp_fetcher_fetch_sync)",
  "fetchmail → LMTP",
  "fetchmail → dovecot-lda (MDA)",
  "getmail6 → Maildir",
};

static const char *words[] = {
  "angebot", "rechnung", "termin", "projekt", "meeting", "invoice", "contract", "vertrag",
  "bitte", "danke", "regards", "schedule", "proposal", "budget", "kunde", "customer",
  "lieferung", "delivery", "preis", "price", "quarter", "bericht", "report", "team", "woche",
  "week", "update", "status", "review", "feedback", "question", "frage", "antwort", "the",
  "der", "die", "das", "und", "and", "with", "mit", "for", "ist", "is", "we", "wir", "you",
  "please", "send", "documents", "unterlagen", "office", "travel", "order", "software",
};

static const char *first_names[] = {
  "Anna", "Jörg", "Maria", "Thomas", "Sabine", "Michael", "Julia", "Stefan", "Laura", "Peter",
  "Emma", "Lukas", "Sophie", "Jan", "Lea", "Felix", "Hannah", "Paul", "Mia", "Jonas",
};

static const char *last_names[] = {
  "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
  "Hoffmann", "Smith", "Jones", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Thomas",
};

/* Auxiliary methods: messages */

static double
gaussian (GRand *rand)
{
  double u = 1.0 - g_rand_double (rand);
  double v = g_rand_double (rand);

  return sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * v);
}

static const char *
pick (GRand       *rand,
      const char **list,
      guint        len)
{
  return list[g_rand_int_range (rand, 0, len)];
}

/* Words wrapped near 72 columns up to @until bytes of @s; now and then a
 * line starts with a dot, which POP3 must stuff. */
static void
append_text (GString  *s,
             GRand    *rand,
             gsize     until,
             gboolean  html)
{
  gsize line_start = s->len;

  if (html)
    g_string_append (s, "<p>");
  while (s->len < until)
    {
      g_string_append (s, pick (rand, words, G_N_ELEMENTS (words)));
      if (s->len - line_start <= 72)
        {
          g_string_append_c (s, ' ');
          continue;
        }

      g_string_append_c (s, '\n');
      switch (g_rand_int_range (rand, 0, 40))
        {
        case 0:
          g_string_append (s, html ? "</p>\n<p>" : "\n");
          break;
        case 1:
          g_string_append_c (s, '.');
          break;
        default:
          break;
        }
      line_start = s->len;
    }
  g_string_append (s, html ? "</p>\n" : "\n");
}

/* One message as a maildir keeps it (LF line ends). */
static GString *
generate_message (GRand *rand,
                  guint  n)
{
  gboolean large = g_rand_int_range (rand, 0, 100) == 0;
  gsize target = large
    ? (gsize) g_rand_int_range (rand, 100 * 1024, 2 * 1024 * 1024 + 1)
    : (gsize) CLAMP (8192.0 * exp (0.7 * gaussian (rand)), 900.0, 95000.0);
  gboolean alternative = !large && g_rand_int_range (rand, 0, 10) < 3;
  GString *s = g_string_sized_new (target + 2048);
  const char *first = pick (rand, first_names, G_N_ELEMENTS (first_names));
  const char *last = pick (rand, last_names, G_N_ELEMENTS (last_names));
  guint sender = g_rand_int_range (rand, 0, 3000);
  gint64 date = 1700000000 + (gint64) n * 300 + g_rand_int_range (rand, 0, 300);
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (date);
  g_autofree char *date_text = g_date_time_format (dt, "%a, %d %b %Y %H:%M:%S +0000");

  g_string_append_printf (s,
                          "Return-Path: <p%u@example%u.test>\n"
                          "Received: from mx%u.example.test (mx.example.test [192.0.2.%u])\n"
                          "\tby mail.bench.test with ESMTPS id %08X\n"
                          "\tfor <bench@bench.test>; %s\n"
                          "From: %s %s <p%u@example%u.test>\n"
                          "To: Bench <bench@bench.test>\n"
                          "Subject: %s%s %s, message %u\n"
                          "Date: %s\n"
                          "Message-ID: <%u.%08X@example%u.test>\n"
                          "MIME-Version: 1.0\n",
                          sender, sender % 97, sender % 7, sender % 250, g_rand_int (rand),
                          date_text, first, last, sender, sender % 97,
                          g_rand_int_range (rand, 0, 3) == 0 ? "Re: " : "",
                          pick (rand, words, G_N_ELEMENTS (words)),
                          pick (rand, words, G_N_ELEMENTS (words)), n, date_text, n,
                          g_rand_int (rand), sender % 97);

  if (large)
    {
      guint8 raw[57];

      g_string_append (s, "Content-Type: multipart/mixed; boundary=\"=-b\"\n\n"
                          "--=-b\nContent-Type: text/plain; charset=utf-8\n\n");
      append_text (s, rand, s->len + 2000, FALSE);
      g_string_append (s, "--=-b\nContent-Type: application/pdf; name=\"scan.pdf\"\n"
                          "Content-Disposition: attachment; filename=\"scan.pdf\"\n"
                          "Content-Transfer-Encoding: base64\n\n");
      while (s->len < target)
        {
          g_autofree char *line = NULL;

          for (guint i = 0; i < sizeof raw; i++)
            raw[i] = (guint8) g_rand_int (rand);
          line = g_base64_encode (raw, sizeof raw);
          g_string_append (s, line);
          g_string_append_c (s, '\n');
        }
      g_string_append (s, "--=-b--\n");
    }
  else if (alternative)
    {
      g_string_append (s, "Content-Type: multipart/alternative; boundary=\"=-a\"\n\n"
                          "--=-a\nContent-Type: text/plain; charset=utf-8\n\n");
      append_text (s, rand, s->len + target / 3, FALSE);
      g_string_append (s, "--=-a\nContent-Type: text/html; charset=utf-8\n\n"
                          "<html><body>\n");
      append_text (s, rand, target, TRUE);
      g_string_append (s, "</body></html>\n--=-a--\n");
    }
  else
    {
      g_string_append (s, "Content-Type: text/plain; charset=utf-8\n"
                          "Content-Transfer-Encoding: 8bit\n\n");
      append_text (s, rand, target, FALSE);
    }

  return s;
}

/* Bytes on the wire, as Dovecot serves them: every LF becomes CRLF. */
static guint64
crlf_size (const GString *text)
{
  guint64 size = text->len;

  for (const char *p = text->str; (p = memchr (p, '\n', text->str + text->len - p)) != NULL;
       p++)
    size++;

  return size;
}

/* Shared with bench-fetch-peers.c */

double
bench_now_seconds (void)
{
  return g_get_monotonic_time () / (double) G_USEC_PER_SEC;
}

double
bench_cpu_seconds (int who)
{
  struct rusage usage;

  getrusage (who, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

void
bench_expect_count (const char *client,
                    const char *what,
                    guint       got,
                    guint       expected)
{
  if (got != expected)
    g_error ("%s %s: %u messages instead of %u; the measurement is worthless", client, what,
             got, expected);
}

void
bench_write_file (const char *path,
                  const char *contents,
                  int         mode,
                  uid_t       owner)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, contents, -1, &error))
    g_error ("%s", error->message);
  if (g_chmod (path, mode) != 0 || chown (path, owner, owner) != 0)
    g_error ("%s: %s", path, g_strerror (errno));
}

void
bench_make_dir (const char *path,
                uid_t       owner)
{
  if (g_mkdir_with_parents (path, 0700) != 0 || chown (path, owner, owner) != 0)
    g_error ("%s: %s", path, g_strerror (errno));
}

/* Auxiliary methods: TLS on loopback */

static SSL_CTX *
client_context (RpTestCa *ca)
{
  SSL_CTX *ctx = SSL_CTX_new (TLS_client_method ());

  SSL_CTX_set_verify (ctx, SSL_VERIFY_PEER, NULL);
  if (SSL_CTX_load_verify_locations (ctx, rp_test_ca_get_ca_file (ca), NULL) != 1)
    g_error ("TLS client: cannot load the test CA");

  return ctx;
}

static SSL *
tls_connect (SSL_CTX *ctx,
             guint16  port,
             int     *fd_out)
{
  struct sockaddr_in addr = { 0, };
  int fd = socket (AF_INET, SOCK_STREAM, 0);
  SSL *ssl;

  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  addr.sin_port = htons (port);
  if (connect (fd, (struct sockaddr *) &addr, sizeof addr) != 0)
    g_error ("TLS client: %s", g_strerror (errno));

  ssl = SSL_new (ctx);
  SSL_set_fd (ssl, fd);
  SSL_set_tlsext_host_name (ssl, "localhost");
  SSL_set1_host (ssl, "localhost");
  if (SSL_connect (ssl) != 1)
    g_error ("TLS client: handshake with port %u failed", port);

  *fd_out = fd;
  return ssl;
}

static char *
describe_cipher (SSL *ssl)
{
  return g_strdup_printf ("%s %s", SSL_get_version (ssl), SSL_get_cipher_name (ssl));
}

/* What Dovecot negotiates with OpenSSL's defaults: the raw transfer must
 * use the same, or it measures another cipher. */
static char *
probe_dovecot_cipher (RpTestCa *ca,
                      guint16   port)
{
  SSL_CTX *ctx = client_context (ca);
  int fd = -1;
  SSL *ssl = tls_connect (ctx, port, &fd);
  char *cipher = describe_cipher (ssl);

  SSL_shutdown (ssl);
  SSL_free (ssl);
  close (fd);
  SSL_CTX_free (ctx);

  return cipher;
}

typedef struct
{
  RpTestCa *ca;
  int       listen_fd;
  guint64   total;
  GBytes   *chunk;
} RawServer;

static gpointer
raw_server_thread (gpointer data)
{
  RawServer *server = data;
  SSL_CTX *ctx = SSL_CTX_new (TLS_server_method ());
  gsize chunk_len;
  const guint8 *chunk = g_bytes_get_data (server->chunk, &chunk_len);
  guint64 left = server->total;
  gsize offset = 0;
  SSL *ssl;
  int fd;

  if (SSL_CTX_use_certificate_chain_file (ctx, rp_test_ca_get_cert_file (server->ca,
                                                                        RP_TEST_CERT_VALID)) != 1 ||
      SSL_CTX_use_PrivateKey_file (ctx, rp_test_ca_get_key_file (server->ca, RP_TEST_CERT_VALID),
                                   SSL_FILETYPE_PEM) != 1)
    g_error ("raw TLS server: cannot load the certificate");

  fd = accept (server->listen_fd, NULL, NULL);
  if (fd < 0)
    g_error ("raw TLS server: %s", g_strerror (errno));
  ssl = SSL_new (ctx);
  SSL_set_fd (ssl, fd);
  if (SSL_accept (ssl) != 1)
    g_error ("raw TLS server: handshake failed");

  /* Writes of IO_CHUNK, as a server's output buffer would flush them. */
  while (left > 0)
    {
      size_t n = MIN (left, MIN ((guint64) IO_CHUNK, chunk_len - offset));
      size_t written = 0;

      if (!SSL_write_ex (ssl, chunk + offset, n, &written))
        g_error ("raw TLS server: write failed");
      left -= written;
      offset = (offset + written) % chunk_len;
    }

  SSL_shutdown (ssl);
  SSL_free (ssl);
  close (fd);
  SSL_CTX_free (ctx);
  return NULL;
}

/* Sends @total bytes of message text over TLS on loopback; the client
 * reads them and does nothing else. */
static void
run_raw (Bench       *b,
         GBytes      *chunk,
         guint64      total,
         BenchResult *result)
{
  RawServer server = { b->ca, socket (AF_INET, SOCK_STREAM, 0), total, chunk };
  struct sockaddr_in addr = { 0, };
  socklen_t addr_len = sizeof addr;
  g_autofree guint8 *buffer = g_malloc (IO_CHUNK);
  g_autofree char *cipher = NULL;
  SSL_CTX *ctx = client_context (b->ca);
  guint64 received = 0;
  double start, cpu_start;
  GThread *thread;
  SSL *ssl;
  int fd = -1;

  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (bind (server.listen_fd, (struct sockaddr *) &addr, sizeof addr) != 0 ||
      listen (server.listen_fd, 1) != 0 ||
      getsockname (server.listen_fd, (struct sockaddr *) &addr, &addr_len) != 0)
    g_error ("raw TLS server: %s", g_strerror (errno));
  thread = g_thread_new ("raw-tls-server", raw_server_thread, &server);

  start = bench_now_seconds ();
  cpu_start = bench_cpu_seconds (RUSAGE_THREAD);
  ssl = tls_connect (ctx, ntohs (addr.sin_port), &fd);
  for (;;)
    {
      size_t n = 0;

      if (!SSL_read_ex (ssl, buffer, IO_CHUNK, &n))
        break;
      received += n;
    }
  result->seconds = bench_now_seconds () - start;
  result->cpu = bench_cpu_seconds (RUSAGE_THREAD) - cpu_start;
  result->poll_seconds = -1;

  cipher = describe_cipher (ssl);
  g_thread_join (thread);
  SSL_free (ssl);
  close (fd);
  close (server.listen_fd);
  SSL_CTX_free (ctx);

  if (received != total)
    g_error ("raw TLS: %" G_GUINT64_FORMAT " bytes instead of %" G_GUINT64_FORMAT,
             received, total);
  if (g_strcmp0 (cipher, b->cipher) != 0)
    g_error ("raw TLS negotiated %s but Dovecot %s", cipher, b->cipher);
}

/* Auxiliary methods: POP3 alone */

typedef struct
{
  guint   count;
  guint64 bytes;
} Counter;

static gboolean
count_message (guint     msgno,
               GBytes   *message,
               gpointer  user_data,
               GError  **error)
{
  Counter *counter = user_data;

  counter->count++;
  counter->bytes += g_bytes_get_size (message);
  return TRUE;
}

/* One POP3 session that receives everything and keeps nothing. With
 * @result NULL it is the untimed warm-up that lets Dovecot index the
 * maildir and measure every message before anyone is timed. */
static void
run_pop3_only (Bench       *b,
               const char  *user,
               guint        n,
               guint64      bytes,
               BenchResult *result)
{
  g_autoptr(RpPop3) pop3 = rp_pop3_new ("localhost", b->port, RP_SECURITY_TLS);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) infos = NULL;
  g_autofree guint *msgnos = g_new (guint, n);
  Counter counter = { 0, };
  double start = bench_now_seconds ();
  double cpu_start = bench_cpu_seconds (RUSAGE_SELF);

  rp_pop3_set_ca_file (pop3, rp_test_ca_get_ca_file (b->ca));
  if (!rp_pop3_connect_sync (pop3, NULL, &error) ||
      !rp_pop3_login_sync (pop3, user, BENCH_PASSWORD, RP_POP3_AUTH_AUTO, NULL, &error) ||
      (infos = rp_pop3_uidl_sync (pop3, NULL, &error)) == NULL)
    g_error ("RpPop3: %s", error->message);
  bench_expect_count ("Dovecot", "lists", infos->len, n);

  for (guint i = 0; i < n; i++)
    msgnos[i] = g_array_index (infos, RpPop3MessageInfo, i).msgno;
  if (!rp_pop3_retr_many_sync (pop3, msgnos, n, count_message, &counter, NULL, &error) ||
      !rp_pop3_quit_sync (pop3, NULL, &error))
    g_error ("RpPop3: %s", error->message);
  bench_expect_count ("RpPop3", "received", counter.count, n);
  if (counter.bytes != bytes)
    g_error ("RpPop3 received %" G_GUINT64_FORMAT " bytes instead of %" G_GUINT64_FORMAT,
             counter.bytes, bytes);

  if (result != NULL)
    {
      result->seconds = bench_now_seconds () - start;
      result->cpu = bench_cpu_seconds (RUSAGE_SELF) - cpu_start;
      result->poll_seconds = -1;
    }
}

/* Auxiliary methods: Rapport */

static RpStore *
rapport_setup (Bench      *b,
               guint       n,
               const char *user,
               RpSecrets  *secrets)
{
  g_autofree char *dir = g_strdup_printf ("%s/rapport-%u", b->work_dir, n);
  g_autofree char *path = g_build_filename (dir, "rapport.db", NULL);
  g_autoptr(RpAccount) account = rp_account_new (user);
  g_autofree char *key = NULL;
  g_autoptr(GError) error = NULL;
  RpStore *store;
  RpIdentity *identity;

  bench_make_dir (dir, 0);
  store = rp_store_open_sync (path, NULL, &error);
  if (store == NULL)
    g_error ("Rapport: %s", error->message);

  g_free (account->email);
  account->email = g_strdup_printf ("%s@bench.test", user);
  g_free (account->pop_host);
  account->pop_host = g_strdup ("localhost");
  account->pop_port = b->port;
  account->pop_security = RP_SECURITY_TLS;
  g_free (account->pop_user);
  account->pop_user = g_strdup (user);
  account->ca_file = g_strdup (rp_test_ca_get_ca_file (b->ca));
  account->retention = RP_RETENTION_KEEP;
  identity = rp_identity_new (account->email);
  identity->is_default = TRUE;
  g_ptr_array_add (account->identities, identity);

  key = rp_account_dup_secret_key (account, NULL);
  if (!rp_store_save_account (store, account, &error) ||
      !rp_secrets_store_sync (secrets, "pop3", key, BENCH_PASSWORD, NULL, &error))
    g_error ("Rapport: %s", error->message);

  return store;
}

/* The fetcher reports progress every 32 messages as they arrive and once
 * more after the last batch is committed: the report before that last
 * one tells, within 31 messages, when the network part ended. */
typedef struct
{
  double previous;
  double last;
} ProgressClock;

static void
on_progress (const RpFetchProgress *progress,
             gpointer               user_data)
{
  ProgressClock *clock = user_data;

  clock->previous = clock->last;
  clock->last = bench_now_seconds ();
}

static void
run_rapport (Bench       *b,
             guint        n,
             const char  *user,
             guint64      bytes,
             BenchResult *result)
{
  g_autoptr(RpSecrets) secrets = rp_secrets_new (RP_SECRETS_BACKEND_FILE);
  g_autoptr(RpStore) store = rapport_setup (b, n, user, secrets);
  g_autoptr(RpFetcher) fetcher = rp_fetcher_new (store, secrets);
  g_autoptr(RpFolderInfo) inbox = NULL;
  g_autoptr(GError) error = NULL;
  RpFetchStats stats = { 0, };
  ProgressClock clock = { 0, };
  double start = bench_now_seconds ();
  double cpu_start = bench_cpu_seconds (RUSAGE_SELF);
  gint64 account_id;

  if (!rp_fetcher_fetch_sync (fetcher, user, &stats, on_progress, &clock, NULL, &error))
    g_error ("Rapport: %s", error->message);
  result->seconds = bench_now_seconds () - start;
  result->cpu = bench_cpu_seconds (RUSAGE_SELF) - cpu_start;
  result->network_seconds = clock.previous - start;

  account_id = rp_store_lookup_account (store, user);
  inbox = rp_store_get_folder (store,
                               rp_store_get_special_folder (store, account_id,
                                                            RP_FOLDER_ROLE_INBOX),
                               &error);
  if (inbox == NULL)
    g_error ("Rapport: %s", error->message);
  bench_expect_count ("Rapport", "fetched", stats.new_messages, n);
  bench_expect_count ("Rapport", "has in its inbox", inbox->total, n);
  if (stats.bytes != bytes)
    g_error ("Rapport stored %" G_GUINT64_FORMAT " bytes instead of %" G_GUINT64_FORMAT,
             stats.bytes, bytes);

  result->poll_seconds = G_MAXDOUBLE;
  for (guint run = 0; run < BENCH_POLL_RUNS; run++)
    {
      start = bench_now_seconds ();
      if (!rp_fetcher_fetch_sync (fetcher, user, &stats, NULL, NULL, NULL, &error))
        g_error ("Rapport poll: %s", error->message);
      result->poll_seconds = MIN (result->poll_seconds, bench_now_seconds () - start);
      bench_expect_count ("Rapport poll", "fetched", stats.new_messages, 0);
      bench_expect_count ("Rapport poll", "saw on the server", stats.on_server, n);
    }
}

/* Auxiliary methods: the mailbox */

/* Delivers N messages; returns their size on the wire. */
static guint64
fill_mailbox (Bench      *b,
              const char *user,
              guint       n,
              guint64    *largest)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42 + n);
  guint64 total = 0;

  *largest = 0;
  for (guint i = 1; i <= n; i++)
    {
      g_autoptr(GString) text = generate_message (rand, i);

      g_free (rp_test_dovecot_deliver (b->server, user, text->str, text->len));
      total += crlf_size (text);
      *largest = MAX (*largest, crlf_size (text));
    }

  return total;
}

/* A megabyte of message text for the raw transfer to send over and over. */
static GBytes *
make_chunk (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  GString *text = g_string_new (NULL);

  while (text->len < 1024 * 1024)
    {
      g_autoptr(GString) message = generate_message (rand, text->len);

      g_string_append_len (text, message->str, message->len);
    }
  g_string_truncate (text, 1024 * 1024);

  return g_string_free_to_bytes (text);
}

/* Auxiliary methods: the tables */

static void
print_tables (guint              n,
              guint64            bytes,
              guint64            largest,
              gboolean           peers,
              const BenchResult *results)
{
  double mb = bytes / 1e6;
  double raw = results[CLIENT_RAW].seconds;
  double rapport = results[CLIENT_RAPPORT].seconds;
  double rapport_poll = results[CLIENT_RAPPORT].poll_seconds;
  Client last = peers ? N_CLIENTS : CLIENT_RAPPORT + 1;
  Client faster = CLIENT_FETCHMAIL_LMTP;
  Client faster_poll = CLIENT_FETCHMAIL_LMTP;

  for (Client c = CLIENT_FETCHMAIL_LMTP; c < last; c++)
    {
      if (results[c].seconds < results[faster].seconds)
        faster = c;
      if (results[c].poll_seconds < results[faster_poll].poll_seconds)
        faster_poll = c;
    }

  g_print ("\n### First download, N = %u (%.1f MB on the wire, largest message %.2f MB)\n\n",
           n, mb, largest / 1e6);
  g_print ("| client | seconds | MB/s | × raw TLS | client CPU s |\n");
  g_print ("|---|---:|---:|---:|---:|\n");
  for (Client c = 0; c < last; c++)
    g_print ("| %s | %.3f | %.1f | %.2f | %.3f |\n", client_names[c], results[c].seconds,
             mb / results[c].seconds, results[c].seconds / raw, results[c].cpu);

  g_print ("\n### No-new-mail poll, N = %u already fetched (best of %d)\n\n", n, BENCH_POLL_RUNS);
  g_print ("| client | seconds | × Rapport |\n");
  g_print ("|---|---:|---:|\n");
  for (Client c = CLIENT_RAPPORT; c < last; c++)
    g_print ("| %s | %.3f | %.1f |\n", client_names[c], results[c].poll_seconds,
             results[c].poll_seconds / rapport_poll);

  g_print ("\n");
  if (peers)
    g_print ("Rapport vs the faster peer (%s): %.2f× faster (target ≥ %.1f×: %s)\n",
             client_names[faster], results[faster].seconds / rapport, TARGET_VS_PEER,
             results[faster].seconds / rapport >= TARGET_VS_PEER ? "met" : "MISSED");
  g_print ("Rapport vs raw TLS: %.2f× (target ≤ %.1f×: %s)\n", rapport / raw, TARGET_VS_RAW,
           rapport / raw <= TARGET_VS_RAW ? "met" : "MISSED");
  g_print ("Where Rapport's time goes: the POP3 transfer alone takes %.3f s (Dovecot's floor, "
           "%.2f× raw TLS);\nin Rapport the last messages arrived after ≈ %.3f s, and "
           "committing what was still queued\n(parse, store, index, fsync) took the "
           "remaining %.3f s.\n",
           results[CLIENT_POP3_ONLY].seconds, results[CLIENT_POP3_ONLY].seconds / raw,
           results[CLIENT_RAPPORT].network_seconds,
           rapport - results[CLIENT_RAPPORT].network_seconds);
  if (peers)
    g_print ("Poll: Rapport %.3f s, the faster peer (%s) %.3f s (target: faster than all: "
             "%s)\n",
             rapport_poll, client_names[faster_poll], results[faster_poll].poll_seconds,
             rapport_poll < results[faster_poll].poll_seconds ? "met" : "MISSED");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GBytes) chunk = NULL;
  const char *xdg[] = { "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME" };
  gboolean peers = TRUE;
  Bench b = { 0, };

  setlocale (LC_ALL, "");
  for (int i = 1; i < argc; i++)
    {
      guint n = (guint) g_ascii_strtoull (argv[i], NULL, 10);

      if (g_str_equal (argv[i], "--no-peers"))
        {
          peers = FALSE;
          continue;
        }
      if (n == 0)
        {
          g_printerr ("Usage: %s [--no-peers] [N …]   (default 1000 10000)\n", argv[0]);
          return 2;
        }
      g_array_append_val (sizes, n);
    }
  if (sizes->len == 0)
    {
      guint defaults[] = { 1000, 10000 };

      g_array_append_vals (sizes, defaults, G_N_ELEMENTS (defaults));
    }
  if (peers && geteuid () != 0)
    {
      g_printerr ("%s runs getmail as nobody and must be started as root.\n", argv[0]);
      return 2;
    }

  /* A private home for Rapport, set before GLib first looks at it; the
   * password goes into the file backend, never a desktop keyring. */
  b.work_dir = rp_test_make_tmpdir ("bench-fetch");
  g_chmod (b.work_dir, 0755);
  for (guint i = 0; i < G_N_ELEMENTS (xdg); i++)
    {
      g_autofree char *dir = g_build_filename (b.work_dir, xdg[i], NULL);

      bench_make_dir (dir, 0);
      g_setenv (xdg[i], dir, TRUE);
    }
  g_setenv ("RAPPORT_SECRETS", "file", TRUE);

  b.ca = rp_test_ca_new ();
  b.ca_copy = g_build_filename (b.work_dir, "ca.pem", NULL);
  {
    g_autofree char *pem = NULL;

    if (!g_file_get_contents (rp_test_ca_get_ca_file (b.ca), &pem, NULL, NULL))
      g_error ("cannot read the test CA");
    bench_write_file (b.ca_copy, pem, 0644, 0);
  }
  b.server = rp_test_dovecot_new (b.ca, RP_TEST_CERT_VALID);
  if (peers)
    b.sink = rp_test_dovecot_new (b.ca, RP_TEST_CERT_VALID);
  b.port = rp_test_dovecot_get_pop3s_port (b.server);
  b.cipher = probe_dovecot_cipher (b.ca, b.port);
  chunk = make_chunk ();

  for (guint i = 0; i < sizes->len; i++)
    {
      guint n = g_array_index (sizes, guint, i);
      g_autofree char *user = g_strdup_printf ("bench%u", n);
      BenchResult results[N_CLIENTS] = { { 0, }, };
      guint64 largest = 0;
      guint64 bytes;
      double start = bench_now_seconds ();

      rp_test_dovecot_add_user (b.server, user, BENCH_PASSWORD);
      bytes = fill_mailbox (&b, user, n, &largest);
      g_printerr ("N = %u: %.1f MB generated in %.1f s; warming Dovecot up\n", n, bytes / 1e6,
                  bench_now_seconds () - start);
      run_pop3_only (&b, user, n, bytes, NULL);

      run_raw (&b, chunk, bytes, &results[CLIENT_RAW]);
      g_printerr ("  raw TLS          %8.3f s\n", results[CLIENT_RAW].seconds);
      run_pop3_only (&b, user, n, bytes, &results[CLIENT_POP3_ONLY]);
      g_printerr ("  RpPop3 alone     %8.3f s\n", results[CLIENT_POP3_ONLY].seconds);
      run_rapport (&b, n, user, bytes, &results[CLIENT_RAPPORT]);
      g_printerr ("  Rapport          %8.3f s, poll %.3f s\n", results[CLIENT_RAPPORT].seconds,
                  results[CLIENT_RAPPORT].poll_seconds);
      if (peers)
        {
          bench_run_fetchmail (&b, n, user, TRUE, &results[CLIENT_FETCHMAIL_LMTP]);
          g_printerr ("  fetchmail LMTP   %8.3f s, poll %.3f s\n",
                      results[CLIENT_FETCHMAIL_LMTP].seconds,
                      results[CLIENT_FETCHMAIL_LMTP].poll_seconds);
          bench_run_fetchmail (&b, n, user, FALSE, &results[CLIENT_FETCHMAIL_MDA]);
          g_printerr ("  fetchmail MDA    %8.3f s, poll %.3f s\n",
                      results[CLIENT_FETCHMAIL_MDA].seconds,
                      results[CLIENT_FETCHMAIL_MDA].poll_seconds);
          bench_run_getmail (&b, n, user, &results[CLIENT_GETMAIL]);
          g_printerr ("  getmail          %8.3f s, poll %.3f s\n",
                      results[CLIENT_GETMAIL].seconds, results[CLIENT_GETMAIL].poll_seconds);
        }

      print_tables (n, bytes, largest, peers, results);
    }

  g_print ("\nAll clients fetched over POP3 with implicit TLS (%s) from Dovecot 2.3 on "
           "loopback;\nMB = 10^6 bytes of message text in wire form (CRLF). The raw "
           "transfer used the same\nprotocol and cipher. Each client fetched every message "
           "(counted in its maildir or\nstore) and nothing in its poll.\n", b.cipher);

  rp_test_dovecot_free (b.sink);
  rp_test_dovecot_free (b.server);
  rp_test_ca_free (b.ca);
  rp_test_rm_rf (b.work_dir);
  g_free (b.work_dir);
  g_free (b.ca_copy);
  g_free (b.cipher);

  return 0;
}
