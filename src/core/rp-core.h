/* rp-core.h: the public API of the Rapport engine, for the app and the CLI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rp-core-enums.h"
#include "rp-error.h"
#include "rp-macros.h"
#include "rp-paths.h"
