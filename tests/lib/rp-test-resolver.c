/* rp-test-resolver.c: a GResolver for tests that answers from a table
 *
 * Every lookup is answered at once from the tables, synchronously or
 * through a GTask for the async variants, so that discovery against test
 * host names ("pop.example.test") reaches the servers on loopback, and SRV
 * and MX answers are whatever the test says.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport-test-resolver"

#include "config.h"

#include "rp-test-resolver.h"

struct _RpTestResolver
{
  GResolver   parent_instance;

  GMutex      mutex;
  GHashTable *hosts;    /* lower-case name → GPtrArray of address strings */
  GHashTable *srv;      /* lower-case rrname → GPtrArray of GVariant (qqqs) */
  GHashTable *mx;       /* lower-case domain → GPtrArray of GVariant (qs) */
  GHashTable *counts;   /* lower-case name → number of lookups */
  GResolver  *previous;
};

G_DEFINE_FINAL_TYPE (RpTestResolver, rp_test_resolver, G_TYPE_RESOLVER)

/* Auxiliary methods */

static GPtrArray *
table_get (GHashTable     *table,
           const char     *key,
           GDestroyNotify  free_func)
{
  g_autofree char *lower = g_ascii_strdown (key, -1);
  GPtrArray *values = g_hash_table_lookup (table, lower);

  if (values == NULL)
    {
      values = g_ptr_array_new_with_free_func (free_func);
      g_hash_table_insert (table, g_steal_pointer (&lower), values);
    }

  return values;
}

/* Counts the lookup and returns the lower-case name without a trailing
 * dot. Call with the mutex held. */
static char *
count_lookup (RpTestResolver *self,
              const char     *name)
{
  char *lower = g_ascii_strdown (name, -1);
  gsize length = strlen (lower);
  guint count;

  if (length > 1 && lower[length - 1] == '.')
    lower[length - 1] = '\0';

  count = GPOINTER_TO_UINT (g_hash_table_lookup (self->counts, lower));
  g_hash_table_insert (self->counts, g_strdup (lower), GUINT_TO_POINTER (count + 1));

  return lower;
}

static void
not_found (GError     **error,
           const char  *name)
{
  g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
               "No test entry for “%s”", name);
}

static GList *
lookup_addresses (RpTestResolver            *self,
                  const char                *hostname,
                  GResolverNameLookupFlags   flags,
                  GError                   **error)
{
  g_autofree char *name = NULL;
  GList *result = NULL;
  GPtrArray *addresses;

  g_mutex_lock (&self->mutex);
  name = count_lookup (self, hostname);
  addresses = g_hash_table_lookup (self->hosts, name);

  if (addresses == NULL && g_str_equal (name, "localhost"))
    result = g_list_prepend (result, g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4));

  for (guint i = 0; addresses != NULL && i < addresses->len; i++)
    {
      GInetAddress *address = g_inet_address_new_from_string (g_ptr_array_index (addresses, i));
      GSocketFamily family = g_inet_address_get_family (address);

      if (((flags & G_RESOLVER_NAME_LOOKUP_FLAGS_IPV4_ONLY) && family != G_SOCKET_FAMILY_IPV4) ||
          ((flags & G_RESOLVER_NAME_LOOKUP_FLAGS_IPV6_ONLY) && family != G_SOCKET_FAMILY_IPV6))
        g_object_unref (address);
      else
        result = g_list_append (result, address);
    }
  g_mutex_unlock (&self->mutex);

  if (result == NULL)
    not_found (error, hostname);
  return result;
}

static GList *
lookup_variants (RpTestResolver  *self,
                 const char      *rrname,
                 GResolverRecordType type,
                 GError         **error)
{
  g_autofree char *name = NULL;
  GHashTable *table = NULL;
  GPtrArray *records = NULL;
  GList *result = NULL;

  g_mutex_lock (&self->mutex);
  name = count_lookup (self, rrname);
  if (type == G_RESOLVER_RECORD_SRV)
    table = self->srv;
  else if (type == G_RESOLVER_RECORD_MX)
    table = self->mx;
  if (table != NULL)
    records = g_hash_table_lookup (table, name);
  for (guint i = 0; records != NULL && i < records->len; i++)
    result = g_list_append (result, g_variant_ref (g_ptr_array_index (records, i)));
  g_mutex_unlock (&self->mutex);

  if (result == NULL)
    not_found (error, rrname);
  return result;
}

/* Returns @result (or @error) through a GTask, as an async lookup would. */
static void
return_list (GResolver           *resolver,
             GList               *result,
             GDestroyNotify       free_func,
             GError              *error,
             gpointer             tag,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);

  g_task_set_source_tag (task, tag);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, free_func);
}

static void
free_variants (GList *list)
{
  g_list_free_full (list, (GDestroyNotify) g_variant_unref);
}

static void
free_targets (GList *list)
{
  g_list_free_full (list, (GDestroyNotify) g_srv_target_free);
}

/* GResolver overrides */

static GList *
lookup_by_name_with_flags (GResolver                 *resolver,
                           const char                *hostname,
                           GResolverNameLookupFlags   flags,
                           GCancellable              *cancellable,
                           GError                   **error)
{
  return lookup_addresses (RP_TEST_RESOLVER (resolver), hostname, flags, error);
}

static GList *
lookup_by_name (GResolver     *resolver,
                const char    *hostname,
                GCancellable  *cancellable,
                GError       **error)
{
  return lookup_addresses (RP_TEST_RESOLVER (resolver), hostname,
                           G_RESOLVER_NAME_LOOKUP_FLAGS_DEFAULT, error);
}

static void
lookup_by_name_with_flags_async (GResolver                *resolver,
                                 const char               *hostname,
                                 GResolverNameLookupFlags  flags,
                                 GCancellable             *cancellable,
                                 GAsyncReadyCallback       callback,
                                 gpointer                  user_data)
{
  GError *error = NULL;
  GList *result = lookup_addresses (RP_TEST_RESOLVER (resolver), hostname, flags, &error);

  return_list (resolver, result, (GDestroyNotify) g_resolver_free_addresses, error,
               lookup_by_name_with_flags_async, cancellable, callback, user_data);
}

static void
lookup_by_name_async (GResolver           *resolver,
                      const char          *hostname,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  lookup_by_name_with_flags_async (resolver, hostname, G_RESOLVER_NAME_LOOKUP_FLAGS_DEFAULT,
                                   cancellable, callback, user_data);
}

static GList *
lookup_list_finish (GResolver     *resolver,
                    GAsyncResult  *result,
                    GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static char *
lookup_by_address (GResolver     *resolver,
                   GInetAddress  *address,
                   GCancellable  *cancellable,
                   GError       **error)
{
  if (g_inet_address_get_is_loopback (address))
    return g_strdup ("localhost");

  g_set_error_literal (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                       "No test entry for this address");
  return NULL;
}

static void
lookup_by_address_async (GResolver           *resolver,
                         GInetAddress        *address,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  GError *error = NULL;
  char *name = lookup_by_address (resolver, address, cancellable, &error);

  if (name == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, name, g_free);
}

static char *
lookup_by_address_finish (GResolver     *resolver,
                          GAsyncResult  *result,
                          GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static GList *
lookup_records (GResolver            *resolver,
                const char           *rrname,
                GResolverRecordType   record_type,
                GCancellable         *cancellable,
                GError              **error)
{
  return lookup_variants (RP_TEST_RESOLVER (resolver), rrname, record_type, error);
}

static void
lookup_records_async (GResolver            *resolver,
                      const char           *rrname,
                      GResolverRecordType   record_type,
                      GCancellable         *cancellable,
                      GAsyncReadyCallback   callback,
                      gpointer              user_data)
{
  GError *error = NULL;
  GList *result = lookup_variants (RP_TEST_RESOLVER (resolver), rrname, record_type, &error);

  return_list (resolver, result, (GDestroyNotify) free_variants, error, lookup_records_async,
               cancellable, callback, user_data);
}

/* RFC 2782 ordering, and "." meaning no service, as GLib's own resolver
 * does it. */
static GList *
lookup_service (GResolver     *resolver,
                const char    *rrname,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autolist(GVariant) records = NULL;
  GList *targets = NULL;

  records = lookup_variants (RP_TEST_RESOLVER (resolver), rrname, G_RESOLVER_RECORD_SRV, error);
  for (GList *l = records; l != NULL; l = l->next)
    {
      guint16 priority, weight, port;
      const char *target;

      g_variant_get (l->data, "(qqq&s)", &priority, &weight, &port, &target);
      targets = g_list_prepend (targets, g_srv_target_new (target, port, priority, weight));
    }

  targets = g_srv_target_list_sort (targets);
  if (targets == NULL && records != NULL)
    not_found (error, rrname);
  return targets;
}

static void
lookup_service_async (GResolver           *resolver,
                      const char          *rrname,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GError *error = NULL;
  GList *result = lookup_service (resolver, rrname, cancellable, &error);

  return_list (resolver, result, (GDestroyNotify) free_targets, error, lookup_service_async,
               cancellable, callback, user_data);
}

static void
rp_test_resolver_finalize (GObject *object)
{
  RpTestResolver *self = RP_TEST_RESOLVER (object);

  g_hash_table_unref (self->hosts);
  g_hash_table_unref (self->srv);
  g_hash_table_unref (self->mx);
  g_hash_table_unref (self->counts);
  g_clear_object (&self->previous);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (rp_test_resolver_parent_class)->finalize (object);
}

static void
rp_test_resolver_class_init (RpTestResolverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  object_class->finalize = rp_test_resolver_finalize;

  resolver_class->lookup_by_name = lookup_by_name;
  resolver_class->lookup_by_name_async = lookup_by_name_async;
  resolver_class->lookup_by_name_finish = lookup_list_finish;
  resolver_class->lookup_by_name_with_flags = lookup_by_name_with_flags;
  resolver_class->lookup_by_name_with_flags_async = lookup_by_name_with_flags_async;
  resolver_class->lookup_by_name_with_flags_finish = lookup_list_finish;
  resolver_class->lookup_by_address = lookup_by_address;
  resolver_class->lookup_by_address_async = lookup_by_address_async;
  resolver_class->lookup_by_address_finish = lookup_by_address_finish;
  resolver_class->lookup_service = lookup_service;
  resolver_class->lookup_service_async = lookup_service_async;
  resolver_class->lookup_service_finish = lookup_list_finish;
  resolver_class->lookup_records = lookup_records;
  resolver_class->lookup_records_async = lookup_records_async;
  resolver_class->lookup_records_finish = lookup_list_finish;
}

static void
rp_test_resolver_init (RpTestResolver *self)
{
  g_mutex_init (&self->mutex);
  self->hosts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_ptr_array_unref);
  self->srv = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify) g_ptr_array_unref);
  self->mx = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                    (GDestroyNotify) g_ptr_array_unref);
  self->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* Public API */

RpTestResolver *
rp_test_resolver_new (void)
{
  return g_object_new (RP_TYPE_TEST_RESOLVER, NULL);
}

void
rp_test_resolver_install (RpTestResolver *self)
{
  g_return_if_fail (RP_IS_TEST_RESOLVER (self));
  g_return_if_fail (self->previous == NULL);

  self->previous = g_resolver_get_default ();
  g_resolver_set_default (G_RESOLVER (self));

  /* libsoup asks the desktop's proxy resolver, whose GSettings schemas
   * the isolated test environment lacks (a fatal error there); and test
   * names must never go to a proxy anyway. GIO reads this once, when the
   * proxy resolver is first used. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
}

void
rp_test_resolver_uninstall (RpTestResolver *self)
{
  g_return_if_fail (RP_IS_TEST_RESOLVER (self));
  g_return_if_fail (self->previous != NULL);

  g_resolver_set_default (self->previous);
  g_clear_object (&self->previous);
}

void
rp_test_resolver_add_host (RpTestResolver *self,
                           const char     *name,
                           const char     *address)
{
  g_return_if_fail (RP_IS_TEST_RESOLVER (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (g_hostname_is_ip_address (address));

  g_mutex_lock (&self->mutex);
  g_ptr_array_add (table_get (self->hosts, name, g_free), g_strdup (address));
  g_mutex_unlock (&self->mutex);
}

void
rp_test_resolver_add_srv (RpTestResolver *self,
                          const char     *rrname,
                          const char     *target,
                          guint16         port,
                          guint16         priority,
                          guint16         weight)
{
  g_return_if_fail (RP_IS_TEST_RESOLVER (self));
  g_return_if_fail (rrname != NULL && target != NULL);

  g_mutex_lock (&self->mutex);
  g_ptr_array_add (table_get (self->srv, rrname, (GDestroyNotify) g_variant_unref),
                   g_variant_ref_sink (g_variant_new ("(qqqs)", priority, weight, port, target)));
  g_mutex_unlock (&self->mutex);
}

void
rp_test_resolver_add_mx (RpTestResolver *self,
                         const char     *domain,
                         const char     *exchange,
                         guint16         preference)
{
  g_return_if_fail (RP_IS_TEST_RESOLVER (self));
  g_return_if_fail (domain != NULL && exchange != NULL);

  g_mutex_lock (&self->mutex);
  g_ptr_array_add (table_get (self->mx, domain, (GDestroyNotify) g_variant_unref),
                   g_variant_ref_sink (g_variant_new ("(qs)", preference, exchange)));
  g_mutex_unlock (&self->mutex);
}

void
rp_test_resolver_clear (RpTestResolver *self)
{
  g_return_if_fail (RP_IS_TEST_RESOLVER (self));

  g_mutex_lock (&self->mutex);
  g_hash_table_remove_all (self->hosts);
  g_hash_table_remove_all (self->srv);
  g_hash_table_remove_all (self->mx);
  g_hash_table_remove_all (self->counts);
  g_mutex_unlock (&self->mutex);
}

guint
rp_test_resolver_count_lookups (RpTestResolver *self,
                                const char     *name)
{
  g_autofree char *lower = NULL;
  guint count;

  g_return_val_if_fail (RP_IS_TEST_RESOLVER (self), 0);
  g_return_val_if_fail (name != NULL, 0);

  lower = g_ascii_strdown (name, -1);
  g_mutex_lock (&self->mutex);
  count = GPOINTER_TO_UINT (g_hash_table_lookup (self->counts, lower));
  g_mutex_unlock (&self->mutex);

  return count;
}
