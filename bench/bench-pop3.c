/* bench-pop3.c: fetching N messages with RpPop3 against the raw TLS
 * transfer of the same number of bytes
 *
 *   bench-pop3 [N …]   (default 1000 10000)
 *
 * For each N, generates N deterministic messages (a median around 8 KB,
 * about one in a hundred between 100 KB and 2 MB) into the maildir of a
 * real Dovecot (tests/lib), then measures, best of five runs:
 *
 *   POP3: connect with implicit TLS to Dovecot, log in, UIDL, RETR
 *         everything pipelined, QUIT; each message is only counted.
 *   mem:  the same session against a minimal POP3 responder thread that
 *         serves the same messages from memory, already in wire form.
 *   raw:  a TLS server thread on loopback writes the same number of bytes
 *         and a plain OpenSSL client reads them; the same OpenSSL, the
 *         same defaults, so the same protocol and cipher.
 *
 * POP3/raw is what a user sees, Dovecot's own work (reading files, LF to
 * CRLF, dot-stuffing, its TLS proxy in pop3-login) included. mem/raw is
 * the price of the protocol and of our client alone over the bare
 * encrypted stream; the target is at most 1.3. One warm-up session per N
 * lets Dovecot build its index first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "rp-core.h"
#include "rp-test-dovecot.h"
#include "rp-test-util.h"

#define PASSWORD   "bench-password"
#define RUNS       5
#define READ_CHUNK (256 * 1024)

static const char *words[] = {
  "angebot", "rechnung", "termin", "projekt", "meeting", "invoice", "contract", "vertrag",
  "bitte", "danke", "regards", "schedule", "proposal", "budget", "kunde", "customer",
  "lieferung", "delivery", "preis", "price", "quarter", "bericht", "report", "team", "woche",
  "week", "update", "status", "review", "feedback", "question", "frage", "antwort", "the",
  "der", "die", "das", "und", "and", "with", "mit", "for", "ist", "is", "we", "wir", "you",
  "please", "send", "documents", "unterlagen", "office", "travel", "order", "software",
};

typedef struct
{
  guint   count;
  guint64 bytes;
} Counter;

/* Auxiliary methods: messages */

static double
gaussian (GRand *rand)
{
  double u = 1.0 - g_rand_double (rand);
  double v = g_rand_double (rand);

  return sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * v);
}

static gsize
pick_size (GRand *rand)
{
  /* About 1 % large mail (scans, decks), the rest log-normal around 8 KB. */
  if (g_rand_int_range (rand, 0, 100) == 0)
    return g_rand_int_range (rand, 100 * 1024, 2 * 1024 * 1024);

  return (gsize) CLAMP (8192.0 * exp (0.8 * gaussian (rand)), 600.0, 90000.0);
}

/* A message as a maildir keeps it: LF line endings. */
static GString *
generate_message (GRand *rand,
                  guint  n)
{
  gsize target = pick_size (rand);
  GString *s = g_string_sized_new (target + 1024);
  gboolean attachment = target > 60000;
  gsize line_start;

  g_string_append_printf (s,
                          "Return-Path: <sender%u@example.test>\n"
                          "Received: from mx.example.test by mail.bench.test; "
                          "Mon, 1 Jan 2024 10:00:00 +0000\n"
                          "From: Sender %u <sender%u@example.test>\n"
                          "To: Bench <bench@bench.test>\n"
                          "Subject: Message %u about %s\n"
                          "Message-ID: <%u.%08x@example.test>\n"
                          "Date: Mon, 1 Jan 2024 10:00:00 +0000\n"
                          "MIME-Version: 1.0\n",
                          n % 3000, n % 3000, n % 3000, n,
                          words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                          n, g_rand_int (rand));

  if (attachment)
    g_string_append (s, "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\n"
                        "Content-Type: text/plain; charset=utf-8\n\n");
  else
    g_string_append (s, "Content-Type: text/plain; charset=utf-8\n\n");

  /* Text, wrapped at about 72 columns; now and then a line with a dot. */
  line_start = s->len;
  while (s->len < (attachment ? target / 20 : target))
    {
      g_string_append (s, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
      if (s->len - line_start > 72)
        {
          g_string_append_c (s, '\n');
          if (g_rand_int_range (rand, 0, 50) == 0)
            g_string_append_c (s, '.');
          line_start = s->len;
        }
      else
        {
          g_string_append_c (s, ' ');
        }
    }
  g_string_append_c (s, '\n');

  if (attachment)
    {
      guint8 raw[57];

      g_string_append (s, "--b\nContent-Type: application/pdf\n"
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
      g_string_append (s, "--b--\n");
    }

  return s;
}

/* Auxiliary methods: POP3 */

/* CPU time (user + system) of the calling thread: the client's own cost,
 * apart from Dovecot's. */
static double
thread_cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_THREAD, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

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

/* Auxiliary methods: TLS servers on loopback */

typedef struct
{
  int      listen_fd;
  guint16  port;
  SSL_CTX *ctx;
} TlsListener;

static void
tls_listener_open (TlsListener *listener,
                   RpTestCa    *ca)
{
  struct sockaddr_in addr = { 0, };
  socklen_t addr_len = sizeof addr;

  listener->ctx = SSL_CTX_new (TLS_server_method ());
  if (SSL_CTX_use_certificate_chain_file (listener->ctx,
                                          rp_test_ca_get_cert_file (ca, RP_TEST_CERT_VALID)) != 1 ||
      SSL_CTX_use_PrivateKey_file (listener->ctx,
                                   rp_test_ca_get_key_file (ca, RP_TEST_CERT_VALID),
                                   SSL_FILETYPE_PEM) != 1)
    g_error ("TLS server: cannot load the certificate");

  listener->listen_fd = socket (AF_INET, SOCK_STREAM, 0);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (bind (listener->listen_fd, (struct sockaddr *) &addr, sizeof addr) != 0 ||
      listen (listener->listen_fd, 1) != 0 ||
      getsockname (listener->listen_fd, (struct sockaddr *) &addr, &addr_len) != 0)
    g_error ("TLS server: %s", g_strerror (errno));
  listener->port = ntohs (addr.sin_port);
}

static void
tls_listener_close (TlsListener *listener)
{
  close (listener->listen_fd);
  SSL_CTX_free (listener->ctx);
}

static SSL *
tls_accept (TlsListener *listener)
{
  int fd = accept (listener->listen_fd, NULL, NULL);
  int one = 1;
  SSL *ssl;

  if (fd < 0)
    g_error ("accept: %s", g_strerror (errno));
  /* Replies go out as soon as they are written, as from a real server. */
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

  ssl = SSL_new (listener->ctx);
  SSL_set_fd (ssl, fd);
  if (SSL_accept (ssl) != 1)
    g_error ("TLS server: handshake failed");

  return ssl;
}

static void
tls_write (SSL        *ssl,
           const void *data,
           gsize       len)
{
  const guint8 *p = data;

  while (len > 0)
    {
      size_t written = 0;

      if (!SSL_write_ex (ssl, p, MIN (len, 64 * 1024), &written))
        g_error ("TLS server: write failed");
      p += written;
      len -= written;
    }
}

static void
tls_finish (SSL *ssl)
{
  int fd = SSL_get_fd (ssl);

  SSL_shutdown (ssl);
  SSL_free (ssl);
  close (fd);
}

/* Auxiliary methods: raw TLS */

typedef struct
{
  TlsListener listener;
  guint64     total;
  GBytes     *chunk;
} RawServer;

static gpointer
raw_server_thread (gpointer data)
{
  RawServer *server = data;
  gsize chunk_len;
  const guint8 *chunk = g_bytes_get_data (server->chunk, &chunk_len);
  guint64 left = server->total;
  SSL *ssl = tls_accept (&server->listener);

  while (left > 0)
    {
      gsize n = MIN (left, chunk_len);

      tls_write (ssl, chunk, n);
      left -= n;
    }
  tls_finish (ssl);

  return NULL;
}

static double
raw_transfer (RpTestCa   *ca,
              GBytes     *chunk,
              guint64     total,
              const char **cipher)
{
  RawServer server = { { -1, 0, NULL }, total, chunk };
  struct sockaddr_in addr = { 0, };
  g_autofree guint8 *buffer = g_malloc (READ_CHUNK);
  SSL_CTX *client_ctx;
  SSL *ssl;
  GThread *thread;
  guint64 received = 0;
  gint64 start;
  int fd;

  tls_listener_open (&server.listener, ca);
  thread = g_thread_new ("raw-tls-server", raw_server_thread, &server);

  client_ctx = SSL_CTX_new (TLS_client_method ());
  SSL_CTX_set_verify (client_ctx, SSL_VERIFY_PEER, NULL);
  if (SSL_CTX_load_verify_locations (client_ctx, rp_test_ca_get_ca_file (ca), NULL) != 1)
    g_error ("raw client: cannot load the CA");

  start = g_get_monotonic_time ();
  fd = socket (AF_INET, SOCK_STREAM, 0);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  addr.sin_port = htons (server.listener.port);
  if (connect (fd, (struct sockaddr *) &addr, sizeof addr) != 0)
    g_error ("raw client: %s", g_strerror (errno));
  ssl = SSL_new (client_ctx);
  SSL_set_fd (ssl, fd);
  SSL_set_tlsext_host_name (ssl, "localhost");
  SSL_set1_host (ssl, "localhost");
  if (SSL_connect (ssl) != 1)
    g_error ("raw client: TLS handshake failed");
  *cipher = SSL_get_cipher_name (ssl);

  for (;;)
    {
      size_t n = 0;

      if (!SSL_read_ex (ssl, buffer, READ_CHUNK, &n))
        break;
      received += n;
    }
  g_thread_join (thread);

  if (received != total)
    g_error ("raw client: %" G_GUINT64_FORMAT " bytes instead of %" G_GUINT64_FORMAT,
             received, total);

  SSL_free (ssl);
  close (fd);
  SSL_CTX_free (client_ctx);
  tls_listener_close (&server.listener);

  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* Auxiliary methods: a minimal POP3 responder
 *
 * Serves the same messages from memory, already in wire form, writing
 * large TLS records as the raw server does. Against it the client is the
 * bottleneck, so the ratio to the raw transfer is the client's own
 * protocol overhead, free of Dovecot's costs. */

typedef struct
{
  TlsListener  listener;
  GPtrArray   *replies;   /* "+OK\r\n" + dot-stuffed CRLF message + ".\r\n" */
  GBytes      *list;      /* the whole LIST reply */
  GBytes      *uidl;      /* the whole UIDL reply */
} Pop3Server;

/* Reads one command line; returns FALSE when the client is gone. */
static gboolean
server_read_line (SSL     *ssl,
                  GString *in,
                  GString *line)
{
  for (;;)
    {
      const char *newline = memchr (in->str, '\n', in->len);
      char buffer[4096];
      size_t n = 0;

      if (newline != NULL)
        {
          gsize len = newline - in->str;

          g_string_assign (line, "");
          g_string_append_len (line, in->str, len > 0 && newline[-1] == '\r' ? len - 1 : len);
          g_string_erase (in, 0, len + 1);
          return TRUE;
        }

      if (!SSL_read_ex (ssl, buffer, sizeof buffer, &n))
        return FALSE;
      g_string_append_len (in, buffer, n);
    }
}

static gpointer
pop3_server_thread (gpointer data)
{
  Pop3Server *server = data;
  SSL *ssl = tls_accept (&server->listener);
  g_autoptr(GString) in = g_string_new (NULL);
  g_autoptr(GString) line = g_string_new (NULL);
  static const char capa[] = "+OK\r\nUSER\r\nUIDL\r\nTOP\r\nPIPELINING\r\nSASL PLAIN\r\n.\r\n";

  tls_write (ssl, "+OK ready\r\n", 11);
  while (server_read_line (ssl, in, line))
    {
      if (g_str_has_prefix (line->str, "RETR "))
        {
          guint msgno = (guint) g_ascii_strtoull (line->str + 5, NULL, 10);
          GBytes *reply = g_ptr_array_index (server->replies, msgno - 1);

          tls_write (ssl, g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
        }
      else if (g_str_equal (line->str, "CAPA"))
        tls_write (ssl, capa, sizeof capa - 1);
      else if (g_str_equal (line->str, "LIST"))
        tls_write (ssl, g_bytes_get_data (server->list, NULL), g_bytes_get_size (server->list));
      else if (g_str_equal (line->str, "UIDL"))
        tls_write (ssl, g_bytes_get_data (server->uidl, NULL), g_bytes_get_size (server->uidl));
      else if (g_str_equal (line->str, "QUIT"))
        {
          tls_write (ssl, "+OK bye\r\n", 9);
          break;
        }
      else
        tls_write (ssl, "+OK\r\n", 5);
    }
  tls_finish (ssl);

  return NULL;
}

/* Turns maildir messages (LF) into the replies a server sends for RETR. */
static void
pop3_server_add_message (Pop3Server *server,
                         GString    *text,
                         GString    *list,
                         GString    *uidl)
{
  GString *reply = g_string_sized_new (text->len + text->len / 30 + 16);
  gsize wire_size;
  gsize pos = 0;

  g_string_append (reply, "+OK\r\n");
  while (pos < text->len)
    {
      const char *newline = memchr (text->str + pos, '\n', text->len - pos);
      gsize len = newline != NULL ? (gsize) (newline - (text->str + pos)) : text->len - pos;

      if (text->str[pos] == '.')
        g_string_append_c (reply, '.');
      g_string_append_len (reply, text->str + pos, len);
      g_string_append (reply, "\r\n");
      pos += len + 1;
    }
  wire_size = reply->len - 5;
  g_string_append (reply, ".\r\n");

  g_ptr_array_add (server->replies, g_string_free_to_bytes (reply));
  g_string_append_printf (list, "%u %" G_GSIZE_FORMAT "\r\n", server->replies->len, wire_size);
  g_string_append_printf (uidl, "%u uid%08u\r\n", server->replies->len, server->replies->len);
}

/* Writes N messages into the maildir and, in wire form, into @server. */
static void
fill_messages (RpTestDovecot *dovecot,
               const char    *user,
               guint          n,
               Pop3Server    *server)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42 + n);
  g_autoptr(GString) list = g_string_new ("+OK\r\n");
  g_autoptr(GString) uidl = g_string_new ("+OK\r\n");

  for (guint i = 1; i <= n; i++)
    {
      g_autoptr(GString) text = generate_message (rand, i);

      g_free (rp_test_dovecot_deliver (dovecot, user, text->str, text->len));
      pop3_server_add_message (server, text, list, uidl);
    }

  g_string_append (list, ".\r\n");
  g_string_append (uidl, ".\r\n");
  server->list = g_string_free_to_bytes (g_steal_pointer (&list));
  server->uidl = g_string_free_to_bytes (g_steal_pointer (&uidl));
}

/* Auxiliary methods: both POP3 fetches */

static double
fetch_from (guint16     port,
            RpTestCa   *ca,
            const char *user,
            guint       expected,
            guint64    *bytes,
            double     *cpu)
{
  g_autoptr(RpPop3) pop3 = rp_pop3_new ("localhost", port, RP_SECURITY_TLS);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) infos = NULL;
  g_autofree guint *msgnos = NULL;
  Counter counter = { 0, };
  gint64 start = g_get_monotonic_time ();
  double cpu_start = thread_cpu_seconds ();

  rp_pop3_set_ca_file (pop3, rp_test_ca_get_ca_file (ca));
  if (!rp_pop3_connect_sync (pop3, NULL, &error) ||
      !rp_pop3_login_sync (pop3, user, PASSWORD, RP_POP3_AUTH_AUTO, NULL, &error) ||
      (infos = rp_pop3_uidl_sync (pop3, NULL, &error)) == NULL)
    g_error ("POP3: %s", error->message);

  msgnos = g_new (guint, MAX (infos->len, 1));
  for (guint i = 0; i < infos->len; i++)
    msgnos[i] = g_array_index (infos, RpPop3MessageInfo, i).msgno;

  if (!rp_pop3_retr_many_sync (pop3, msgnos, infos->len, count_message, &counter, NULL,
                               &error) ||
      !rp_pop3_quit_sync (pop3, NULL, &error))
    g_error ("POP3: %s", error->message);

  if (counter.count != expected)
    g_error ("POP3: %u messages instead of %u", counter.count, expected);

  *bytes = counter.bytes;
  *cpu = thread_cpu_seconds () - cpu_start;
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static double
pop3_server_fetch (Pop3Server *server,
                   RpTestCa   *ca,
                   guint64    *bytes,
                   double     *cpu)
{
  GThread *thread;
  double seconds;

  tls_listener_open (&server->listener, ca);
  thread = g_thread_new ("pop3-server", pop3_server_thread, server);
  seconds = fetch_from (server->listener.port, ca, "bench", server->replies->len, bytes, cpu);
  g_thread_join (thread);
  tls_listener_close (&server->listener);

  return seconds;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(RpTestCa) ca = NULL;
  g_autoptr(RpTestDovecot) dovecot = NULL;
  g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GString) table = g_string_new (NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GString) chunk_text = g_string_new (NULL);
  g_autoptr(GBytes) chunk = NULL;
  const char *cipher = "?";

  for (int i = 1; i < argc; i++)
    {
      guint n = (guint) g_ascii_strtoull (argv[i], NULL, 10);

      if (n == 0)
        {
          g_printerr ("Usage: %s [N …]\n", argv[0]);
          return 2;
        }
      g_array_append_val (sizes, n);
    }
  if (sizes->len == 0)
    {
      guint defaults[] = { 1000, 10000 };

      g_array_append_vals (sizes, defaults, G_N_ELEMENTS (defaults));
    }

  /* The raw server sends real message text, 1 MB at a time. */
  while (chunk_text->len < 1024 * 1024)
    {
      g_autoptr(GString) message = generate_message (rand, chunk_text->len);

      g_string_append_len (chunk_text, message->str, message->len);
    }
  g_string_truncate (chunk_text, 1024 * 1024);
  chunk = g_bytes_new (chunk_text->str, chunk_text->len);

  ca = rp_test_ca_new ();
  dovecot = rp_test_dovecot_new (ca, RP_TEST_CERT_VALID);
  for (guint i = 0; i < sizes->len; i++)
    {
      g_autofree char *user = g_strdup_printf ("bench%u", g_array_index (sizes, guint, i));

      rp_test_dovecot_add_user (dovecot, user, PASSWORD);
    }
  /* Dovecot looks at its users file at most once a second. */
  g_usleep (1100 * G_TIME_SPAN_MILLISECOND);

  g_string_append_printf (table, "%6s %7s | %7s %8s | %7s %8s %6s | %7s %8s %6s %8s\n",
                          "N", "MB", "raw s", "raw MB/s", "POP3 s", "MB/s", "ratio",
                          "mem s", "MB/s", "ratio", "CPU s");

  for (guint i = 0; i < sizes->len; i++)
    {
      guint n = g_array_index (sizes, guint, i);
      g_autofree char *user = g_strdup_printf ("bench%u", n);
      Pop3Server server = { { -1, 0, NULL }, NULL, NULL, NULL };
      double best_pop3 = G_MAXDOUBLE;
      double best_mem = G_MAXDOUBLE;
      double best_raw = G_MAXDOUBLE;
      double best_cpu = G_MAXDOUBLE;
      double cpu = 0;
      guint64 bytes = 0;
      guint64 mem_bytes = 0;
      double mb;
      gint64 start = g_get_monotonic_time ();

      server.replies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      fill_messages (dovecot, user, n, &server);
      g_printerr ("%u messages generated in %.1f s; warming up Dovecot...\n",
                  n, (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
      fetch_from (rp_test_dovecot_get_pop3s_port (dovecot), ca, user, n, &bytes, &cpu);

      for (guint run = 0; run < RUNS; run++)
        {
          double pop3 = fetch_from (rp_test_dovecot_get_pop3s_port (dovecot), ca, user, n,
                                    &bytes, &cpu);
          double mem_cpu = 0;
          double mem = pop3_server_fetch (&server, ca, &mem_bytes, &mem_cpu);
          double raw = raw_transfer (ca, chunk, bytes, &cipher);

          if (mem_bytes != bytes)
            g_error ("the in-memory server sent %" G_GUINT64_FORMAT " bytes, Dovecot %"
                     G_GUINT64_FORMAT, mem_bytes, bytes);
          g_printerr ("  run %u: Dovecot %.3f s (client CPU %.3f s), in-memory server %.3f s "
                      "(client CPU %.3f s), raw %.3f s\n",
                      run + 1, pop3, cpu, mem, mem_cpu, raw);
          best_pop3 = MIN (best_pop3, pop3);
          best_mem = MIN (best_mem, mem);
          best_raw = MIN (best_raw, raw);
          best_cpu = MIN (best_cpu, cpu);
        }

      mb = bytes / (1024.0 * 1024.0);
      g_string_append_printf (table,
                              "%6u %7.1f | %7.3f %8.1f | %7.3f %8.1f %6.2f | %7.3f %8.1f %6.2f "
                              "%8.3f\n",
                              n, mb, best_raw, mb / best_raw,
                              best_pop3, mb / best_pop3, best_pop3 / best_raw,
                              best_mem, mb / best_mem, best_mem / best_raw, best_cpu);

      g_ptr_array_unref (server.replies);
      g_bytes_unref (server.list);
      g_bytes_unref (server.uidl);
    }

  g_print ("%s", table->str);
  g_print ("best of %d runs, TLS 1.3 (%s) on loopback. raw: OpenSSL server thread to OpenSSL\n"
           "client; POP3: RpPop3 from Dovecot 2.3 (UIDL + pipelined RETR); mem: RpPop3 from\n"
           "an in-memory POP3 responder thread; CPU s: the client's own CPU time against\n"
           "Dovecot.\n",
           RUNS, cipher);

  return 0;
}
