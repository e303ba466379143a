/* rp-core.h: the public API of the Rapport engine, for the app and the CLI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rp-account.h"
#include "rp-account-store.h"
#include "rp-account-test.h"
#include "rp-autoconfig.h"
#include "rp-certificate.h"
#include "rp-core-enums.h"
#include "rp-error.h"
#include "rp-fetcher.h"
#include "rp-filter.h"
#include "rp-folder-model.h"
#include "rp-macros.h"
#include "rp-message.h"
#include "rp-message-item.h"
#include "rp-paths.h"
#include "rp-pop3.h"
#include "rp-scheduler.h"
#include "rp-secrets.h"
#include "rp-smtp.h"
#include "rp-store.h"
#include "rp-store-change.h"
#include "rp-store-search.h"
#include "rp-transport.h"
