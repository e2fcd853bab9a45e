/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ub-download.h"

G_BEGIN_DECLS

/* test hooks: set before ub_download_start(), they apply from the next run */

/* the size of the first range each connection asks for (default 8 MiB, then
 * grown when requests are slow to answer); a fixed size turns growth off */
void
_ub_download_set_chunk_size(UbDownload *self, guint64 chunk_size);
/* the first retry waits @base_ms, each next one twice as long, up to @max_ms
 * (default 1 s and 30 s); Retry-After is honoured as the server says, up to
 * @retry_after_max_ms */
void
_ub_download_set_backoff(UbDownload *self, guint base_ms, guint max_ms, guint retry_after_max_ms);
/* after @after_bytes written, every write fails with @errno_value (ENOSPC
 * to act out a full disk); 0 turns it off */
void
_ub_download_set_write_fault(UbDownload *self, guint64 after_bytes, gint errno_value);

G_END_DECLS
